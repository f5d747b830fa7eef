// One refresh with 1,000 containers: select (map + sort + filter), and store update to frame on the Stats screen.
import {performance} from 'node:perf_hooks';
import {render} from 'ink';
import React from 'react';
import {configSchema} from '../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot} from '../source/dashboard.js';
import {selectStatsRows} from '../source/store/selectors.js';
import type {ContainerSummary, StatsSample} from '../source/services/types.js';
import {median} from './terminal.js';
import {fakePlatform, openFakeBackends} from '../test/helpers/fake-backends.js';
import {FakeStdin, FakeStdout} from '../test/helpers/fake-terminal.js';

const count = Number(process.env.BENCH_CONTAINERS ?? 1000);
const containers: ContainerSummary[] = Array.from({length: count}, (_, i) => ({
	id: i.toString(16).padStart(64, '0'),
	name: `worker-${String(i).padStart(4, '0')}`,
	service: `worker-${String(i).padStart(4, '0')}`,
	project: 'bot-core',
	image: 'bot-core/worker:1.0.0',
	state: i % 10 === 0 ? 'exited' : 'running',
	status: 'Up 3 minutes',
	health: 'healthy',
	createdAt: 0,
}));
const samples = (seed: number) =>
	new Map<string, StatsSample>(
		containers.map((c, i) => [
			c.id,
			{at: seed, cpuPercent: ((i * 7919 + seed) % 1000) / 10, memUsage: (i % 50) * 2 ** 20, memLimit: 2 ** 31, memPercent: (i % 50) / 20, netRx: i * 1000 + seed, netTx: i * 500, blockRead: i, blockWrite: i, pids: 1 + (i % 9)},
		]),
	);

const config = configSchema.parse({environments: {bench: {backend: {type: 'compose', project: 'bot-core'}, services: [{name: 'worker-0001'}]}}});
// Data reaches the store the way it does in production: the monitor's pollers over (fake) backends.
const first = samples(0);
const platform = fakePlatform(containers, {firstSample: id => first.get(id)});
const runtime = createDashboardRuntime({
	config,
	environment: {...config.environments.bench!, name: 'bench'},
	refreshMs: 2000,
	readOnly: false,
	color: true,
	ascii: false,
	openBackends: openFakeBackends(platform),
});
const state = runtime.store.getState();
await runtime.connect();
const running = containers.filter(c => c.state === 'running').length;
while (Object.keys(runtime.store.getState().stats.data).length < running) await new Promise(resolve => setTimeout(resolve, 10));
/** New samples on every stream, then one refresh (ctrl-r): the stats poller commits them. */
const refreshWith = (seed: number) => {
	const next = samples(seed);
	for (const [id, push] of platform.streams) push(next.get(id)!);
	runtime.context.refreshNow();
};

const selectTimes: number[] = [];
for (let i = 0; i < 50; i++) {
	const started = performance.now();
	selectStatsRows(runtime.store.getState(), i % 2 ? 'cpu' : 'mem', true, i % 3 === 0 ? 'worker-01' : '');
	selectTimes.push(performance.now() - started);
}

const stdout = new FakeStdout(120, 40, false);
const stdin = new FakeStdin();
state.setScreen('stats');
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
await new Promise(resolve => setTimeout(resolve, 200));

async function untilFrame(action: () => void): Promise<{ms: number; bytes: number}> {
	const writes = stdout.writes;
	const bytes = stdout.bytes;
	const started = performance.now();
	action();
	while (stdout.writes === writes && performance.now() - started < 2000) await new Promise(resolve => setImmediate(resolve));
	return {ms: performance.now() - started, bytes: stdout.bytes - bytes};
}

const refresh: number[] = [];
const refreshBytes: number[] = [];
for (let i = 1; i <= 30; i++) {
	const frame = await untilFrame(() => refreshWith(i));
	refresh.push(frame.ms);
	refreshBytes.push(frame.bytes);
	await new Promise(resolve => setTimeout(resolve, 5));
}
const keys: number[] = [];
for (let i = 0; i < 30; i++) {
	keys.push((await untilFrame(() => stdin.press(i % 2 ? 'k' : 'j'))).ms);
	await new Promise(resolve => setTimeout(resolve, 5));
}
instance.unmount();
runtime.close();

console.log('%d containers, Stats screen at 120x40 (median of 30):', count);
console.log('  select rows (map + sort + filter)  %s ms   (target <= 20 ms)', median(selectTimes).toFixed(2));
console.log('  refresh (ctrl-r) -> frame written  %s ms   (ink render %s ms), %s bytes per frame', median(refresh).toFixed(1), median(renderTimes).toFixed(1), median(refreshBytes).toFixed(0));
console.log('  key press -> frame written         %s ms   (target <= 50 ms)', median(keys).toFixed(1));
