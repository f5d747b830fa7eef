import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';
import {createDockerService} from '../../source/services/docker.js';
import {createHealthProber} from '../../source/services/health.js';
import type {DockerService, HealthProber} from '../../source/services/types.js';
import {buildPlan, executePlan, type RunEvent, type RunResult} from '../../source/runbooks/engine.js';
import {loadBuiltinRunbooks} from '../../source/runbooks/loader.js';
import {MemoryAudit} from '../fixtures/runbooks/fakes.js';

const builtin = (id: string) => loadBuiltinRunbooks().find(r => r.id === id)!;

describe('runbooks against the demo deployment', () => {
	let demo: DemoDeployment;
	let docker: DockerService;
	let health: HealthProber;

	beforeAll(async () => {
		demo = await startDemo({seed: 7, tickMs: 200});
		const backend = demo.environment.backend;
		if (backend.type !== 'compose') throw new Error('demo should be a compose environment');
		docker = createDockerService({socketPath: demo.dockerSocketPath, project: backend.project, timeoutMs: 5000});
		health = createHealthProber({timeoutMs: 3000});
	});

	afterAll(async () => {
		docker?.close();
		await demo?.stop();
	});

	async function run(id: string, inputs: Record<string, string>, env: NodeJS.ProcessEnv, events: RunEvent[] = [], audit = new MemoryAudit()): Promise<RunResult> {
		const planned = await buildPlan(builtin(id), inputs, {environment: demo.environment, docker, env});
		if (!planned.ok) throw new Error(planned.errors.join('\n'));
		// The answer an operator gives: y, or the environment's name where the plan asks for it to be typed.
		const confirmation = planned.plan.confirmation.kind === 'type-environment' ? planned.plan.confirmation.expected : true;
		return executePlan(planned.plan, {docker, health, env, audit}, {confirmation, confirm: async () => true, onEvent: e => events.push(e)});
	}

	it('disable-trading stops trading through the engine admin API with the admin token, which is never shown', async () => {
		expect(demo.world.trading.enabled).toBe(true);
		const env = {[demo.environment.adminTokenEnv!]: demo.adminToken};
		const events: RunEvent[] = [];
		const audit = new MemoryAudit();
		const result = await run('disable-trading', {}, env, events, audit);
		expect(result.steps.map(s => [s.id, s.status])).toEqual([['disable', 'ok'], ['verify', 'ok']]);
		expect(demo.world.trading.enabled).toBe(false);
		expect(JSON.stringify({events, result, audit: audit.records})).not.toContain(demo.adminToken);

		const enabled = await run('enable-trading', {}, env);
		expect(enabled.outcome).toBe('ok');
		expect(demo.world.trading.enabled).toBe(true);
	});

	it('a wrong admin token is refused by the engine and trading stays as it was', async () => {
		const result = await run('disable-trading', {}, {[demo.environment.adminTokenEnv!]: 'not-the-token-123'});
		expect(result.outcome).toBe('failed');
		expect(result.steps[0]!.detail).toMatch(/answered HTTP 401, expected 200 or 202 or 204$/);
		expect(result.notRun).toEqual(['verify']);
		expect(demo.world.trading.enabled).toBe(true);
	});

	it('update-ai-model restarts the AI service and checks model info and an analysis', async () => {
		const result = await run('update-ai-model', {}, {});
		expect(result.steps.map(s => [s.id, s.status])).toEqual([['restart', 'ok'], ['verify-service', 'ok'], ['verify-model', 'ok'], ['analyze', 'ok']]);
	});

	it('add-symbol restarts the engine and checks the symbol market data', async () => {
		const symbol = demo.world.trading.symbols[0]!;
		const result = await run('add-symbol', {symbol}, {});
		expect(result.steps.map(s => [s.id, s.status])).toEqual([['restart', 'ok'], ['verify-engine', 'ok'], ['verify-market-data', 'ok']]);
	});

	it('db-backup dumps through docker exec in the MongoDB container, and db-restore restores that dump', async () => {
		const env = {[demo.environment.mongo!.uriEnv]: process.env[demo.environment.mongo!.uriEnv]!};
		const events: RunEvent[] = [];
		const audit = new MemoryAudit();
		const backup = await run('db-backup', {}, env, events, audit);
		expect(backup.outcome).toBe('ok');
		const dump = demo.world.backups.at(-1)!;
		expect(dump.path).toMatch(/^\/backup\/dump_\d{8}_\d{6}$/);
		// The URI carries the database password: never in events, results or audit records.
		const password = new URL(env[demo.environment.mongo!.uriEnv]!).password;
		expect(JSON.stringify({events, backup, audit: audit.records})).not.toContain(password);

		const restore = await run('db-restore', {dir: dump.path}, env);
		expect(restore.outcome).toBe('ok');
		expect(restore.steps.at(-1)!.detail).toBeDefined();
		const missing = await run('db-restore', {dir: '/backup/dump_19990101_000000'}, env);
		expect(missing.outcome).not.toBe('ok');
	});

	it('rotate-secrets rewrites the .env with a backup and restarts the services that read it', async () => {
		const file = demo.environment.envFile!;
		const before = readFileSync(file, 'utf8');
		const events: RunEvent[] = [];
		const result = await run('rotate-secrets', {}, {}, events);
		expect(result.outcome).toBe('ok');
		const after = readFileSync(file, 'utf8');
		const value = (text: string, name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(text)?.[1];
		expect(value(after, 'INTER_SERVICE_TOKEN')).toMatch(/^[0-9a-f]{64}$/);
		expect(value(after, 'INTER_SERVICE_TOKEN')).not.toBe(value(before, 'INTER_SERVICE_TOKEN'));
		expect(value(after, 'BINANCE_API_KEY')).toBe(value(before, 'BINANCE_API_KEY'));
		expect(readdirSync(path.dirname(file)).some(name => name.startsWith('.env.bak-'))).toBe(true);
		expect(JSON.stringify(events)).not.toContain(value(after, 'INTER_SERVICE_TOKEN')!);
	});

	it('maintenance-mode stops everything, waits, starts it again and passes the smoke tests', async () => {
		const result = await run('maintenance-mode', {drainSeconds: '0'}, {});
		expect(result.outcome).toBe('ok');
		expect(result.steps.map(s => s.status).every(status => status === 'ok')).toBe(true);
		expect(demo.world.containers.find(c => c.name === 'rust-core-engine')?.status).toBe('running');
	});
});
