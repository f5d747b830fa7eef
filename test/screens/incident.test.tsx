import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {configSchema} from '../../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot} from '../../source/dashboard.js';
import {createIncidentLog} from '../../source/services/incident-log.js';
import type {ContainerSummary} from '../../source/services/types.js';
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
	},
});

let stateDir: string;
let cleanup: (() => void) | undefined;
afterEach(() => {
	cleanup?.();
	cleanup = undefined;
	rmSync(stateDir, {recursive: true, force: true});
});

function until(store: AppStore, check: (state: AppState) => boolean): Promise<void> {
	return new Promise(resolve => {
		if (check(store.getState())) return resolve();
		const unsubscribe = store.subscribe(state => {
			if (!check(state)) return;
			unsubscribe();
			resolve();
		});
	});
}

async function renderDashboard(options: {color?: boolean; ascii?: boolean; columns?: number; rows?: number} = {}) {
	stateDir = mkdtempSync(path.join(tmpdir(), 'botops-incident-screen-'));
	const containers: ContainerSummary[] = [
		{id: 'a'.repeat(64), name: 'rust-core-engine', service: 'rust-core-engine', image: 'engine:1', state: 'running', status: 'Up', health: 'healthy', createdAt: 0},
		{id: 'b'.repeat(64), name: 'mongodb-primary', service: 'mongodb-primary', image: 'mongo:7', state: 'exited', status: 'Exited (137)', health: 'none', createdAt: 0},
	];
	const platform = fakePlatform(containers, {probe: (service, url) => okProbe(service, url, {latencyMs: 12})});
	const runtime = createDashboardRuntime({
		config,
		// The environment's own state directory: the incident files of this test, not of the machine.
		environment: {...config.environments['staging']!, name: 'staging', stateDir},
		refreshMs: 2000,
		readOnly: false,
		color: options.color ?? false,
		ascii: options.ascii ?? false,
		openBackends: openFakeBackends(platform),
	});
	await runtime.connect();
	await until(runtime.store, s => s.containers.updatedAt > 0 && s.health['rust-core-engine'] !== undefined);
	const tui = renderTui(<DashboardRoot runtime={runtime} />, {columns: options.columns ?? 80, rows: options.rows ?? 24});
	cleanup = () => {
		tui.unmount();
		runtime.close();
	};
	await tui.waitFor('Containers by CPU');
	return {tui, runtime};
}

const typeText = (tui: ReturnType<typeof renderTui>, text: string) => tui.press(...text);

describe('incident mode in the dashboard', () => {
	it('I declares with a severity and a title, A notes, the Incident screen shows the timeline, I closes with the post-mortem', async () => {
		const {tui, runtime} = await renderDashboard();
		await tui.press('I');
		await tui.waitFor('Declare an incident');
		// 0 picks P0 before the title is begun; afterwards digits are the title's.
		await tui.press('0');
		await typeText(tui, 'db down 137');
		await tui.waitFor('Title: db down 137');
		await tui.press(keys.enter);
		const header = (await tui.waitFor(/\[P0 0:00:\d\d\/15m\]/)).split('\n')[0]!;
		// NO_COLOR: the banner is bracketed; the environment, health and trading survive 80 columns.
		expect(header).toMatch(/^botops staging \[P0 0:00:\d\d\/15m\] (\(compose bot-core\) )?✖ 1\/2 ok/);
		expect(header.length).toBeLessThanOrEqual(80);
		const incident = runtime.store.getState().incident.open!;
		expect(incident).toMatchObject({severity: 'P0', title: 'db down 137', environment: 'staging'});

		await tui.press('A');
		await tui.waitFor('Note on the timeline');
		await typeText(tui, 'mongo OOM');
		await tui.press(keys.enter);
		await tui.waitFor(`note added to ${incident.id}`);

		await tui.press(':', ...'incident', keys.enter);
		const screen = await tui.waitFor('Timeline');
		expect(screen).toMatch(/INCIDENT P0 Critical 0:00:\d\d of 15m response target/);
		expect(screen).toMatch(/Note +mongo OOM/);
		expect(screen).toMatch(/Service down +mongodb-primary down: container exited/);
		expect(screen).toMatch(/Declared +P0 declared: db down 137/);
		expect(screen).toContain('What changed, last 2 h');
		expect(tui.lines().length).toBeLessThanOrEqual(23);

		await tui.press('I');
		await tui.waitFor('Close it and write the post-mortem?');
		await tui.press('y');
		await tui.waitFor('closed; post-mortem written to');
		const file = createIncidentLog({environment: {stateDir}}).postmortemFileOf(incident.id);
		expect(existsSync(file)).toBe(true);
		expect(readFileSync(file, 'utf8')).toMatch(/- \d\d:\d\d:\d\d - Note: mongo OOM/);
		expect(tui.lines()[0]).not.toContain('P0');
	});

	it('reloads an incident left open by an earlier botops; with --ascii the header stays ASCII', async () => {
		const {tui} = await renderDashboardWithIncident();
		const header = tui.lines()[0]!;
		expect(header).toMatch(/^botops staging  P2 0:5\d:\d\d\/2h  /);
		expect(/^[\u0020-\u007E]*$/.test(header)).toBe(true);
	});

	it('esc leaves the declaration without declaring; an empty title is refused in the dialog', async () => {
		const {tui, runtime} = await renderDashboard();
		await tui.press('I');
		await tui.waitFor('Declare an incident');
		await tui.press(keys.enter);
		await tui.waitFor('an incident needs a title');
		await tui.press(keys.escape);
		await tui.waitFor('Containers by CPU');
		expect(runtime.store.getState().incident.open).toBeUndefined();
		await tui.press('A');
		await tui.waitFor('no incident is open: I declares one');
	});
});

/** The dashboard on a state directory that holds an open incident already. */
async function renderDashboardWithIncident() {
	const dir = mkdtempSync(path.join(tmpdir(), 'botops-incident-screen-'));
	createIncidentLog({environment: {stateDir: dir}}).declare({environment: 'staging', severity: 'P2', title: 'slow ai', declaredAt: Date.now() - 3_000_000, declaredBy: 'sam'});
	const rendered = await renderDashboardIn(dir, {ascii: true, color: true});
	return rendered;
}

async function renderDashboardIn(dir: string, options: {ascii?: boolean; color?: boolean}) {
	stateDir = dir;
	const containers: ContainerSummary[] = [{id: 'a'.repeat(64), name: 'rust-core-engine', service: 'rust-core-engine', image: 'engine:1', state: 'running', status: 'Up', health: 'healthy', createdAt: 0}];
	const platform = fakePlatform(containers, {probe: (service, url) => okProbe(service, url, {latencyMs: 12})});
	const runtime = createDashboardRuntime({
		config,
		environment: {...config.environments['staging']!, name: 'staging', stateDir: dir},
		refreshMs: 2000,
		readOnly: false,
		color: options.color ?? false,
		ascii: options.ascii ?? false,
		openBackends: openFakeBackends(platform),
	});
	await runtime.connect();
	const tui = renderTui(<DashboardRoot runtime={runtime} />, {columns: 80, rows: 24});
	cleanup = () => {
		tui.unmount();
		runtime.close();
	};
	await tui.waitFor('Containers by CPU');
	return {tui, runtime};
}
