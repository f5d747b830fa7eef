/** What runbooks need from MongoDB. The real driver-backed service (and the demo's wire server) arrive with the database issue. */
export interface MongoService {
	/** Runs one database command (`{ping: 1}`, `{killOp: 1, op: 123}`, …) and returns its reply document. */
	runCommand(db: string, command: Record<string, unknown>): Promise<Record<string, unknown>>;
	close?(): Promise<void> | void;
}
