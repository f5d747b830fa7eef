/**
 * The demo's MongoDB: a three-member replica set (rs0), each member a TCP listener on 127.0.0.1 speaking the wire
 * protocol over one shared simulated state. The members advertise each other by the addresses they really listen on,
 * so a driver given one seed discovers the set and finds the primary; `directConnection=true` talks to one member.
 * Only the listeners start here; the command layer (bson, mingo, the data) loads at the first connection, which waits
 * for it, so the demo's start-up (and a demo nobody queries) does not pay for it.
 */
import net from 'node:net';
import {randomBytes} from 'node:crypto';
import type {World} from '../world.js';
import type {MongoActivity, ReplicaMember} from './activity.js';
import type {RoleGrant} from './auth.js';
import type {MongoEngine} from './engine.js';
import type {TradingData, TradingDataOptions} from './trading-data.js';

/** The platform's database (here, not in trading-data.ts: importing that would load bson with the listeners). */
export const tradingDatabase = 'trading_bot';

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
	/** The data and the activity model, once the command layer has loaded (the first client waits for the same). */
	ready(): Promise<{data: TradingData; activity: MongoActivity}>;
	/** Takes a secondary away (its listener refuses connections) or brings it back: the "secondary going away" fault. */
	setMemberReachable(memberId: 1 | 2, reachable: boolean): void;
	close(): Promise<void>;
};

export const defaultMongoUsers = (appPassword: string, readOnlyPassword: string): DemoMongoUserSpec[] => [
	{user: 'botuser', password: appPassword, roles: [{role: 'readWrite', db: tradingDatabase}, {role: 'clusterMonitor', db: 'admin'}, {role: 'hostManager', db: 'admin'}]},
	{user: 'reporter', password: readOnlyPassword, roles: [{role: 'read', db: tradingDatabase}]},
];

type TaggedSocket = net.Socket & {memberId?: number};

export async function startDemoMongo(world: World, options: DemoMongoOptions = {}): Promise<DemoMongo> {
	const users = options.users ?? defaultMongoUsers(randomBytes(16).toString('hex'), randomBytes(16).toString('hex'));
	const listeners: net.Server[] = [0, 1, 2].map(() => net.createServer());
	const sockets = new Set<TaggedSocket>();
	const ports: number[] = [];
	try {
		for (const server of listeners) ports.push(await listen(server, 0));
	} catch (error) {
		await Promise.all(listeners.map(server => closeServer(server)));
		throw error;
	}
	const members: ReplicaMember[] = ports.map((port, id) => ({id, host: `127.0.0.1:${port}`}));
	// Loaded at the first connection (or ready()): a demo nobody queries never pays for bson and mingo.
	let engine: Promise<MongoEngine> | undefined;
	const loadEngine = () => {
		if (engine) return engine;
		engine = import('./engine.js').then(({createEngine}) => createEngine(world, members, {...options, users, unreachable}));
		// A load failure reaches whoever waits on ready(); connections made meanwhile are dropped.
		engine.catch(() => {
			for (const socket of sockets) socket.destroy();
		});
		return engine;
	};

	const database = world.containers.find(container => container.name === 'mongodb-primary');
	if (database) world.publishPort('mongodb-primary', 27017, ports[0]);
	/** Secondaries taken away (setMemberReachable), with when: the others then report them down. */
	const unreachable = new Map<number, number>();
	const memberUp = (id: number) => (id === 0 ? world.dbConnected : !unreachable.has(id));
	// The primary's mongod exits with its container: its clients lose their connections.
	const unsubscribe = world.on(event => {
		if (event.type === 'die' && event.container === database) for (const socket of sockets) if (socket.memberId === 0) socket.destroy();
	});

	listeners.forEach((server, memberId) =>
		server.on('connection', (socket: TaggedSocket) => {
			if (!memberUp(memberId)) {
				socket.destroy();
				return;
			}
			socket.memberId = memberId;
			sockets.add(socket);
			socket.setNoDelay(true);
			socket.on('error', () => socket.destroy());
			socket.on('close', () => sockets.delete(socket));
			// Bytes that arrive before the engine is loaded stay in the socket until it reads them.
			socket.pause();
			void loadEngine().then(
				loaded => {
					if (socket.destroyed) return;
					loaded.accept(socket, memberId);
					socket.resume();
				},
				() => socket.destroy(),
			);
		}),
	);

	const primary = members[0].host;
	const uris = Object.fromEntries(users.map(spec => [spec.user, `mongodb://${encodeURIComponent(spec.user)}:${encodeURIComponent(spec.password)}@${primary}/${tradingDatabase}?authSource=admin`]));
	return {
		hosts: members.map(member => member.host),
		uris,
		ready: () => loadEngine().then(({data, activity}) => ({data, activity})),
		setMemberReachable(memberId, reachable) {
			if (reachable) unreachable.delete(memberId);
			else {
				if (!unreachable.has(memberId)) unreachable.set(memberId, world.now());
				for (const socket of sockets) if (socket.memberId === memberId) socket.destroy();
			}
		},
		async close() {
			unsubscribe();
			for (const socket of sockets) socket.destroy();
			await Promise.all(listeners.map(server => closeServer(server)));
			// Let a load still in flight finish, so nothing of it runs after close.
			await engine?.catch(() => undefined);
		},
	};
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
