import {mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {buildPlan, executePlan, type RunEvent} from '../../source/runbooks/engine.js';
import {loadBuiltinRunbooks, parseRunbook} from '../../source/runbooks/loader.js';
import {setVariable} from '../../source/runbooks/actions/secrets-rotate.js';
import {startHttpServer, type TestServer} from '../helpers/http.js';
import {FakeDocker, FakeHealth, healthyAnswers, MemoryAudit, testEnvironment} from '../fixtures/runbooks/fakes.js';
import type {MongoService} from '../../source/services/types-mongo.js';

const builtin = (id: string) => loadBuiltinRunbooks().find(r => r.id === id)!;

function runbook(yaml: string) {
	const result = parseRunbook(yaml, 'test.yaml', 'test');
	if (!result.ok) throw new Error(result.errors.join('\n'));
	return result.runbook;
}

function fakes() {
	const docker = new FakeDocker(['rust-core-engine', 'python-ai-service', 'nextjs-ui-dashboard', 'mongodb-primary']);
	const health = new FakeHealth();
	for (const [url, answer] of healthyAnswers) health.answers.set(url, answer);
	return {docker, health, audit: new MemoryAudit()};
}

let server: TestServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

describe('secrets.rotate', () => {
	it('writes new hex secrets atomically with mode 0600, keeps a backup, and never shows the values', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'botops-rotate-'));
		const envFile = path.join(dir, '.env');
		writeFileSync(envFile, '# platform\nINTER_SERVICE_TOKEN=old-token-value\nexport RUST_API_KEY=old-key-value\nOTHER=keep\n', {mode: 0o644});
		const environment = testEnvironment({envFile});
		const {docker, health, audit} = fakes();
		const planned = await buildPlan(builtin('rotate-secrets'), {}, {environment, docker});
		if (!planned.ok) throw new Error(planned.errors.join());
		const events: RunEvent[] = [];
		const result = await executePlan(planned.plan, {docker, health, audit}, {confirmation: true, onEvent: e => events.push(e)});
		expect(result.outcome).toBe('ok');
		expect(docker.mutations()).toEqual(['restart rust-core-engine', 'restart python-ai-service']);

		const text = readFileSync(envFile, 'utf8');
		const token = /^INTER_SERVICE_TOKEN=([0-9a-f]+)$/m.exec(text)?.[1];
		const key = /^export RUST_API_KEY=([0-9a-f]+)$/m.exec(text)?.[1];
		expect(token).toHaveLength(64);
		expect(key).toHaveLength(64);
		expect(token).not.toBe(key);
		expect(text).toContain('# platform\n');
		expect(text).toContain('OTHER=keep\n');
		expect(statSync(envFile).mode & 0o777).toBe(0o600);

		const backups = readdirSync(dir).filter(f => /^\.env\.bak-\d{8}_\d{6}$/.test(f));
		expect(backups).toHaveLength(1);
		expect(readFileSync(path.join(dir, backups[0]!), 'utf8')).toContain('INTER_SERVICE_TOKEN=old-token-value');
		expect(statSync(path.join(dir, backups[0]!)).mode & 0o777).toBe(0o600);
		expect(readdirSync(dir).filter(f => f.includes('.tmp-'))).toEqual([]);

		const shown = JSON.stringify({events, result, audit: audit.records, plan: planned.plan});
		expect(shown).not.toContain(token);
		expect(shown).not.toContain(key);
	});

	it('refuses to plan without an env file to rotate', async () => {
		const result = await buildPlan(builtin('rotate-secrets'), {}, {environment: testEnvironment()});
		expect(result.ok ? [] : result.errors).toEqual(['step rotate: secrets.rotate: no envFile configured for environment local']);
	});

	it('replaces or appends a variable without touching other lines', () => {
		expect(setVariable('A=1\nB=2\n', 'B', 'x')).toBe('A=1\nB=x\n');
		expect(setVariable('A=1', 'C', 'x')).toBe('A=1\nC=x\n');
		expect(setVariable('AB=1\n', 'B', 'x')).toBe('AB=1\nB=x\n');
	});
});

describe('shell', () => {
	it('passes argv without a shell: metacharacters stay literal', async () => {
		const {docker, health} = fakes();
		const rb = runbook(`
id: argv
title: Argv
inputs: [{name: text, type: string}]
steps:
  - {id: echo, title: Echo, kind: check, action: shell, params: {argv: [printf, '%s', '\${inputs.text}'], mutating: false}}
`);
		const planned = await buildPlan(rb, {text: '$(echo pwned); `id` > /tmp/x'}, {environment: testEnvironment()});
		if (!planned.ok) throw new Error(planned.errors.join());
		expect(planned.plan.steps[0]!.line.call).toBe("printf %s '$(echo pwned); `id` > /tmp/x'");
		const result = await executePlan(planned.plan, {docker, health}, {});
		expect(result.outcome).toBe('ok');
		expect(result.steps[0]!.output).toBe('$(echo pwned); `id` > /tmp/x');
	});

	it('fails on an unexpected exit code and on a missing program', async () => {
		const {docker, health} = fakes();
		const rb = runbook(`
id: exit
title: Exit
steps:
  - {id: fail, title: Fail, kind: mutate, action: shell, onFailure: continue, params: {argv: [node, -e, 'process.exit(3)']}}
  - {id: missing, title: Missing, kind: mutate, action: shell, params: {argv: [botops-no-such-program]}}
`);
		const planned = await buildPlan(rb, {}, {environment: testEnvironment()});
		if (!planned.ok) throw new Error(planned.errors.join());
		const result = await executePlan(planned.plan, {docker, health}, {confirmation: true});
		expect(result.steps.map(s => s.detail)).toEqual(['node exited 3 (expected 0)', 'botops-no-such-program: ENOENT']);
	});
});

describe('http.request', () => {
	it('disables trading with the bearer token from the configured variable, which appears nowhere', async () => {
		const token = 'adm-7f3c9e1d2b4a6f80';
		const seen: Array<{method?: string; url?: string; auth?: string}> = [];
		server = await startHttpServer((req, res) => {
			seen.push({method: req.method, url: req.url, auth: req.headers.authorization});
			if (req.headers.authorization !== `Bearer ${token}`) {
				res.writeHead(401, {'content-type': 'application/json'}).end(JSON.stringify({error: `bad token ${req.headers.authorization}`}));
				return;
			}
			res.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({trading_enabled: false}));
		});
		const environment = testEnvironment({
			services: [{name: 'rust-core-engine', container: 'rust-core-engine', healthUrl: `${server.url}/api/health`, critical: true}],
		});
		const {docker, health, audit} = fakes();
		health.answers.set(`${server.url}/api/health`, {ok: true});
		const planned = await buildPlan(builtin('disable-trading'), {}, {environment, docker, env: {ADMIN_TOKEN: token}});
		if (!planned.ok) throw new Error(planned.errors.join());
		expect(planned.plan.steps[0]!.line.call).toBe(`POST ${server.url}/api/admin/trading/disable -H "Authorization: Bearer $ADMIN_TOKEN" (expect 200|202|204)`);
		const ok = await executePlan(planned.plan, {docker, health, audit, env: {ADMIN_TOKEN: token}}, {confirmation: true});
		expect(ok.outcome).toBe('ok');
		expect(seen).toEqual([{method: 'POST', url: '/api/admin/trading/disable', auth: `Bearer ${token}`}]);

		// A wrong token: the server echoes what it got, and the echo is scrubbed too.
		const wrong = 'wrong-token-5e6f7a8b';
		const events: RunEvent[] = [];
		const bad = await executePlan(planned.plan, {docker, health, audit, env: {ADMIN_TOKEN: wrong}}, {confirmation: true, onEvent: e => events.push(e)});
		expect(bad.outcome).toBe('failed');
		expect(bad.steps[0]!.detail).toBe(`POST ${server.url}/api/admin/trading/disable answered HTTP 401, expected 200 or 202 or 204`);
		const shown = JSON.stringify({plan: planned.plan, events, ok, bad, audit: audit.records});
		expect(shown).not.toContain(token);
		expect(shown).not.toContain(wrong);
	});

	it('refuses at plan time, before any confirmation, when the token variable is unset', async () => {
		const {docker, health, audit} = fakes();
		const planned = await buildPlan(builtin('disable-trading'), {}, {environment: testEnvironment(), docker, env: {}});
		if (!planned.ok) throw new Error(planned.errors.join());
		// The same list, and the same words, as an unset ${mongo.uri}.
		expect(planned.plan.blockers).toEqual(['environment variable ADMIN_TOKEN is not set (needed by step disable)']);
		const result = await executePlan(planned.plan, {docker, health, audit, env: {}}, {confirmation: true});
		expect(result.outcome).toBe('refused');
		expect(result.ran).toEqual([]);
		expect(audit.records.at(-1)).toMatchObject({outcome: 'refused', refusal: 'blocked'});
		// An env:NAME token is checked the same way; set, its value joins the secrets scrubbed from the output.
		const own = runbook(`
id: own-token
title: Own token
steps:
  - {id: call, title: Call, kind: check, action: http.request, params: {url: 'http://127.0.0.1:9/x', auth: 'env:OPS_TOKEN'}}
`);
		const unset = await buildPlan(own, {}, {environment: testEnvironment(), env: {}});
		expect(unset.ok && unset.plan.blockers).toEqual(['environment variable OPS_TOKEN is not set (needed by step call)']);
		const set = await buildPlan(own, {}, {environment: testEnvironment(), env: {OPS_TOKEN: 'tok-0a1b2c3d4e'}});
		expect(set.ok && set.plan.blockers).toEqual([]);
	});
});

describe('mongo.command', () => {
	const rb = () =>
		runbook(`
id: kill-op
title: Kill a long-running operation
inputs: [{name: op, type: integer, min: 0}]
steps:
  - {id: kill, title: Kill it, kind: mutate, action: mongo.command, params: {db: admin, command: {killOp: 1, op: '\${inputs.op}'}}}
`);

	it('says clearly when the environment has no MongoDB backend', async () => {
		const {docker, health} = fakes();
		const planned = await buildPlan(rb(), {op: '42'}, {environment: testEnvironment()});
		if (!planned.ok) throw new Error(planned.errors.join());
		expect(planned.plan.steps[0]!.line.call).toBe('db.runCommand({"killOp":1,"op":42})');
		const result = await executePlan(planned.plan, {docker, health}, {confirmation: true});
		expect(result.steps[0]!.detail).toBe('mongo: not configured for environment local');
	});

	it('runs the command through the MongoService and checks ok: 1', async () => {
		const {docker, health} = fakes();
		const commands: unknown[] = [];
		const mongo: MongoService = {
			async runCommand(db, command) {
				commands.push([db, command]);
				return command.op === 42 ? {ok: 1, info: 'attempting to kill op'} : {ok: 0, errmsg: 'no such op'};
			},
		};
		const planned = await buildPlan(rb(), {op: '42'}, {environment: testEnvironment()});
		if (!planned.ok) throw new Error(planned.errors.join());
		const result = await executePlan(planned.plan, {docker, health, mongo}, {confirmation: true});
		expect(result.outcome).toBe('ok');
		expect(commands).toEqual([['admin', {killOp: 1, op: 42}]]);
		const other = await buildPlan(rb(), {op: '7'}, {environment: testEnvironment()});
		if (!other.ok) throw new Error(other.errors.join());
		const failed = await executePlan(other.plan, {docker, health, mongo}, {confirmation: true});
		expect(failed.steps[0]!.detail).toBe('killOp on admin: no such op (ok is 0, expected 1)');
	});
});

describe('wait until', () => {
	it('retries a check until it passes', async () => {
		const {docker, health} = fakes();
		let calls = 0;
		const original = health.probe.bind(health);
		health.probe = async (service, url) => {
			calls++;
			if (calls < 3) return {service, url, ok: false, latencyMs: 1, error: 'HTTP 503', status: 503, at: Date.now()};
			return original(service, url);
		};
		const rb = runbook(`
id: until
title: Until
steps:
  - id: wait
    title: Wait for the engine
    kind: wait
    action: wait
    params:
      until: {action: verify, params: {services: rust-core-engine, within: 0}}
      interval: 0.01
      timeout: 5
`);
		const planned = await buildPlan(rb, {}, {environment: testEnvironment({backend: {type: 'kubernetes', namespace: 'x'}})});
		if (!planned.ok) throw new Error(planned.errors.join());
		const result = await executePlan(planned.plan, {health}, {});
		expect(result.outcome).toBe('ok');
		expect(result.steps[0]!.detail).toBe('rust-core-engine: up after 3 attempt(s)');
		expect(docker.calls).toEqual([]);
	});
});
