// MongoDB through a TCP proxy the test turns hostile: refused, dropped, silent (timeout), garbage, a huge frame,
// then healthy again (piped to the demo's wire server). The Database pane says what failed with the data's age,
// the rest of the dashboard keeps refreshing, and the pane recovers on its own.
import net from 'node:net';
import React from 'react';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {configSchema, type EnvironmentConfig} from '../../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot, type DashboardRuntime} from '../../source/dashboard.js';
import {defaultMongoUsers, startDemoMongo, type DemoMongo} from '../../source/demo/mongo/server.js';
import {World} from '../../source/demo/world.js';
import {container, fakeBackends, fakePlatform} from '../helpers/fake-backends.js';
import {renderTui} from '../helpers/tui.js';
import {storeReaches} from './matrix.js';

type Mode = 'healthy' | 'refused' | 'dropped' | 'silent' | 'garbage' | 'huge';

const password = 'Fault-pw-3e7a91c0';

/** Listens on one port; what a connection gets depends on the mode at the time it connects. */
async function startHostileMongo(upstreamPort: number) {
	let mode: Mode = 'healthy';
	const sockets = new Set<net.Socket>();
	const server = net.createServer(socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => socket.destroy());
		switch (mode) {
			case 'refused':
			case 'dropped':
				socket.destroy();
				return;
			case 'silent':
				socket.on('data', () => {});
				return;
			case 'garbage':
				socket.once('data', () => socket.end(Buffer.from('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n')));
				return;
			case 'huge': {
				// A header announcing a 64 MiB message (over maxMessageSizeBytes), then nothing.
				const header = Buffer.alloc(16);
				header.writeInt32LE(64 * 1024 * 1024, 0);
				header.writeInt32LE(2013, 12);
				socket.once('data', () => socket.write(header));
				return;
			}
			case 'healthy': {
				const upstream = net.connect(upstreamPort, '127.0.0.1');
				upstream.on('error', () => socket.destroy());
				socket.pipe(upstream).pipe(socket);
				socket.on('close', () => upstream.destroy());
				return;
			}
		}
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as net.AddressInfo).port;
	return {
		port,
		setMode(next: Mode) {
			mode = next;
			// Open connections follow the new mode too: a pool that keeps its sockets would never see the fault.
			for (const socket of sockets) socket.destroy();
		},
		close: () => new Promise<void>(resolve => {
			for (const socket of sockets) socket.destroy();
			server.close(() => resolve());
		}),
	};
}

describe('MongoDB faults on the Database screen', () => {
	let world: World;
	let mongo: DemoMongo;
	let hostile: Awaited<ReturnType<typeof startHostileMongo>>;
	let runtime: DashboardRuntime;
	let tui: ReturnType<typeof renderTui>;

	beforeAll(async () => {
		world = new World({backlogLines: 5});
		mongo = await startDemoMongo(world, {users: defaultMongoUsers(password, 'Fault-ro-pw-77aa11')});
		const upstreamPort = Number(mongo.hosts[0]!.split(':')[1]);
		hostile = await startHostileMongo(upstreamPort);
		process.env['BOTOPS_FAULT_MONGODB_URI'] = `mongodb://botuser:${password}@127.0.0.1:${hostile.port}/trading_bot?authSource=admin&directConnection=true`;
		const environment: EnvironmentConfig = {
			name: 'faults',
			backend: {type: 'compose', project: 'bot-core'},
			protected: false,
			services: [{name: 'mongodb-primary', critical: true}],
			mongo: {uriEnv: 'BOTOPS_FAULT_MONGODB_URI', database: 'trading_bot'},
		};
		const platform = fakePlatform([container('mongodb-primary')]);
		runtime = createDashboardRuntime({
			config: configSchema.parse({environments: {}, timeoutMs: 800}),
			environment,
			refreshMs: 1000,
			readOnly: false,
			color: false,
			ascii: true,
			initialScreen: 'database',
			openBackends: async env => {
				const backends = fakeBackends(env, platform);
				const {lazyMongoService} = await import('../../source/services/mongo/lazy.js');
				return {...backends, mongo: lazyMongoService('BOTOPS_FAULT_MONGODB_URI', {timeoutMs: 800})};
			},
		});
		void runtime.connect();
		tui = renderTui(<DashboardRoot runtime={runtime} />, {columns: 100, rows: 40});
		await storeReaches(runtime.store, state => state.database.data.server.value !== undefined, 'the first serverStatus');
	});

	afterAll(async () => {
		tui?.unmount();
		runtime?.close();
		await hostile?.close();
		await mongo?.close();
		delete process.env['BOTOPS_FAULT_MONGODB_URI'];
	});

	const cases: Array<[Mode, RegExp]> = [
		['refused', /mongo unreachable: .*(closed|ECONNRESET|socket|connection)/i],
		['silent', /mongo (timed out|unreachable): .*(timed out|timeout)/i],
		// The driver drops a connection whose reply is not a MongoDB message, and one that announces a message over its limit.
		['garbage', /mongo unreachable: (connection .* closed|Server selection timed out)/],
		// On an open pool connection the announced 64 MiB never arrives: the read times out.
		['huge', /mongo (unreachable|timed out): (connection .* (closed|timed out)|Server selection timed out|.*message size)/i],
	];

	for (const [mode, expected] of cases) {
		it(`shows ${mode} in the pane with the data age, keeps the rest working, and recovers`, async () => {
			const before = runtime.store.getState().containers.updatedAt;
			hostile.setMode(mode);
			const failed = await storeReaches(runtime.store, state => state.database.error !== undefined, `the ${mode} fault in the store`);
			expect(failed.database.error).toMatch(expected);
			expect(failed.database.error).not.toContain(password);
			const frame = await tui.waitFor(/mongo [\w ]+: .* - retrying in \d+ s/, 10_000);
			// The last good figures stay on screen, marked with their age.
			expect(frame).toMatch(/connections \[.*\] \d+ of \d+/);
			expect(frame).toMatch(/trading_bot\s+\d+ s old/);
			expect(frame).not.toContain(password);
			// The other pollers keep committing while MongoDB fails.
			await storeReaches(runtime.store, state => state.containers.updatedAt > before, 'the containers poller to keep going');
			hostile.setMode('healthy');
			await storeReaches(runtime.store, state => state.database.error === undefined && state.database.updatedAt > failed.database.updatedAt, `recovery after ${mode}`, 15_000);
		});
	}
});
