// Each drill, started in a running world, shows in every view at once: health, logs, stats, metrics and alerts
// (and the database's replication lag). A manual clock makes each run exact; the runbooks that resolve the drills
// run against the served demo in test/integration/drill-resolution.test.ts.
import {afterEach, describe, expect, it} from 'vitest';
import {DemoMetrics} from '../../source/demo/metrics.js';
import {startDemoPrometheus, type AlertReceiver, type DemoPrometheus} from '../../source/demo/prometheus-api.js';
import {describeScenarios, drillNames, knownScenarios, lookupScenario, parseScenario, scenarioSpecs} from '../../source/demo/scenarios.js';
import {oversizedModel, World} from '../../source/demo/world.js';

const t0 = Date.UTC(2026, 11, 2, 1, 0, 0);
/** The rules' window (rate(...[5m])): a view recovers once the drill's samples have left it. */
const fiveMinutes = 5 * 60_000;
const zeroFor = {ServiceDown: 0, HighLatencyP95: 0, ContainerRestarting: 0, MongoReplicationLag: 0, DiskSpaceLow: 0};

type Notified = Parameters<AlertReceiver['receive']>[0];

async function drillWorld() {
	let now = t0;
	const world = new World({seed: 5, clock: () => now, backlogLines: 20});
	const metrics = new DemoMetrics(world);
	const notified: Notified = [];
	const prometheus = await startDemoPrometheus(world, {
		metrics,
		ports: {'rust-core-engine': 1, 'python-ai-service': 2, 'nextjs-ui-dashboard': 3},
		receiver: {receive: alerts => notified.push(...alerts)},
		alertFor: zeroFor,
	});
	opened.push(prometheus);
	/** A second at a time, as the demo's timers would: the world ticks, traffic is integrated, the rules evaluated. */
	const advance = (seconds: number) => {
		for (let i = 0; i < seconds; i++) {
			now += 1000;
			world.tick(now);
			prometheus.evaluate(now);
		}
	};
	// A few healthy minutes first, so every view has a baseline to differ from.
	advance(60);
	const firing = (alertname: string) => notified.filter(a => a.labels['alertname'] === alertname && a.endsAt === undefined);
	const resolved = (alertname: string) => notified.some(a => a.labels['alertname'] === alertname && a.endsAt !== undefined);
	const linesSince = (name: string, since: number) => world.get(name).logs.toArray().filter(l => l.time >= since).map(l => l.text);
	const p95 = (service: 'rust-core-engine' | 'python-ai-service') => metrics.quantile(service, 0.95, fiveMinutes, now)!;
	return {world, metrics, notified, advance, firing, resolved, linesSince, p95, now: () => now};
}

const opened: DemoPrometheus[] = [];
afterEach(async () => {
	await Promise.all(opened.splice(0).map(p => p.close()));
});

describe('drills: each one shows in health, logs, stats, metrics and alerts, and ends when its fix is done', () => {
	it('engine-crashloop: panics and restarts, 503 health, 100 % errors, ContainerRestarting; a manual restart ends it', async () => {
		const d = await drillWorld();
		const engine = d.world.get('rust-core-engine');
		expect(d.world.engineHealth().ok).toBe(true);
		const since = d.now();
		const restartsBefore = engine.restartCount;
		d.world.startScenario('engine-crashloop');
		d.advance(120);
		expect(d.world.engineHealth()).toMatchObject({ok: false, reason: expect.stringMatching(/position manager/)});
		expect(engine.restartCount).toBeGreaterThan(restartsBefore);
		expect(engine.health?.status).not.toBe('healthy');
		expect(d.linesSince('rust-core-engine', since).some(l => l.includes("panicked at src/trading/position_manager.rs"))).toBe(true);
		// Stats: every crash starts a new cgroup, so the CPU counter is far below a minute's worth.
		expect(engine.counters.cpuTotalNs).toBeLessThan(20 * 1e9 * (engine.spec.cpuPercent / 100) * 6);
		expect(d.metrics.errorRatio('rust-core-engine', fiveMinutes, d.now())).toBeGreaterThan(0.5);
		expect(d.firing('ContainerRestarting').map(a => a.labels['service'])).toContain('rust-core-engine');

		d.world.restartContainer(engine);
		expect(d.world.scenario).toBe('healthy');
		d.advance(30);
		expect(d.world.engineHealth().ok).toBe(true);
		expect(engine.isUp).toBe(true);
		expect(engine.health?.status).toBe('healthy');
		d.advance(300);
		expect(d.metrics.errorRatio('rust-core-engine', fiveMinutes, d.now())).toBe(0);
		expect(d.resolved('ContainerRestarting')).toBe(false);
	});

	it('ai-latency-spike: the oversized model, slow health and analyses, CPU and memory up, p95 over 500 ms, HighLatencyP95', async () => {
		const d = await drillWorld();
		const ai = d.world.get('python-ai-service');
		const cpuBefore = ai.cpuRate;
		const memoryBefore = ai.memAnon;
		const since = d.now();
		expect(d.p95('python-ai-service')).toBeLessThan(0.5);
		d.world.startScenario('ai-latency-spike');
		d.advance(60);
		expect(d.world.model.version).toBe(oversizedModel);
		expect(d.world.httpLatencyMs('python-ai-service')).toBeGreaterThan(1000);
		const lines = d.linesSince('python-ai-service', since);
		expect(lines.some(l => l.includes(`hot-reloading model ${oversizedModel}`))).toBe(true);
		expect(lines.some(l => /WARNING - Slow analysis: \w+ 1h took \d+ ms/.test(l))).toBe(true);
		expect(ai.cpuRate).toBeGreaterThan(Math.max(cpuBefore, (ai.spec.cpuPercent / 100) * 3));
		expect(ai.memAnon).toBeGreaterThan(memoryBefore);
		expect(d.p95('python-ai-service')).toBeGreaterThan(0.5);
		expect(d.firing('HighLatencyP95').map(a => a.labels['service'])).toContain('python-ai-service');

		d.world.restartContainer(ai);
		expect(d.world.scenario).toBe('healthy');
		expect(d.world.model.version).toBe('lstm-v2.3');
		d.advance(330);
		expect(d.p95('python-ai-service')).toBeLessThan(0.5);
		expect(d.resolved('HighLatencyP95')).toBe(true);
	});

	it('mongo-replication-lag: the lag grows, the engine slows, mongod is busy, MongoReplicationLag fires; after the engine restart it drains', async () => {
		const d = await drillWorld();
		const database = d.world.get('mongodb-primary');
		const writesBefore = database.counters.blkWrite;
		const since = d.now();
		expect(d.world.replicationLagMs()).toBe(0);
		d.world.startScenario('mongo-replication-lag');
		d.advance(60);
		const lag = d.world.replicationLagMs();
		expect(lag).toBeGreaterThan(20_000);
		expect(d.world.httpLatencyMs('rust-core-engine')).toBeGreaterThanOrEqual(300);
		expect(d.linesSince('rust-core-engine', since).some(l => /WARN bot_core::market_data::backfill: backfill \w+ 1m: wrote 5000 candles/.test(l))).toBe(true);
		expect(d.linesSince('mongodb-primary', since).some(l => l.includes('"Lagging secondary"') || l.includes('"Slow query"'))).toBe(true);
		expect(database.counters.blkWrite - writesBefore).toBeGreaterThan(60 * 10 * 2 ** 20);
		expect(database.cpuRate).toBeGreaterThan((database.spec.cpuPercent / 100) * 4);
		expect(d.p95('rust-core-engine')).toBeGreaterThan(0.5);
		expect(d.firing('MongoReplicationLag')[0]).toMatchObject({labels: {severity: 'critical', member: 'mongodb-secondary:27017'}});

		d.world.restartContainer(d.world.get('rust-core-engine'));
		expect(d.world.scenario).toBe('healthy');
		d.advance(5);
		expect(d.world.replicationLagMs()).toBeLessThan(lag);
		d.advance(Math.ceil(lag / 4000));
		expect(d.world.replicationLagMs()).toBe(0);
		expect(d.resolved('MongoReplicationLag')).toBe(true);
	});

	it('disk-pressure: debug lines and disk warnings, heavy block writes, the volume over 95 % fails the healthcheck, DiskSpaceLow; a mongod restart frees it', async () => {
		const d = await drillWorld();
		const database = d.world.get('mongodb-primary');
		const writesBefore = database.counters.blkWrite;
		const since = d.now();
		d.world.startScenario('disk-pressure');
		d.advance(180);
		expect(d.world.diskUsedPercent()).toBeGreaterThan(95);
		expect(database.health?.status).toBe('unhealthy');
		expect(database.health?.log.at(-1)?.output).toMatch(/^disk \/data\/db 9\d\.\d% full \(healthcheck limit 95%\)\n$/);
		const lines = d.linesSince('mongodb-primary', since);
		expect(lines.filter(l => l.includes('"s":"D5"')).length).toBeGreaterThan(500);
		expect(lines.some(l => l.includes('"msg":"Low disk space"'))).toBe(true);
		expect(database.counters.blkWrite - writesBefore).toBeGreaterThan(180 * 25 * 2 ** 20);
		expect(d.p95('rust-core-engine')).toBeGreaterThan(0.5);
		expect(d.firing('DiskSpaceLow')[0]).toMatchObject({labels: {severity: 'critical', mountpoint: '/data/db', service: 'mongodb-primary'}});

		d.world.restartContainer(database);
		expect(d.world.scenario).toBe('healthy');
		expect(d.world.diskUsedPercent()).toBeLessThan(70);
		d.advance(40);
		expect(database.health?.status).toBe('healthy');
		expect(d.resolved('DiskSpaceLow')).toBe(true);
	});

	it('mongo-down at run time: mongod exits, the engine loses its database, ServiceDown; starting mongod ends it', async () => {
		const d = await drillWorld();
		const database = d.world.get('mongodb-primary');
		const since = d.now();
		d.world.startScenario('mongo-down');
		d.advance(10);
		expect(database.isUp).toBe(false);
		expect(d.world.engineHealth()).toMatchObject({ok: false, database: 'disconnected'});
		// Its last lines end as it stops: the moment the drill started.
		expect(d.linesSince('mongodb-primary', since - 1000).some(l => l.includes('No space left on device'))).toBe(true);
		expect(d.linesSince('rust-core-engine', since).some(l => l.includes('Server selection timeout'))).toBe(true);
		expect(d.metrics.errorRatio('rust-core-engine', fiveMinutes, d.now())).toBeGreaterThan(0);
		expect(d.firing('ServiceDown').map(a => a.labels['service'])).toContain('mongodb-primary');

		d.world.startContainer(database);
		expect(d.world.scenario).toBe('healthy');
		d.advance(10);
		expect(d.world.engineHealth().ok).toBe(true);
		expect(d.resolved('ServiceDown')).toBe(true);
	});

	it('one drill at a time; bad-deploy only with the Kubernetes face; healthy is no drill; ai-slow is ai-latency-spike', async () => {
		const d = await drillWorld();
		expect(() => d.world.startScenario('bad-deploy')).toThrow('bad-deploy runs on Kubernetes only and starts with the demo: botops demo --k8s --scenario bad-deploy');
		expect(() => d.world.startScenario('healthy')).toThrow(/no drill/);
		expect(() => d.world.startScenario('meteor')).toThrow('unknown demo scenario "meteor"');
		expect(d.world.startScenario('ai-slow')).toBe('ai-latency-spike');
		expect(() => d.world.startScenario('disk-pressure')).toThrow('the drill ai-latency-spike is under way: resolve it first (update-ai-model)');
		expect(parseScenario('ai-slow')).toBe('ai-latency-spike');
		expect(lookupScenario('list')).toBeUndefined();
		expect(new World({scenario: 'ai-slow', clock: () => t0}).model.version).toBe(oversizedModel);
	});

	it('a drill that starts with the demo has been going on a while: lag and disk use are already up', () => {
		expect(new World({scenario: 'mongo-replication-lag', clock: () => t0}).replicationLagMs()).toBeGreaterThan(1000);
		expect(new World({scenario: 'disk-pressure', clock: () => t0}).diskUsedPercent()).toBeGreaterThan(90);
	});
});

describe('botops demo --scenario list', () => {
	it('describes every scenario, where it shows, and the runbook that resolves it', () => {
		const text = describeScenarios();
		for (const name of knownScenarios) expect(text).toContain(`\n${name}`);
		expect(text).toContain('ai-latency-spike (also: ai-slow)');
		for (const name of drillNames) {
			const spec = scenarioSpecs[name];
			expect(spec.resolvedBy, name).toBeDefined();
			expect(text).toContain(`resolve:  runbook ${spec.resolvedBy!.runbook}`);
		}
		expect(text).toContain('botops runbook run restart-service --param service=rust-core-engine');
		expect(text).toMatch(/bad-deploy\n {2}Kubernetes only/);
	});
});
