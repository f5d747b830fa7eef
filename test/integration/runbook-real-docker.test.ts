import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {EnvironmentConfig} from '../../source/config/schema.js';
import {createAuditLog} from '../../source/services/audit.js';
import {createDockerService} from '../../source/services/docker.js';
import type {DockerService} from '../../source/services/types.js';
import {buildPlan, executePlan, type RunEvent} from '../../source/runbooks/engine.js';
import {loadBuiltinRunbooks} from '../../source/runbooks/loader.js';
import {createComposeContainer, dockerForTests, engine, ensureBusyboxImage, eventually, removeProject, socketPath, uniqueProject} from '../helpers/docker.js';
import {FakeHealth, MemoryAudit} from '../fixtures/runbooks/fakes.js';

const availability = await dockerForTests();
const root = fileURLToPath(new URL('../..', import.meta.url));
const builtin = (id: string) => loadBuiltinRunbooks().find(r => r.id === id)!;

// A mongodump stand-in: writes a BSON-named file under --out and echoes its --uri, so the test can see both
// that the dump landed and that the echoed password never reaches the operator.
const mongodumpScript = [
	'#!/bin/sh',
	'for a in "$@"; do case "$a" in --out=*) out="${a#--out=}";; --uri=*) uri="${a#--uri=}";; esac; done',
	'mkdir -p "$out/trading_bot" && echo dump > "$out/trading_bot/trades.bson"',
	'echo "connected to $uri"',
	'echo "writing trading_bot.trades to $out"',
].join('\n');

describe.skipIf(!availability.available)(`runbooks against the real Docker engine${availability.reason ? ` (skipped: ${availability.reason})` : ''}`, () => {
	const project = uniqueProject('runbook');
	let docker: DockerService;
	let environment: EnvironmentConfig;
	const names: Record<string, string> = {};

	beforeAll(async () => {
		await ensureBusyboxImage();
		const [engineContainer, mongo] = await Promise.all([
			createComposeContainer({
				project,
				service: 'rust-core-engine',
				cmd: ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 0.2; done'],
				healthcheck: {test: ['CMD', 'true'], intervalMs: 300, retries: 3},
			}),
			createComposeContainer({
				project,
				service: 'mongodb-primary',
				cmd: ['sh', '-c', `mkdir -p /usr/bin /backup && printf '%s\\n' '${mongodumpScript.replaceAll("'", "'\\''")}' > /bin/mongodump && chmod +x /bin/mongodump && trap "exit 0" TERM; while :; do sleep 0.2; done`],
			}),
		]);
		names.engine = engineContainer.name;
		names.mongo = mongo.name;
		docker = createDockerService({socketPath, project, timeoutMs: 10_000});
		environment = {
			name: 'it',
			backend: {type: 'compose', project},
			protected: false,
			services: [
				{name: 'rust-core-engine', container: engineContainer.name, critical: true},
				{name: 'mongodb-primary', container: mongo.name, critical: true},
			],
			mongo: {uriEnv: 'IT_MONGO_URI', database: 'trading_bot'},
		};
		await eventually(
			async () => ((await docker.listContainers()).find(c => c.service === 'rust-core-engine')?.health === 'healthy' ? true : undefined),
			{what: 'the engine container to become healthy'},
		);
	});

	afterAll(async () => {
		docker?.close();
		await removeProject(project);
	});

	it('restart-service restarts the labelled container and the verify step sees it healthy again', async () => {
		const before = await engine().getContainer(names.engine!).inspect();
		const planned = await buildPlan(builtin('restart-service'), {service: 'rust-core-engine'}, {environment, docker});
		if (!planned.ok) throw new Error(planned.errors.join());
		expect(planned.plan.steps[0]!.line.target).toMatch(new RegExp(`^rust-core-engine \\(container ${names.engine} [0-9a-f]{12} running\\)$`));
		const result = await executePlan(planned.plan, {docker, health: new FakeHealth()}, {confirmation: true});
		expect(result.steps.map(s => [s.id, s.status, s.detail])).toEqual([
			['pre-1', 'ok', `${names.engine} running`],
			['restart', 'ok', `restarted ${names.engine}`],
			['verify', 'ok', expect.stringMatching(/^rust-core-engine: up/)],
		]);
		expect(result.outcome).toBe('ok');
		const after = await engine().getContainer(names.engine!).inspect();
		expect(Date.parse(after.State.StartedAt)).toBeGreaterThan(Date.parse(before.State.StartedAt));
		expect(after.State.Health?.Status).toBe('healthy');
	});

	it('db-backup runs mongodump through docker exec, the dump lands in the container, and the URI stays hidden', async () => {
		const uri = 'mongodb://botuser:Pa55-w0rd-xyz@localhost:27017/trading_bot?authSource=admin';
		const env = {IT_MONGO_URI: uri};
		const fixed = new Date('2025-10-11T02:00:00Z');
		const planned = await buildPlan(builtin('db-backup'), {}, {environment, docker, env, now: () => fixed});
		if (!planned.ok) throw new Error(planned.errors.join());
		expect(planned.plan.steps[0]!.line.call).toBe(`docker exec ${names.mongo} mongodump '--uri=$IT_MONGO_URI' --out=/backup/dump_20251011_020000`);
		const events: RunEvent[] = [];
		const audit = new MemoryAudit();
		const result = await executePlan(planned.plan, {docker, health: new FakeHealth(), audit, env}, {confirmation: true, onEvent: e => events.push(e)});
		expect(result.outcome).toBe('ok');
		const listing = await docker.exec(names.mongo!, ['cat', '/backup/dump_20251011_020000/trading_bot/trades.bson']);
		expect(listing).toMatchObject({exitCode: 0, stdout: 'dump\n'});
		const output = events.filter(e => e.type === 'step-output' && e.step.id === 'dump').map(e => (e as {line: string}).line);
		expect(output).toEqual(['connected to ***', 'writing trading_bot.trades to /backup/dump_20251011_020000']);
		expect(JSON.stringify({events, result, audit: audit.records})).not.toContain('Pa55-w0rd-xyz');
	});

	it('stop-all and start-all stop and start the real containers', async () => {
		for (const id of ['stop-all', 'start-all']) {
			const planned = await buildPlan(builtin(id), {}, {environment, docker});
			if (!planned.ok) throw new Error(planned.errors.join());
			const result = await executePlan(planned.plan, {docker, health: new FakeHealth()}, {confirmation: true});
			expect([id, result.outcome, result.state]).toEqual([id, 'ok', expect.stringMatching(/^All 2 steps succeeded/)]);
		}
		const states = (await docker.listContainers()).map(c => c.state);
		expect(states).toEqual(['running', 'running']);
	});
});

describe('audit durability', () => {
	it('keeps the step record when the process is SIGKILLed right after the step completes', () => {
		const state = mkdtempSync(path.join(tmpdir(), 'botops-audit-kill-'));
		// node --import tsx: one process, so the SIGKILL it sends itself is the one we observe.
		const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'test/fixtures/runbooks/kill-after-step.ts')], {
			cwd: root,
			env: {...process.env, XDG_STATE_HOME: state},
			encoding: 'utf8',
			timeout: 60_000,
		});
		expect({signal: child.signal, stderr: child.stderr}).toEqual({signal: 'SIGKILL', stderr: ''});
		expect(child.stdout).not.toContain('not killed');
		const file = path.join(state, 'botops', 'audit.jsonl');
		const records = readFileSync(file, 'utf8').trimEnd().split('\n').map(line => JSON.parse(line) as {type: string; step?: string; status?: string});
		expect(records.map(r => `${r.type}${r.step ? ` ${r.step}${r.status ? ` ${r.status}` : ''}` : ''}`)).toEqual(['run-start', 'step-start first', 'step first ok']);
		expect(createAuditLog({file}).readRecentRuns(1)).toMatchObject([{runbook: 'two-steps', outcome: 'interrupted', steps: [{step: 'first', status: 'ok'}]}]);
	});
});
