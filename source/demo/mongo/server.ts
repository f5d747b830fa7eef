/**
 * The demo's MongoDB: a three-member replica set (rs0), each member a TCP listener on 127.0.0.1 speaking the wire
 * protocol over one shared simulated state. The members advertise each other by the addresses they really listen on,
 * so a driver given one seed discovers the set and finds the primary; `directConnection=true` talks to one member.
 */
import net from 'node:net';
import {randomBytes} from 'node:crypto';
import type {Document} from 'bson';
import type {World} from '../world.js';
import {MongoActivity, type ReplicaMember} from './activity.js';
import type {DemoMongoUser, RoleGrant} from './auth.js';
import {commandNamespace, runCommand, type MongoState, type Session} from './commands.js';
import {CursorStore} from './cursors.js';
import {commandError} from './errors.js';
import {scramCredential} from './scram.js';
import {TradingData, tradingDatabase, type TradingDataOptions} from './trading-data.js';
import {encodeOpMsg, encodeOpReply, MessageFramer, msgFlags, parseRequest, WireProtocolError, type WireRequest} from './wire.js';

export type DemoMongoUserSpec = {user: string; password: string; roles: RoleGrant[]};

export type DemoMongoOptions = TradingDataOptions & {
	/** Defaults: `botuser` (the platform's user: readWrite on trading_bot, clusterMonitor, hostManager) and `reporter` (read on trading_bot only). */
	users?: DemoMongoUserSpec[];
};

export type DemoMongo = {
	/** `127.0.0.1:PORT` of each member; the first is the primary. */
	hosts: string[];
	/** mongodb://USER:PASSWORD@PRIMARY/trading_bot?authSource=admin for each user, by name. */
	uris: Record<string, string>;
	data: TradingData;
	activity: MongoActivity;
	/** Takes a secondary away (its listener refuses connections) or brings it back: the "secondary going away" fault. */
	setMemberReachable(memberId: 1 | 2, reachable: boolean): Promise<void>;
	close(): Promise<void>;
};

export const defaultMongoUsers = (appPassword: string, readOnlyPassword: string): DemoMongoUserSpec[] => [
	{user: 'botuser', password: appPassword, roles: [{role: 'readWrite', db: tradingDatabase}, {role: 'clusterMonitor', db: 'admin'}, {role: 'hostManager', db: 'admin'}]},
	{user: 'reporter', password: readOnlyPassword, roles: [{role: 'read', db: tradingDatabase}]},
];

/** The kinds `top` and opcounters count a command under. */
const topKind: Record<string, string> = {find: 'queries', getMore: 'getmore', insert: 'insert'};
const counted = new Set(['find', 'getMore', 'insert']);

export async function startDemoMongo(world: World, options: DemoMongoOptions = {}): Promise<DemoMongo> {
	const specs = options.users ?? defaultMongoUsers(randomBytes(16).toString('hex'), randomBytes(16).toString('hex'));
	const users = new Map<string, DemoMongoUser>();
	for (const spec of specs) users.set(`admin.${spec.user}`, {user: spec.user, db: 'admin', roles: spec.roles, credential: await scramCredential(spec.password)});

	const listeners: net.Server[] = [0, 1, 2].map(() => net.createServer());
	const sockets = new Set<net.Socket>();
	const ports: number[] = [];
	try {
		for (const server of listeners) ports.push(await listen(server, 0));
	} catch (error) {
		await Promise.all(listeners.map(server => closeServer(server)));
		throw error;
	}
	const members: ReplicaMember[] = ports.map((port, id) => ({id, host: `127.0.0.1:${port}`}));
	const data = new TradingData(world, options);
	const activity = new MongoActivity(world, data, members);
	const state: MongoState = {
		world,
		data,
		activity,
		cursors: new CursorStore(),
		users,
		sessions: new Set(),
		accepted: [0, 0, 0],
		systemOpids: [activity.allocateOpid(), activity.allocateOpid()],
	};
	const database = world.containers.find(container => container.name === 'mongodb-primary');
	if (database) {
		world.publishPort('mongodb-primary', 27017, ports[0]);
		activity.onLog(entries => world.write(database, entries));
	}
	let nextConnectionId = activity.clients.at(-1)!.connectionId + 1;
	const unreachable = new Set<number>();
	const memberUp = (id: number) => (id === 0 ? world.dbConnected : !unreachable.has(id));
	// The primary's mongod exits with its container: its clients lose their connections.
	const unsubscribe = world.on(event => {
		if (event.type === 'die' && event.container === database) for (const socket of sockets) if ((socket as TaggedSocket).memberId === 0) socket.destroy();
	});

	listeners.forEach((server, memberId) =>
		server.on('connection', (socket: TaggedSocket) => {
			if (!memberUp(memberId)) {
				socket.destroy();
				return;
			}
			socket.memberId = memberId;
			sockets.add(socket);
			state.accepted[memberId]++;
			const session: Session = {connectionId: nextConnectionId++, member: members[memberId], remote: `${socket.remoteAddress?.replace(/^::ffff:/, '')}:${socket.remotePort}`, conversations: new Map(), nextConversationId: 0};
			state.sessions.add(session);
			const framer = new MessageFramer();
			let nextResponseId = 1;
			socket.setNoDelay(true);
			socket.on('data', chunk => {
				activity.servedNetwork.bytesIn += chunk.length;
				try {
					for (const message of framer.push(chunk)) {
						const reply = answer(state, session, parseRequest(message), nextResponseId++);
						if (!reply) continue;
						activity.servedNetwork.bytesOut += reply.length;
						socket.write(reply);
					}
				} catch (error) {
					// mongod ends a connection that breaks the protocol; anything else is a bug to surface, not hide.
					if (!(error instanceof WireProtocolError)) throw error;
					socket.destroy();
				}
			});
			socket.on('error', () => socket.destroy());
			socket.on('close', () => {
				sockets.delete(socket);
				state.sessions.delete(session);
				state.cursors.release(session.connectionId);
			});
		}),
	);

	const primary = members[0].host;
	const uris = Object.fromEntries(specs.map(spec => [spec.user, `mongodb://${encodeURIComponent(spec.user)}:${encodeURIComponent(spec.password)}@${primary}/${tradingDatabase}?authSource=admin`]));
	return {
		hosts: members.map(member => member.host),
		uris,
		data,
		activity,
		async setMemberReachable(memberId, reachable) {
			if (reachable) unreachable.delete(memberId);
			else {
				unreachable.add(memberId);
				for (const socket of sockets) if ((socket as TaggedSocket).memberId === memberId) socket.destroy();
			}
		},
		async close() {
			unsubscribe();
			for (const socket of sockets) socket.destroy();
			await Promise.all(listeners.map(server => closeServer(server)));
		},
	};
}

type TaggedSocket = net.Socket & {memberId?: number};

/** One request to its reply bytes; undefined when the client asked for none (moreToCome, as endSessions sends it). */
function answer(state: MongoState, session: Session, request: WireRequest, responseId: number): Buffer | undefined {
	const requestId = request.header.requestId;
	if (request.kind === 'query') {
		const name = Object.keys(request.command)[0] ?? '';
		const db = request.collection.endsWith('.$cmd') ? request.collection.slice(0, -'.$cmd'.length) : undefined;
		// Since 6.0 mongod accepts OP_QUERY only for the handshake.
		const reply =
			db !== undefined && ['hello', 'isMaster', 'ismaster'].includes(name)
				? execute(state, session, request.command, db)
				: {ok: 0, errmsg: `Unsupported OP_QUERY command: ${name}. The client driver may require an upgrade. For more details see https://dochub.mongodb.org/core/legacy-opcode-removal`, code: 352, codeName: 'UnsupportedOpQueryCommand'};
		return encodeOpReply(reply, responseId, requestId);
	}
	const db = request.command.$db;
	const reply = typeof db === 'string' ? execute(state, session, request.command, db) : commandError('BadValue', 'OP_MSG requests require a $db argument').toReply();
	if (request.flags & msgFlags.moreToCome) return undefined;
	return encodeOpMsg(reply, responseId, requestId);
}

function execute(state: MongoState, session: Session, command: Document, db: string): Document {
	const name = Object.keys(command)[0] ?? '';
	const started = process.hrtime.bigint();
	const ns = commandNamespace(command, db);
	session.current = {opid: state.activity.allocateOpid(), command, ns, startedAt: state.world.now()};
	try {
		return runCommand(state, session, command, db);
	} finally {
		session.current = undefined;
		if (!counted.has(name) && session.member.id === 0) state.activity.served.command++;
		if (session.member.id === 0 && !ns.includes('.$cmd') && session.user) state.activity.recordServed(ns, topKind[name] ?? 'commands', Number(process.hrtime.bigint() - started) / 1000);
	}
}

function listen(server: net.Server, port: number): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve((server.address() as net.AddressInfo).port);
		});
	});
}

function closeServer(server: net.Server): Promise<void> {
	return new Promise(resolve => {
		if (!server.listening) resolve();
		else server.close(() => resolve());
	});
}
