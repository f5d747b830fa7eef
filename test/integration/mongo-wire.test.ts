// The demo's MongoDB wire-protocol server, driven by the official `mongodb` driver (and by raw frames where the
// driver hides the protocol). The world runs on a hand-moved clock so time-dependent answers are exact.
import {readFileSync} from 'node:fs';
import net from 'node:net';
import {PassThrough} from 'node:stream';
import {deserialize, serialize, type Document} from 'bson';
import {MongoClient, MongoServerError, type CommandSucceededEvent, type TopologyDescription} from 'mongodb';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {defaultMongoUsers, startDemoMongo, type DemoMongo} from '../../source/demo/mongo/server.js';
import {runDemoServe, type ServedDemo} from '../../source/demo/serve.js';
import {crc32c, msgFlags, opMsg, opQuery, opReply} from '../../source/demo/mongo/wire.js';
import {World} from '../../source/demo/world.js';

const appPassword = 'a1b2c3d4e5f6a7b8';
const readOnlyPassword = 'f0e1d2c3b4a59687';
const start = Date.UTC(2026, 11, 2, 14, 30, 0);

type Demo = {world: World; mongo: DemoMongo; clock: {now: number}} & Awaited<ReturnType<DemoMongo['ready']>>;

async function startWorld(options: {scenario?: string; backlogTrades?: number} = {}): Promise<Demo> {
	const clock = {now: start};
	const world = new World({clock: () => clock.now, scenario: options.scenario, backlogLines: 5});
	const mongo = await startDemoMongo(world, {users: defaultMongoUsers(appPassword, readOnlyPassword), backlogTrades: options.backlogTrades});
	return {world, mongo, clock, ...(await mongo.ready())};
}

const clientOptions = {serverSelectionTimeoutMS: 5000, connectTimeoutMS: 5000};

// --- raw frames ----------------------------------------------------------------------------------------------

function opMsgFrame(command: Document, requestId: number, flags = 0, checksum?: 'good' | 'bad'): Buffer {
	const body = Buffer.from(serialize(command));
	const withChecksum = checksum !== undefined;
	const length = 16 + 4 + 1 + body.length + (withChecksum ? 4 : 0);
	const frame = Buffer.alloc(length);
	frame.writeInt32LE(length, 0);
	frame.writeInt32LE(requestId, 4);
	frame.writeInt32LE(0, 8);
	frame.writeInt32LE(opMsg, 12);
	frame.writeUInt32LE(flags | (withChecksum ? msgFlags.checksumPresent : 0), 16);
	frame[20] = 0;
	body.copy(frame, 21);
	if (withChecksum) frame.writeUInt32LE((crc32c(frame.subarray(0, length - 4)) + (checksum === 'bad' ? 1 : 0)) >>> 0, length - 4);
	return frame;
}

function opQueryFrame(collection: string, query: Document, requestId: number): Buffer {
	const name = Buffer.from(`${collection}\0`);
	const body = Buffer.from(serialize(query));
	const frame = Buffer.alloc(16 + 4 + name.length + 8 + body.length);
	frame.writeInt32LE(frame.length, 0);
	frame.writeInt32LE(requestId, 4);
	frame.writeInt32LE(0, 8);
	frame.writeInt32LE(opQuery, 12);
	frame.writeInt32LE(0, 16);
	name.copy(frame, 20);
	frame.writeInt32LE(0, 20 + name.length);
	frame.writeInt32LE(-1, 24 + name.length);
	body.copy(frame, 28 + name.length);
	return frame;
}

type RawReply = {opCode: number; responseTo: number; flags: number; document: Document};

/** A bare TCP client that sends frames and collects whole replies. */
class RawConnection {
	private buffer = Buffer.alloc(0);
	private readonly replies: RawReply[] = [];
	private waiting?: () => void;
	closed = false;

	private constructor(private readonly socket: net.Socket) {
		socket.on('data', chunk => {
			this.buffer = Buffer.concat([this.buffer, chunk]);
			while (this.buffer.length >= 4 && this.buffer.length >= this.buffer.readInt32LE(0)) {
				const length = this.buffer.readInt32LE(0);
				const message = this.buffer.subarray(0, length);
				this.buffer = this.buffer.subarray(length);
				const opCode = message.readInt32LE(12);
				const responseTo = message.readInt32LE(8);
				const document = opCode === opReply ? deserialize(message.subarray(36)) : deserialize(message.subarray(21));
				this.replies.push({opCode, responseTo, flags: opCode === opReply ? message.readInt32LE(16) : message.readUInt32LE(16), document});
			}
			this.waiting?.();
		});
		socket.on('close', () => {
			this.closed = true;
			this.waiting?.();
		});
	}

	static open(host: string): Promise<RawConnection> {
		const [address, port] = host.split(':');
		return new Promise((resolve, reject) => {
			const socket = net.connect(Number(port), address, () => resolve(new RawConnection(socket)));
			socket.once('error', reject);
		});
	}

	send(frame: Buffer): void {
		this.socket.write(frame);
	}

	/** The next reply, or undefined once the server has closed the connection. */
	async next(): Promise<RawReply | undefined> {
		while (this.replies.length === 0 && !this.closed) await new Promise<void>(resolve => (this.waiting = resolve));
		return this.replies.shift();
	}

	close(): void {
		this.socket.destroy();
	}
}

describe('demo MongoDB wire protocol (raw frames)', () => {
	let demo: Demo;
	beforeAll(async () => {
		demo = await startWorld();
	});
	afterAll(async () => demo.mongo.close());

	it('answers the legacy OP_QUERY isMaster handshake on admin.$cmd with an OP_REPLY, as drivers first ask', async () => {
		const raw = await RawConnection.open(demo.mongo.hosts[0]);
		try {
			raw.send(opQueryFrame('admin.$cmd', {isMaster: 1, helloOk: true, client: {application: {name: 'raw-test'}, driver: {name: 'raw', version: '0'}}}, 7));
			const reply = await raw.next();
			expect(reply).toMatchObject({opCode: opReply, responseTo: 7});
			expect(reply!.document).toMatchObject({ismaster: true, secondary: false, setName: 'rs0', me: demo.mongo.hosts[0], primary: demo.mongo.hosts[0], helloOk: true, maxWireVersion: 21, ok: 1});
			expect(reply!.document.hosts).toEqual(demo.mongo.hosts);
			// Any other OP_QUERY command is refused as mongod 6.0+ refuses it.
			raw.send(opQueryFrame('trading_bot.$cmd', {find: 'trades'}, 8));
			expect((await raw.next())!.document).toMatchObject({ok: 0, code: 352, codeName: 'UnsupportedOpQueryCommand'});
		} finally {
			raw.close();
		}
	});

	it('verifies an OP_MSG checksum, sends no reply to moreToCome, and drops a connection whose checksum is wrong', async () => {
		const raw = await RawConnection.open(demo.mongo.hosts[0]);
		try {
			raw.send(opMsgFrame({ping: 1, $db: 'admin'}, 1, 0, 'good'));
			expect(await raw.next()).toMatchObject({opCode: opMsg, responseTo: 1, document: {ok: 1}});
			// endSessions with moreToCome gets no answer: the next reply is the ping's.
			raw.send(opMsgFrame({endSessions: [], $db: 'admin'}, 2, msgFlags.moreToCome));
			raw.send(opMsgFrame({ping: 1, $db: 'admin'}, 3));
			expect(await raw.next()).toMatchObject({responseTo: 3, document: {ok: 1}});
			raw.send(opMsgFrame({ping: 1, $db: 'admin'}, 4, 0, 'bad'));
			expect(await raw.next()).toBeUndefined();
			expect(raw.closed).toBe(true);
		} finally {
			raw.close();
		}
	});

	it('refuses commands before authentication with Unauthorized (13), and unknown commands with CommandNotFound (59)', async () => {
		const raw = await RawConnection.open(demo.mongo.hosts[0]);
		try {
			raw.send(opMsgFrame({find: 'trades', $db: 'trading_bot'}, 1));
			expect((await raw.next())!.document).toMatchObject({ok: 0, code: 13, codeName: 'Unauthorized', errmsg: 'Command find requires authentication'});
			raw.send(opMsgFrame({frobnicate: 1, $db: 'admin'}, 2));
			const unknown = (await raw.next())!.document;
			expect(unknown).toMatchObject({ok: 0, code: 59, codeName: 'CommandNotFound', errmsg: "no such command: 'frobnicate'"});
			raw.send(opMsgFrame({ping: 1}, 3));
			expect((await raw.next())!.document).toMatchObject({ok: 0, errmsg: 'OP_MSG requests require a $db argument'});
		} finally {
			raw.close();
		}
	});
});

describe('demo MongoDB through the official driver', () => {
	let demo: Demo;
	let client: MongoClient;
	const succeeded: CommandSucceededEvent[] = [];
	let topology: TopologyDescription | undefined;
	beforeAll(async () => {
		demo = await startWorld();
		client = new MongoClient(demo.mongo.uris.botuser, {...clientOptions, monitorCommands: true});
		client.on('commandSucceeded', event => succeeded.push(event));
		client.on('topologyDescriptionChanged', event => (topology = event.newDescription));
		await client.connect();
	});
	afterAll(async () => {
		await client?.close();
		await demo.mongo.close();
	});

	it('is discovered as a three-member replica set from one seed, and hello says who is primary', async () => {
		const hello = await client.db('admin').command({hello: 1});
		expect(hello).toMatchObject({isWritablePrimary: true, secondary: false, setName: 'rs0', primary: demo.mongo.hosts[0], me: demo.mongo.hosts[0], maxBsonObjectSize: 16_777_216, maxWriteBatchSize: 100_000, logicalSessionTimeoutMinutes: 30, ok: 1});
		expect(hello.hosts).toEqual(demo.mongo.hosts);
		expect(hello.localTime).toEqual(new Date(start));
		await expect.poll(() => [...(topology?.servers.values() ?? [])].map(server => server.type).sort()).toEqual(['RSPrimary', 'RSSecondary', 'RSSecondary']);
		expect(topology!.type).toBe('ReplicaSetWithPrimary');
		expect([...topology!.servers.keys()].sort()).toEqual([...demo.mongo.hosts].sort());
		const build = await client.db('admin').command({buildInfo: 1});
		expect(build).toMatchObject({version: '7.0.14', versionArray: [7, 0, 14, 0], bits: 64, ok: 1});
		expect(await client.db('admin').command({ping: 1})).toMatchObject({ok: 1});
		// What mongosh asks as it connects.
		expect(await client.db('admin').command({getParameter: 1, featureCompatibilityVersion: 1})).toMatchObject({featureCompatibilityVersion: {version: '7.0'}, ok: 1});
		expect(await client.db('admin').command({getLog: 'startupWarnings'})).toMatchObject({log: [], ok: 1});
		expect((await client.db('admin').command({getCmdLineOpts: 1})).argv).toContain('--replSet');
		expect((await client.db('admin').command({hostInfo: 1})).system).toMatchObject({hostname: 'mongodb-primary', numCores: 2});
	});

	it('serves one member alone with directConnection=true: a secondary says so and refuses writes', async () => {
		const direct = new MongoClient(`mongodb://botuser:${appPassword}@${demo.mongo.hosts[1]}/trading_bot?authSource=admin&directConnection=true`, clientOptions);
		try {
			const hello = await direct.db('admin').command({hello: 1});
			expect(hello).toMatchObject({isWritablePrimary: false, secondary: true, me: demo.mongo.hosts[1], primary: demo.mongo.hosts[0]});
			const error = await direct.db('trading_bot').collection('trades').insertOne({symbol: 'BTCUSDT'}).catch(caught => caught);
			expect(error).toBeInstanceOf(MongoServerError);
			expect(error).toMatchObject({code: 10107, codeName: 'NotWritablePrimary'});
			// A direct connection reads with primaryPreferred, which a secondary serves.
			expect(await direct.db('trading_bot').collection('trades').countDocuments()).toBe(demo.data.trades.count);
		} finally {
			await direct.close();
		}
		// Through the set, a secondary read preference reads from a secondary.
		const secondaryReads = new MongoClient(demo.mongo.uris.botuser, {...clientOptions, readPreference: 'secondary', monitorCommands: true});
		const servedBy: string[] = [];
		secondaryReads.on('commandSucceeded', event => event.commandName === 'find' && servedBy.push(event.address));
		try {
			expect(await secondaryReads.db('trading_bot').collection('positions').find({}).toArray()).toHaveLength(demo.data.positions.count);
			expect(demo.mongo.hosts.slice(1)).toContain(servedBy[0]);
		} finally {
			await secondaryReads.close();
		}
	});

	it('authenticates with SCRAM-SHA-256 and fails a wrong password or an unknown user with AuthenticationFailed (18)', async () => {
		const status = await client.db('admin').command({connectionStatus: 1});
		expect(status.authInfo.authenticatedUsers).toEqual([{user: 'botuser', db: 'admin'}]);
		for (const uri of [demo.mongo.uris.botuser.replace(appPassword, 'not-the-password'), demo.mongo.uris.botuser.replace('botuser:', 'nobody:')]) {
			const wrong = new MongoClient(uri, clientOptions);
			try {
				const error = await wrong
					.db('admin')
					.command({ping: 1})
					.catch(caught => caught);
				expect(error).toMatchObject({code: 18, codeName: 'AuthenticationFailed', message: 'Authentication failed.'});
			} finally {
				await wrong.close();
			}
		}
	});

	it('answers serverStatus with connections, opcounters (growing with the trading), network, memory and the WiredTiger cache', async () => {
		const admin = client.db('admin');
		const first = await admin.command({serverStatus: 1});
		expect(first).toMatchObject({host: 'mongodb-primary', version: '7.0.14', process: 'mongod', ok: 1});
		expect(first.localTime).toEqual(new Date(start));
		const {connections} = first;
		expect(connections.current + connections.available).toBe(838_860);
		expect(connections.totalCreated).toBeGreaterThanOrEqual(connections.current);
		expect(connections.active).toBeGreaterThanOrEqual(1);
		for (const counters of [first.opcounters, first.opcountersRepl]) expect(Object.keys(counters)).toEqual(['insert', 'query', 'update', 'delete', 'getmore', 'command']);
		expect(Object.values(first.opcountersRepl)).toEqual([0, 0, 0, 0, 0, 0]);
		expect(first.network).toMatchObject({bytesIn: expect.any(Number), bytesOut: expect.any(Number), numRequests: expect.any(Number)});
		expect(first.uptime).toBeGreaterThan(0);
		expect(first.mem.resident).toBeGreaterThan(100);
		const cache = first.wiredTiger.cache;
		expect(cache['maximum bytes configured']).toBe(1024 ** 3);
		expect(cache['bytes currently in the cache']).toBeLessThan(cache['maximum bytes configured']);
		expect(cache['tracked dirty bytes in the cache']).toBeLessThan(cache['bytes currently in the cache']);

		const tradesBefore = await client.db('trading_bot').collection('trades').estimatedDocumentCount();
		demo.clock.now += 10 * 60_000;
		const later = await admin.command({serverStatus: 1});
		const tradesAfter = await client.db('trading_bot').collection('trades').estimatedDocumentCount();
		expect(tradesAfter).toBeGreaterThan(tradesBefore);
		expect(later.opcounters.insert).toBeGreaterThanOrEqual(first.opcounters.insert + (tradesAfter - tradesBefore));
		expect(later.opcounters.command).toBeGreaterThan(first.opcounters.command);
		expect(later.network.bytesIn).toBeGreaterThan(first.network.bytesIn);
		expect(later.uptime - first.uptime).toBe(600);
		// A secondary applies what the primary wrote: its opcountersRepl grow.
		const direct = new MongoClient(`mongodb://botuser:${appPassword}@${demo.mongo.hosts[1]}/?authSource=admin&directConnection=true`, clientOptions);
		try {
			const secondary = await direct.db('admin').command({serverStatus: 1});
			expect(secondary.opcountersRepl.insert).toBeGreaterThan(0);
			expect(secondary.repl).toMatchObject({secondary: true, me: demo.mongo.hosts[1]});
		} finally {
			await direct.close();
		}
	});

	it('answers replSetGetStatus with members, optimes and heartbeats, and serves the oplog window from local.oplog.rs', async () => {
		const status = await client.db('admin').command({replSetGetStatus: 1});
		expect(status).toMatchObject({set: 'rs0', myState: 1, ok: 1});
		expect(status.date).toEqual(new Date(demo.clock.now));
		expect(status.members.map((member: Document) => [member.name, member.state, member.stateStr, member.health])).toEqual([
			[demo.mongo.hosts[0], 1, 'PRIMARY', 1],
			[demo.mongo.hosts[1], 2, 'SECONDARY', 1],
			[demo.mongo.hosts[2], 2, 'SECONDARY', 1],
		]);
		const [primary, ...secondaries] = status.members as Document[];
		expect(primary).toMatchObject({self: true, optime: {ts: expect.anything(), t: expect.any(Number)}});
		expect(primary.optimeDate).toBeInstanceOf(Date);
		for (const member of secondaries) {
			expect(member.lastHeartbeat).toBeInstanceOf(Date);
			expect(member.lastHeartbeatRecv).toBeInstanceOf(Date);
			expect(typeof member.pingMs).toBe('number');
			expect(member.lastHeartbeatRecv.getTime()).toBeLessThanOrEqual(status.date.getTime());
			// Healthy: behind by less than a second once the heartbeat's age is taken off.
			const lag = primary.optimeDate.getTime() - member.optimeDate.getTime() - (status.date.getTime() - member.lastHeartbeatRecv.getTime());
			expect(lag).toBeLessThan(1000);
		}

		const oplog = client.db('local').collection('oplog.rs');
		const [first] = await oplog.find({}).sort({$natural: 1}).limit(1).toArray();
		const [last] = await oplog.find({}).sort({$natural: -1}).limit(1).toArray();
		const windowHours = (last.wall.getTime() - first.wall.getTime()) / 3_600_000;
		expect(windowHours).toBeGreaterThan(47);
		expect(windowHours).toBeLessThan(48);
		expect(last.ts.getHighBitsUnsigned()).toBe(Math.floor(primary.optimeDate.getTime() / 1000));
		const stats = await client.db('local').command({collStats: 'oplog.rs'});
		expect(stats).toMatchObject({capped: true, maxSize: 1990 * 1024 * 1024});
	});

	it('lists a slow operation in $currentOp and currentOp, and killOp removes it', async () => {
		const op = demo.activity.startSlowOp('trades-collscan', 600_000);
		demo.clock.now += 42_000;
		const admin = client.db('admin');
		const listed = await admin.aggregate([{$currentOp: {allUsers: true, idleConnections: false}}, {$match: {active: true, opid: op.opid}}]).toArray();
		expect(listed).toHaveLength(1);
		expect(listed[0]).toMatchObject({opid: op.opid, ns: 'trading_bot.trades', op: 'query', appName: 'nextjs-ui-dashboard', secs_running: 42, microsecs_running: 42_000_000, planSummary: 'COLLSCAN', active: true});
		expect(listed[0].client).toMatch(/^172\.18\.0\.\d+:\d+$/);
		expect(listed[0].command).toMatchObject({find: 'trades', filter: {status: 'failed'}});
		const viaCommand = await admin.command({currentOp: 1, active: true, secs_running: {$gte: 40}});
		expect(viaCommand.inprog.map((entry: Document) => entry.opid)).toContain(op.opid);

		expect(await admin.command({killOp: 1, op: op.opid})).toMatchObject({info: 'attempting to kill op', ok: 1});
		const after = await admin.aggregate([{$currentOp: {allUsers: true}}]).toArray();
		expect(after.map(entry => entry.opid)).not.toContain(op.opid);
		const logs = demo.world.get('mongodb-primary').logs.toArray().map(entry => entry.text);
		expect(logs.some(text => text.includes('"msg":"Killed operation"') && text.includes(`"opId":${op.opid}`))).toBe(true);
	});

	it('refuses currentOp and $currentOp of all users to the read-only user with Unauthorized (13), but shows it its own ops', async () => {
		const reporter = new MongoClient(demo.mongo.uris.reporter, clientOptions);
		try {
			const admin = reporter.db('admin');
			await expect(admin.command({currentOp: 1})).rejects.toMatchObject({code: 13, codeName: 'Unauthorized', message: expect.stringMatching(/^not authorized on admin to execute command \{ currentOp: 1/)});
			await expect(admin.aggregate([{$currentOp: {allUsers: true}}]).toArray()).rejects.toMatchObject({code: 13});
			const own = await admin.aggregate([{$currentOp: {allUsers: false}}]).toArray();
			expect(own.every(entry => entry.effectiveUsers?.[0]?.user === 'reporter')).toBe(true);
			expect(await reporter.db('trading_bot').collection('trades').countDocuments({status: 'executed'})).toBeGreaterThan(0);
			await expect(reporter.db('trading_bot').collection('trades').insertOne({symbol: 'BTCUSDT'})).rejects.toMatchObject({code: 13});
		} finally {
			await reporter.close();
		}
	});

	it('answers top with per-namespace times and counts that grow as collections are used', async () => {
		const admin = client.db('admin');
		const before = (await admin.command({top: 1})).totals;
		expect(before.note).toBe('all times in microseconds');
		const trades = before['trading_bot.trades'];
		for (const kind of ['total', 'readLock', 'writeLock', 'queries', 'getmore', 'insert', 'update', 'remove', 'commands']) expect(trades[kind]).toMatchObject({time: expect.any(Number), count: expect.any(Number)});
		await client.db('trading_bot').collection('positions').find({symbol: 'BTCUSDT'}).toArray();
		const after = (await admin.command({top: 1})).totals;
		expect(after['trading_bot.positions'].queries.count).toBeGreaterThan(before['trading_bot.positions'].queries.count);
		await expect(client.db('trading_bot').command({top: 1})).rejects.toMatchObject({code: 13});
	});

	it('lists databases, collections and indexes, and says NamespaceNotFound (26) for a collection that is not there', async () => {
		const databases = await client.db('admin').admin().listDatabases();
		expect(databases.databases.map(database => database.name)).toEqual(expect.arrayContaining(['admin', 'config', 'local', 'trading_bot']));
		expect(databases.totalSize).toBeGreaterThan(0);
		const names = (await client.db('trading_bot').listCollections({}, {nameOnly: true}).toArray()).map(entry => entry.name);
		expect(names).toEqual(['trades', 'positions', 'market_data', 'ai_analyses', 'portfolio_snapshots', 'users']);
		const full = await client.db('trading_bot').listCollections({name: 'trades'}).toArray();
		expect(full).toEqual([expect.objectContaining({name: 'trades', type: 'collection', idIndex: {v: 2, key: {_id: 1}, name: '_id_'}})]);
		const indexes = await client.db('trading_bot').collection('trades').indexes();
		expect(indexes.map(index => index.name)).toEqual(['_id_', 'symbol_1_timestamp_-1', 'user_id_1_timestamp_-1', 'order_id_1', 'strategy_1']);
		expect(indexes[1]).toEqual({v: 2, key: {symbol: 1, timestamp: -1}, name: 'symbol_1_timestamp_-1'});
		await expect(client.db('trading_bot').collection('nope').indexes()).rejects.toMatchObject({code: 26, codeName: 'NamespaceNotFound', message: 'ns does not exist: trading_bot.nope'});
	});

	it('answers $collStats, collStats and dbStats with the collections real sizes', async () => {
		const trades = client.db('trading_bot').collection('trades');
		const count = await trades.countDocuments();
		const [stats] = await trades.aggregate([{$collStats: {storageStats: {}, count: {}}}]).toArray();
		expect(stats).toMatchObject({ns: 'trading_bot.trades', count, storageStats: {count, nindexes: 5, capped: false, scaleFactor: 1}});
		expect(stats.storageStats.size).toBeGreaterThan(count * 150);
		expect(stats.storageStats.storageSize).toBeLessThan(stats.storageStats.size);
		expect(stats.storageStats.totalIndexSize).toBe(Object.values(stats.storageStats.indexSizes as Record<string, number>).reduce((a, b) => a + b, 0));
		const scaled = await client.db('trading_bot').command({collStats: 'trades', scale: 1024});
		expect(scaled).toMatchObject({ns: 'trading_bot.trades', count, scaleFactor: 1024, size: Math.floor(stats.storageStats.size / 1024)});
		const db = await client.db('trading_bot').command({dbStats: 1});
		expect(db).toMatchObject({db: 'trading_bot', collections: 6, ok: 1});
		expect(db.objects).toBeGreaterThan(count);
	});

	it('answers $indexStats with each index and its accesses, counting the finds that use it', async () => {
		const trades = client.db('trading_bot').collection('trades');
		const before = await trades.aggregate([{$indexStats: {}}]).toArray();
		expect(before.map(index => index.name)).toEqual(['_id_', 'symbol_1_timestamp_-1', 'user_id_1_timestamp_-1', 'order_id_1', 'strategy_1']);
		for (const index of before) expect(index).toMatchObject({host: demo.mongo.hosts[0], accesses: {ops: expect.any(Number), since: expect.any(Date)}, spec: {v: 2, name: index.name}});
		expect(before.find(index => index.name === 'strategy_1')!.accesses.ops).toBe(0);
		await trades.find({symbol: 'ETHUSDT'}).sort({timestamp: -1}).limit(5).toArray();
		const after = await trades.aggregate([{$indexStats: {}}, {$match: {name: 'symbol_1_timestamp_-1'}}]).toArray();
		expect(after[0].accesses.ops).toBe(before.find(index => index.name === 'symbol_1_timestamp_-1')!.accesses.ops + 1);
	});

	it('pages a find through getMore in batches, and killCursors closes a cursor left open', async () => {
		const trades = client.db('trading_bot').collection('trades');
		const total = await trades.countDocuments();
		const mark = succeeded.length;
		const all = await trades.find({}, {batchSize: 500}).toArray();
		expect(all).toHaveLength(total);
		const getMores = succeeded.slice(mark).filter(event => event.commandName === 'getMore');
		expect(getMores).toHaveLength(Math.ceil(total / 500) - 1);
		expect((getMores.at(-1)!.reply as Document).cursor.id.toString()).toBe('0');
		expect(new Set(all.map(trade => trade._id.toHexString())).size).toBe(total);

		const cursor = trades.find({}, {batchSize: 10});
		await cursor.next();
		const killedAt = succeeded.length;
		await cursor.close();
		const killed = succeeded.slice(killedAt).find(event => event.commandName === 'killCursors')!.reply as Document;
		expect(killed.cursorsKilled).toHaveLength(1);
		await expect(client.db('trading_bot').command({getMore: killed.cursorsKilled[0], collection: 'trades'})).rejects.toMatchObject({code: 43, codeName: 'CursorNotFound'});
	});

	it('counts, inserts (E11000 on a duplicate _id), and aggregates with $match, $group, $sort and $project as MongoDB does', async () => {
		const db = client.db('trading_bot');
		const trades = db.collection('trades');
		const every = await trades.find({}).toArray();
		const failed = every.filter(trade => trade.status === 'failed').length;
		expect(await db.command({count: 'trades', query: {status: 'failed'}})).toMatchObject({n: failed, ok: 1});
		expect(failed / every.length).toBeLessThan(0.06);

		const since = new Date(demo.clock.now - 3_600_000);
		const bySymbol = await trades
			.aggregate([{$match: {timestamp: {$gte: since}}}, {$group: {_id: '$symbol', pnl: {$sum: '$pnl'}, trades: {$sum: 1}, failed: {$sum: {$cond: [{$eq: ['$status', 'failed']}, 1, 0]}}}}, {$sort: {_id: 1}}, {$project: {_id: 0, symbol: '$_id', pnl: 1, trades: 1, failed: 1}}])
			.toArray();
		const expected = new Map<string, {pnl: number; trades: number; failed: number}>();
		for (const trade of every.filter(trade => trade.timestamp >= since)) {
			const entry = expected.get(trade.symbol) ?? {pnl: 0, trades: 0, failed: 0};
			entry.pnl += trade.pnl;
			entry.trades += 1;
			entry.failed += trade.status === 'failed' ? 1 : 0;
			expected.set(trade.symbol, entry);
		}
		expect(bySymbol.map(row => row.symbol)).toEqual([...expected.keys()].sort());
		for (const row of bySymbol) {
			const want = expected.get(row.symbol)!;
			expect(Object.keys(row).sort()).toEqual(['failed', 'pnl', 'symbol', 'trades']);
			expect(row).toMatchObject({trades: want.trades, failed: want.failed});
			expect(row.pnl).toBeCloseTo(want.pnl, 6);
		}

		const inserted = await trades.insertOne({symbol: 'BTCUSDT', side: 'BUY', quantity: 0.01, price: 97_000, pnl: 0, status: 'executed', timestamp: new Date(demo.clock.now)});
		expect(await trades.countDocuments()).toBe(every.length + 1);
		await expect(trades.insertOne({_id: inserted.insertedId, symbol: 'BTCUSDT'})).rejects.toMatchObject({code: 11000, message: expect.stringMatching(/^E11000 duplicate key error collection: trading_bot\.trades index: _id_ dup key/)});
		// A trade written out of time order still counts in a time range (the range skips only what cannot match).
		const recent = await trades.countDocuments({timestamp: {$gte: since}});
		await trades.insertOne({symbol: 'ETHUSDT', side: 'SELL', quantity: 1, price: 3400, pnl: 5, status: 'executed', timestamp: new Date(since.getTime() + 60_000)});
		expect(await trades.countDocuments({timestamp: {$gte: since}})).toBe(recent + 1);
		expect(await db.command({count: 'trades', query: {timestamp: {$gte: since}}})).toMatchObject({n: recent + 1});
		await expect(trades.aggregate([{$frobnicate: {}}]).toArray()).rejects.toMatchObject({code: 40324, message: "Unrecognized pipeline stage name: '$frobnicate'"});
	});

	it('answers an unknown command in MongoDB error shape: ok 0, errmsg, code 59, codeName', async () => {
		const error = (await client
			.db('admin')
			.command({replSetFreeze: 10})
			.catch(caught => caught)) as MongoServerError;
		expect(error).toBeInstanceOf(MongoServerError);
		expect(error.errorResponse).toMatchObject({ok: 0, errmsg: "no such command: 'replSetFreeze'", code: 59, codeName: 'CommandNotFound'});
	});
});

describe('demo MongoDB and the world', () => {
	it('raises the second secondary lag in the mongo-replication-lag scenario, growing while it runs', async () => {
		const demo = await startWorld({scenario: 'mongo-replication-lag'});
		const client = new MongoClient(demo.mongo.uris.botuser, clientOptions);
		try {
			const lagOf = async () => {
				const status = await client.db('admin').command({replSetGetStatus: 1});
				const [primary, ...secondaries] = status.members as Document[];
				return secondaries.map(member => Math.max(0, primary.optimeDate.getTime() - member.optimeDate.getTime() - (status.date.getTime() - member.lastHeartbeatRecv.getTime())));
			};
			const [healthy, lagging] = await lagOf();
			expect(healthy).toBeLessThan(1000);
			expect(lagging).toBeGreaterThan(5000);
			demo.clock.now += 60_000;
			const [, later] = await lagOf();
			expect(later).toBeGreaterThan(lagging + 20_000);
			demo.world.scenario = 'healthy';
			demo.clock.now += 2000;
			expect((await lagOf())[1]).toBeLessThan(1000);
		} finally {
			await client.close();
			await demo.mongo.close();
		}
	});

	it('reports secondaries as of their last heartbeat: the raw optime difference passes 1 s when healthy, the heartbeat-corrected lag never does', async () => {
		const demo = await startWorld();
		const client = new MongoClient(demo.mongo.uris.botuser, clientOptions);
		try {
			let rawMax = 0;
			let correctedMax = 0;
			for (let step = 0; step < 40; step++) {
				demo.clock.now += 137;
				const status = await client.db('admin').command({replSetGetStatus: 1});
				const [primary, ...secondaries] = status.members as Document[];
				for (const member of secondaries) {
					const raw = primary.optimeDate.getTime() - member.optimeDate.getTime();
					rawMax = Math.max(rawMax, raw);
					correctedMax = Math.max(correctedMax, raw - (status.date.getTime() - member.lastHeartbeatRecv.getTime()));
				}
			}
			expect(rawMax).toBeGreaterThan(1000);
			expect(correctedMax).toBeLessThan(1000);
		} finally {
			await client.close();
			await demo.mongo.close();
		}
	});

	it('writes trades only while trading is enabled, and replays the same trades for the same seed and clock', async () => {
		const one = await startWorld();
		const two = await startWorld();
		const a = new MongoClient(one.mongo.uris.botuser, clientOptions);
		const b = new MongoClient(two.mongo.uris.botuser, clientOptions);
		try {
			const trades = (client: MongoClient) => client.db('trading_bot').collection('trades').find({}, {projection: {_id: 0}}).sort({timestamp: 1}).toArray();
			expect(await trades(a)).toEqual(await trades(b));
			const before = (await trades(a)).length;
			one.world.setTradingEnabled(false);
			one.clock.now += 15 * 60_000;
			expect((await trades(a)).length).toBe(before);
			one.world.setTradingEnabled(true);
			one.clock.now += 15 * 60_000;
			expect((await trades(a)).length).toBeGreaterThan(before);
		} finally {
			await Promise.all([a.close(), b.close()]);
			await Promise.all([one.mongo.close(), two.mongo.close()]);
		}
	});

	it('drops its clients when mongodb-primary stops, refuses new ones while it is down, and serves again once started', async () => {
		const demo = await startWorld();
		const client = new MongoClient(demo.mongo.uris.botuser, {...clientOptions, serverSelectionTimeoutMS: 1500});
		try {
			expect(await client.db('admin').command({ping: 1})).toMatchObject({ok: 1});
			const database = demo.world.get('mongodb-primary');
			demo.world.stopContainer(database);
			await expect(client.db('admin').command({ping: 1})).rejects.toThrow();
			demo.world.startContainer(database);
			await expect.poll(() => client.db('admin').command({ping: 1}).then(reply => reply.ok, () => 0), {timeout: 15_000, interval: 200}).toBe(1);
		} finally {
			await client.close();
			await demo.mongo.close();
		}
	});

	it('takes a secondary away and back (the "secondary going away" fault): replSetGetStatus still answers from the primary', async () => {
		const demo = await startWorld();
		const client = new MongoClient(demo.mongo.uris.botuser, clientOptions);
		try {
			demo.mongo.setMemberReachable(2, false);
			const raw = await RawConnection.open(demo.mongo.hosts[2]);
			expect(await raw.next()).toBeUndefined();
			const status = await client.db('admin').command({replSetGetStatus: 1});
			expect(status.ok).toBe(1);
			// The primary reports it down, as a real one does once its heartbeats fail.
			const gone = (status.members as Array<Record<string, unknown>>).find(member => member.name === demo.mongo.hosts[2]);
			expect(gone).toMatchObject({health: 0, state: 8, stateStr: '(not reachable/healthy)', lastHeartbeatMessage: expect.stringContaining('Connection refused') as string});
			demo.mongo.setMemberReachable(2, true);
			const back = await client.db('admin').command({replSetGetStatus: 1});
			expect((back.members as Array<Record<string, unknown>>).find(member => member.name === demo.mongo.hosts[2])).toMatchObject({health: 1, stateStr: 'SECONDARY'});
			const again = await RawConnection.open(demo.mongo.hosts[2]);
			again.send(opMsgFrame({ping: 1, $db: 'admin'}, 1));
			expect((await again.next())!.document).toMatchObject({ok: 1});
			again.close();
		} finally {
			await client.close();
			await demo.mongo.close();
		}
	});

	it('holds 100,000 trades and pages them out without exceeding the 16 MiB reply limit', async () => {
		const demo = await startWorld({backlogTrades: 100_000});
		const client = new MongoClient(demo.mongo.uris.botuser, {...clientOptions, monitorCommands: true});
		const batches: number[] = [];
		client.on('commandSucceeded', event => {
			if (event.commandName === 'getMore') batches.push((event.reply as Document).cursor.nextBatch.length);
		});
		try {
			const trades = client.db('trading_bot').collection('trades');
			expect(await trades.estimatedDocumentCount()).toBe(100_000);
			let seen = 0;
			// No batchSize: the first batch is 101 documents, each getMore as many as fit in one reply.
			for await (const _trade of trades.find({})) seen++;
			expect(seen).toBe(100_000);
			expect(batches.length).toBeGreaterThanOrEqual(2);
			expect(101 + batches.reduce((a, b) => a + b, 0)).toBe(100_000);
		} finally {
			await client.close();
			await demo.mongo.close();
		}
	});
});

describe('botops demo --serve and the demo MongoDB', () => {
	it('prints mongodbUri (user and password) in its JSON line only; the config names the variable, the .env holds it', async () => {
		const stdout = new PassThrough();
		const stderr = new PassThrough();
		let errors = '';
		stderr.on('data', chunk => (errors += String(chunk)));
		const stop = new AbortController();
		const firstLine = new Promise<string>(resolve => {
			let text = '';
			stdout.on('data', chunk => {
				text += String(chunk);
				if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
			});
		});
		const exited = runDemoServe({}, {stdout, stderr, stop: stop.signal});
		const served = JSON.parse(await firstLine) as ServedDemo;
		const uri = new URL(served.mongodbUri);
		const password = decodeURIComponent(uri.password);
		const client = new MongoClient(served.mongodbUri, clientOptions);
		try {
			expect(uri).toMatchObject({protocol: 'mongodb:', hostname: '127.0.0.1', pathname: '/trading_bot', search: '?authSource=admin', username: 'botuser'});
			expect(password).toMatch(/^[0-9a-f]{32}$/);
			expect((await client.db('trading_bot').collection('trades').estimatedDocumentCount()) > 0).toBe(true);
			const config = readFileSync(served.config, 'utf8');
			expect(config).toMatch(/uriEnv: BOTOPS_DEMO_MONGODB_URI/);
			expect(config).not.toContain(password);
			expect(readFileSync(served.envFile, 'utf8')).toContain(`BOTOPS_DEMO_MONGODB_URI=${served.mongodbUri}\n`);
		} finally {
			await client.close();
			stop.abort('test done');
		}
		expect(await exited).toBe(0);
		expect(errors).toBe('botops: test done: stopping the demo\n');
		expect(errors).not.toContain(password);
	});
});
