// Each drill, started at run time on the served demo, is seen by botops's own clients (health probes, Docker,
// Prometheus and Alertmanager), and the runbook `botops demo --scenario list` names for it resolves it: run
// in-process through the engine against the demo's Docker API and health endpoints, after which the drill is
// over and the demo recovers (the alert resolves in Alertmanager).
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';
import {scenarioSpecs, type ScenarioName} from '../../source/demo/scenarios.js';
import {buildPlan, executePlan} from '../../source/runbooks/engine.js';
import {loadBuiltinRunbooks} from '../../source/runbooks/loader.js';
import {alertmanagerUrls, createAlertmanagerSet} from '../../source/services/alertmanager.js';
import {createDockerService} from '../../source/services/docker.js';
import {createHealthProber} from '../../source/services/health.js';
import {createPrometheusClient, prometheusSettings} from '../../source/services/prometheus.js';
import type {DockerService, HealthProber} from '../../source/services/types.js';
import {MemoryAudit} from '../fixtures/runbooks/fakes.js';
import {eventually} from '../helpers/docker.js';

const builtin = (id: string) => loadBuiltinRunbooks().find(r => r.id === id)!;

describe('drills against the served demo, resolved by their runbooks', () => {
	let demo: DemoDeployment;
	let docker: DockerService;
	let health: HealthProber;

	beforeAll(async () => {
		demo = await startDemo({seed: 11, tickMs: 200, alertFor: {ServiceDown: 0, HighLatencyP95: 0, ContainerRestarting: 0, MongoReplicationLag: 0, DiskSpaceLow: 0}});
		const backend = demo.environment.backend;
		if (backend.type !== 'compose') throw new Error('the demo is a compose environment');
		docker = createDockerService({socketPath: demo.dockerSocketPath, project: backend.project, timeoutMs: 5000});
		health = createHealthProber({timeoutMs: 3000});
	});

	afterAll(async () => {
		docker?.close();
		await demo?.stop();
	});

	const alertsNamed = async (alertname: string) => {
		const set = createAlertmanagerSet(alertmanagerUrls(demo.environment), {timeoutMs: 3000});
		return (await set.alerts()).alerts.filter(a => a.labels['alertname'] === alertname);
	};
	const firing = (alertname: string, service: string) =>
		eventually(async () => ((await alertsNamed(alertname)).some(a => a.labels['service'] === service) ? true : undefined), {timeoutMs: 20_000, what: `${alertname} for ${service} in Alertmanager`});
	const resolvedAlert = (alertname: string) => eventually(async () => ((await alertsNamed(alertname)).length === 0 ? true : undefined), {timeoutMs: 30_000, what: `${alertname} resolved`});
	const container = async (name: string) => (await docker.listContainers()).find(c => c.name === name)!;

	/** Runs the runbook the scenario list names for this drill, with its inputs, as an operator would (y to confirm). */
	async function resolveWithItsRunbook(drill: ScenarioName) {
		const {runbook, inputs} = scenarioSpecs[drill].resolvedBy!;
		const planned = await buildPlan(builtin(runbook), {...inputs}, {environment: demo.environment, docker, env: process.env});
		if (!planned.ok) throw new Error(planned.errors.join('\n'));
		const result = await executePlan(planned.plan, {docker, health, env: process.env, audit: new MemoryAudit()}, {confirmation: true, confirm: async () => true});
		expect(result.outcome, JSON.stringify(result.steps)).toBe('ok');
		expect(demo.world.scenario).toBe('healthy');
		return result;
	}

	it('engine-crashloop: the engine crashes (503, restarts, ContainerRestarting); restart-service ends it', async () => {
		demo.drills.start('engine-crashloop');
		const engineUrl = demo.environment.services.find(s => s.name === 'rust-core-engine')!.healthUrl!;
		expect((await health.probe('rust-core-engine', engineUrl)).status).toBe(503);
		await firing('ContainerRestarting', 'rust-core-engine');
		expect((await container('rust-core-engine')).health).not.toBe('healthy');
		await resolveWithItsRunbook('engine-crashloop');
		const after = await health.probe('rust-core-engine', engineUrl);
		expect(after).toMatchObject({ok: true, status: 200});
		expect((await container('rust-core-engine')).state).toBe('running');
	});

	it('ai-latency-spike: slow AI answers, the oversized model, p95 over the target; update-ai-model brings the configured model back', async () => {
		demo.drills.start('ai-latency-spike');
		// The world's own answer time, not a wall-clock measure of this machine: the drill's model takes 1.5-4 s.
		expect(demo.world.httpLatencyMs('python-ai-service')).toBeGreaterThan(1000);
		const prometheus = createPrometheusClient({url: prometheusSettings(demo.environment)!.url, timeoutMs: 3000});
		await eventually(async () => ((await prometheus.serviceMetrics(['python-ai-service']))[0]!.p95Seconds! > 0.5 ? true : undefined), {timeoutMs: 20_000, what: 'AI p95 over 500 ms'});
		await firing('HighLatencyP95', 'python-ai-service');
		expect(demo.world.model.version).toBe('lstm-v2.4-xl');
		await resolveWithItsRunbook('ai-latency-spike');
		expect(demo.world.model.version).toBe('lstm-v2.3');
		expect(demo.world.httpLatencyMs('python-ai-service')).toBeLessThan(500);
	});

	it('mongo-replication-lag: MongoReplicationLag fires; restart-service of the engine stops the backfill and the lag drains', async () => {
		demo.drills.start('mongo-replication-lag');
		await firing('MongoReplicationLag', 'mongodb-primary');
		expect(demo.world.replicationLagMs()).toBeGreaterThan(1000);
		await resolveWithItsRunbook('mongo-replication-lag');
		await resolvedAlert('MongoReplicationLag');
		expect(demo.world.replicationLagMs()).toBeLessThan(1000);
	});

	it('disk-pressure: DiskSpaceLow fires; restart-service of mongodb-primary frees the volume and the alert resolves', async () => {
		demo.drills.start('disk-pressure');
		await firing('DiskSpaceLow', 'mongodb-primary');
		await resolveWithItsRunbook('disk-pressure');
		expect(demo.world.diskUsedPercent()).toBeLessThan(70);
		await resolvedAlert('DiskSpaceLow');
		expect((await container('mongodb-primary')).health).toBe('healthy');
	});

	it('mongo-down: ServiceDown for mongodb-primary; restart-service starts it and ServiceDown resolves', async () => {
		demo.drills.start('mongo-down');
		await firing('ServiceDown', 'mongodb-primary');
		expect((await container('mongodb-primary')).state).toBe('exited');
		await resolveWithItsRunbook('mongo-down');
		await resolvedAlert('ServiceDown');
		expect(demo.world.engineHealth().ok).toBe(true);
	});
});
