import {afterEach, describe, expect, it, vi} from 'vitest';
import {configSchema, type EnvironmentConfig} from '../../source/config/schema.js';
import {createMonitor, type Monitor} from '../../source/controllers/monitor.js';
import type {HealthResult} from '../../source/services/types.js';
import {markStaleRows, selectServiceRows, selectStatsRows, unmonitoredRows} from '../../source/store/selectors.js';
import {describeError} from '../../source/services/errors.js';
import {createAppStore, type AppState, type AppStore} from '../../source/store/store.js';
import {createHealthProber} from '../../source/services/health.js';
import {startHttpServer} from '../helpers/http.js';
import {container, fakeBackends, fakePlatform, okProbe, sample, type FakePlatform} from '../helpers/fake-backends.js';

const environment: EnvironmentConfig = {
	...configSchema.parse({
		environments: {
			t: {
				backend: {type: 'compose', project: 'p'},
				services: [
					{name: 'engine', container: 'engine', healthUrl: 'http://127.0.0.1:1/api/health'},
					{name: 'ai', container: 'ai', healthUrl: 'http://127.0.0.1:2/health'},
					{name: 'db', container: 'db'},
				],
			},
		},
	}).environments.t!,
	name: 't',
};

const monitors: Monitor[] = [];
afterEach(() => {
	for (const monitor of monitors.splice(0)) monitor.stop();
	vi.useRealTimers();
});

function monitorFor(store: AppStore, platform: FakePlatform, options: {refreshMs?: number; stats?: boolean; now?: () => number} = {}): Monitor {
	const monitor = createMonitor(store, fakeBackends(environment, platform), {refreshMs: options.refreshMs ?? 1000, timeoutMs: 3000, latencyTargetMs: 500, stats: options.stats ?? false, now: options.now});
	monitors.push(monitor);
	return monitor;
}

/** Resolves once `count` store changes passed `check` (each poller's commit is one change). */
function storeChanges(store: AppStore, count: number, check: (state: AppState, previous: AppState) => boolean): Promise<void> {
	return new Promise(resolve => {
		let seen = 0;
		const unsubscribe = store.subscribe((state, previous) => {
			if (check(state, previous) && ++seen >= count) {
				unsubscribe();
				resolve();
			}
		});
	});
}

const rows = (store: AppStore, now = Date.now()) => selectServiceRows(store.getState(), environment, now, 500);

describe('monitor', () => {
	it('joins containers, inspect data and health into service rows', async () => {
		const store = createAppStore();
		const platform = fakePlatform([container('engine'), container('ai'), container('db', {state: 'exited'}), container('redis')]);
		await monitorFor(store, platform, {now: () => 61_000}).pollOnce();
		expect(rows(store, 61_000).map(r => [r.name, r.state, r.problems])).toEqual([
			['engine', 'ok', []],
			['ai', 'ok', []],
			['db', 'down', ['container exited']],
		]);
		expect(rows(store, 61_000)[0]!.uptimeMs).toBe(60_000);
		expect(rows(store, 61_000)[0]!.detail?.restartCount).toBe(2);
		// Inspect only the configured services' containers, and again only when their status changes.
		expect(platform.calls.inspect).toBe(3);
	});

	it('counts only running and healthy as ok: starting and restarting containers are not', async () => {
		const store = createAppStore();
		const platform = fakePlatform([container('engine', {health: 'starting'}), container('ai', {state: 'restarting'}), container('db', {health: 'healthy'})]);
		await monitorFor(store, platform).pollOnce();
		expect(rows(store).map(r => [r.name, r.ok, r.state, r.problems])).toEqual([
			['engine', false, 'starting', ['container starting (healthcheck not passed yet)']],
			['ai', false, 'starting', ['container restarting']],
			['db', true, 'ok', []],
		]);
	});

	it('keeps the last data, records the error and backs off when docker fails', async () => {
		const store = createAppStore();
		const platform = fakePlatform([container('engine')]);
		let now = 0;
		const monitor = monitorFor(store, platform, {now: () => now});
		await monitor.pollOnce();
		platform.dockerError = Object.assign(new Error('connect ENOENT /var/run/docker.sock'), {code: 'ENOENT', syscall: 'connect', address: '/var/run/docker.sock'});
		now = 10_000;
		await monitor.pollOnce();
		now = 20_000;
		await monitor.pollOnce();
		const {containers} = store.getState();
		expect(containers.data).toHaveLength(1);
		expect(containers.error).toBe('docker: connect ENOENT /var/run/docker.sock');
		// Second failure in a row: max(interval, backoff 2 s).
		expect(containers.retryAt).toBe(22_000);
		expect(rows(store, now)[0]!.problems).toContain('container state unknown');
		platform.dockerError = undefined;
		await monitor.pollOnce();
		expect(store.getState().containers.error).toBeUndefined();
		expect(store.getState().containers.retryAt).toBeUndefined();
	});

	it('samples each running container once per stats tick, in one commit, and only the containers still running', async () => {
		const store = createAppStore();
		const platform = fakePlatform([container('engine'), container('db'), container('old', {state: 'exited'})]);
		const monitor = monitorFor(store, platform, {stats: true, refreshMs: 60_000});
		const statsPoller = monitor.pollers.find(p => p.name === 'stats')!;
		monitor.start();
		// New running containers wake the stats poller: their rows are not left empty until the next tick.
		await storeChanges(store, 1, s => Object.keys(s.stats.data).length === 2);
		expect([...new Set(platform.calls.sampled)].sort()).toEqual(['id-db', 'id-engine']);
		// Joins the poll that committed them, if it is still finishing.
		await statsPoller.pollNow();
		platform.samples.set('id-engine', sample(70));
		platform.samples.set('id-db', sample(5));
		// A tick commits what the reads of the tick before brought (the engine answers on its own cycle): this one
		// reads, the next one commits.
		await statsPoller.pollNow();
		let commits = 0;
		const unsubscribe = store.subscribe(() => commits++);
		await statsPoller.pollNow();
		unsubscribe();
		expect(commits).toBe(1);
		expect(selectStatsRows(store.getState(), 'cpu', true).map(r => [r.container.name, r.stats?.latest.cpuPercent])).toEqual([
			['engine', 70],
			['db', 5],
			['old', undefined],
		]);
		platform.containers = [container('engine')];
		await monitor.pollers.find(p => p.name === 'containers')!.pollNow();
		platform.calls.sampled = [];
		await statsPoller.pollNow();
		await statsPoller.pollNow();
		expect([...new Set(platform.calls.sampled)]).toEqual(['id-engine']);
		expect(platform.calls.streamsOpened).toBe(0);
	});

	it('shows a container whose sample fails, keeps the others, clears the error with its next sample, and backs off when none answers', async () => {
		const store = createAppStore();
		let now = 100_000;
		const platform = fakePlatform([container('engine'), container('ai'), container('db')]);
		const monitor = monitorFor(store, platform, {stats: true, refreshMs: 60_000, now: () => now});
		const statsPoller = monitor.pollers.find(p => p.name === 'stats')!;
		await monitor.pollers.find(p => p.name === 'containers')!.pollNow();
		platform.samples.set('id-engine', Object.assign(new Error('socket hang up'), {code: 'ECONNRESET'}));
		platform.samples.set('id-ai', sample(3));
		// A tick commits what the tick before read: one poll reads, the next commits.
		await statsPoller.pollNow();
		await statsPoller.pollNow();
		expect(store.getState().stats.error).toBe('docker stats: socket hang up: connection closed before an answer (ECONNRESET)');
		expect(store.getState().stats.data['id-ai']!.latest.cpuPercent).toBe(3);
		expect(store.getState().stats.updatedAt).toBe(100_000);
		platform.samples.set('id-engine', sample(9));
		await statsPoller.pollNow();
		now = 101_000;
		await statsPoller.pollNow();
		expect(store.getState().stats.error).toBeUndefined();
		expect(store.getState().stats.data['id-engine']!.latest.cpuPercent).toBe(9);
		const engineDown = Object.assign(new Error('connect ENOENT /var/run/docker.sock'), {code: 'ENOENT'});
		for (const id of ['id-engine', 'id-ai', 'id-db']) platform.samples.set(id, engineDown);
		await statsPoller.pollNow();
		now = 102_000;
		await statsPoller.pollNow();
		// Nothing read: the figures stay as old as they are, under the error, until the retry.
		expect(store.getState().stats).toMatchObject({updatedAt: 101_000, error: 'docker stats: connect ENOENT /var/run/docker.sock'});
		expect(store.getState().stats.retryAt).toBeGreaterThan(102_000);
	});

	it('keeps refreshing containers and stats every interval while one health URL never answers', async () => {
		const store = createAppStore();
		const hanging: Array<(r: HealthResult) => void> = [];
		const platform = fakePlatform([container('engine'), container('ai'), container('db')], {
			probe: (service, url) => (service === 'ai' ? new Promise<HealthResult>(resolve => hanging.push(resolve)) : okProbe(service, url)),
			firstSample: () => sample(1),
		});
		const monitor = monitorFor(store, platform, {stats: true, refreshMs: 20});
		monitor.start();
		// Five container commits, five stats commits and five engine probes, all while the ai probe hangs.
		await Promise.all([
			storeChanges(store, 5, (s, p) => s.containers.updatedAt !== p.containers.updatedAt),
			storeChanges(store, 5, (s, p) => s.stats.updatedAt !== p.stats.updatedAt),
			storeChanges(store, 5, (s, p) => s.health['engine']?.updatedAt !== p.health['engine']?.updatedAt),
		]);
		expect(platform.calls.probes['ai']).toBe(1);
		expect(store.getState().health['ai']).toBeUndefined();
		expect(rows(store).find(r => r.name === 'ai')!.problems).toEqual(['health not probed yet']);
	});

	it('samples stats at the refresh only while a screen shows them: slower elsewhere, at once on coming back, not stale meanwhile', async () => {
		const store = createAppStore();
		store.getState().setScreen('logs');
		const platform = fakePlatform([container('engine')], {firstSample: () => sample(1)});
		const monitor = createMonitor(store, fakeBackends(environment, platform), {refreshMs: 20, timeoutMs: 3000, latencyTargetMs: 500, needs: screen => (screen === 'stats' ? ['stats'] : [])});
		monitors.push(monitor);
		monitor.start();
		await storeChanges(store, 1, s => s.stats.data['id-engine'] !== undefined);
		const hiddenSamples = platform.calls.sampled.length;
		// Five refreshes of the containers: no stats poll among them (the hidden cadence is 15 s).
		await storeChanges(store, 5, (s, p) => s.containers.updatedAt !== p.containers.updatedAt);
		expect(platform.calls.sampled.length).toBe(hiddenSamples);
		// Polled slowly on purpose: its next poll is announced, so it is not stale before then.
		expect(store.getState().stats.retryAt).toBeGreaterThanOrEqual(store.getState().stats.updatedAt + 15_000);
		store.getState().setScreen('stats');
		await storeChanges(store, 3, (s, p) => s.stats.updatedAt !== p.stats.updatedAt);
		expect(platform.calls.sampled.length).toBeGreaterThanOrEqual(hiddenSamples + 3);
		expect(store.getState().stats.retryAt).toBeUndefined();
		store.getState().setScreen('database');
		// Joins a poll in flight, or polls once (ctrl-r): either way the last one before the slow cadence.
		await monitor.pollers.find(p => p.name === 'stats')!.pollNow();
		await monitor.pollers.find(p => p.name === 'stats')!.pollNow();
		expect(store.getState().stats.retryAt).toBeDefined();
		const left = platform.calls.sampled.length;
		await storeChanges(store, 5, (s, p) => s.containers.updatedAt !== p.containers.updatedAt);
		expect(platform.calls.sampled.length).toBe(left);
	});

	it('keeps refreshing containers while a real health endpoint on 127.0.0.1 accepts the request and never answers', async () => {
		const server = await startHttpServer(() => {});
		try {
			const store = createAppStore();
			const platform = fakePlatform([container('engine'), container('ai'), container('db')]);
			const hangingEnvironment = {...environment, services: environment.services.map(s => (s.name === 'ai' ? {...s, healthUrl: `${server.url}/health`} : s))};
			const backends = {...fakeBackends(hangingEnvironment, platform), health: createHealthProber({timeoutMs: 60_000})};
			const monitor = createMonitor(store, backends, {refreshMs: 20, timeoutMs: 60_000, latencyTargetMs: 500, stats: false});
			monitors.push(monitor);
			monitor.start();
			await storeChanges(store, 5, (s, p) => s.containers.updatedAt !== p.containers.updatedAt);
			expect(store.getState().health['ai']).toBeUndefined();
			// Every endpoint but the hanging one was probed on its own cadence meanwhile.
			expect(store.getState().health['engine']).toBeDefined();
		} finally {
			await server.close();
		}
	});

	it('ctrl-r while paused polls once and polling stays paused', async () => {
		vi.useFakeTimers();
		const store = createAppStore();
		const platform = fakePlatform([container('engine'), container('ai'), container('db')]);
		const monitor = monitorFor(store, platform, {refreshMs: 2000});
		monitor.start();
		await vi.advanceTimersByTimeAsync(100);
		expect(platform.calls.list).toBe(1);
		store.getState().setPaused(true);
		await vi.advanceTimersByTimeAsync(10_000);
		expect(platform.calls.list).toBe(1);
		const refreshed = monitor.refreshNow();
		await vi.advanceTimersByTimeAsync(100);
		await refreshed;
		expect(platform.calls.list).toBe(2);
		expect(platform.calls.probes).toEqual({engine: 2, ai: 2});
		await vi.advanceTimersByTimeAsync(10_000);
		expect(platform.calls.list).toBe(2);
		// Unpausing polls at once, then on every tick again (the next is 1 to 3 s away: ticks sit on a 2 s grid).
		store.getState().setPaused(false);
		await vi.advanceTimersByTimeAsync(100);
		expect(platform.calls.list).toBe(3);
		await vi.advanceTimersByTimeAsync(2900);
		expect(platform.calls.list).toBe(4);
		await vi.advanceTimersByTimeAsync(2000);
		expect(platform.calls.list).toBe(5);
	});

	it('commits pollers that finish on the same tick together: one render per tick, not one per poller', async () => {
		const store = createAppStore();
		const platform = fakePlatform([container('engine'), container('ai'), container('db')], {firstSample: () => sample(1)});
		const monitor = monitorFor(store, platform, {stats: true, refreshMs: 60_000});
		let commits = 0;
		const unsubscribe = store.subscribe(() => commits++);
		await monitor.pollOnce();
		unsubscribe();
		// Containers, both health probes and stats in one commit.
		expect(commits).toBe(1);
		expect(store.getState().containers.updatedAt).toBeGreaterThan(0);
		expect(Object.keys(store.getState().health).sort()).toEqual(['ai', 'engine']);
	});

	it('joins a refresh to the probe in flight: repeated ctrl-r adds no duplicate probe rows', async () => {
		const store = createAppStore();
		const pending: Array<() => void> = [];
		const platform = fakePlatform([container('engine'), container('ai'), container('db')], {
			probe: (service, url) => new Promise<HealthResult>(resolve => pending.push(() => resolve(okProbe(service, url)))),
		});
		const monitor = monitorFor(store, platform);
		const refreshes = [monitor.refreshNow(), monitor.refreshNow(), monitor.refreshNow()];
		expect(platform.calls.probes).toEqual({engine: 1, ai: 1});
		for (const answer of pending.splice(0)) answer();
		await Promise.all(refreshes);
		expect(store.getState().health['engine']!.data!.recent).toHaveLength(1);
		expect(store.getState().health['ai']!.data!.recent).toHaveLength(1);
	});
});

describe('stale rows', () => {
	it('marks every row stale with its age once the container list fails, keeping the last data under it', async () => {
		const store = createAppStore();
		const platform = fakePlatform([container('engine'), container('ai'), container('db')]);
		const monitor = monitorFor(store, platform, {now: () => 10_000});
		await monitor.pollOnce();
		expect(markStaleRows(rows(store, 10_000), 11_000, 5000).map(r => r.staleMs)).toEqual([undefined, undefined, undefined]);
		platform.dockerError = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2375'), {code: 'ECONNREFUSED', syscall: 'connect', address: '127.0.0.1', port: 2375});
		await monitor.pollOnce();
		expect(store.getState().containers.error).toBe('docker: connect ECONNREFUSED 127.0.0.1:2375');
		const marked = markStaleRows(rows(store, 10_000), 22_000, 5000);
		expect(marked.map(r => [r.name, r.staleMs, r.problems[0], r.container?.state])).toEqual([
			['engine', 12_000, '12 s old', 'running'],
			['ai', 12_000, '12 s old', 'running'],
			['db', 12_000, '12 s old', 'running'],
		]);
	});

	it('marks rows stale by age alone when no source updated them for the stale time, and not before', async () => {
		const store = createAppStore();
		const monitor = monitorFor(store, fakePlatform([container('engine'), container('ai'), container('db')]), {now: () => 10_000});
		await monitor.pollOnce();
		const db = (now: number) => markStaleRows(rows(store, 10_000), now, 5000).find(r => r.name === 'db')!;
		expect(db(14_999).staleMs).toBeUndefined();
		expect(db(15_000).staleMs).toBe(5000);
		expect(db(15_000).problems).toEqual(['5 s old']);
	});

	it('shows rows of a dashboard with no live backend as unmonitored, none of them down', () => {
		const store = createAppStore();
		const shown = unmonitoredRows(rows(store), 'file app.log: no live backend');
		expect(shown.map(r => [r.name, r.state, r.unmonitored, r.problems])).toEqual([
			['engine', 'unknown', true, ['file app.log: no live backend']],
			['ai', 'unknown', true, ['file app.log: no live backend']],
			['db', 'unknown', true, ['file app.log: no live backend']],
		]);
		expect(markStaleRows(shown, Date.now() + 60_000, 5000).every(r => r.staleMs === undefined)).toBe(true);
	});
});

describe('what a dropped connection is called', () => {
	it('names the moment the other side hung up, never a bare "aborted"', () => {
		expect(describeError(Object.assign(new Error('aborted'), {code: 'ECONNRESET'}), 'docker')).toBe('docker: connection dropped mid-response (ECONNRESET)');
		expect(describeError(Object.assign(new Error('socket hang up'), {code: 'ECONNRESET'}), 'docker')).toBe('docker: socket hang up: connection closed before an answer (ECONNRESET)');
		expect(describeError(Object.assign(new Error('read ECONNRESET'), {code: 'ECONNRESET', syscall: 'read'}), 'docker')).toBe('docker: read ECONNRESET');
	});
});
