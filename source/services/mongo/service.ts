import type {ConnectionPoolMonitoringEvent, MongoClient as MongoClientType, MongoClientOptions} from 'mongodb';
import {registerSecrets, scrub} from '../../util/secrets.js';
import {withTimeout} from '../errors.js';
import type {MongoDatabaseService, MongoDocument, MongoPoolState} from '../types-mongo.js';
import {MongoFault, toMongoFault} from './errors.js';

export type MongoServiceOptions = {
	uri: string;
	/** Per call, and the driver's server selection and connect timeouts. */
	timeoutMs: number;
	/** The name the server shows in `$currentOp`'s appName for botops' own connections. */
	appName?: string;
	now?: () => number;
};

/** A pool's counters as CMAP events move them, per server address. */
type PoolCounters = Omit<MongoPoolState, 'address'>;

const emptyCounters = (): PoolCounters => ({open: 0, inUse: 0, waiting: 0, created: 0, closed: 0, checkOutFailed: 0, cleared: 0});

/**
 * The official driver behind MongoDatabaseService. The driver is imported here, and this module is imported
 * only by environments that configure `mongo` (its cold import costs ~190 ms of start-up). Every failure
 * comes out as a MongoFault with a scrubbed message; the URI's password is registered with the scrubber
 * before the driver sees the URI, so no message, log line or audit record can carry it.
 */
export async function createMongoService(options: MongoServiceOptions): Promise<MongoDatabaseService> {
	registerSecrets([options.uri]);
	const now = options.now ?? Date.now;
	const driver = await import('mongodb');
	// A CommonJS package: Node's ESM loader names its exports, an esbuild bundle hands over module.exports as default.
	const MongoClient = driver.MongoClient ?? (driver as unknown as {default: typeof driver}).default.MongoClient;
	const clientOptions: MongoClientOptions = {
		appName: options.appName ?? 'botops',
		serverSelectionTimeoutMS: options.timeoutMs,
		connectTimeoutMS: options.timeoutMs,
		// Few and short-lived: botops reads at 1 Hz and must not crowd the platform's own pool.
		maxPoolSize: 4,
		maxIdleTimeMS: 60_000,
		retryReads: false,
		monitorCommands: false,
	};
	let client: MongoClientType;
	try {
		client = new MongoClient(options.uri, clientOptions);
	} catch (error) {
		throw toMongoFault(error);
	}
	const pools = new Map<string, PoolCounters>();
	const pool = (address: string) => {
		let counters = pools.get(address);
		if (!counters) pools.set(address, (counters = emptyCounters()));
		return counters;
	};
	const problem = (event: ConnectionPoolMonitoringEvent & {reason?: unknown}, name: string) => {
		const reason = event.reason instanceof Error ? event.reason.message : String(event.reason ?? '');
		pool(event.address).lastProblem = {event: name, reason: scrub(reason), at: now()};
	};
	client.on('connectionCreated', event => {
		const counters = pool(event.address);
		counters.created++;
		counters.open++;
	});
	client.on('connectionClosed', event => {
		const counters = pool(event.address);
		counters.closed++;
		counters.open = Math.max(0, counters.open - 1);
		if (event.reason === 'error') problem(event, 'connectionClosed');
	});
	client.on('connectionCheckOutStarted', event => {
		pool(event.address).waiting++;
	});
	client.on('connectionCheckedOut', event => {
		const counters = pool(event.address);
		counters.waiting = Math.max(0, counters.waiting - 1);
		counters.inUse++;
	});
	client.on('connectionCheckOutFailed', event => {
		const counters = pool(event.address);
		counters.waiting = Math.max(0, counters.waiting - 1);
		counters.checkOutFailed++;
		problem(event, 'connectionCheckOutFailed');
	});
	client.on('connectionCheckedIn', event => {
		const counters = pool(event.address);
		counters.inUse = Math.max(0, counters.inUse - 1);
	});
	client.on('connectionPoolCleared', event => {
		const counters = pool(event.address);
		counters.cleared++;
		counters.inUse = 0;
		problem(event, 'connectionPoolCleared');
	});
	// The driver emits 'error' only for failures nobody awaits; without a listener Node would crash on one.
	client.on('error', () => {});

	// Connected explicitly: the driver's implicit connect closes the client for good when the first attempt fails
	// ("Topology is closed" ever after), while a failed connect() can be tried again on the next poll.
	let connected: Promise<unknown> | undefined;
	const connect = () =>
		(connected ??= client.connect().catch((error: unknown) => {
			connected = undefined;
			throw error;
		}));
	const call = async <T>(work: () => Promise<T>): Promise<T> => {
		try {
			// A backstop a little after the driver's own deadlines, so that its more telling error comes first.
			return await withTimeout(options.timeoutMs + 500, async () => {
				await connect();
				return work();
			});
		} catch (error) {
			if ((error as {name?: string}).name === 'MongoTopologyClosedError') connected = undefined;
			throw toMongoFault(error);
		}
	};
	const checkReply = (reply: MongoDocument): MongoDocument => {
		// The driver throws on ok: 0; a reply it passes with ok: 0 anyway (a non-conforming server) is a failure too.
		if (reply['ok'] !== undefined && Number(reply['ok']) !== 1) {
			throw toMongoFault({name: 'MongoServerError', message: String(reply['errmsg'] ?? 'command failed'), code: reply['code'], codeName: reply['codeName']});
		}
		return reply;
	};

	return {
		runCommand: (db, command) => call(async () => checkReply((await client.db(db).command(command)) as MongoDocument)),
		aggregate: (db, collection, pipeline) =>
			call(async () => {
				const database = client.db(db);
				const cursor = collection === 1 ? database.aggregate([...pipeline]) : database.collection(collection).aggregate([...pipeline]);
				return (await cursor.toArray()) as MongoDocument[];
			}),
		listCollections: db =>
			call(async () => {
				const collections = await client.db(db).listCollections({}, {nameOnly: true}).toArray();
				return collections.map(c => c.name).filter(name => !name.startsWith('system.')).sort();
			}),
		pools: () => [...pools].map(([address, counters]) => ({address, ...counters})).sort((a, b) => a.address.localeCompare(b.address)),
		async close() {
			await client.close().catch(() => {});
		},
	};
}

/** The URI from the environment variable the config names; a clear error when it is unset or not a MongoDB URI. */
export function mongoUri(uriEnv: string, env: NodeJS.ProcessEnv): string {
	const uri = env[uriEnv];
	if (!uri) throw new MongoFault('other', `mongo: environment variable ${uriEnv} is not set (it holds the MongoDB URI)`);
	if (!/^mongodb(?:\+srv)?:\/\//.test(uri)) throw new MongoFault('other', `mongo: ${uriEnv} does not hold a mongodb:// URI`);
	return uri;
}

/**
 * The environment configures MongoDB but its URI cannot be used (the variable is unset): every call fails with
 * that reason, so the Database pane and the runbooks say why instead of "not configured".
 */
export function unusableMongoService(fault: MongoFault): MongoDatabaseService {
	const fail = () => Promise.reject(fault);
	return {runCommand: fail, aggregate: fail, listCollections: fail, pools: () => [], close: async () => {}};
}

/** The service for an environment's `mongo:` config, its URI read from the variable the config names. */
export async function openMongoService(uriEnv: string, options: Omit<MongoServiceOptions, 'uri'> & {env?: NodeJS.ProcessEnv}): Promise<MongoDatabaseService> {
	try {
		return await createMongoService({...options, uri: mongoUri(uriEnv, options.env ?? process.env)});
	} catch (error) {
		return unusableMongoService(toMongoFault(error));
	}
}
