// The Database screen's refresh cost against the demo's wire server through the official driver: the 1 Hz
// commands, the slow ones, the fold into the view, and the render; and the trading KPI aggregation over
// 100,000 trades in the demo server. Figures only; nothing asserted. Timings on a shared 2-core machine are noisy.
import {performance} from 'node:perf_hooks';
import {render} from 'ink';
import React from 'react';
import {configSchema, type EnvironmentConfig} from '../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot} from '../source/dashboard.js';
import {defaultMongoUsers, startDemoMongo} from '../source/demo/mongo/server.js';
import {World} from '../source/demo/world.js';
import {databaseSettings} from '../source/database/settings.js';
import {tradesTodayPipeline} from '../source/database/trading.js';
import {emptyDatabaseView, foldReading} from '../source/database/view.js';
import {readMongo} from '../source/services/mongo/reading.js';
import {createMongoService} from '../source/services/mongo/service.js';
import {median} from './terminal.js';
import {container, fakeBackends, fakePlatform} from '../test/helpers/fake-backends.js';
import {FakeStdin, FakeStdout} from '../test/helpers/fake-terminal.js';

const runs = Number(process.env.BENCH_RUNS ?? 20);
const password = 'bench-pw-5d1c2b3a';
const world = new World({backlogLines: 5});
const mongo = await startDemoMongo(world, {users: defaultMongoUsers(password, 'bench-ro-pw-99')});
const environment: EnvironmentConfig = {
	name: 'bench',
	backend: {type: 'compose', project: 'bot-core'},
	protected: false,
	services: [{name: 'rust-core-engine', critical: true}, {name: 'python-ai-service', critical: true}, {name: 'mongodb-primary', critical: true}],
	mongo: {uriEnv: 'BOTOPS_BENCH_MONGODB_URI', database: 'trading_bot'},
};
process.env['BOTOPS_BENCH_MONGODB_URI'] = mongo.uris.botuser!;
const settings = databaseSettings(environment);
const service = await createMongoService({uri: mongo.uris.botuser!, timeoutMs: 5000});
const read = (slow: boolean) => readMongo(service, {database: settings.database, tradeFields: settings.tradeFields, slow, now: Date.now()});
await read(true);

const fast: number[] = [];
const slow: number[] = [];
const fold: number[] = [];
let view = emptyDatabaseView();
for (let i = 0; i < runs; i++) {
	let started = performance.now();
	const reading = await read(false);
	fast.push(performance.now() - started);
	started = performance.now();
	view = foldReading(view, reading, settings);
	fold.push(performance.now() - started);
	started = performance.now();
	await read(true);
	slow.push(performance.now() - started);
}

// The screen itself: the real poller feeding the store, the frame written per refresh.
const platform = fakePlatform([container('mongodb-primary')]);
const runtime = createDashboardRuntime({
	config: configSchema.parse({environments: {}}),
	environment,
	refreshMs: 1000,
	readOnly: false,
	color: true,
	ascii: false,
	// BENCH_SCREEN=dashboard measures the same refreshes on another screen, for comparison.
	initialScreen: process.env.BENCH_SCREEN === 'dashboard' ? 'dashboard' : 'database',
	openBackends: async env => ({...fakeBackends(env, platform), mongo: service}),
});
const stdout = new FakeStdout(120, 40, false);
const stdin = new FakeStdin();
const renderTimes: number[] = [];
const instance = render(<DashboardRoot runtime={runtime} />, {
	stdout: stdout as unknown as NodeJS.WriteStream,
	stdin: stdin as unknown as NodeJS.ReadStream,
	patchConsole: false,
	exitOnCtrlC: false,
	incrementalRendering: true,
	maxFps: 1000,
	onRender: ({renderTime}) => renderTimes.push(renderTime),
});
await runtime.connect();
const commits: number[] = [];
const bytesPerCommit: number[] = [];
let lastAt = 0;
await new Promise<void>(resolve => {
	let seen = 0;
	let bytes = stdout.bytes;
	const unsubscribe = runtime.store.subscribe(state => {
		if (state.database.updatedAt === lastAt) return;
		lastAt = state.database.updatedAt;
		commits.push(performance.now());
		// The frame of the previous commit has been written by now (one commit a second).
		bytesPerCommit.push(stdout.bytes - bytes);
		bytes = stdout.bytes;
		if (++seen >= 12) {
			unsubscribe();
			resolve();
		}
	});
});
instance.unmount();
runtime.close();

// KPI aggregation over 100,000 trades, in the demo server (mingo), through the driver.
await service.close();
await mongo.close();
const bigWorld = new World({backlogLines: 5});
const big = await startDemoMongo(bigWorld, {users: defaultMongoUsers(password, 'bench-ro-pw-99'), backlogTrades: 100_000});
const bigService = await createMongoService({uri: big.uris.botuser!, timeoutMs: 60_000});
const count = (await bigService.runCommand('trading_bot', {count: 'trades'}))['n'];
const kpi: number[] = [];
for (let i = 0; i < Math.max(3, Math.floor(runs / 4)); i++) {
	const started = performance.now();
	await bigService.aggregate('trading_bot', 'trades', tradesTodayPipeline(settings.tradeFields, Date.now()));
	kpi.push(performance.now() - started);
}
await bigService.close();
await big.close();

console.log('Database screen against the demo wire server, official driver (median of %d):', runs);
console.log('  1 Hz commands (serverStatus, replSetGetStatus, $currentOp, top)  %s ms', median(fast).toFixed(1));
console.log('  all commands (+ oplog, listCollections, $collStats, $indexStats per collection, trades)  %s ms', median(slow).toFixed(1));
console.log('  fold into the view (rates, lag, ops, top)  %s ms', median(fold).toFixed(3));
console.log('  ink render per refresh at 120x40  %s ms, %s bytes written per refresh (median of %d)', median(renderTimes).toFixed(1), median(bytesPerCommit.slice(2)).toFixed(0), bytesPerCommit.length - 2);
console.log('KPI aggregation over %s trades in the demo server, through the driver: %s ms (median of %d)', String(count), median(kpi).toFixed(0), kpi.length);
process.exit(0);
