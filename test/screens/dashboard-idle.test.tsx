// An idle Dashboard does as little as it can: a probe landing re-renders only what shows probes, and a stats sample
// whose figures stay within their reading band changes no cell, so nothing is written to the terminal. Renders and
// bytes are counted, never timed.
import {EventEmitter} from 'node:events';
import {Box, render, Text} from 'ink';
import React, {Profiler, type ReactNode} from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {configSchema} from '../../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot, type DashboardRuntime} from '../../source/dashboard.js';
import {AppContext, useAppState} from '../../source/hooks/AppContext.js';
import {KeypressProvider} from '../../source/hooks/KeypressContext.js';
import {createPoller} from '../../source/controllers/poller.js';
import {ChecksPane} from '../../source/screens/dashboard/ChecksPane.js';
import {containersUpdate} from '../../source/store/slices/containers.js';
import {StatsPane} from '../../source/screens/DashboardScreen.js';
import type {ContainerSummary, HealthResult, StatsSample} from '../../source/services/types.js';
import {ThemeProvider} from '../../source/theme/ThemeContext.js';
import {FakeStdin, FakeStdout} from '../helpers/fake-terminal.js';
import {seed} from '../helpers/seed-store.js';
import {renderTui} from '../helpers/tui.js';

const engineUrl = 'http://127.0.0.1:9/api/health';
const config = configSchema.parse({
	environments: {
		staging: {
			backend: {type: 'compose', project: 'bot-core'},
			services: [
				{name: 'rust-core-engine', container: 'rust-core-engine', healthUrl: engineUrl},
				{name: 'python-ai-service', container: 'python-ai-service'},
			],
		},
	},
});

const container = (letter: string, name: string): ContainerSummary => ({id: letter.repeat(64), name, service: name, image: `${name}:1`, state: 'running', status: 'Up', health: 'healthy', createdAt: 0});
const engineId = 'a'.repeat(64);
const aiId = 'b'.repeat(64);
const sample: StatsSample = {at: 0, cpuPercent: 12, memUsage: 2 ** 27, memLimit: 2 ** 31, memPercent: 6, netRx: 1, netTx: 1, blockRead: 0, blockWrite: 0, pids: 9};
const probe = (latencyMs: number, at: number): HealthResult => ({service: 'rust-core-engine', url: engineUrl, ok: true, status: 200, latencyMs, at});

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function start(): DashboardRuntime {
	const runtime = createDashboardRuntime({config, environment: {...config.environments.staging!, name: 'staging'}, refreshMs: 2000, readOnly: false, color: false, ascii: false});
	const now = Date.now();
	seed.containers(runtime.store, [container('a', 'rust-core-engine'), container('b', 'python-ai-service')], now);
	for (let i = 0; i < 8; i++) seed.health(runtime.store, [probe(20, now - (8 - i) * 2000)]);
	seed.stats(runtime.store, new Map([[engineId, sample], [aiId, {...sample, cpuPercent: 3}]]), now);
	return runtime;
}

function Providers({runtime, children}: {runtime: DashboardRuntime; children: ReactNode}) {
	return (
		<ThemeProvider theme={runtime.theme}>
			<AppContext.Provider value={runtime.context}>
				<KeypressProvider>{children}</KeypressProvider>
			</AppContext.Provider>
		</ThemeProvider>
	);
}

/** Shows how many probes the store holds: what the test waits on to know a probe was rendered. */
function ProbeCount() {
	const count = useAppState(s => s.health['rust-core-engine']?.data?.latencies.length ?? 0);
	return <Text>probes {count}</Text>;
}

describe('the idle Dashboard', () => {
	it('re-renders neither the containers pane nor the checks pane when a probe lands; a stats sample re-renders the containers pane alone', async () => {
		const runtime = start();
		const commits = {stats: 0, checks: 0};
		const tui = renderTui(
			<Providers runtime={runtime}>
				<Box flexDirection="column" width={80}>
					<Profiler id="stats" onRender={() => commits.stats++}>
						<StatsPane width={80} height={8} filterText="" />
					</Profiler>
					<Profiler id="checks" onRender={() => commits.checks++}>
						<ChecksPane width={80} height={4} />
					</Profiler>
					<ProbeCount />
				</Box>
			</Providers>,
			{columns: 80, rows: 24},
		);
		cleanup = () => {
			tui.unmount();
			runtime.close();
		};
		await tui.waitFor('probes 8');
		const before = {...commits};
		seed.health(runtime.store, [probe(21, Date.now())]);
		await tui.waitFor('probes 9');
		expect(commits).toEqual(before);

		seed.stats(runtime.store, new Map([[engineId, {...sample, cpuPercent: 60}], [aiId, {...sample, cpuPercent: 3}]]));
		await tui.waitFor(/rust-core-engine\s+60%/);
		expect(commits.stats).toBeGreaterThan(before.stats);
		expect(commits.checks).toBe(before.checks);
	});

	it('writes nothing to the terminal for a stats sample whose figures stay within their band, and writes the one that moves', async () => {
		const runtime = start();
		const stdout = new FakeStdout(80, 24);
		const rendered = new EventEmitter();
		let commits = 0;
		// The commits ink has drawn. ink draws on the leading edge of its throttle inside React's commit, before the
		// Profiler hears of it (a draw in the same task covers that commit too), or on the trailing edge later.
		let covered = 0;
		let drawInThisTask = false;
		const committed = new EventEmitter();
		const instance = render(
			<Profiler
				id="dashboard"
				onRender={() => {
					commits++;
					if (drawInThisTask) covered = commits;
					committed.emit('commit');
				}}
			>
				<DashboardRoot runtime={runtime} />
			</Profiler>,
			{stdout: stdout as unknown as NodeJS.WriteStream, stdin: new FakeStdin() as unknown as NodeJS.ReadStream, debug: false, patchConsole: false, exitOnCtrlC: false, onRender: () => {
				covered = commits;
				drawInThisTask = true;
				queueMicrotask(() => {
					drawInThisTask = false;
				});
				rendered.emit('render');
			}},
		);
		cleanup = () => {
			instance.unmount();
			runtime.close();
		};
		const frameWith = (text: string) => new Promise<void>(resolve => {
			const check = () => stdout.frames.join('').includes(text) && (stdout.off('frame', check), resolve());
			stdout.on('frame', check);
			check();
		});
		await frameWith('Containers by CPU');
		// A sample commits, then ink draws (throttled): wait for the draw after the commit.
		const drawnAfterCommit = async (change: () => void) => {
			const seen = commits;
			change();
			while (commits === seen) await new Promise(resolve => committed.once('commit', resolve));
			const target = commits;
			while (covered < target) await new Promise(resolve => rendered.once('render', resolve));
		};
		const bytes = stdout.bytes;
		// 12 % -> 13.5 %, memory 2 % more, one more process: what a person reads is unchanged.
		await drawnAfterCommit(() => seed.stats(runtime.store, new Map([[engineId, {...sample, cpuPercent: 13.5, memUsage: sample.memUsage * 1.02, pids: 10}], [aiId, {...sample, cpuPercent: 3}]])));
		expect(stdout.bytes).toBe(bytes);

		await drawnAfterCommit(() => seed.stats(runtime.store, new Map([[engineId, {...sample, cpuPercent: 40}], [aiId, {...sample, cpuPercent: 3}]])));
		expect(stdout.bytes).toBeGreaterThan(bytes);
	});

	it('re-renders no pane for a poll that brings what the store holds, and shows the one that changes something', async () => {
		const runtime = start();
		const {containers: held, details} = runtime.store.getState();
		let list = held.data;
		// What the containers poller commits, for the list it read (fresh objects each poll) at the time of the last one.
		const poller = createPoller(runtime.store, {name: 'containers', intervalMs: 60_000, timeoutMs: 1000, poll: async () => structuredClone(list), commit: (state, outcome) => (outcome.ok ? containersUpdate.list(state, outcome.value, Object.values(details), held.updatedAt) : {})}, {paused: () => false});
		let commits = 0;
		const tui = renderTui(
			<Profiler id="dashboard" onRender={() => void commits++}>
				<DashboardRoot runtime={runtime} />
			</Profiler>,
			{columns: 100, rows: 30},
		);
		cleanup = () => {
			tui.unmount();
			runtime.close();
		};
		await tui.waitFor('Containers by CPU');
		const before = commits;
		await poller.pollNow();
		await poller.pollNow();
		expect(commits).toBe(before);
		list = list.map(c => (c.name === 'python-ai-service' ? {...c, state: 'exited', status: 'Exited (1)'} : c));
		await poller.pollNow();
		await tui.waitFor(/python-ai-service\s+exited/);
		expect(commits).toBeGreaterThan(before);
	});
});
