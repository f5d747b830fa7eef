import {describe, expect, it} from 'vitest';
import {configSchema, type EnvironmentConfig} from '../../source/config/schema.js';
import type {Backends} from '../../source/services/backends.js';
import type {ContainerDetail, ContainerSummary, DockerService, HealthResult, StatsSample} from '../../source/services/types.js';
import {createMonitor} from '../../source/store/monitor.js';
import {selectServiceRows, selectStatsRows} from '../../source/store/selectors.js';
import {createAppStore} from '../../source/store/store.js';

const environment: EnvironmentConfig = {
	...configSchema.parse({
		environments: {
			t: {
				backend: {type: 'compose', project: 'p'},
				services: [
					{name: 'engine', container: 'engine', healthUrl: 'http://127.0.0.1:1/api/health'},
					{name: 'db', container: 'db'},
				],
			},
		},
	}).environments.t!,
	name: 't',
};

function container(name: string, state: ContainerSummary['state'] = 'running'): ContainerSummary {
	return {id: `id-${name}`, name, service: name, project: 'p', image: 'img', state, status: state, health: 'none', createdAt: 0};
}

function sample(cpuPercent: number): StatsSample {
	return {at: 0, cpuPercent, memUsage: 10, memLimit: 100, memPercent: 10, netRx: 0, netTx: 0, blockRead: 0, blockWrite: 0, pids: 1};
}

/** A DockerService whose answers the test sets; stats samples are pushed by the test through `emit`. */
function fakeDocker(initial: ContainerSummary[]) {
	const state = {list: initial, fail: undefined as Error | undefined, inspects: 0, streams: new Map<string, (s: StatsSample) => void>()};
	const docker: DockerService = {
		listContainers: async () => {
			if (state.fail) throw state.fail;
			return state.list;
		},
		inspect: async id => {
			state.inspects++;
			const c = state.list.find(x => x.id === id)!;
			return {...c, startedAt: 1000, restartCount: 2, oomKilled: false, command: [], ports: [], envNames: [], mounts: [], networks: [], labels: {}, healthLog: []} satisfies ContainerDetail;
		},
		restart: async () => {},
		stop: async () => {},
		start: async () => {},
		exec: async () => ({exitCode: 0, stdout: '', stderr: ''}),
		streamStats: (id, onSample) => {
			state.streams.set(id, onSample);
			return () => state.streams.delete(id);
		},
		streamLogs: () => () => {},
		close: () => {},
	};
	return {docker, state};
}

function backendsWith(docker: DockerService, health: (url: string) => HealthResult): Backends {
	return {environment, docker, health: {probe: async (service, url) => ({...health(url), service})}, close: () => {}};
}

const okHealth = (url: string): HealthResult => ({service: '', url, ok: true, status: 200, latencyMs: 20, at: 0});

describe('monitor', () => {
	it('joins containers, inspect data and health into service rows', async () => {
		const store = createAppStore();
		const {docker} = fakeDocker([container('engine'), container('db', 'exited'), container('redis')]);
		await createMonitor(store, backendsWith(docker, okHealth), {refreshMs: 1000, stats: false, now: () => 61_000}).pollOnce();
		const rows = selectServiceRows(store.getState(), environment, 61_000, 500);
		expect(rows.map(r => [r.name, r.ok, r.problems])).toEqual([
			['engine', true, []],
			['db', false, ['container exited']],
		]);
		expect(rows[0]!.uptimeMs).toBe(60_000);
		expect(rows[0]!.detail?.restartCount).toBe(2);
	});

	it('keeps the last data, records the error and backs off when docker fails', async () => {
		const store = createAppStore();
		const fake = fakeDocker([container('engine')]);
		let now = 0;
		const monitor = createMonitor(store, backendsWith(fake.docker, okHealth), {refreshMs: 1000, stats: false, now: () => now});
		await monitor.pollOnce();
		fake.state.fail = Object.assign(new Error('connect ENOENT /var/run/docker.sock'), {code: 'ENOENT'});
		now = 10_000;
		await monitor.pollOnce();
		const {containers} = store.getState();
		expect(containers.data).toHaveLength(1);
		expect(containers.error).toMatch(/docker.*ENOENT/);
		expect(containers.retryAt).toBe(11_000);
		const rows = selectServiceRows(store.getState(), environment, now, 500);
		expect(rows[0]!.problems).toContain('container state unknown');
		fake.state.fail = undefined;
		now = 11_000;
		await monitor.pollOnce();
		expect(store.getState().containers.error).toBeUndefined();
	});

	it('reports failing probes and a p95 over target', async () => {
		const store = createAppStore();
		const {docker} = fakeDocker([container('engine'), container('db')]);
		let latency = 900;
		const monitor = createMonitor(store, backendsWith(docker, url => ({...okHealth(url), latencyMs: latency})), {refreshMs: 1000, stats: false});
		for (let i = 0; i < 5; i++) await monitor.pollOnce();
		expect(selectServiceRows(store.getState(), environment, Date.now(), 500)[0]!.problems).toEqual(['p95 900 ms > 500 ms']);
		latency = 10;
		const failing = createMonitor(store, backendsWith(docker, url => ({service: '', url, ok: false, latencyMs: 3000, error: 'timeout after 3000 ms', at: 0})), {refreshMs: 1000, stats: false});
		await failing.pollOnce();
		expect(selectServiceRows(store.getState(), environment, Date.now(), 500)[0]!.problems).toEqual(['health: timeout after 3000 ms']);
	});

	it('opens one stats stream per running container and commits samples once per poll', async () => {
		const store = createAppStore();
		const fake = fakeDocker([container('engine'), container('db'), container('old', 'exited')]);
		const monitor = createMonitor(store, backendsWith(fake.docker, okHealth), {refreshMs: 1000});
		await monitor.pollOnce();
		expect([...fake.state.streams.keys()].sort()).toEqual(['id-db', 'id-engine']);
		// One commit for the whole poll (containers, health and stats together): one render per tick.
		let commits = 0;
		const unsubscribe = store.subscribe(() => commits++);
		fake.state.streams.get('id-engine')!(sample(50));
		fake.state.streams.get('id-engine')!(sample(70));
		fake.state.streams.get('id-db')!(sample(5));
		await monitor.pollOnce();
		unsubscribe();
		expect(commits).toBe(1);
		expect(selectStatsRows(store.getState(), 'cpu', true).map(r => [r.container.name, r.stats?.latest.cpuPercent])).toEqual([
			['engine', 70],
			['db', 5],
			['old', undefined],
		]);
		fake.state.list = [container('engine')];
		await monitor.pollOnce();
		expect([...fake.state.streams.keys()]).toEqual(['id-engine']);
		monitor.stop();
		expect(fake.state.streams.size).toBe(0);
	});
});
