import {existsSync, mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {createRegistry, builtinActions} from '../../source/runbooks/actions/registry.js';
import type {Action} from '../../source/runbooks/actions/types.js';
import {buildPlan, executePlan, isConfirmed, type RunEvent} from '../../source/runbooks/engine.js';
import {loadBuiltinRunbooks, parseRunbook} from '../../source/runbooks/loader.js';
import type {Runbook} from '../../source/runbooks/schema.js';
import {renderPlan} from '../../source/runbooks/render.js';
import {z} from 'zod';
import {FakeDocker, FakeHealth, healthyAnswers, MemoryAudit, testEnvironment} from '../fixtures/runbooks/fakes.js';

function runbook(yaml: string): Runbook {
	const result = parseRunbook(yaml, 'test.yaml', 'test');
	if (!result.ok) throw new Error(result.errors.join('\n'));
	return result.runbook;
}

const builtins = loadBuiltinRunbooks();
const builtin = (id: string) => builtins.find(r => r.id === id)!;

function setup() {
	const docker = new FakeDocker(['rust-core-engine', 'python-ai-service', 'nextjs-ui-dashboard', 'mongodb-primary']);
	const health = new FakeHealth();
	for (const [url, answer] of healthyAnswers) health.answers.set(url, answer);
	const audit = new MemoryAudit();
	return {docker, health, audit, environment: testEnvironment()};
}

const twoRestarts = `
id: two-restarts
title: Two restarts
steps:
  - {id: first, title: Restart engine, kind: mutate, action: docker.restart, params: {service: rust-core-engine}}
  - {id: pause, title: Pause, kind: wait, action: wait, params: {seconds: 30}}
  - {id: second, title: Restart AI, kind: mutate, action: docker.restart, params: {service: python-ai-service}}
`;

describe('input validation', () => {
	it('names the input and what was expected', async () => {
		const {environment} = setup();
		const rb = runbook(`
id: inputs
title: Inputs
inputs:
  - {name: symbol, type: symbol}
  - {name: replicas, type: integer}
  - {name: mode, type: enum, values: [fast, slow]}
  - {name: service, type: service}
  - {name: flag, type: boolean, default: false}
steps:
  - {id: s, title: S, kind: wait, action: wait, params: {seconds: 1}}
`);
		const result = await buildPlan(rb, {symbol: 'btc-usdt', replicas: '51', mode: 'medium', service: 'nginx', flag: 'maybe', extra: 'x'}, {environment});
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors).toEqual([
			'input extra: unknown; expected one of symbol, replicas, mode, service, flag',
			'input symbol: expected a symbol like BTCUSDT (2-20 characters A-Z, 0-9), got "btc-usdt"',
			'input replicas: expected an integer from 0 to 50, got "51"',
			'input mode: expected one of fast, slow, got "medium"',
			'input service: expected a service of environment local: one of rust-core-engine, python-ai-service, nextjs-ui-dashboard, mongodb-primary, got "nginx"',
			'input flag: expected true or false, got "maybe"',
		]);
	});

	it('reports missing inputs and never echoes a rejected secret', async () => {
		const {environment} = setup();
		const rb = runbook(`
id: secret-input
title: Secret input
inputs:
  - {name: symbol, type: symbol}
  - {name: apiToken, type: string, pattern: '[a-f0-9]{64}'}
steps:
  - {id: s, title: S, kind: wait, action: wait, params: {seconds: 1}}
`);
		const result = await buildPlan(rb, {apiToken: 'hunter2-not-hex'}, {environment});
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors[0]).toBe('input symbol: required; expected a symbol like BTCUSDT (2-20 characters A-Z, 0-9)');
		expect(result.errors[1]).toBe('input apiToken: expected a string, matching [a-f0-9]{64}');
		expect(result.errors.join('\n')).not.toContain('hunter2');
	});

	it('applies defaults and types values', async () => {
		const {environment} = setup();
		const result = await buildPlan(builtin('maintenance-mode'), {}, {environment});
		expect(result.ok && result.plan.inputs).toEqual({drainSeconds: 60});
		const negative = await buildPlan(builtin('maintenance-mode'), {drainSeconds: '-5'}, {environment});
		expect(negative.ok ? [] : negative.errors).toEqual(['input drainSeconds: expected an integer from 0 to 600, got "-5"']);
	});
});

describe('plan', () => {
	it('shows each step with its exact target, call and environment, and the containers it affects', async () => {
		const {docker, environment} = setup();
		const result = await buildPlan(builtin('restart-service'), {service: 'rust-core-engine'}, {environment, docker});
		if (!result.ok) throw new Error(result.errors.join());
		const {plan} = result;
		expect(plan.steps.map(s => [s.id, s.mutating, s.line.call])).toEqual([
			['restart', true, 'docker restart --time 10 rust-core-engine'],
			['verify', false, 'rust-core-engine: container running, GET http://127.0.0.1:8080/api/health ok (retry up to 90 s)'],
		]);
		expect(plan.steps[0]!.line.target).toBe('rust-core-engine (container rust-core-engine 111111111111 running)');
		expect(plan.steps[0]!.line.environment).toBe('local (compose project bot-core)');
		expect(plan.affects).toEqual(['rust-core-engine']);
		expect(plan.confirmation).toEqual({kind: 'yes-no', prompt: 'Run Restart a service on local? [y/N]'});
		expect(renderPlan(plan)).toContain('       call:   docker restart --time 10 rust-core-engine');
	});

	it('resolves templates at plan time, keeping types, and refuses unknown placeholders', async () => {
		const {environment} = setup();
		const result = await buildPlan(builtin('add-symbol'), {symbol: 'ADAUSDT'}, {environment});
		if (!result.ok) throw new Error(result.errors.join());
		expect(result.plan.steps[2]!.line.call).toBe('GET http://127.0.0.1:8080/api/market-data/ADAUSDT ok (retry up to 60 s)');

		const typed = await buildPlan(builtin('maintenance-mode'), {drainSeconds: '5'}, {environment});
		expect(typed.ok && typed.plan.steps[0]!.line.call).toBe('sleep 5');

		const literal = runbook(`
id: literal
title: Literal
steps:
  - {id: s, title: S, kind: mutate, action: shell, params: {argv: [echo, '$\${not.a.template}', '\${environment.name}-\${time.stamp}']}}
`);
		const fixed = new Date('2025-10-11T02:00:00Z');
		const planned = await buildPlan(literal, {}, {environment, now: () => fixed});
		expect(planned.ok && planned.plan.steps[0]!.line.call).toBe("echo '${not.a.template}' local-20251011_020000");

		const bad = runbook(`
id: bad
title: Bad
steps:
  - {id: s, title: S, kind: mutate, action: shell, params: {argv: [echo, '\${secrets.all}']}}
`);
		const refused = await buildPlan(bad, {}, {environment});
		expect(refused.ok ? '' : refused.errors[0]).toMatch(/^step s: \$\{secrets\.all\}: unknown placeholder; expected inputs\.NAME/);
	});

	it('rejects params that do not fit the action, naming the step and key', async () => {
		const {environment} = setup();
		const rb = runbook(`
id: p
title: P
steps:
  - {id: restart, title: R, kind: mutate, action: docker.restart, params: {service: rust-core-engine, timeout: soon}}
`);
		const result = await buildPlan(rb, {}, {environment});
		expect(result.ok ? '' : result.errors[0]).toBe('step restart: params.timeout: expected number, received string');
	});

	it('refuses a mutating action hidden in a step that claims to be a check', async () => {
		const {environment} = setup();
		const rb = runbook(`
id: sneaky
title: Sneaky
steps:
  - {id: look, title: Look, kind: check, action: docker.stop, params: {service: all}}
`);
		const result = await buildPlan(rb, {}, {environment});
		expect(result.ok ? '' : result.errors[0]).toBe('step look: action docker.stop changes things, so the step\'s kind must be "mutate" (it is "check")');
	});

	it('asks for the environment name on a protected environment and on restores', async () => {
		const {environment} = setup();
		const prod = await buildPlan(builtin('restart-all'), {}, {environment: {...environment, name: 'production', protected: true}});
		if (!prod.ok) throw new Error(prod.errors.join());
		expect(prod.plan.confirmation).toMatchObject({kind: 'type-environment', expected: 'production'});
		expect(isConfirmed(prod.plan, true)).toBe(false);
		expect(isConfirmed(prod.plan, 'y')).toBe(false);
		expect(isConfirmed(prod.plan, 'production')).toBe(true);

		const restore = await buildPlan(builtin('db-restore'), {dir: '/backup/dump_20251011_020000'}, {environment, env: {DATABASE_URL: 'mongodb://u:p4ssw0rd@db/x'}});
		if (!restore.ok) throw new Error(restore.errors.join());
		expect(restore.plan.confirmation).toMatchObject({kind: 'type-environment', expected: 'local'});
		expect(isConfirmed(restore.plan, true)).toBe(false);
	});
});

describe('execution', () => {
	it('runs steps in order, emits progress, audits each result and summarises', async () => {
		const {docker, health, audit, environment} = setup();
		const planned = await buildPlan(builtin('restart-service'), {service: 'rust-core-engine'}, {environment, docker});
		if (!planned.ok) throw new Error(planned.errors.join());
		const events: RunEvent[] = [];
		const result = await executePlan(planned.plan, {docker, health, audit}, {confirmation: true, onEvent: e => events.push(e), user: 'ops', host: 'box'});
		expect(result.outcome).toBe('ok');
		expect(docker.mutations()).toEqual(['restart rust-core-engine']);
		expect(result.steps.map(s => [s.id, s.status])).toEqual([['pre-1', 'ok'], ['restart', 'ok'], ['verify', 'ok']]);
		expect(result.state).toBe('All 2 steps succeeded. Changed: restart (restarted rust-core-engine).');
		expect(events.map(e => (e.type === 'step-started' || e.type === 'step-finished' ? `${e.type} ${e.step.id}` : e.type))).toEqual([
			'run-started',
			'step-started pre-1', 'step-finished pre-1',
			'step-started restart', 'step-output', 'step-finished restart',
			'step-started verify', 'step-finished verify',
			'run-finished',
		]);
		// Only the mutating step gets a step-start, written before its call.
		expect(audit.records.map(r => `${r.type}${r.type === 'step' ? ` ${r.step} ${r.status}` : r.type === 'step-start' ? ` ${r.step}` : ''}`)).toEqual([
			'run-start', 'step pre-1 ok', 'step-start restart', 'step restart ok', 'step verify ok', 'run-end',
		]);
		expect(audit.records[2]).toMatchObject({type: 'step-start', step: 'restart', call: 'docker restart --time 10 rust-core-engine'});
		expect(audit.records[0]).toMatchObject({user: 'ops', host: 'box', environment: 'local', runbook: 'restart-service', inputs: {service: 'rust-core-engine'}});
		expect(audit.records.at(-1)).toMatchObject({type: 'run-end', outcome: 'ok', ran: ['pre-1', 'restart', 'verify'], notRun: []});
	});

	it('stops at a failing step and says what ran, what did not, and what state things are in', async () => {
		const {docker, health, audit, environment} = setup();
		docker.failOn.set('restart python-ai-service', new Error('container is marked for removal'));
		const rb = runbook(twoRestarts.replace('seconds: 30', 'seconds: 0.01') + `
  - {id: after, title: After, kind: mutate, action: docker.restart, params: {service: mongodb-primary}}
`);
		const planned = await buildPlan(rb, {}, {environment, docker});
		if (!planned.ok) throw new Error(planned.errors.join());
		const result = await executePlan(planned.plan, {docker, health, audit}, {confirmation: true});
		expect(result.outcome).toBe('failed');
		expect(docker.mutations()).toEqual(['restart rust-core-engine', 'restart python-ai-service']);
		expect(result.ran).toEqual(['first', 'pause', 'second']);
		expect(result.notRun).toEqual(['after']);
		expect(result.state).toBe(
			'Stopped at second ("Restart AI"), which failed: docker restart python-ai-service failed: container is marked for removal. ' +
				'Changed: first (restarted rust-core-engine). second failed part-way or timed out: check python-ai-service before retrying. Not run: after.',
		);
		expect(audit.records.at(-1)).toMatchObject({outcome: 'failed', notRun: ['after']});
	});

	it('continues past a step marked onFailure: continue, and still reports failure', async () => {
		const {docker, health, environment} = setup();
		health.answers.set('http://127.0.0.1:8000/health', {ok: false, status: 503});
		const rb = runbook(`
id: smoke
title: Smoke
steps:
  - {id: ai, title: AI, kind: verify, action: verify, onFailure: continue, params: {services: python-ai-service, within: 0}}
  - {id: engine, title: Engine, kind: verify, action: verify, params: {services: rust-core-engine, within: 0}}
`);
		const planned = await buildPlan(rb, {}, {environment, docker});
		if (!planned.ok) throw new Error(planned.errors.join());
		const result = await executePlan(planned.plan, {docker, health}, {});
		expect(result.steps.map(s => s.status)).toEqual(['failed', 'ok']);
		expect(result.outcome).toBe('failed');
		expect(result.steps[0]!.detail).toBe('python-ai-service: HTTP 503');
	});

	it('checks preconditions before changing anything', async () => {
		const {docker, health, environment} = setup();
		docker.containers.find(c => c.name === 'mongodb-primary')!.state = 'exited';
		const planned = await buildPlan(builtin('db-backup'), {}, {environment, docker, env: {DATABASE_URL: 'mongodb://u:pw@db/x'}});
		if (!planned.ok) throw new Error(planned.errors.join());
		const {audit} = setup();
		const result = await executePlan(planned.plan, {docker, health, audit, env: {DATABASE_URL: 'mongodb://u:pw@db/x'}}, {confirmation: true});
		// A failed precondition is a refusal: audited as one, with the step that said no.
		expect(result.outcome).toBe('refused');
		expect(docker.mutations()).toEqual([]);
		expect(result.state).toBe('Precondition "The MongoDB container is running" failed: mongodb-primary is exited, expected running. Nothing was changed. Not run: dump, verify.');
		expect(audit.records.map(r => r.type)).toEqual(['run-start', 'step', 'run-end']);
		expect(audit.records.at(-1)).toMatchObject({outcome: 'refused', refusal: 'precondition', ran: ['pre-1']});
	});

	it('does not start a change whose step-start cannot be written', async () => {
		const {docker, health, environment} = setup();
		const records: string[] = [];
		const audit = {
			append(record: {type: string}) {
				if (record.type === 'step-start') throw new Error('ENOSPC: no space left on device');
				records.push(record.type);
			},
		};
		const planned = await buildPlan(builtin('restart-service'), {service: 'rust-core-engine'}, {environment, docker});
		if (!planned.ok) throw new Error(planned.errors.join());
		const result = await executePlan(planned.plan, {docker, health, audit}, {confirmation: true});
		expect(docker.mutations()).toEqual([]);
		expect(result.outcome).toBe('failed');
		expect(result.steps.map(s => [s.id, s.status])).toEqual([['pre-1', 'ok'], ['restart', 'not-run'], ['verify', 'not-run']]);
		expect(result.state).toBe('Stopped before restart (the audit log cannot be written (ENOSPC: no space left on device), so it was not started). Nothing was changed. Not run: restart, verify.');
		expect(result.auditError).toBe('audit: ENOSPC: no space left on device');
		expect(records).toEqual(['run-start', 'step', 'run-end']);
	});

	it('aborts between steps, cancelling a wait at once', async () => {
		const {docker, health, audit, environment} = setup();
		const planned = await buildPlan(runbook(twoRestarts), {}, {environment, docker});
		if (!planned.ok) throw new Error(planned.errors.join());
		const controller = new AbortController();
		const result = await executePlan(planned.plan, {docker, health, audit}, {
			confirmation: true,
			signal: controller.signal,
			onEvent: event => {
				if (event.type === 'step-started' && event.step.id === 'pause') controller.abort();
			},
		});
		expect(result.outcome).toBe('aborted');
		expect(docker.mutations()).toEqual(['restart rust-core-engine']);
		expect(result.steps.map(s => s.status)).toEqual(['ok', 'aborted', 'not-run']);
		expect(result.state).toBe('Stopped at pause ("Pause"), which was aborted by the operator. Changed: first (restarted rust-core-engine). Not run: second.');
		expect(audit.records.at(-1)).toMatchObject({outcome: 'aborted', notRun: ['second']});
	});

	it('lets a change under way finish when aborted, then stops before the next step', async () => {
		const {docker, health, environment} = setup();
		const rb = runbook(twoRestarts.replace(/  - \{id: pause.*\n/, ''));
		const planned = await buildPlan(rb, {}, {environment, docker});
		if (!planned.ok) throw new Error(planned.errors.join());
		const controller = new AbortController();
		docker.during = call => {
			if (call === 'restart rust-core-engine') controller.abort();
		};
		const result = await executePlan(planned.plan, {docker, health}, {confirmation: true, signal: controller.signal});
		expect(result.outcome).toBe('aborted');
		expect(result.steps.map(s => s.status)).toEqual(['ok', 'not-run']);
		expect(docker.mutations()).toEqual(['restart rust-core-engine']);
		expect(result.state).toBe('Stopped before second (aborted by the operator). Changed: first (restarted rust-core-engine). Not run: second.');
	});

	it('fails a step that exceeds its timeout and says its effect is unknown', async () => {
		const {docker, health, environment} = setup();
		docker.during = () => new Promise(() => {});
		const rb = runbook(`
id: slow
title: Slow
steps:
  - {id: restart, title: R, kind: mutate, action: docker.restart, timeout: 0.05, params: {service: rust-core-engine}}
`);
		const planned = await buildPlan(rb, {}, {environment, docker});
		if (!planned.ok) throw new Error(planned.errors.join());
		const result = await executePlan(planned.plan, {docker, health}, {confirmation: true});
		expect(result.outcome).toBe('failed');
		expect(result.steps[0]!.detail).toBe('timed out after 0.05 s; its effect is unknown');
		expect(result.state).toContain('restart failed part-way or timed out: check rust-core-engine before retrying.');
	});

	it('refuses without the confirmation the plan asks for', async () => {
		const {docker, health, audit, environment} = setup();
		const planned = await buildPlan(builtin('restart-all'), {}, {environment: {...environment, name: 'production', protected: true}, docker});
		if (!planned.ok) throw new Error(planned.errors.join());
		for (const answer of [undefined, true, 'yes', 'prod']) {
			const result = await executePlan(planned.plan, {docker, health, audit}, {confirmation: answer});
			expect(result.outcome).toBe('refused');
			expect(result.state).toBe('Refused: not confirmed (type "production" exactly). Nothing was changed.');
		}
		expect(docker.mutations()).toEqual([]);
		const ok = await executePlan(planned.plan, {docker, health, audit}, {confirmation: 'production'});
		expect(ok.outcome).toBe('ok');
	});

	it('answers confirm steps through the caller, and stops when declined', async () => {
		const {docker, health, environment} = setup();
		const planned = await buildPlan(builtin('enable-trading'), {}, {environment, docker, env: {ADMIN_TOKEN: 'tok-1234567890'}});
		if (!planned.ok) throw new Error(planned.errors.join());
		const prompts: string[] = [];
		const result = await executePlan(planned.plan, {docker, health}, {
			confirmation: true,
			confirm: async prompt => {
				prompts.push(prompt);
				return false;
			},
		});
		expect(prompts).toEqual(['Trading will place real orders on local. Has this build been thoroughly tested?']);
		expect(result.outcome).toBe('failed');
		expect(result.notRun).toEqual(['enable', 'verify']);
		expect(result.state).toContain('Nothing was changed.');
	});
});

describe('read-only mode', () => {
	it('is enforced by the engine: the plan says so and the run refuses before doing anything', async () => {
		const {docker, health, audit, environment} = setup();
		const planned = await buildPlan(runbook(twoRestarts), {}, {environment, docker, readOnly: true});
		if (!planned.ok) throw new Error(planned.errors.join());
		expect(planned.plan.blockers).toEqual(['read-only mode: refusing first, second (they change things); nothing will run']);
		expect(renderPlan(planned.plan)).toContain('  REFUSED: read-only mode: refusing first, second (they change things); nothing will run');
		// Whatever the caller claims, confirmation included.
		const result = await executePlan(planned.plan, {docker, health, audit}, {confirmation: true});
		expect(result.outcome).toBe('refused');
		expect(result.ran).toEqual([]);
		expect(docker.mutations()).toEqual([]);
		expect(audit.records.map(r => r.type)).toEqual(['run-start', 'run-end']);
		expect(audit.records[0]).toMatchObject({readOnly: true});
	});

	it('allows runbooks whose actions only read by their kind', async () => {
		const {docker, health, environment} = setup();
		const rb = runbook(`
id: look
title: Look
steps:
  - {id: v, title: V, kind: verify, action: verify, params: {services: rust-core-engine, within: 0}}
  - {id: c, title: C, kind: check, action: docker.check, params: {service: mongodb-primary, state: running}}
  - {id: get, title: G, kind: check, action: http.request, params: {method: HEAD, url: 'http://127.0.0.1:9/x'}}
`);
		const planned = await buildPlan(rb, {}, {environment, docker, readOnly: true});
		if (!planned.ok) throw new Error(planned.errors.join());
		expect(planned.plan.blockers).toEqual([]);
		expect(planned.plan.confirmation).toEqual({kind: 'none'});
	});

	it.each([
		['shell', `{id: touch, title: T, kind: check, action: shell, params: {argv: [node, -e, "require('fs').writeFileSync(process.argv[1], 'changed')", '\${inputs.file}'], mutating: false}}`],
		['docker.exec', "{id: touch, title: T, kind: check, action: docker.exec, params: {service: mongodb-primary, argv: [rm, -rf, /backup], mutating: false}}"],
		['http.request', "{id: touch, title: T, kind: check, action: http.request, params: {method: POST, url: 'http://127.0.0.1:9/api/admin/trading/disable', readOnly: true}}"],
	])('goes by the action, not the runbook: a %s step that says it only reads is refused, and changes nothing', async (action, step) => {
		const {docker, health, audit, environment} = setup();
		const dir = mkdtempSync(path.join(tmpdir(), 'botops-ro-'));
		const file = path.join(dir, 'untouched');
		const rb = runbook(`
id: sneaky
title: Sneaky
inputs: [{name: file, type: string}]
steps:
  - ${step}
`);
		// Outside read-only the runbook's word is kept: a check, no y/N.
		const trusted = await buildPlan(rb, {file}, {environment, docker});
		if (!trusted.ok) throw new Error(trusted.errors.join());
		expect(trusted.plan.steps[0]!.mutating).toBe(false);
		expect(trusted.plan.confirmation).toEqual({kind: 'none'});

		const planned = await buildPlan(rb, {file}, {environment, docker, readOnly: true});
		if (!planned.ok) throw new Error(planned.errors.join());
		expect(planned.plan.blockers).toEqual([
			`read-only mode: refusing touch (they change things; touch says it only reads, but read-only mode goes by the action (${action} can change anything)); nothing will run`,
		]);
		expect(planned.plan.steps[0]!.mutating).toBe(true);
		const result = await executePlan(planned.plan, {docker, health, audit}, {confirmation: true});
		expect(result.outcome).toBe('refused');
		expect(result.ran).toEqual([]);
		expect(docker.mutations()).toEqual([]);
		expect(existsSync(file)).toBe(false);
		expect(audit.records.at(-1)).toMatchObject({type: 'run-end', outcome: 'refused', refusal: 'read-only'});
	});

	it('refuses a read-only precondition and a wait until whose actions can change things', async () => {
		const {docker, environment} = setup();
		const rb = runbook(`
id: hidden
title: Hidden
preconditions:
  - {title: Looks, action: docker.exec, params: {service: mongodb-primary, argv: [ls, /backup], mutating: false}}
steps:
  - {id: poll, title: P, kind: wait, action: wait, params: {until: {action: shell, params: {argv: ['true'], mutating: false}}, timeout: 1}}
`);
		const trusted = await buildPlan(rb, {}, {environment, docker});
		if (!trusted.ok) throw new Error(trusted.errors.join());
		expect(trusted.plan.blockers).toEqual([]);
		const planned = await buildPlan(rb, {}, {environment, docker, readOnly: true});
		if (!planned.ok) throw new Error(planned.errors.join());
		expect(planned.plan.blockers).toEqual([
			'read-only mode: refusing pre-1, poll (they change things; pre-1, poll say they only read, but read-only mode goes by the action (docker.exec, shell can change anything)); nothing will run',
		]);
		// A nested call that changes things, even by the runbook's own word, is no check at all.
		const bad = await buildPlan(runbook(`
id: bad
title: Bad
steps:
  - {id: poll, title: P, kind: wait, action: wait, params: {until: {action: docker.restart, params: {service: rust-core-engine}}}}
`), {}, {environment});
		expect(bad.ok ? '' : bad.errors[0]).toBe('step poll: wait runs docker.restart, which changes things; it needs a check');
	});

	it('re-judges read-only in the engine with the actions it will call', async () => {
		const {docker, health, audit, environment} = setup();
		// The plan was built with a registry where k8s.scale says it only reads; the engine's registry knows better.
		const lying: Action<{n: number}> = {name: 'k8s.scale', params: z.strictObject({n: z.number()}), mutating: false, describe: () => ({target: 'x', call: 'scale', environment: 'e'}), run: async () => ({ok: true, output: '', detail: 'scaled'})};
		const honest: Action<{n: number}> = {...lying, mutating: true, run: async () => {
			throw new Error('must not run');
		}};
		const parsed = parseRunbook(`
id: scale
title: Scale
steps:
  - {id: s, title: S, kind: check, action: k8s.scale, params: {n: 1}}
`, 'scale.yaml', 'test', createRegistry([lying]));
		if (!parsed.ok) throw new Error(parsed.errors.join());
		const planned = await buildPlan(parsed.runbook, {}, {environment, readOnly: true, registry: createRegistry([lying])});
		if (!planned.ok) throw new Error(planned.errors.join());
		expect(planned.plan.blockers).toEqual([]);
		const result = await executePlan(planned.plan, {docker, health, audit, registry: createRegistry([honest])}, {});
		expect(result.outcome).toBe('refused');
		expect(result.state).toBe('Refused: read-only mode: s can change things. Nothing was changed.');
	});
});

describe('secrets', () => {
	const uri = 'mongodb://botuser:S3cretPassw0rd@localhost:27017/trading_bot?authSource=admin';

	it('never shows the Mongo URI or its password in the plan, output, errors or audit', async () => {
		const {docker, health, audit, environment} = setup();
		docker.execResults.set('mongodump', {exitCode: 1, stdout: `connecting to ${uri}`, stderr: 'auth failed for password S3cretPassw0rd'});
		const planned = await buildPlan(builtin('db-backup'), {}, {environment, docker, env: {DATABASE_URL: uri}});
		if (!planned.ok) throw new Error(planned.errors.join());
		expect(planned.plan.steps[0]!.line.call).toMatch(/^docker exec mongodb-primary mongodump '--uri=\$DATABASE_URL' --out=\/backup\/dump_\d{8}_\d{6}$/);
		const events: RunEvent[] = [];
		const result = await executePlan(planned.plan, {docker, health, audit, env: {DATABASE_URL: uri}}, {confirmation: true, onEvent: e => events.push(e)});
		expect(result.outcome).toBe('failed');
		// The real value did reach docker exec.
		expect(docker.calls.some(c => c.includes(`--uri=${uri}`))).toBe(true);
		const shown = JSON.stringify({plan: renderPlan(planned.plan), events, result, audit: audit.records});
		expect(shown).not.toContain('S3cretPassw0rd');
		expect(shown).toContain('connecting to ***');
		expect(shown).toContain('auth failed for password ***');
	});

	it('masks secret inputs in the plan and the audit record, and uses the real value', async () => {
		const {docker, health, audit, environment} = setup();
		const rb = runbook(`
id: secret
title: Secret
inputs:
  - {name: apiKey, type: string}
  - {name: note, type: string, secret: true}
steps:
  - {id: echo, title: Echo, kind: mutate, action: shell, params: {argv: [node, -e, 'console.log(process.argv[1] + " " + process.argv[2])', '\${inputs.apiKey}', '\${inputs.note}']}}
`);
		const planned = await buildPlan(rb, {apiKey: 'AKIA-9f8e7d6c5b', note: 'launch-codes-42'}, {environment, docker});
		if (!planned.ok) throw new Error(planned.errors.join());
		expect(planned.plan.inputs).toEqual({apiKey: '***', note: '***'});
		expect(planned.plan.steps[0]!.line.call).toContain("'***' '***'");
		const events: RunEvent[] = [];
		const result = await executePlan(planned.plan, {docker, health, audit}, {confirmation: true, onEvent: e => events.push(e)});
		expect(result.outcome).toBe('ok');
		const output = events.filter(e => e.type === 'step-output').map(e => (e as {line: string}).line);
		expect(output).toEqual(['*** ***']);
		const shown = JSON.stringify({events, result, audit: audit.records});
		expect(shown).not.toContain('AKIA-9f8e7d6c5b');
		expect(shown).not.toContain('launch-codes-42');
	});

	it('refuses to run when a needed environment variable is missing, and says which', async () => {
		const {docker, health, environment} = setup();
		const planned = await buildPlan(builtin('db-backup'), {}, {environment, docker, env: {}});
		if (!planned.ok) throw new Error(planned.errors.join());
		expect(planned.plan.blockers).toEqual(['environment variable DATABASE_URL is not set (needed by step dump)']);
		const result = await executePlan(planned.plan, {docker, health, env: {}}, {confirmation: true});
		expect(result.outcome).toBe('refused');
		expect(docker.mutations()).toEqual([]);
	});
});

describe('extension', () => {
	it('runs actions registered from outside, without engine changes', async () => {
		const {health, environment} = setup();
		const scaled: number[] = [];
		const scale: Action<{deployment: string; replicas: number}> = {
			name: 'example.scale',
			params: z.strictObject({deployment: z.string(), replicas: z.number().int().min(0).max(50)}),
			mutating: true,
			describe: p => ({target: `deployment/${p.deployment}`, call: `kubectl scale deployment ${p.deployment} --replicas=${p.replicas}`, environment: 'production'}),
			async run(p) {
				scaled.push(p.replicas);
				return {ok: true, output: '', detail: `scaled to ${p.replicas}`};
			},
		};
		const registry = createRegistry([...builtinActions, scale]);
		const parsed = parseRunbook(`
id: scale
title: Scale
inputs: [{name: replicas, type: integer}]
steps:
  - {id: scale, title: Scale, kind: mutate, action: example.scale, params: {deployment: rust-core-engine, replicas: '\${inputs.replicas}'}}
`, 'scale.yaml', 'test', registry);
		if (!parsed.ok) throw new Error(parsed.errors.join());
		const tooMany = await buildPlan(parsed.runbook, {replicas: '60'}, {environment, registry});
		expect(tooMany.ok ? [] : tooMany.errors).toEqual(['input replicas: expected an integer from 0 to 50, got "60"']);
		const planned = await buildPlan(parsed.runbook, {replicas: '5'}, {environment, registry});
		if (!planned.ok) throw new Error(planned.errors.join());
		expect(planned.plan.steps[0]!.line.call).toBe('kubectl scale deployment rust-core-engine --replicas=5');
		const result = await executePlan(planned.plan, {health, registry}, {confirmation: true});
		expect(result.outcome).toBe('ok');
		expect(scaled).toEqual([5]);
	});
});
