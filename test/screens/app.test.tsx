import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {configSchema} from '../../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot} from '../../source/dashboard.js';
import type {ContainerSummary, StatsSample} from '../../source/services/types.js';
import type {AppState, AppStore} from '../../source/store/store.js';
import {fakePlatform, okProbe, openFakeBackends} from '../helpers/fake-backends.js';
import {keys, renderTui} from '../helpers/tui.js';

const config = configSchema.parse({
	environments: {
		staging: {
			backend: {type: 'compose', project: 'bot-core'},
			services: [
				{name: 'rust-core-engine', container: 'rust-core-engine', healthUrl: 'http://127.0.0.1:9/api/health'},
				{name: 'mongodb-primary', container: 'mongodb-primary'},
			],
		},
		production: {protected: true, backend: {type: 'compose', project: 'bot-core'}, services: [{name: 'rust-core-engine'}]},
	},
});

/** A runtime fed through the real path (the monitor's pollers over fake backends), resolved once its data is in. */
async function runtimeFor(name: 'staging' | 'production', options: {color?: boolean} = {}) {
	const containers: ContainerSummary[] = [
		{id: 'a'.repeat(64), name: 'rust-core-engine', service: 'rust-core-engine', image: 'engine:1', state: 'running', status: 'Up', health: 'healthy', createdAt: 0},
		{id: 'b'.repeat(64), name: 'mongodb-primary', service: 'mongodb-primary', image: 'mongo:7', state: 'exited', status: 'Exited (137)', health: 'none', createdAt: 0},
	];
	const stats: StatsSample = {at: 0, cpuPercent: 42.5, memUsage: 180 * 2 ** 20, memLimit: 2 * 2 ** 30, memPercent: 8.8, netRx: 1024, netTx: 2048, blockRead: 0, blockWrite: 0, pids: 12};
	const platform = fakePlatform(containers, {
		probe: (service, url) => okProbe(service, url, {latencyMs: 12, body: {status: 'healthy', version: '1.4.2'}}),
		firstSample: () => stats,
	});
	const runtime = createDashboardRuntime({
		config,
		environment: {...config.environments[name]!, name},
		refreshMs: 2000,
		readOnly: false,
		color: options.color ?? false,
		ascii: false,
		openBackends: openFakeBackends(platform),
	});
	await runtime.connect();
	await until(runtime, s => s.containers.updatedAt > 0 && Object.keys(s.stats.data).length > 0 && (name !== 'staging' || s.health['rust-core-engine'] !== undefined));
	return runtime;
}

function until(runtime: {store: AppStore}, check: (state: AppState) => boolean): Promise<void> {
	return new Promise(resolve => {
		if (check(runtime.store.getState())) return resolve();
		const unsubscribe = runtime.store.subscribe(state => {
			if (!check(state)) return;
			unsubscribe();
			resolve();
		});
	});
}

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function renderApp(runtime: Awaited<ReturnType<typeof runtimeFor>>, size = {columns: 80, rows: 24}) {
	const tui = renderTui(<DashboardRoot runtime={runtime} />, size);
	cleanup = () => {
		tui.unmount();
		runtime.close();
	};
	return tui;
}

describe('app shell', () => {
	it('shows the dashboard within rows - 1 lines at 80x24', async () => {
		const tui = renderApp(await runtimeFor('staging'));
		const frame = await tui.waitFor('Containers by CPU');
		expect(frame).toContain('staging');
		expect(frame).toContain('1/2 ok');
		expect(frame).toMatch(/rust-core-engine\s+up\s+200 OK/);
		expect(frame).toMatch(/mongodb-primary\s+exited/);
		expect(frame).toContain('43%');
		expect(tui.lines().length).toBeLessThanOrEqual(23);
		expect(Math.max(...tui.lines().map(l => l.length))).toBeLessThanOrEqual(80);
	});

	it('switches screens with number keys and tab, and opens the service detail', async () => {
		const tui = renderApp(await runtimeFor('staging'));
		await tui.press('2');
		await tui.waitFor(/Services/);
		await tui.press(keys.enter);
		const detail = await tui.waitFor('Service rust-core-engine');
		expect(detail).toContain('version=1.4.2');
		await tui.press(keys.escape, '3');
		await tui.waitFor(/Stats.*sort cpu/);
		await tui.press('1');
		await tui.waitFor('Containers by CPU');
		await tui.press(keys.tab);
		await tui.waitFor("[Services]");
	});

	it('generates help from the keymap', async () => {
		const tui = renderApp(await runtimeFor('staging'));
		await tui.press('?');
		const help = await tui.waitFor('Everywhere');
		expect(help).toMatch(/q ctrl-c\s+quit/);
		await tui.press(keys.escape);
		await tui.waitFor('Containers by CPU');
	});

	it('runs palette commands and reports unknown ones', async () => {
		const tui = renderApp(await runtimeFor('staging'));
		await tui.press(':');
		await tui.waitFor('command, e.g.');
		await tui.press('s', 't', 'a', 't', 's', keys.enter);
		await tui.waitFor(/Stats.*sort cpu/);
		await tui.press(':');
		await tui.waitFor('command, e.g.');
		await tui.press('x', 'y', keys.enter);
		await tui.waitFor('unknown command "xy"');
		await tui.press('p');
		await tui.waitFor('PAUSED');
	});

	it('says the terminal is too small, and recovers on resize', async () => {
		const tui = renderApp(await runtimeFor('staging'), {columns: 60, rows: 20});
		await tui.waitFor('terminal too small');
		await tui.resize(120, 40);
		await tui.waitFor('Containers by CPU');
		expect(tui.lines().length).toBeLessThanOrEqual(39);
	});

	it('makes a protected environment loud', async () => {
		const tui = renderApp(await runtimeFor('production'));
		await tui.waitFor('PRODUCTION');
	});

	it('quits on q', async () => {
		const tui = renderApp(await runtimeFor('staging'));
		await tui.waitFor('Containers by CPU');
		const exited = tui.waitUntilExit();
		await tui.press('q');
		await exited;
	});
});

describe('batched keys', () => {
	it('handles several keys that arrive in one read, as over a slow SSH link', async () => {
		const tui = renderApp(await runtimeFor('staging'));
		await tui.waitFor('Containers by CPU');
		await tui.press(`2${keys.enter}`);
		await tui.waitFor('Service rust-core-engine');
	});

	it('types a whole palette command that arrives in one read into the palette', async () => {
		const tui = renderApp(await runtimeFor('staging'));
		await tui.waitFor('Containers by CPU');
		await tui.press(`:stats${keys.enter}`);
		await tui.waitFor(/Stats.*sort cpu/);
	});
});

describe('data age', () => {
	it('says the data is live while polls arrive, and how old it is once they stop', async () => {
		const runtime = await runtimeFor('staging');
		const tui = renderApp(runtime);
		await tui.waitFor('live, every 2 s');
		await tui.press('p');
		await tui.waitFor('PAUSED');
		const old = Date.now() - 30_000;
		runtime.store.setState(state => ({
			containers: {...state.containers, updatedAt: old},
			stats: {...state.stats, updatedAt: old},
			health: Object.fromEntries(Object.entries(state.health).map(([name, resource]) => [name, {...resource, updatedAt: old}])),
		}));
		const frame = await tui.waitFor(/PAUSED\s+3\d s old/);
		// Each pane says it too, in its own frame.
		expect(frame).toMatch(/Services.*3\d s old/);
		expect(frame).toMatch(/Containers by CPU.*3\d s old/);
	});
});
