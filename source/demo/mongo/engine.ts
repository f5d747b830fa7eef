/**
 * The heavy half of the demo's MongoDB, loaded with a dynamic import once the listeners are up: bson, mingo (a large
 * module), the trading data and the activity model. Each accepted socket becomes a session here.
 */
import type net from 'node:net';
import type {Document} from 'bson';
import type {World} from '../world.js';
import {MongoActivity, type ReplicaMember} from './activity.js';
import type {DemoMongoUser} from './auth.js';
import {commandNamespace, runCommand, type MongoState, type Session} from './commands.js';
import {CursorStore} from './cursors.js';
import {commandError} from './errors.js';
import {scramCredential} from './scram.js';
import type {DemoMongoOptions} from './server.js';
import {TradingData} from './trading-data.js';
import {encodeOpMsg, encodeOpReply, MessageFramer, msgFlags, parseRequest, WireProtocolError, type WireRequest} from './wire.js';

/** The kinds `top` and opcounters count a command under. */
const topKind: Record<string, string> = {find: 'queries', getMore: 'getmore', insert: 'insert'};
const counted = new Set(['find', 'getMore', 'insert']);

export type MongoEngine = {
	data: TradingData;
	activity: MongoActivity;
	/** Serves one accepted connection to member `memberId` until it closes. */
	accept(socket: net.Socket, memberId: number): void;
};

export async function createEngine(world: World, members: ReplicaMember[], options: DemoMongoOptions & {users: NonNullable<DemoMongoOptions['users']>; unreachable?: ReadonlyMap<number, number>}): Promise<MongoEngine> {
	const users = new Map<string, DemoMongoUser>();
	const credentials = await Promise.all(options.users.map(spec => scramCredential(spec.password)));
	options.users.forEach((spec, index) => users.set(`admin.${spec.user}`, {user: spec.user, db: 'admin', roles: spec.roles, credential: credentials[index]}));
	const data = new TradingData(world, options);
	const activity = new MongoActivity(world, data, members, options.unreachable);
	const state: MongoState = {world, data, activity, cursors: new CursorStore(), users, sessions: new Set(), accepted: members.map(() => 0), systemOpids: [activity.allocateOpid(), activity.allocateOpid()]};
	const database = world.containers.find(container => container.name === 'mongodb-primary');
	if (database) activity.onLog(entries => world.write(database, entries));
	let nextConnectionId = activity.clients.at(-1)!.connectionId + 1;

	return {
		data,
		activity,
		accept(socket, memberId) {
			state.accepted[memberId]++;
			const session: Session = {connectionId: nextConnectionId++, member: members[memberId], remote: `${socket.remoteAddress?.replace(/^::ffff:/, '')}:${socket.remotePort}`, conversations: new Map(), nextConversationId: 0};
			state.sessions.add(session);
			const framer = new MessageFramer();
			let nextResponseId = 1;
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
			socket.on('close', () => {
				state.sessions.delete(session);
				state.cursors.release(session.connectionId);
			});
		},
	};
}

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
