/** A MongoDB document as botops reads it: the driver's replies, untyped until a pure function in source/database/ reads them. */
export type MongoDocument = Record<string, unknown>;

/**
 * The driver's own connection pool for one server, from its connection monitoring (CMAP) events: what the
 * server's `connections` cannot say, e.g. that botops waits for a connection or that its pool was cleared.
 */
export type MongoPoolState = {
	address: string;
	/** Connections the pool holds (created and not closed). */
	open: number;
	/** Of those, checked out by an operation now. */
	inUse: number;
	/** Operations waiting for a connection. */
	waiting: number;
	created: number;
	closed: number;
	checkOutFailed: number;
	/** Times the pool was cleared (the driver does after a network error or a stepdown). */
	cleared: number;
	/** The last failure the pool saw ("connectionCheckOutFailed: connectionError"), scrubbed. */
	lastProblem?: {event: string; reason: string; at: number};
};

/** What runbooks need from MongoDB (the `mongo.command` action). */
export interface MongoService {
	/** Runs one database command (`{ping: 1}`, `{killOp: 1, op: 123}`, …) and returns its reply document. */
	runCommand(db: string, command: Record<string, unknown>): Promise<MongoDocument>;
	close?(): Promise<void> | void;
}

/** What the Database and Trading screens and `botops db` need besides commands: aggregations, collections, the pool. */
export interface MongoDatabaseService extends MongoService {
	/** An aggregation on a collection, or on the database (`1`: `$currentOp` runs on admin), every batch read. */
	aggregate(db: string, collection: string | 1, pipeline: readonly MongoDocument[]): Promise<MongoDocument[]>;
	/** The collections' names, `system.*` left out. */
	listCollections(db: string): Promise<string[]>;
	/** The pool of every server the driver has talked to. */
	pools(): MongoPoolState[];
	close(): Promise<void>;
}
