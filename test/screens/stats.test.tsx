import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {configSchema} from '../../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot} from '../../source/dashboard.js';
import type {ContainerSummary, StatsSample} from '../../source/services/types.js';
import {seed} from '../helpers/seed-store.js';
import {keys, renderTui} from '../helpers/tui.js';

const config = configSchema.parse({
	environments: {
		staging: {
			backend: {type: 'compose', project: 'bot-core'},
			services: [
				{name: 'rust-core-engine', container: 'rust-core-engine', healthUrl: 'http://127.0.0.1:9/api/health'},
				{name: 'python-ai-service', container: 'python-ai-service'},
				{name: 'mongodb-primary', container: 'mongodb-primary'},
			],
		},
	},
});

const id = (letter: string) => letter.repeat(64);
const container = (letter: string, name: string): ContainerSummary => ({
	id: id(letter),
	name,
	service: name,
	image: `${name}:1`,
	state: 'running',
	status: 'Up 2 minutes',
	health: 'healthy',
	createdAt: 0,
});

const sample = (cpuPercent: number, memMiB: number, pids: number): StatsSample => ({
	at: 0,
	cpuPercent,
	memUsage: memMiB * 2 ** 20,
	memLimit: 2 * 2 ** 30,
	memPercent: (memMiB / 2048) * 100,
	netRx: 1024,
	netTx: 2048,
	blockRead: 0,
	blockWrite: 0,
	pids,
});

function start() {
	const runtime = createDashboardRuntime({
		config,
		environment: {...config.environments.staging!, name: 'staging'},
		refreshMs: 2000,
		readOnly: false,
		color: false,
		ascii: false,
		initialScreen: 'stats',
	});
	seed.containers(runtime.store, [container('a', 'rust-core-engine'), container('b', 'python-ai-service'), container('c', 'mongodb-primary')], Date.now());
	// CPU: engine > ai > mongo; memory: mongo > ai > engine; pids: ai > engine > mongo.
	seed.stats(runtime.store, 
		new Map([
			[id('a'), sample(42.5, 100, 12)],
			[id('b'), sample(20, 400, 30)],
			[id('c'), sample(5, 900, 8)],
		]),
		Date.now(),
	);
	const tui = renderTui(<DashboardRoot runtime={runtime} />, {columns: 100, rows: 24});
	cleanup = () => tui.unmount();
	return {tui, runtime};
}

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const names = ['rust-core-engine', 'python-ai-service', 'mongodb-primary'];

/** The container names in the order the table shows them. */
function order(frame: string): string[] {
	return frame
		.split('\n')
		.map(line => names.find(name => new RegExp(`^│[ ›]${name}\\s`).test(line)))
		.filter((name): name is string => name !== undefined);
}

const selectedName = (frame: string) => names.find(name => frame.split('\n').some(line => line.startsWith(`│›${name}`)));

describe('Stats screen', () => {
	it('cycles the sort column with s and reverses it with S', async () => {
		const {tui} = start();
		expect(order(await tui.waitFor('sort cpu↓'))).toEqual(['rust-core-engine', 'python-ai-service', 'mongodb-primary']);
		expect(order(await tui.pressAndWaitForChange('s'))).toEqual(['mongodb-primary', 'python-ai-service', 'rust-core-engine']);
		expect(tui.lastFrame()).toContain('sort mem↓');
		await tui.press('s');
		await tui.waitFor('sort net↓');
		await tui.press('s', 's');
		const pids = await tui.waitFor('sort pids↓');
		expect(order(pids)).toEqual(['python-ai-service', 'rust-core-engine', 'mongodb-primary']);
		await tui.press('S');
		expect(order(await tui.waitFor('sort pids↑'))).toEqual(['mongodb-primary', 'rust-core-engine', 'python-ai-service']);
		await tui.press('s');
		expect(order(await tui.waitFor('sort name↑'))).toEqual(['mongodb-primary', 'python-ai-service', 'rust-core-engine']);
		// After name the cycle starts again at cpu.
		await tui.press('s');
		expect(order(await tui.waitFor('sort cpu↑'))).toEqual(['mongodb-primary', 'python-ai-service', 'rust-core-engine']);
	});

	it('filters with /: typed letters go into the filter, enter keeps it, esc clears it', async () => {
		const {tui} = start();
		await tui.waitFor('sort cpu↓');
		await tui.press('/');
		await tui.waitFor('filter (enter keeps');
		// p types "p" (python), it does not pause polling.
		await tui.press('p', 'y');
		const typed = await tui.waitFor('/py');
		expect(order(typed)).toEqual(['python-ai-service']);
		expect(typed).toContain('1 of 3 containers');
		expect(typed).not.toContain('PAUSED');
		await tui.press(keys.enter);
		const kept = await tui.waitFor('filter "py"');
		expect(order(kept)).toEqual(['python-ai-service']);
		await tui.press(keys.escape);
		const cleared = await tui.waitFor('3 containers');
		expect(order(cleared)).toHaveLength(3);
		expect(cleared).not.toContain('filter "py"');
		await tui.press('/', 'z', 'z');
		await tui.waitFor('no container matches "zz"');
		// esc while typing puts back what was there before.
		await tui.press(keys.escape);
		expect(order(await tui.waitFor('3 containers'))).toHaveLength(3);
	});

	it('keeps the cursor on its container when the rows re-sort, and across leaving the screen', async () => {
		const {tui, runtime} = start();
		await tui.waitFor('sort cpu↓');
		await tui.press('j');
		expect(selectedName(await tui.waitFor(/│›python-ai-service/))).toBe('python-ai-service');
		// The engine goes quiet and mongo gets busy: the rows re-sort, the cursor moves with its container.
		const resorted = await tui.waitForChange(() =>
			seed.stats(runtime.store, 
				new Map([
					[id('a'), sample(1, 100, 12)],
					[id('b'), sample(20, 400, 30)],
					[id('c'), sample(80, 900, 8)],
				]),
				Date.now(),
			),
		);
		expect(order(resorted)).toEqual(['mongodb-primary', 'python-ai-service', 'rust-core-engine']);
		expect(selectedName(resorted)).toBe('python-ai-service');
		await tui.press('j');
		expect(selectedName(await tui.waitFor(/│›rust-core-engine/))).toBe('rust-core-engine');
		await tui.press('1');
		await tui.waitFor('Containers by CPU');
		await tui.press('3');
		expect(selectedName(await tui.waitFor('sort cpu↓'))).toBe('rust-core-engine');
	});

	it('opens the selected container detail with enter, and follows it by id', async () => {
		const {tui, runtime} = start();
		await tui.waitFor('sort cpu↓');
		await tui.press('j', keys.enter);
		const detail = await tui.waitFor('Container python-ai-service');
		expect(detail).toMatch(/image\s+python-ai-service:1/);
		expect(detail).toMatch(/cpu\s+20/);
		expect(detail).toMatch(/pids\s+30/);
		expect(detail).toContain('cpu history');
		// A re-sort under the detail does not swap it for another container.
		const after = await tui.waitForChange(() =>
			seed.stats(runtime.store, new Map([[id('b'), sample(95, 400, 31)], [id('a'), sample(1, 100, 12)]]), Date.now()),
		);
		expect(after).toContain('Container python-ai-service');
		expect(after).toMatch(/pids\s+31/);
		await tui.press(keys.escape);
		expect(selectedName(await tui.waitFor('sort cpu↓'))).toBe('python-ai-service');
	});

	it('shows the service detail of a configured service under its container', async () => {
		const {tui, runtime} = start();
		seed.health(runtime.store, [{service: 'rust-core-engine', url: 'http://127.0.0.1:9/api/health', ok: true, status: 200, latencyMs: 12, at: Date.now(), body: {version: '1.4.2'}}], Date.now());
		await tui.waitFor('sort cpu↓');
		await tui.press(keys.enter);
		const detail = await tui.waitFor('Container rust-core-engine');
		expect(detail).toMatch(/health url\s+http:\/\/127\.0\.0\.1:9\/api\/health/);
		expect(detail).toContain('version=1.4.2');
	});
});
