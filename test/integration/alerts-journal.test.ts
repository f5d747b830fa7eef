import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createMonitor} from '../../source/controllers/monitor.js';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';
import {readJournal} from '../../source/services/alert-journal.js';
import {openBackends, type Backends} from '../../source/services/backends.js';
import {createAppStore} from '../../source/store/store.js';

describe('the alert journal, fed by the Alertmanager poller', () => {
	let demo: DemoDeployment;
	let backends: Backends;
	let dir: string;

	beforeAll(async () => {
		demo = await startDemo({tickMs: 200, alertFor: {ServiceDown: 0, HighLatencyP95: 0, ContainerRestarting: 0}});
		backends = await openBackends(demo.environment, {timeoutMs: 3000});
		dir = mkdtempSync(path.join(tmpdir(), 'botops-journal-'));
	});

	afterAll(async () => {
		backends?.close();
		await demo?.stop();
		rmSync(dir, {recursive: true, force: true});
	});

	it('a ServiceDown that fires and then resolves lands as two records, each once', async () => {
		const file = path.join(dir, 'alerts.jsonl');
		const store = createAppStore();
		const monitor = createMonitor(store, backends, {refreshMs: 0, timeoutMs: 3000, latencyTargetMs: 500, stats: false, commitWindowMs: 0, alertJournal: file});
		const serviceDown = () => store.getState().alerts.data?.alerts.some(a => a.labels['alertname'] === 'ServiceDown' && a.labels['service'] === 'python-ai-service') ?? false;
		// Polls until the state is reached; bounded by a deadline, never a pause.
		const pollUntil = async (reached: () => boolean, what: string) => {
			const deadline = Date.now() + 15_000;
			do await monitor.pollOnce();
			while (!reached() && Date.now() < deadline);
			expect(reached(), what).toBe(true);
		};
		await pollUntil(() => store.getState().alerts.updatedAt > 0, 'a first answer');
		expect(serviceDown()).toBe(false);
		const container = demo.world.get('python-ai-service');
		demo.world.stopContainer(container);
		await pollUntil(serviceDown, 'ServiceDown firing');
		await monitor.pollOnce();
		demo.world.startContainer(container);
		await pollUntil(() => !serviceDown(), 'ServiceDown resolved');
		await monitor.pollOnce();
		monitor.stop();
		const records = readJournal(file).filter(r => r.labels['alertname'] === 'ServiceDown' && r.labels['service'] === 'python-ai-service');
		expect(records.map(r => r.type)).toEqual(['firing', 'resolved']);
		expect(records[0]).toMatchObject({environment: 'demo', summary: 'python-ai-service is down'});
		expect(records[1]!.type === 'resolved' && records[1]!.firingMs).toBeGreaterThanOrEqual(0);
	});

	it('no Prometheus or Alertmanager in the environment: no such poller', () => {
		const bare = {...backends, environment: {...demo.environment, prometheusUrl: undefined, alertmanagerUrls: undefined}};
		const names = createMonitor(createAppStore(), bare, {refreshMs: 1000, timeoutMs: 3000, latencyTargetMs: 500, stats: false}).pollers.map(p => p.name);
		expect(names).not.toContain('alertmanager');
		expect(names).not.toContain('prometheus');
		const full = createMonitor(createAppStore(), backends, {refreshMs: 1000, timeoutMs: 3000, latencyTargetMs: 500, stats: false, alertJournal: false}).pollers.map(p => p.name);
		expect(full).toEqual(expect.arrayContaining(['alertmanager', 'prometheus', 'prometheus series']));
	});
});
