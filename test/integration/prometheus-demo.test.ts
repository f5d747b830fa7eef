import {afterEach, describe, expect, it} from 'vitest';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';
import {alertmanagerUrls, createAlertmanagerSet} from '../../source/services/alertmanager.js';
import {createPrometheusClient, prometheusSettings} from '../../source/services/prometheus.js';
import {eventually} from '../helpers/docker.js';

/** Short `for:` durations so pending-then-firing happens within a test. */
const alertFor = {ServiceDown: 1500, HighLatencyP95: 1500, ContainerRestarting: 1500};

describe("the demo's Prometheus: the same client reads it, and its alerts follow the world", () => {
	let demo: DemoDeployment | undefined;
	afterEach(async () => {
		await demo?.stop();
		demo = undefined;
	});

	const clientFor = (d: DemoDeployment) => createPrometheusClient({url: prometheusSettings(d.environment)!.url, timeoutMs: 3000});

	it('healthy: no alerts, every target up, the three rules inactive, the service queries answered', async () => {
		demo = await startDemo({alertFor});
		const client = clientFor(demo);
		expect(await client.alerts()).toEqual([]);
		const targets = await client.targets();
		expect(targets.map(t => [t.job, t.health])).toEqual([
			['rust-core-engine', 'up'],
			['python-ai-service', 'up'],
			['nextjs-ui-dashboard', 'up'],
			['mongodb-primary', 'up'],
		]);
		expect((await client.rules()).map(r => [r.name, r.state])).toEqual([
			['ServiceDown', 'inactive'],
			['HighLatencyP95', 'inactive'],
			['ContainerRestarting', 'inactive'],
			['MongoReplicationLag', 'inactive'],
			['DiskSpaceLow', 'inactive'],
		]);
		const [engine] = await client.serviceMetrics(['rust-core-engine']);
		expect(engine.requestRate).toBeGreaterThan(0);
		expect(engine.errorRate).toBe(0);
		expect(engine.p95Seconds).toBeLessThan(0.5);
		await expect(client.query('rate(foo[5m])')).rejects.toThrow(/HTTP 400: the demo Prometheus answers only/);
	});

	it('a stopped service fires ServiceDown, pending first, then firing and in Alertmanager; starting it resolves', async () => {
		demo = await startDemo({alertFor});
		const client = clientFor(demo);
		const ui = demo.world.get('nextjs-ui-dashboard');
		demo.world.stopContainer(ui);
		const pending = (await client.alerts()).find(a => a.labels['alertname'] === 'ServiceDown');
		expect(pending).toMatchObject({state: 'pending', labels: {service: 'nextjs-ui-dashboard', severity: 'critical'}});
		await eventually(async () => ((await client.alerts()).find(a => a.labels['alertname'] === 'ServiceDown')?.state === 'firing' ? true : undefined), {timeoutMs: 10_000, what: 'ServiceDown firing'});
		expect((await client.targets()).find(t => t.job === 'nextjs-ui-dashboard')).toMatchObject({health: 'down', lastError: expect.stringMatching(/connection refused/)});
		const set = createAlertmanagerSet(alertmanagerUrls(demo.environment), {timeoutMs: 3000});
		await eventually(async () => ((await set.alerts()).alerts.some(a => a.labels['alertname'] === 'ServiceDown') ? true : undefined), {timeoutMs: 10_000, what: 'ServiceDown in Alertmanager'});
		demo.world.startContainer(ui);
		await eventually(async () => ((await set.alerts()).alerts.length === 0 ? true : undefined), {timeoutMs: 10_000, what: 'ServiceDown resolved in Alertmanager'});
		expect(await client.alerts()).toEqual([]);
	});

	it('mongo-down: the database has been down for minutes, so ServiceDown fires at once (restored for-state)', async () => {
		demo = await startDemo({scenario: 'mongo-down'});
		const client = clientFor(demo);
		const alerts = await client.alerts();
		expect(alerts.filter(a => a.labels['alertname'] === 'ServiceDown').map(a => [a.labels['service'], a.state])).toEqual([['mongodb-primary', 'firing']]);
		expect(Date.parse(alerts[0].activeAt!)).toBe(Math.floor(demo.world.get('mongodb-primary').finishedAt!));
		expect((await client.targets()).find(t => t.job === 'mongodb-primary')?.health).toBe('down');
	});

	it('ai-slow fires HighLatencyP95 for python-ai-service from its p95', async () => {
		demo = await startDemo({scenario: 'ai-slow', alertFor});
		const client = clientFor(demo);
		const [ai] = await client.serviceMetrics(['python-ai-service']);
		expect(ai.p95Seconds).toBeGreaterThan(0.5);
		const alert = await eventually(async () => (await client.alerts()).find(a => a.labels['alertname'] === 'HighLatencyP95' && a.state === 'firing'), {timeoutMs: 10_000, what: 'HighLatencyP95 firing'});
		expect(alert.labels['service']).toBe('python-ai-service');
		expect(Number(alert.value)).toBeGreaterThan(0.5);
	});

	it('engine-crashloop fires ContainerRestarting after the next crash, pending then firing', async () => {
		demo = await startDemo({scenario: 'engine-crashloop', alertFor, tickMs: 200});
		const client = clientFor(demo);
		const states = new Set<string>();
		await eventually(
			async () => {
				const alert = (await client.alerts()).find(a => a.labels['alertname'] === 'ContainerRestarting' && a.labels['service'] === 'rust-core-engine');
				if (alert) states.add(alert.state);
				return alert?.state === 'firing' ? true : undefined;
			},
			{timeoutMs: 25_000, everyMs: 200, what: 'ContainerRestarting firing'},
		);
		expect([...states]).toContain('pending');
	});
});
