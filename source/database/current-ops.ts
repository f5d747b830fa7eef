import {scrub} from '../util/secrets.js';
import {docAt, isDoc, num, str, type Doc} from './values.js';

/** One operation as the pane lists it (manual §4.3 `db.currentOp()`), longest running first. */
export type CurrentOp = {
	opid: number | string;
	ns: string;
	op: string;
	client?: string;
	appName?: string;
	/** The configured service that opened the connection, from its appName. */
	service?: string;
	runningMs: number;
	planSummary?: string;
	/** The command, one line, secrets scrubbed ("{find: "trades", filter: {…}}"). */
	command: string;
};

/** Databases whose operations are the server's own (replication, sessions, TTL), not the platform's. */
const systemDatabases = new Set(['admin', 'local', 'config']);

/** `$currentOp` with its own entry and idle connections left out; the pipeline the service runs on admin. */
export const currentOpPipeline: readonly Doc[] = [{$currentOp: {allUsers: true, idleConnections: false}}, {$match: {active: true}}];

/**
 * The platform's active operations, longest first. An operation without a client is the server's own
 * (a replication applier, a TTL monitor), and so is one on admin/local/config: both are left out, as is the
 * `$currentOp` that asked.
 */
export function readCurrentOps(ops: readonly Doc[], appNames: ServiceMatcher): CurrentOp[] {
	const rows: CurrentOp[] = [];
	for (const op of ops) {
		if (!isDoc(op) || op['active'] === false) continue;
		const opid = typeof op['opid'] === 'string' ? op['opid'] : num(op['opid']);
		if (opid === undefined) continue;
		const ns = str(op['ns']) ?? '';
		const database = ns.split('.', 1)[0]!;
		const client = str(op['client']) ?? str(op['client_s']);
		if (!client || systemDatabases.has(database)) continue;
		const command = docAt(op, 'command') ?? {};
		if ('$currentOp' in (Array.isArray(command['pipeline']) && isDoc(command['pipeline'][0]) ? command['pipeline'][0] : {}) || 'currentOp' in command) continue;
		const micros = num(op['microsecs_running']);
		const seconds = num(op['secs_running']);
		const appName = str(op['appName']);
		rows.push({
			opid,
			ns,
			op: str(op['op']) ?? '',
			client,
			appName,
			service: appName === undefined ? undefined : appNames(appName),
			runningMs: micros !== undefined ? micros / 1000 : (seconds ?? 0) * 1000,
			planSummary: str(op['planSummary']),
			command: scrub(oneLineJson(command)),
		});
	}
	return rows.sort((a, b) => b.runningMs - a.runningMs || String(a.opid).localeCompare(String(b.opid)));
}

export type ServiceMatcher = (appName: string) => string | undefined;

/**
 * appName -> service: the configured map first (`mongo.appNames`), then a service whose name the appName
 * contains ("rust-core-engine v2.1" opened by rust-core-engine), the longest name winning.
 */
export function serviceMatcher(services: readonly string[], configured: Readonly<Record<string, string>> = {}): ServiceMatcher {
	const byLength = [...services].sort((a, b) => b.length - a.length);
	return appName => configured[appName] ?? byLength.find(service => appName.toLowerCase().includes(service.toLowerCase()));
}

function oneLineJson(value: unknown): string {
	let text: string;
	try {
		text = JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? Number(item) : item)) ?? '';
	} catch {
		text = String(value);
	}
	return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
