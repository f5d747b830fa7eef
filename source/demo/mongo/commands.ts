/**
 * The commands the demo's mongod answers, each shaped like the real server's documented reply (MongoDB 7.0).
 * Anything else gets CommandNotFound (59), in MongoDB's error shape.
 */
import {Binary, Long, ObjectId, Timestamp, type Document} from 'bson';
import {Aggregator, find as mingoFind} from 'mingo';
import type {World} from '../world.js';
import {hasPrivilege, requiresAuthentication, unauthorized, type DemoMongoUser, type Privilege} from './auth.js';
import type {ActiveOp, MongoActivity, ReplicaMember} from './activity.js';
import {oplogMaxBytes, oplogWindowHours} from './activity.js';
import type {DemoCollection} from './collections.js';
import {CursorStore} from './cursors.js';
import {commandError, MongoCommandError} from './errors.js';
import {ScramConversation, scramMechanism} from './scram.js';
import type {TradingData} from './trading-data.js';
import {maxBsonObjectSize, maxMessageSizeBytes} from './wire.js';

export const replicaSetName = 'rs0';
export const serverVersion = '7.0.14';
/** MongoDB 7.0's wire version. */
const maxWireVersion = 21;
/** Linux mongod's default maxIncomingConnections ceiling as serverStatus reports it (current + available). */
const connectionCeiling = 838_860;
const cacheMaxBytes = 1024 * 1024 * 1024;

/** One client connection to one member. */
export type Session = {
	connectionId: number;
	member: ReplicaMember;
	/** The peer as currentOp's `client` shows it: "127.0.0.1:51234". */
	remote: string;
	user?: DemoMongoUser;
	conversations: Map<number, {scram: ScramConversation; userKey: string; skipEmptyExchange: boolean}>;
	nextConversationId: number;
	appName?: string;
	clientMetadata?: Document;
	/** Set while a command of this connection runs (it is in currentOp then). */
	current?: {opid: number; command: Document; ns: string; startedAt: number};
};

export type MongoState = {
	world: World;
	data: TradingData;
	activity: MongoActivity;
	cursors: CursorStore;
	/** By "db.user" (all demo users live in admin). */
	users: Map<string, DemoMongoUser>;
	sessions: Set<Session>;
	/** Connections accepted for real since start, by member. */
	accepted: number[];
	systemOpids: number[];
};

type Handler = (state: MongoState, session: Session, command: Document, db: string) => Document;

/** Commands a client may run before it authenticates (the handshake, and the SASL conversation itself). */
const withoutAuthentication = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'buildInfo', 'buildinfo', 'saslStart', 'saslContinue', 'endSessions', 'connectionStatus']);

const number = (value: unknown): number | undefined => (typeof value === 'number' ? value : value instanceof Long ? value.toNumber() : undefined);
const cursorBatchSize = (command: Document): number | undefined => number((command.cursor as Document | undefined)?.batchSize);
const long = (value: number) => Long.fromNumber(Math.floor(value));
const timestampIso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

function binaryText(payload: unknown): string {
	if (payload instanceof Binary) return Buffer.from(payload.buffer.subarray(0, payload.position)).toString('utf8');
	if (typeof payload === 'string') return payload;
	if (payload instanceof Uint8Array) return Buffer.from(payload).toString('utf8');
	throw commandError('TypeMismatch', 'payload must be BinData');
}

function privilegeFor(name: string, command: Document, db: string): Privilege | undefined {
	switch (name) {
		case 'serverStatus':
		case 'replSetGetStatus':
		case 'top':
			return {kind: 'cluster', action: name};
		case 'currentOp':
			return command.$ownOps === true ? undefined : {kind: 'cluster', action: 'inprog'};
		case 'killOp':
			return {kind: 'cluster', action: 'killop'};
		case 'insert':
			return {kind: 'write', db};
		case 'listDatabases':
		case 'endSessions':
			return undefined;
		case 'aggregate': {
			// $currentOp checks its own privilege (inprog with allUsers, nothing for one's own ops).
			const [head] = Array.isArray(command.pipeline) ? (command.pipeline as Document[]) : [];
			return head && '$currentOp' in head ? undefined : {kind: 'read', db};
		}
		default:
			return {kind: 'read', db};
	}
}

export function runCommand(state: MongoState, session: Session, command: Document, db: string): Document {
	const name = Object.keys(command)[0];
	const handler = name === undefined ? undefined : handlers[name];
	try {
		if (!handler) throw commandError('CommandNotFound', `no such command: '${name ?? ''}'`);
		if (!withoutAuthentication.has(name)) {
			if (!session.user) throw requiresAuthentication(name);
			const privilege = privilegeFor(name, command, db);
			if (privilege && !hasPrivilege(session.user, privilege)) throw unauthorized(db, command);
		}
		state.data.advance();
		return withClusterTime(state, handler(state, session, command, db));
	} catch (error) {
		if (error instanceof MongoCommandError) return withClusterTime(state, error.toReply());
		throw error;
	}
}

/** A replica-set member gossips the cluster time in every reply. */
function withClusterTime(state: MongoState, reply: Document): Document {
	const optime = state.activity.primaryOptime(state.world.now());
	return {...reply, $clusterTime: {clusterTime: optime.ts, signature: {hash: new Binary(Buffer.alloc(20)), keyId: Long.ZERO}}, operationTime: optime.ts};
}

const isPrimary = (state: MongoState, session: Session) => session.member.id === 0 && state.world.dbConnected;

// --- handshake and authentication ------------------------------------------------------------------------

function hello(state: MongoState, session: Session, command: Document, db: string, legacyName: boolean): Document {
	if (command.client && typeof command.client === 'object') {
		if (session.clientMetadata) throw commandError('ClientMetadataCannotBeMutated', 'The client metadata document may only be sent in the first hello');
		session.clientMetadata = command.client as Document;
		const application = (command.client as Document).application as Document | undefined;
		if (typeof application?.name === 'string') session.appName = application.name;
	}
	const now = state.world.now();
	const primary = isPrimary(state, session);
	const optime = state.activity.primaryOptime(now - state.activity.trueLagMs(session.member.id, now));
	const hosts = state.activity.members.map(member => member.host);
	const reply: Document = {
		[legacyName ? 'ismaster' : 'isWritablePrimary']: primary,
		hosts,
		setName: replicaSetName,
		setVersion: 1,
		secondary: !primary,
		...(state.world.dbConnected ? {primary: state.activity.members[0].host} : {}),
		me: session.member.host,
		...(primary ? {electionId: new ObjectId(`7fffffff${state.activity.term.toString(16).padStart(16, '0')}`)} : {}),
		lastWrite: {opTime: {ts: optime.ts, t: optime.t}, lastWriteDate: optime.date, majorityOpTime: {ts: optime.ts, t: optime.t}, majorityWriteDate: optime.date},
		maxBsonObjectSize,
		maxMessageSizeBytes,
		maxWriteBatchSize: 100_000,
		localTime: new Date(now),
		logicalSessionTimeoutMinutes: 30,
		connectionId: session.connectionId,
		minWireVersion: 0,
		maxWireVersion,
		readOnly: false,
	};
	if (command.helloOk === true) reply.helloOk = true;
	if (typeof command.saslSupportedMechs === 'string') {
		if (state.users.has(command.saslSupportedMechs)) reply.saslSupportedMechs = [scramMechanism];
	}
	const speculative = command.speculativeAuthenticate as Document | undefined;
	if (speculative && typeof speculative === 'object' && speculative.saslStart !== undefined) {
		try {
			reply.speculativeAuthenticate = saslStart(state, session, speculative, typeof speculative.db === 'string' ? speculative.db : db);
		} catch (error) {
			// A speculative attempt that cannot start is left out; the client then authenticates the long way.
			if (!(error instanceof MongoCommandError)) throw error;
		}
	}
	reply.ok = 1;
	return reply;
}

function saslStart(state: MongoState, session: Session, command: Document, db: string): Document {
	const mechanism = command.mechanism;
	if (mechanism !== scramMechanism) {
		if (mechanism === 'SCRAM-SHA-1') throw commandError('MechanismUnavailable', 'Unable to use SCRAM-SHA-1 based authentication for user without any SCRAM-SHA-1 credentials registered');
		throw commandError('MechanismUnavailable', `Received authentication for mechanism ${String(mechanism)} which is not enabled`);
	}
	const clientFirst = binaryText(command.payload);
	const scram = new ScramConversation(clientFirst, username => state.users.get(`${db}.${username}`)?.credential);
	const userKey = `${db}.${scram.username}`;
	const conversationId = ++session.nextConversationId;
	session.conversations.set(conversationId, {scram, userKey, skipEmptyExchange: (command.options as Document | undefined)?.skipEmptyExchange === true});
	return {conversationId, done: false, payload: new Binary(Buffer.from(scram.serverFirstMessage))};
}

function saslContinue(state: MongoState, session: Session, command: Document): Document {
	const conversationId = number(command.conversationId);
	const conversation = conversationId === undefined ? undefined : session.conversations.get(conversationId);
	if (!conversation || conversationId === undefined) throw commandError('ProtocolError', 'No SASL session state found');
	try {
		if (conversation.scram.proved) {
			conversation.scram.finish();
			session.conversations.delete(conversationId);
			return {conversationId, done: true, payload: new Binary(Buffer.alloc(0)), ok: 1};
		}
		const serverFinal = conversation.scram.prove(binaryText(command.payload));
		session.user = state.users.get(conversation.userKey);
		const {skipEmptyExchange} = conversation;
		if (skipEmptyExchange) session.conversations.delete(conversationId);
		return {conversationId, done: skipEmptyExchange, payload: new Binary(Buffer.from(serverFinal)), ok: 1};
	} catch (error) {
		session.conversations.delete(conversationId);
		throw error;
	}
}

// --- diagnostics -----------------------------------------------------------------------------------------

function buildInfo(): Document {
	return {
		version: serverVersion,
		gitVersion: '67e9f2a8fc2fb8bdbd0e5b7ab6dc6a6f2dba1b6e',
		modules: [],
		allocator: 'tcmalloc',
		javascriptEngine: 'mozjs',
		sysInfo: 'deprecated',
		versionArray: serverVersion.split('.').map(Number).concat(0),
		openssl: {running: 'OpenSSL 3.0.2 15 Mar 2022', compiled: 'OpenSSL 3.0.2 15 Mar 2022'},
		buildEnvironment: {distmod: 'ubuntu2204', distarch: 'x86_64', target_arch: 'x86_64', target_os: 'linux'},
		bits: 64,
		debug: false,
		maxBsonObjectSize,
		storageEngines: ['devnull', 'wiredTiger'],
		ok: 1,
	};
}

function ownSessions(state: MongoState, member: number): Session[] {
	return [...state.sessions].filter(session => session.member.id === member);
}

function serverStatus(state: MongoState, session: Session): Document {
	const {activity, world} = state;
	const now = world.now();
	const member = session.member.id;
	const uptime = activity.uptimeSeconds(now);
	const real = ownSessions(state, member);
	const simulated = member === 0 ? activity.clients.length + 4 : 3;
	const current = simulated + real.length;
	const active = (member === 0 ? activity.activeOps(now).length + 2 : 1) + real.filter(other => other.current).length;
	const opcounters = member === 0 ? activity.opcounters(now) : {insert: 0, query: 0, update: 0, delete: 0, getmore: 0, command: Math.floor(uptime * 3)};
	const opcountersRepl = activity.opcountersRepl(member, now);
	const network = activity.network(now);
	const database = world.containers.find(container => container.name === 'mongodb-primary');
	const residentMb = Math.round((database?.memAnon ?? 700 * 1024 * 1024) / (1024 * 1024));
	const swing = Math.sin((now / 1000 / 900) * 2 * Math.PI);
	const cacheUsed = Math.round(cacheMaxBytes * (0.66 + 0.07 * swing));
	const cacheDirty = Math.round(cacheMaxBytes * (0.014 + 0.01 * swing * swing));
	const longs = (counters: Record<string, number>) => Object.fromEntries(Object.entries(counters).map(([key, value]) => [key, long(value)]));
	const optime = activity.primaryOptime(now - activity.trueLagMs(member, now));
	const hosts = activity.members.map(other => other.host);
	return {
		host: member === 0 ? 'mongodb-primary' : `mongodb-secondary-${member}`,
		version: serverVersion,
		process: 'mongod',
		pid: long(database?.pid || 1),
		uptime: Math.floor(uptime),
		uptimeMillis: long(uptime * 1000),
		uptimeEstimate: long(uptime),
		localTime: new Date(now),
		asserts: {regular: 0, warning: 0, msg: 0, user: Math.floor(uptime / 600), tripwire: 0, rollovers: 0},
		connections: {current, available: connectionCeiling - current, totalCreated: (member === 0 ? activity.connectionsCreated(now) : 12) + state.accepted[member], rejected: 0, active, threaded: current, exhaustIsMaster: 0, exhaustHello: member === 0 ? 2 : 0, awaitingTopologyChanges: member === 0 ? 2 : 0, loadBalanced: 0},
		extra_info: {note: 'fields vary by platform', user_time_us: long(uptime * 61_000), system_time_us: long(uptime * 17_000), maximum_resident_set_kb: long(residentMb * 1024 * 1.08), input_blocks: long(uptime * 2), output_blocks: long(uptime * 410), page_reclaims: long(uptime * 9), page_faults: long(uptime / 90), voluntary_context_switches: long(uptime * 800), involuntary_context_switches: long(uptime * 30), threads: 71},
		globalLock: {totalTime: long(uptime * 1e6), currentQueue: {total: 0, readers: 0, writers: 0}, activeClients: {total: active, readers: Math.max(0, active - 1), writers: 0}},
		mem: {bits: 64, resident: residentMb, virtual: residentMb + 1580, supported: true},
		metrics: {
			cursor: {open: {noTimeout: long(0), pinned: long(0), total: long(state.cursors.openCount)}, timedOut: long(0)},
			document: {deleted: long(opcounters.delete), inserted: long(opcounters.insert), returned: long(opcounters.query * 14 + opcounters.getmore * 101), updated: long(opcounters.update)},
			operation: {scanAndOrder: long(opcounters.query / 50), writeConflicts: long(0)},
			queryExecutor: {scanned: long(opcounters.query * 22), scannedObjects: long(opcounters.query * 31)},
		},
		network: {bytesIn: long(network.bytesIn), bytesOut: long(network.bytesOut), physicalBytesIn: long(network.bytesIn), physicalBytesOut: long(network.bytesOut), numSlowDNSOperations: long(0), numSlowSSLOperations: long(0), numRequests: long(network.numRequests)},
		opLatencies: {
			reads: {latency: long(opcounters.query * 310), ops: long(opcounters.query + opcounters.getmore)},
			writes: {latency: long((opcounters.insert + opcounters.update) * 160), ops: long(opcounters.insert + opcounters.update + opcounters.delete)},
			commands: {latency: long(opcounters.command * 45), ops: long(opcounters.command)},
			transactions: {latency: long(0), ops: long(0)},
		},
		opcounters: longs(opcounters),
		opcountersRepl: longs(opcountersRepl),
		repl: {hosts, setName: replicaSetName, setVersion: 1, isWritablePrimary: isPrimary(state, session), secondary: !isPrimary(state, session), ...(world.dbConnected ? {primary: hosts[0]} : {}), me: session.member.host, lastWrite: {opTime: {ts: optime.ts, t: optime.t}, lastWriteDate: optime.date, majorityOpTime: {ts: optime.ts, t: optime.t}, majorityWriteDate: optime.date}, rbid: 1},
		storageEngine: {name: 'wiredTiger', supportsCommittedReads: true, oldestRequiredTimestampForCrashRecovery: optime.ts, dropPendingIdents: long(0), supportsSnapshotReadConcern: true, readOnly: false, persistent: true, backupCursorOpen: false},
		wiredTiger: {
			uri: 'statistics:',
			cache: {
				'bytes currently in the cache': cacheUsed,
				'maximum bytes configured': cacheMaxBytes,
				'tracked dirty bytes in the cache': cacheDirty,
				'bytes read into cache': Math.round(uptime * 38_000),
				'bytes written from cache': Math.round(uptime * 205_000),
				'pages read into cache': Math.round(uptime * 9),
				'pages written from cache': Math.round(uptime * 41),
				'tracked dirty pages in the cache': Math.round(cacheDirty / 12_000),
				'pages evicted by application threads': 0,
			},
			concurrentTransactions: {write: {out: 0, available: 128, totalTickets: 128}, read: {out: Math.max(0, active - 1), available: 128 - Math.max(0, active - 1), totalTickets: 128}},
		},
		ok: 1,
	};
}

function replSetGetStatus(state: MongoState, session: Session): Document {
	const {activity, world} = state;
	const now = world.now();
	const self = session.member.id;
	const statuses = activity.memberStatuses(self, now);
	const mine = statuses.find(status => status.member.id === self)!;
	const committed = statuses.filter(status => status.health === 1).map(status => status.optime).sort((a, b) => b.date.getTime() - a.date.getTime())[1] ?? mine.optime;
	const optime = (value: {ts: Timestamp; t: Long}) => ({ts: value.ts, t: value.t});
	const electionTime = activity.primaryOptime(activity.electionAt);
	return {
		set: replicaSetName,
		date: new Date(now),
		myState: mine.state,
		term: Long.fromNumber(activity.term),
		syncSourceHost: self === 0 ? '' : activity.members[0].host,
		syncSourceId: self === 0 ? -1 : 0,
		heartbeatIntervalMillis: Long.fromNumber(2000),
		majorityVoteCount: 2,
		writeMajorityCount: 2,
		votingMembersCount: 3,
		writableVotingMembersCount: 3,
		optimes: {
			lastCommittedOpTime: optime(committed),
			lastCommittedWallTime: committed.date,
			readConcernMajorityOpTime: optime(committed),
			appliedOpTime: optime(mine.optime),
			durableOpTime: optime(mine.optime),
			lastAppliedWallTime: mine.optime.date,
			lastDurableWallTime: mine.optime.date,
		},
		lastStableRecoveryTimestamp: committed.ts,
		members: statuses.map(status => {
			const isSelf = status.member.id === self;
			const common = {
				_id: status.member.id,
				name: status.member.host,
				health: status.health,
				state: status.state,
				stateStr: status.stateStr,
				uptime: status.health ? status.uptime : 0,
				optime: optime(status.optime),
				...(isSelf ? {} : {optimeDurable: optime(status.optime)}),
				optimeDate: status.optime.date,
				...(isSelf ? {} : {optimeDurableDate: status.optime.date}),
				lastAppliedWallTime: status.optime.date,
				lastDurableWallTime: status.optime.date,
			};
			const sync = status.state === 1 || status.health === 0 ? {syncSourceHost: '', syncSourceId: -1} : {syncSourceHost: activity.members[0].host, syncSourceId: 0};
			const election = status.state === 1 ? {electionTime: electionTime.ts, electionDate: new Date(activity.electionAt)} : {};
			if (isSelf) return {...common, ...sync, infoMessage: '', ...election, configVersion: 1, configTerm: activity.term, self: true, lastHeartbeatMessage: ''};
			return {
				...common,
				lastHeartbeat: status.lastHeartbeat,
				lastHeartbeatRecv: status.lastHeartbeatRecv,
				pingMs: Long.fromNumber(status.pingMs),
				lastHeartbeatMessage: status.health ? '' : `Error connecting to ${status.member.host} :: caused by :: Connection refused`,
				...sync,
				infoMessage: '',
				...election,
				configVersion: status.health ? 1 : -1,
				configTerm: status.health ? activity.term : -1,
			};
		}),
		ok: 1,
	};
}

/** One entry of currentOp / $currentOp for a simulated client's operation. */
function opDocument(op: ActiveOp, host: string, now: number): Document {
	const runningMs = Math.max(0, now - op.startedAt);
	const collection = op.ns.slice(op.ns.indexOf('.') + 1);
	const reading = op.op === 'query' || op.op === 'getmore' || op.op === 'command';
	return {
		type: 'op',
		host,
		desc: `conn${op.client.connectionId}`,
		connectionId: op.client.connectionId,
		client: op.client.client,
		appName: op.client.appName,
		clientMetadata: {application: {name: op.client.appName}, driver: op.client.driver, os: {type: 'Linux', name: 'linux', architecture: 'x86_64'}},
		active: true,
		currentOpTime: timestampIso(now),
		effectiveUsers: [{user: 'botuser', db: 'admin'}],
		threaded: true,
		opid: op.opid,
		secs_running: long(runningMs / 1000),
		microsecs_running: long(runningMs * 1000),
		op: op.op,
		ns: op.ns,
		redacted: false,
		command: op.command,
		planSummary: op.planSummary,
		numYields: Math.floor(runningMs / 8),
		queryFramework: 'classic',
		locks: {FeatureCompatibilityVersion: reading ? 'r' : 'w', Global: reading ? 'r' : 'w', Database: reading ? 'r' : 'w', Collection: reading ? 'r' : 'w'},
		waitingForLock: false,
		lockStats: {FeatureCompatibilityVersion: {acquireCount: {r: long(1 + runningMs / 8)}}, Global: {acquireCount: {r: long(1 + runningMs / 8)}}},
		waitingForFlowControl: false,
		flowControlStats: {},
		...(collection === 'trades' && op.op === 'query' ? {cursor: {cursorId: long(op.opid * 7919), createdDate: new Date(op.startedAt), lastAccessDate: new Date(now), nDocsReturned: long(0), nBatchesReturned: long(0), noCursorTimeout: false, tailable: false, awaitData: false, originatingCommand: op.command, planSummary: op.planSummary, operationUsingCursorId: long(op.opid)}} : {}),
	};
}

/** The operations in progress, as the member asked sees them: its clients' slow ops, the caller's own command, the system threads. */
function inProgress(state: MongoState, session: Session, options: {allUsers: boolean}): Document[] {
	const now = state.world.now();
	const host = session.member.host;
	const ops: Document[] = [];
	if (options.allUsers && session.member.id === 0) for (const op of state.activity.activeOps(now)) ops.push(opDocument(op, host, now));
	for (const other of state.sessions) {
		if (other.member.id !== session.member.id || !other.current) continue;
		if (!options.allUsers && other.user?.user !== session.user?.user) continue;
		const runningMs = Math.max(0, now - other.current.startedAt);
		ops.push({
			type: 'op',
			host,
			desc: `conn${other.connectionId}`,
			connectionId: other.connectionId,
			client: other.remote,
			...(other.appName ? {appName: other.appName} : {}),
			...(other.clientMetadata ? {clientMetadata: other.clientMetadata} : {}),
			active: true,
			currentOpTime: timestampIso(now),
			...(other.user ? {effectiveUsers: [{user: other.user.user, db: other.user.db}]} : {}),
			threaded: true,
			opid: other.current.opid,
			secs_running: long(runningMs / 1000),
			microsecs_running: long(runningMs * 1000 + 35),
			op: 'command',
			ns: other.current.ns,
			redacted: false,
			command: other.current.command,
			numYields: 0,
			locks: {},
			waitingForLock: false,
			lockStats: {},
			waitingForFlowControl: false,
			flowControlStats: {},
		});
	}
	if (options.allUsers && state.world.dbConnected)
		['NoopWriter', 'monitoring-keys-for-HMAC'].forEach((desc, index) =>
			ops.push({type: 'op', host, desc, active: true, currentOpTime: timestampIso(now), opid: state.systemOpids[index], op: 'none', ns: '', redacted: false, command: {}, numYields: 0, locks: {}, waitingForLock: false, lockStats: {}, waitingForFlowControl: false, flowControlStats: {}}),
		);
	return ops;
}

const currentOpOptionFields = new Set(['currentOp', '$all', '$ownOps', '$db', 'lsid', '$clusterTime', '$readPreference', 'comment', 'txnNumber', 'apiVersion', 'apiStrict', 'apiDeprecationErrors']);

function currentOp(state: MongoState, session: Session, command: Document, db: string): Document {
	if (db !== 'admin') throw unauthorized(db, command);
	const filter = Object.fromEntries(Object.entries(command).filter(([key]) => !currentOpOptionFields.has(key)));
	const all = inProgress(state, session, {allUsers: command.$ownOps !== true});
	// The filter compares secs_running (an int64) with plain numbers, as the server does: match on a numeric copy.
	const matched = new Set(mingoFind(all.map((op, index) => ({...numeric(op), __index: index})), filter).all().map(op => op.__index as number));
	return {inprog: all.filter((_op, index) => matched.has(index)), ok: 1};
}

function killOp(state: MongoState, _session: Session, command: Document, db: string): Document {
	if (db !== 'admin') throw unauthorized(db, command);
	const opid = number(command.op);
	if (opid === undefined) throw commandError('BadValue', 'Did not provide "op" field');
	state.activity.kill(opid);
	return {info: 'attempting to kill op', ok: 1};
}

function top(state: MongoState, _session: Session, command: Document, db: string): Document {
	if (db !== 'admin') throw commandError('Unauthorized', 'top may only be run against the admin database.');
	return {totals: state.activity.top(), ok: 1};
}

// --- databases, collections and their statistics --------------------------------------------------------

/** local.oplog.rs, as many entries as a client needs to see the window: the oldest kept, and the recent writes. */
function oplogEntries(state: MongoState): Document[] {
	const now = state.world.now();
	const last = state.activity.primaryOptime(now);
	const first = state.activity.primaryOptime(now - oplogWindowHours * 3_600_000);
	const entry = (optime: typeof last, o: Document) => ({op: 'n', ns: '', o, ts: optime.ts, t: optime.t, v: Long.fromNumber(2), wall: optime.date});
	const recent = state.data.trades.documents.slice(-20).map(trade => {
		const optime = state.activity.primaryOptime(trade.timestamp.getTime());
		return {op: 'i', ns: state.data.trades.ns, ui: state.data.trades.uuid, o: trade, o2: {_id: trade._id}, ts: optime.ts, t: optime.t, v: Long.fromNumber(2), wall: trade.timestamp};
	});
	return [entry(first, {msg: 'periodic noop'}), ...recent.filter(item => item.wall.getTime() > first.date.getTime()), entry(last, {msg: 'periodic noop'})];
}

type CollectionView = {name: string; documents: Document[]; count: number; size: number; storageSize: number; indexes: DemoCollection['indexes']; indexSize: (index: DemoCollection['indexes'][number]) => number; totalIndexSize: number; capped: boolean; maxSize?: number; collection?: DemoCollection};

function collectionView(state: MongoState, db: string, name: string): CollectionView {
	if (db === 'local' && name === 'oplog.rs') {
		const documents = oplogEntries(state);
		const size = Math.round(oplogMaxBytes * 0.93);
		return {name, documents, count: Math.round(size / 410), size, storageSize: Math.round(size * 0.38), indexes: [], indexSize: () => 0, totalIndexSize: 0, capped: true, maxSize: oplogMaxBytes};
	}
	const collection = state.data.catalog.require(db, name);
	return {name, documents: collection.documents, count: collection.count, size: collection.dataSize, storageSize: collection.storageSize, indexes: collection.indexes, indexSize: index => collection.indexSize(index), totalIndexSize: collection.totalIndexSize, capped: false, collection};
}

function databaseCollections(state: MongoState, db: string): string[] {
	if (db === 'local') return ['oplog.rs', 'replset.election', 'replset.minvalid', 'startup_log', 'system.replset'];
	return state.data.catalog.collections(db).map(collection => collection.name);
}

function storageStats(view: CollectionView, scale: number): Document {
	const scaled = (value: number) => Math.floor(value / scale);
	return {
		size: scaled(view.size),
		count: view.count,
		avgObjSize: view.count > 0 ? Math.floor(view.size / view.count) : 0,
		numOrphanDocs: 0,
		storageSize: scaled(view.storageSize),
		freeStorageSize: scaled(Math.min(view.storageSize, 16_384)),
		capped: view.capped,
		...(view.maxSize ? {max: 0, maxSize: scaled(view.maxSize)} : {}),
		nindexes: view.indexes.length,
		indexBuilds: [],
		totalIndexSize: scaled(view.totalIndexSize),
		totalSize: scaled(view.storageSize + view.totalIndexSize),
		indexSizes: Object.fromEntries(view.indexes.map(index => [index.name, scaled(view.indexSize(index))])),
		scaleFactor: scale,
	};
}

function scaleOf(command: Document): number {
	const scale = number(command.scale) ?? 1;
	if (scale < 1) throw commandError('BadValue', 'scale has to be >= 1');
	return Math.floor(scale);
}

function collStats(state: MongoState, _session: Session, command: Document, db: string): Document {
	const name = String(command.collStats);
	const view = collectionView(state, db, name);
	return {ns: `${db}.${name}`, ...storageStats(view, scaleOf(command)), ok: 1};
}

function dbStats(state: MongoState, _session: Session, command: Document, db: string): Document {
	const scale = scaleOf(command);
	const views = databaseCollections(state, db).flatMap(name => {
		try {
			return [collectionView(state, db, name)];
		} catch {
			return [];
		}
	});
	const objects = views.reduce((sum, view) => sum + view.count, 0);
	const dataSize = views.reduce((sum, view) => sum + view.size, 0);
	const storage = views.reduce((sum, view) => sum + view.storageSize, 0);
	const indexSize = views.reduce((sum, view) => sum + view.totalIndexSize, 0);
	return {
		db,
		collections: views.length,
		views: 0,
		objects,
		avgObjSize: objects > 0 ? dataSize / objects : 0,
		dataSize: dataSize / scale,
		storageSize: storage / scale,
		indexes: views.reduce((sum, view) => sum + view.indexes.length, 0),
		indexSize: indexSize / scale,
		totalSize: (storage + indexSize) / scale,
		scaleFactor: scale,
		fsUsedSize: 41_873_305_600 / scale,
		fsTotalSize: 105_089_261_568 / scale,
		ok: 1,
	};
}

function listDatabases(state: MongoState, session: Session, command: Document): Document {
	const names = ['admin', 'config', 'local', ...state.data.catalog.databaseNames()];
	const sizes: Record<string, number> = {admin: 114_688, config: 110_592, local: Math.round(oplogMaxBytes * 0.38)};
	const databases = names
		.map(name => {
			const size = sizes[name] ?? state.data.catalog.collections(name).reduce((sum, collection) => sum + collection.storageSize + collection.totalIndexSize, 0);
			return {name, sizeOnDisk: size, empty: false};
		})
		.filter(database => command.authorizedDatabases === false || !session.user || session.user.roles.some(grant => grant.db === database.name || grant.db === 'admin'));
	const filtered = command.filter ? mingoFind(databases, command.filter as Document).all() : databases;
	if (command.nameOnly === true) return {databases: filtered.map(database => ({name: database.name})), ok: 1};
	const totalSize = filtered.reduce((sum, database) => sum + (database.sizeOnDisk as number), 0);
	return {databases: filtered, totalSize, totalSizeMb: Math.round(totalSize / (1024 * 1024)), ok: 1};
}

function listCollections(state: MongoState, session: Session, command: Document, db: string): Document {
	const entries = databaseCollections(state, db).map(name => {
		const collection = state.data.catalog.get(db, name);
		const capped = db === 'local' && name === 'oplog.rs';
		return {
			name,
			type: 'collection',
			options: capped ? {capped: true, size: oplogMaxBytes, autoIndexId: false} : {},
			info: {readOnly: false, ...(collection ? {uuid: collection.uuid} : {})},
			...(capped ? {} : {idIndex: {v: 2, key: {_id: 1}, name: '_id_'}}),
		};
	});
	const filtered = command.filter ? mingoFind(entries, command.filter as Document).all() : entries;
	const documents = command.nameOnly === true ? filtered.map(entry => ({name: entry.name, type: entry.type})) : filtered;
	return {cursor: state.cursors.first(`${db}.$cmd.listCollections`, documents, cursorBatchSize(command), session.connectionId), ok: 1};
}

function indexDocument(index: DemoCollection['indexes'][number]): Document {
	return {v: 2, key: index.key, name: index.name, ...(index.unique ? {unique: true} : {}), ...(index.expireAfterSeconds !== undefined ? {expireAfterSeconds: index.expireAfterSeconds} : {})};
}

function listIndexes(state: MongoState, session: Session, command: Document, db: string): Document {
	const name = String(command.listIndexes);
	const view = collectionView(state, db, name);
	return {cursor: state.cursors.first(`${db}.${name}`, view.indexes.map(indexDocument), cursorBatchSize(command), session.connectionId), ok: 1};
}

// --- reads and writes ------------------------------------------------------------------------------------

/** int64 fields as numbers, so mingo compares them with the numbers of a filter as MongoDB compares numeric types. */
function numeric(document: Document): Document {
	const out: Document = {};
	for (const [key, value] of Object.entries(document)) out[key] = value instanceof Long ? value.toNumber() : value;
	return out;
}

/** `$natural` order is insertion order; everything else sorts as MongoDB does (mingo). */
function sorted(documents: Document[], filter: Document, sort: Document | undefined, projection: Document | undefined): Document[] {
	const natural = sort ? number(sort.$natural) : undefined;
	if (natural !== undefined) {
		const matched = mingoFind(documents, filter, projection).all();
		return natural < 0 ? matched.reverse() : matched;
	}
	const cursor = mingoFind(documents, filter, projection);
	return (sort && Object.keys(sort).length > 0 ? cursor.sort(sort) : cursor).all();
}

function find(state: MongoState, session: Session, command: Document, db: string): Document {
	const name = String(command.find);
	const view = collectionView(state, db, name);
	const filter = (command.filter as Document | undefined) ?? {};
	const sort = command.sort as Document | undefined;
	const index = view.collection?.chooseIndex(filter, sort);
	view.collection?.recordIndexUse(index);
	state.activity.served.query++;
	let documents = sorted(view.documents, filter, sort, command.projection as Document | undefined);
	const skip = number(command.skip) ?? 0;
	const limit = Math.abs(number(command.limit) ?? 0);
	if (skip > 0) documents = documents.slice(skip);
	if (limit > 0) documents = documents.slice(0, limit);
	const batchSize = number(command.batchSize);
	return {cursor: state.cursors.first(`${db}.${name}`, documents, batchSize, session.connectionId, command.singleBatch === true || (limit > 0 && (batchSize ?? defaultBatch(limit)) >= limit)), ok: 1};
}

const defaultBatch = (limit: number) => Math.min(limit, 101);

function getMore(state: MongoState, session: Session, command: Document, db: string): Document {
	const id = command.getMore;
	if (!(id instanceof Long)) throw commandError('TypeMismatch', `Field 'getMore' must be of type long in: ${JSON.stringify(command.getMore)}`);
	state.activity.served.getmore++;
	return {cursor: state.cursors.next(id, String(command.collection), db, number(command.batchSize), session.connectionId), ok: 1};
}

function killCursors(state: MongoState, _session: Session, command: Document): Document {
	const ids = Array.isArray(command.cursors) ? command.cursors.filter((id): id is Long => id instanceof Long) : [];
	return {...state.cursors.kill(ids), ok: 1};
}

function count(state: MongoState, _session: Session, command: Document, db: string): Document {
	const view = collectionView(state, db, String(command.count));
	const query = (command.query as Document | undefined) ?? {};
	view.collection?.recordIndexUse(view.collection.chooseIndex(query));
	let n = Object.keys(query).length === 0 ? view.count : mingoFind(view.documents, query).all().length;
	n = Math.max(0, n - (number(command.skip) ?? 0));
	const limit = Math.abs(number(command.limit) ?? 0);
	return {n: limit > 0 ? Math.min(n, limit) : n, ok: 1};
}

function insert(state: MongoState, session: Session, command: Document, db: string): Document {
	if (!isPrimary(state, session)) throw commandError('NotWritablePrimary', 'not primary');
	const name = String(command.insert);
	if (db === 'local' || db === 'admin' || db === 'config') throw commandError('InvalidNamespace', `cannot write to '${db}.${name}'`);
	const documents = Array.isArray(command.documents) ? (command.documents as Document[]) : [];
	const collection = state.data.catalog.get(db, name) ?? state.data.createCollection(db, name);
	const ordered = command.ordered !== false;
	const writeErrors: Document[] = [];
	let n = 0;
	documents.forEach((document, index) => {
		if (ordered && writeErrors.length > 0) return;
		try {
			collection.insert(document);
			n++;
		} catch (error) {
			if (!(error instanceof MongoCommandError)) throw error;
			writeErrors.push({index, code: error.code, errmsg: error.message, keyPattern: {_id: 1}, keyValue: {_id: document._id}});
		}
	});
	state.activity.served.insert += n;
	const optime = state.activity.primaryOptime(state.world.now());
	return {n, ...(writeErrors.length > 0 ? {writeErrors} : {}), opTime: {ts: optime.ts, t: optime.t}, electionId: new ObjectId(`7fffffff${state.activity.term.toString(16).padStart(16, '0')}`), ok: 1};
}

// --- aggregate -------------------------------------------------------------------------------------------

const leadingStages = new Set(['$currentOp', '$collStats', '$indexStats']);

function firstStage(state: MongoState, session: Session, stage: Document, command: Document, db: string, target: string | undefined): Document[] {
	const [operator] = Object.keys(stage);
	const options = (stage[operator] ?? {}) as Document;
	if (operator === '$currentOp') {
		if (db !== 'admin' || command.aggregate !== 1) throw commandError('InvalidNamespace', "$currentOp must be run against the 'admin' database with {aggregate: 1}");
		const allUsers = options.allUsers === true;
		if (allUsers && !hasPrivilege(session.user!, {kind: 'cluster', action: 'inprog'})) throw unauthorized(db, command);
		return inProgress(state, session, {allUsers});
	}
	if (target === undefined) throw commandError('InvalidNamespace', `${operator} must be run against a collection`);
	const view = collectionView(state, db, target);
	const now = state.world.now();
	const host = session.member.host;
	if (operator === '$collStats') {
		const scale = number((options.storageStats as Document | undefined)?.scale) ?? 1;
		return [
			{
				ns: `${db}.${target}`,
				host: host,
				localTime: new Date(now),
				...(options.latencyStats ? {latencyStats: latencyStats(state, `${db}.${target}`)} : {}),
				...(options.storageStats ? {storageStats: storageStats(view, scale)} : {}),
				...(options.count ? {count: view.count} : {}),
				...(options.queryExecStats ? {queryExecStats: {collectionScans: {total: long(0), nonTailable: long(0)}}} : {}),
			},
		];
	}
	if (!hasPrivilege(session.user!, {kind: 'cluster', action: 'indexStats'})) throw unauthorized(db, command);
	return view.indexes.map(index => {
		const use = view.collection?.indexUse.get(index.name);
		const since = Math.max(use?.since.getTime() ?? now, state.activity.startedAtMs(now));
		const ops = (use?.ops ?? 0) + state.activity.indexOps(`${db}.${target}`, index.name, now);
		return {name: index.name, key: index.key, host, accesses: {ops: long(ops), since: new Date(since)}, spec: indexDocument(index)};
	});
}

function latencyStats(state: MongoState, ns: string): Document {
	const totals = state.activity.top()[ns] as Document | undefined;
	const figure = (entry: Document | undefined) => ({latency: long((entry?.time as number) ?? 0), ops: long((entry?.count as number) ?? 0)});
	return {reads: figure(totals?.readLock as Document), writes: figure(totals?.writeLock as Document), commands: figure(totals?.commands as Document), transactions: {latency: long(0), ops: long(0)}};
}

function aggregate(state: MongoState, session: Session, command: Document, db: string): Document {
	if (!Array.isArray(command.pipeline)) throw commandError('TypeMismatch', "'pipeline' option must be specified as an array");
	if (command.cursor === undefined && command.explain !== true) throw commandError('FailedToParse', "The 'cursor' option is required, except for aggregate with the explain argument");
	const pipeline = command.pipeline as Document[];
	const target = typeof command.aggregate === 'string' ? command.aggregate : undefined;
	if (target === undefined && command.aggregate !== 1) throw commandError('BadValue', 'aggregate field must be a collection name or 1');
	pipeline.forEach((stage, index) => {
		const [operator] = Object.keys(stage);
		if (index > 0 && leadingStages.has(operator)) throw commandError('Location40324', `${operator} is only valid as the first stage in a pipeline`);
	});
	const [head] = pipeline;
	const leading = head && leadingStages.has(Object.keys(head)[0]);
	let source: Document[];
	let rest = pipeline;
	if (leading) {
		source = firstStage(state, session, head, command, db, target);
		rest = pipeline.slice(1);
	} else {
		if (target === undefined) throw commandError('InvalidNamespace', '{aggregate: 1} is not valid for this pipeline');
		const view = collectionView(state, db, target);
		const match = head?.$match as Document | undefined;
		view.collection?.recordIndexUse(view.collection.chooseIndex(match ?? {}, pipeline.find(stage => stage.$sort)?.$sort as Document | undefined));
		source = view.documents;
	}
	let documents: Document[];
	try {
		documents = rest.length > 0 ? new Aggregator(rest, {}).run(leading ? source.map(numeric) : source) : source;
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		const unknown = /unregistered pipeline operator (\$\w+)/.exec(message);
		if (unknown) throw commandError('Location40324', `Unrecognized pipeline stage name: '${unknown[1]}'`);
		throw commandError('BadValue', message);
	}
	const ns = target === undefined ? `${db}.$cmd.aggregate` : `${db}.${target}`;
	return {cursor: state.cursors.first(ns, documents, cursorBatchSize(command), session.connectionId), ok: 1};
}

// --- the table -------------------------------------------------------------------------------------------

const handlers: Record<string, Handler> = {
	hello: (state, session, command, db) => hello(state, session, command, db, false),
	isMaster: (state, session, command, db) => hello(state, session, command, db, true),
	ismaster: (state, session, command, db) => hello(state, session, command, db, true),
	ping: () => ({ok: 1}),
	buildInfo,
	buildinfo: buildInfo,
	saslStart: (state, session, command, db) => ({...saslStart(state, session, command, db), ok: 1}),
	saslContinue: (state, session, command) => saslContinue(state, session, command),
	endSessions: () => ({ok: 1}),
	connectionStatus: (_state, session) => ({authInfo: {authenticatedUsers: session.user ? [{user: session.user.user, db: session.user.db}] : [], authenticatedUserRoles: session.user?.roles ?? []}, ok: 1}),
	serverStatus: (state, session) => serverStatus(state, session),
	replSetGetStatus: (state, session) => replSetGetStatus(state, session),
	currentOp,
	killOp,
	top,
	listDatabases: (state, session, command) => listDatabases(state, session, command),
	listCollections,
	listIndexes,
	collStats,
	dbStats,
	find,
	getMore,
	killCursors: (state, session, command) => killCursors(state, session, command),
	count,
	insert,
	aggregate,
};

/** The namespace currentOp shows for a command of this connection. */
export function commandNamespace(command: Document, db: string): string {
	const [name] = Object.keys(command);
	const value = command[name];
	if (name === 'aggregate' && value === 1) return `${db}.$cmd.aggregate`;
	if (typeof value === 'string' && ['find', 'aggregate', 'count', 'insert', 'listIndexes', 'collStats'].includes(name)) return `${db}.${value}`;
	return `${db}.$cmd`;
}
