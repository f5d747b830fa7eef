// War-room mode: read-only by construction (the runbook engine refuses, whatever the screens do), and the War
// room layout, seeded through the pollers' own updates, correct at 80x24 and at 200x60.
import {Text} from 'ink';
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {configSchema, type EnvironmentConfig} from '../../source/config/schema.js';
import {clusterUpdate} from '../../source/store/slices/cluster.js';
import {createDashboardRuntime, DashboardRoot, type DashboardRuntime} from '../../source/dashboard.js';
import {AppContext} from '../../source/hooks/AppContext.js';
import {buildPlan, executePlan} from '../../source/runbooks/engine.js';
import {loadBuiltinRunbooks} from '../../source/runbooks/loader.js';
import {warRoomLayout} from '../../source/screens/warroom/layout.js';
import {isWarRoom, withWarRoom} from '../../source/screens/warroom/mode.js';
import {WarRoomLayout} from '../../source/screens/warroom/WarRoomScreen.js';
import type {ContainerSummary, StatsSample} from '../../source/services/types.js';
import {alertsUpdate} from '../../source/store/slices/alerts.js';
import {prometheusUpdate} from '../../source/store/slices/metrics.js';
import type {AppState, AppStore} from '../../source/store/store.js';
import {ThemeProvider} from '../../source/theme/ThemeContext.js';
import {FakeDocker, FakeHealth, healthyAnswers, MemoryAudit, testEnvironment} from '../fixtures/runbooks/fakes.js';
import {fakePlatform, okProbe, openFakeBackends} from '../helpers/fake-backends.js';
import {seed} from '../helpers/seed-store.js';
import {renderTui} from '../helpers/tui.js';

const builtin = (id: string) => loadBuiltinRunbooks().find(r => r.id === id)!;

describe('war-room mode is read-only by construction', () => {
	it('the engine refuses a war-room environment\'s runbook even when the caller does not ask for read-only', async () => {
		const docker = new FakeDocker(['rust-core-engine', 'python-ai-service', 'nextjs-ui-dashboard', 'mongodb-primary']);
		const health = new FakeHealth();
		for (const [url, answer] of healthyAnswers) health.answers.set(url, answer);
		const audit = new MemoryAudit();
		const environment = withWarRoom(testEnvironment(), true);
		const planned = await buildPlan(builtin('restart-service'), {service: 'rust-core-engine'}, {environment, docker, readOnly: false});
		if (!planned.ok) throw new Error(planned.errors.join('\n'));
		expect(planned.plan.readOnly).toBe(true);
		expect(planned.plan.blockers).toEqual(['read-only mode: refusing restart (they change things); nothing will run']);
		// Confirmed or not, nothing runs: the refusal is the engine's, and it is audited as one.
		const result = await executePlan(planned.plan, {docker, health, audit}, {confirmation: true});
		expect(result.outcome).toBe('refused');
		expect(result.ran).toEqual([]);
		expect(docker.mutations()).toEqual([]);
		expect(audit.records.at(-1)).toMatchObject({type: 'run-end', outcome: 'refused', refusal: 'read-only'});

		// The same environment without war-room mode runs it: the refusal came from the mode alone.
		const normal = await buildPlan(builtin('restart-service'), {service: 'rust-core-engine'}, {environment: testEnvironment(), docker, readOnly: false});
		expect(normal.ok && normal.plan.blockers).toEqual([]);
	});

	it('warRoom: true in the config marks the environment; a value that is not a boolean is an error', () => {
		const base = {backend: {type: 'compose'}, services: [{name: 'rust-core-engine'}]};
		const config = configSchema.parse({environments: {wall: {...base, warRoom: true}, desk: base}});
		expect(isWarRoom({...config.environments['wall']!})).toBe(true);
		expect(isWarRoom({...config.environments['desk']!})).toBe(false);
		const bad = configSchema.safeParse({environments: {wall: {...base, warRoom: 'yes'}}});
		expect(bad.success).toBe(false);
		expect(withWarRoom(testEnvironment(), false).warRoom).toBeUndefined();
	});

	it('the dashboard in war-room mode is read-only, opens the War room, and its runbook dialog plans a refusal', async () => {
		const platform = fakePlatform([{id: 'a'.repeat(64), name: 'rust-core-engine', service: 'rust-core-engine', image: 'engine:1', state: 'running', status: 'Up', health: 'healthy', createdAt: 0}]);
		const runtime = createDashboardRuntime({
			config: configSchema.parse({environments: {}}),
			environment: withWarRoom(testEnvironment(), true),
			refreshMs: 2000,
			readOnly: false,
			color: false,
			ascii: false,
			openBackends: openFakeBackends(platform),
		});
		opened.push(runtime);
		expect(runtime.context.readOnly).toBe(true);
		expect(runtime.store.getState().screen).toBe('warroom');
		await runtime.connect();
		runtime.context.runbooks.load();
		await until(runtime.store, s => s.runbookCatalog.data !== undefined);
		runtime.context.runbooks.choose('restart-all');
		await until(runtime.store, s => s.runbookFlow?.stage === 'plan');
		const flow = runtime.store.getState().runbookFlow;
		expect(flow?.stage === 'plan' && flow.plan.blockers[0]).toMatch(/^read-only mode: refusing restart/);
	});
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

const opened: DashboardRuntime[] = [];
const unmounts: Array<() => void> = [];
afterEach(() => {
	for (const unmount of unmounts.splice(0)) unmount();
	for (const runtime of opened.splice(0)) runtime.close();
});

// The seeded data is fresh (the panes judge age against the real clock), on a whole second.
const at = Math.floor(Date.now() / 1000) * 1000;

/** A war-room runtime whose store holds an exact picture, put there with the pollers' own pure updates. */
function seededRuntime(overrides: Partial<EnvironmentConfig> = {}) {
	const environment = withWarRoom(testEnvironment({prometheusUrl: 'http://127.0.0.1:9/', alertmanagerUrls: ['http://127.0.0.1:9/'], ...overrides}), true);
	const runtime = createDashboardRuntime({config: configSchema.parse({environments: {}}), environment, refreshMs: 2000, readOnly: false, color: false, ascii: false, openBackends: openFakeBackends(fakePlatform([]))});
	opened.push(runtime);
	const {store} = runtime;
	const containers: ContainerSummary[] = [
		{id: 'a'.repeat(64), name: 'rust-core-engine', service: 'rust-core-engine', image: 'engine:1.4.2', state: 'running', status: 'Up 2 hours', health: 'healthy', createdAt: 0},
		{id: 'b'.repeat(64), name: 'python-ai-service', service: 'python-ai-service', image: 'ai:2.3', state: 'running', status: 'Up 2 hours', health: 'healthy', createdAt: 0},
		{id: 'c'.repeat(64), name: 'nextjs-ui-dashboard', service: 'nextjs-ui-dashboard', image: 'ui:1', state: 'running', status: 'Up 2 hours', health: 'healthy', createdAt: 0},
		{id: 'd'.repeat(64), name: 'mongodb-primary', service: 'mongodb-primary', image: 'mongo:7', state: 'exited', status: 'Exited (14)', health: 'none', createdAt: 0},
	];
	seed.containers(store, containers, at);
	const sample = (cpuPercent: number): StatsSample => ({at, cpuPercent, memUsage: 180 * 2 ** 20, memLimit: 2 * 2 ** 30, memPercent: 8.8, netRx: 1024, netTx: 2048, blockRead: 0, blockWrite: 0, pids: 12});
	seed.stats(store, new Map([['a'.repeat(64), sample(41.5)], ['b'.repeat(64), sample(12.25)], ['c'.repeat(64), sample(1.5)]]), at);
	seed.health(store, [
		okProbe('rust-core-engine', 'http://127.0.0.1:8080/api/health', {latencyMs: 12, at}),
		okProbe('python-ai-service', 'http://127.0.0.1:8000/health', {latencyMs: 2400, at}),
		okProbe('nextjs-ui-dashboard', 'http://127.0.0.1:3000/health', {latencyMs: 8, at}),
	]);
	store.setState(
		alertsUpdate(
			{
				alerts: [
					{fingerprint: 'f1', labels: {alertname: 'ServiceDown', service: 'mongodb-primary', severity: 'critical'}, annotations: {summary: 'mongodb-primary is down'}, startsAt: new Date(at - 300_000).toISOString(), endsAt: new Date(at + 300_000).toISOString(), updatedAt: new Date(at).toISOString(), receivers: ['team'], state: 'active', silencedBy: [], inhibitedBy: [], sources: ['http://127.0.0.1:9/']},
				],
				silences: [],
				peerErrors: [],
			},
			undefined,
			at,
		),
	);
	store.setState(
		prometheusUpdate(
			{
				alerts: [],
				targets: [{job: 'rust-core-engine', instance: '127.0.0.1:8080', scrapeUrl: 'http://127.0.0.1:8080/metrics', health: 'up', lastScrape: new Date(at).toISOString(), lastError: ''} as never],
				services: [
					{service: 'rust-core-engine', requestRate: 42, errorRate: 0, p95Seconds: 0.04},
					{service: 'python-ai-service', requestRate: 6, errorRate: 0, p95Seconds: 2.4},
				],
			},
			at,
		),
	);
	store.getState().appendLogRecords([
		{seq: 1, time: at - 2000, service: 'rust-core-engine', stream: 'stdout', level: 'error', text: 'health check failed: Kind: Server selection timeout', instance: undefined},
		{seq: 2, time: at - 1000, service: 'rust-core-engine', stream: 'stdout', level: 'info', text: 'an ordinary line', instance: undefined},
	]);
	store.getState().commitLogs([]);
	return runtime;
}

function renderWarRoom(runtime: DashboardRuntime, size: {columns: number; rows: number}, element?: React.ReactElement) {
	const tui = renderTui(element ?? <DashboardRoot runtime={runtime} />, size);
	unmounts.push(() => tui.unmount());
	return tui;
}

/** Every line fits the terminal's width, and the frame is at most rows - 1 lines. */
function expectFits(frame: string, columns: number, rows: number) {
	const lines = frame.split('\n');
	expect(lines.length).toBeLessThanOrEqual(rows - 1);
	for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(columns);
}

const clock = new Date(at).toISOString().slice(11, 19);

describe('the War room layout', () => {
	it('at 200x60: a tile per service and for alerts, every detail pane at once, each with the age of its data', async () => {
		const tui = renderWarRoom(seededRuntime(), {columns: 200, rows: 60});
		const frame = await tui.waitFor(f => f.includes('Errors in the logs') && f.includes('Server selection timeout'));
		expectFits(frame, 200, 60);
		for (const title of ['Services', 'Alerts', 'Metrics', 'Containers by CPU', 'Errors in the logs']) expect(frame).toContain(title);
		// The tiles: large ones, with the state word, its reason and the data's age.
		expect(frame).toMatch(/mongodb-primary[\s\S]*DOWN/);
		expect(frame).toMatch(/DOWN[^\n]*\n[^\n]*container exited/);
		expect(frame).toContain('1 FIRING');
		expect(frame).toMatch(/python-ai-service[^\n]*\n[^\n]*DEGRADED/);
		// Data age on every pane (and tile): the time of the data each one draws.
		// Five tiles, then Services, Alerts, Metrics and Containers; the errors pane dates its newest line.
		expect(frame.split(`as of ${clock}`).length - 1).toBe(9);
		expect(frame).toContain(`newest ${new Date(at - 2000).toISOString().slice(11, 19)}`);
		// Everything fits: no page marker, nothing cycles.
		expect(frame).not.toMatch(/ 1\/\d /);
		// The contents: the alert's row, a metric over the target, the busiest container first.
		expect(frame).toMatch(/critical\s+ServiceDown\s+mongodb-primary\s+5m/);
		expect(frame).toMatch(/python-ai-service\s+6\.00/);
		expect(frame.indexOf('42%')).toBeGreaterThan(0);
		expect(frame).not.toContain('an ordinary line');
		expect(frame).toContain('WAR ROOM READ-ONLY');
	});

	it('at 80x24: the tiles and a page of panes within the frame; the pages cycle by themselves', async () => {
		const runtime = seededRuntime();
		const app = renderWarRoom(runtime, {columns: 80, rows: 24});
		const appFrame = await app.waitFor('1/');
		expectFits(appFrame, 80, 24);
		expect(appFrame).toContain('mongodb-primary');
		expect(appFrame).toContain('DOWN');
		expect(appFrame).toMatch(/Services[^\n]* 1\/3 /);
		app.unmount();

		// The same layout with a short page time: it moves to the next page without a key.
		const body = renderWarRoom(
			runtime,
			{columns: 80, rows: 24},
			<ThemeProvider theme={runtime.theme}>
				<AppContext.Provider value={runtime.context}>
					<WarRoomLayout width={80} height={21} active cycleMs={30} />
				</AppContext.Provider>
			</ThemeProvider>,
		);
		const second = await body.waitFor(f => / 2\/3 /.test(f));
		expectFits(second, 80, 22);
		expect(second).not.toMatch(/Services[^\n]* 2\/3/);
		const third = await body.waitFor(f => / 3\/3 /.test(f));
		expect(third).toContain('Errors in the logs');
		await body.waitFor(f => /Services[^\n]* 1\/3 /.test(f));
	});

	it('on Kubernetes adds the deployments pane, a stalled rollout in red words; all six panes fit at 200x60', async () => {
		const runtime = seededRuntime({backend: {type: 'kubernetes', namespace: 'bot-core-production'}});
		const replicaSets: never[] = [];
		runtime.store.setState(
			clusterUpdate.view(
				{
					namespace: 'bot-core-production',
					deployments: [
						{name: 'rust-core-engine', desired: 3, ready: 2, updated: 1, available: 2, image: 'bot-core/rust-core-engine:1.5.0', revision: 4, paused: false, conditions: ['Progressing=False ProgressDeadlineExceeded'], stalled: true, total: 3, observed: true, replicaSets},
						{name: 'python-ai-service', desired: 2, ready: 2, updated: 2, available: 2, image: 'bot-core/python-ai-service:2.3.0', revision: 2, paused: false, conditions: ['Available=True'], stalled: false, total: 2, observed: true, replicaSets},
					],
					pods: [],
					hpas: [],
					events: [],
				},
				at,
			),
		);
		const tui = renderWarRoom(runtime, {columns: 200, rows: 60});
		const frame = await tui.waitFor('ProgressDeadlineExceeded');
		expectFits(frame, 200, 60);
		expect(frame).toMatch(new RegExp(`Kubernetes bot-core-produc\\S*\\s+2 deployments {2}as of ${clock}`));
		expect(frame).toMatch(/rust-core-engine\s+2\/3\s+stalled: ProgressDeadlineExceeded/);
		expect(frame).toMatch(/python-ai-service\s+2\/2\s+available/);
		expect(frame).not.toMatch(/ 1\/\d /);
	});

	it('fits every size from 80x24 up, whatever pages it needs', async () => {
		for (const [columns, rows] of [[80, 24], [100, 30], [120, 40], [160, 45], [240, 70]] as const) {
			const tui = renderWarRoom(seededRuntime(), {columns, rows});
			expectFits(await tui.waitFor('Services'), columns, rows);
			tui.unmount();
		}
	});

	it('gives the incident banner its line when there is one, and the frame still fits', async () => {
		const runtime = seededRuntime();
		const tui = renderWarRoom(
			runtime,
			{columns: 200, rows: 60},
			<ThemeProvider theme={runtime.theme}>
				<AppContext.Provider value={runtime.context}>
					<WarRoomLayout width={200} height={57} active incidentBanner={<Text>P1 incident: mongodb-primary down</Text>} />
				</AppContext.Provider>
			</ThemeProvider>,
		);
		const frame = await tui.waitFor('Errors in the logs');
		expect(frame.split('\n')[0]).toBe('P1 incident: mongodb-primary down');
		expect(frame.split('\n').length).toBeLessThanOrEqual(57);
	});

	it('lays out by size: three columns at 200, one at 80; pages only when panes would be too small', () => {
		const panes = ['services', 'alerts', 'metrics', 'stats', 'errors', 'kubernetes'] as const;
		const wall = warRoomLayout(200, 57, {tiles: 5, panes, banner: true});
		expect(wall.pages).toBe(1);
		expect(wall.tileWidths).toEqual([40, 40, 40, 40, 40]);
		expect(wall.panes.map(p => [p.id, p.x, p.y, p.width, p.height])).toEqual([
			['services', 0, 0, 67, 26],
			['alerts', 67, 0, 67, 26],
			['metrics', 134, 0, 66, 26],
			['stats', 0, 26, 67, 25],
			['errors', 67, 26, 67, 25],
			['kubernetes', 134, 26, 66, 25],
		]);
		const small = warRoomLayout(80, 21, {tiles: 5, panes: panes.slice(0, 5), banner: false, page: 4});
		expect(small.tileHeight).toBe(3);
		expect(small.pages).toBe(3);
		expect(small.page).toBe(1);
		expect(small.panes.map(p => [p.id, p.height])).toEqual([
			['metrics', 9],
			['stats', 9],
		]);
	});
});
