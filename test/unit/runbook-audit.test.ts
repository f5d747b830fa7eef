import {appendFileSync, mkdtempSync, readFileSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {auditFilePath, createAuditLog, readRecentRuns} from '../../source/services/audit.js';
import {buildPlan, executePlan} from '../../source/runbooks/engine.js';
import {loadBuiltinRunbooks} from '../../source/runbooks/loader.js';
import {FakeDocker, FakeHealth, healthyAnswers, testEnvironment} from '../fixtures/runbooks/fakes.js';

describe('audit log', () => {
	it('lives under $XDG_STATE_HOME/botops, defaulting to ~/.local/state', () => {
		expect(auditFilePath({XDG_STATE_HOME: '/var/state'})).toBe('/var/state/botops/audit.jsonl');
		expect(auditFilePath({})).toMatch(/\/\.local\/state\/botops\/audit\.jsonl$/);
	});

	it('appends one JSON line per run start, step and end, readable as recent runs (newest first)', async () => {
		const state = mkdtempSync(path.join(tmpdir(), 'botops-audit-'));
		const audit = createAuditLog({env: {XDG_STATE_HOME: state}});
		const docker = new FakeDocker(['rust-core-engine', 'python-ai-service', 'nextjs-ui-dashboard', 'mongodb-primary']);
		const health = new FakeHealth();
		for (const [url, answer] of healthyAnswers) health.answers.set(url, answer);
		const environment = testEnvironment();
		const restart = loadBuiltinRunbooks().find(r => r.id === 'restart-service')!;
		for (const service of ['rust-core-engine', 'python-ai-service']) {
			const planned = await buildPlan(restart, {service}, {environment, docker});
			if (!planned.ok) throw new Error(planned.errors.join());
			await executePlan(planned.plan, {docker, health, audit}, {confirmation: true, user: 'alice', host: 'ops-1'});
		}
		const lines = readFileSync(audit.file, 'utf8').trimEnd().split('\n');
		expect(lines).toHaveLength(12);
		expect(lines.map(l => JSON.parse(l).type)).toEqual([
			'run-start', 'step', 'step-start', 'step', 'step', 'run-end',
			'run-start', 'step', 'step-start', 'step', 'step', 'run-end',
		]);
		expect(statSync(audit.file).mode & 0o777).toBe(0o600);

		// A torn last line (a crash mid-write by someone else) and a run that never ended.
		appendFileSync(audit.file, `${JSON.stringify({type: 'run-start', runId: 'x', time: 't', user: 'bob', host: 'h', environment: 'local', runbook: 'stop-all', inputs: {}})}\n{"type":"st`);
		const runs = audit.readRecentRuns(2);
		expect(runs.map(r => [r.runbook, r.outcome, r.inputs])).toEqual([
			['stop-all', 'interrupted', {}],
			['restart-service', 'ok', {service: 'python-ai-service'}],
		]);
		expect(runs[1]).toMatchObject({user: 'alice', host: 'ops-1', environment: 'local'});
		expect(runs[1]!.steps.map(s => [s.step, s.status])).toEqual([['pre-1', 'ok'], ['restart', 'ok'], ['verify', 'ok']]);
	});

	it('reads a step-start with no result as in flight: interrupted once its process is gone, running while it lives', () => {
		const state = mkdtempSync(path.join(tmpdir(), 'botops-audit-'));
		const audit = createAuditLog({env: {XDG_STATE_HOME: state}});
		const ref = {time: '2026-12-01T10:00:00.000Z', environment: 'local', runbook: 'db-backup'};
		const start = (runId: string, pid: number) =>
			audit.append({...ref, type: 'run-start', runId, user: 'u', host: 'ops-1', inputs: {}, readOnly: false, plan: [{id: 'dump', call: 'docker exec mongodb-primary mongodump'}], pid});
		const inFlight = (runId: string) =>
			audit.append({...ref, type: 'step-start', runId, phase: 'step', step: 'dump', title: 'Run mongodump', call: 'docker exec mongodb-primary mongodump'});
		start('dead', 101);
		inFlight('dead');
		start('alive', 202);
		inFlight('alive');
		// A step-start followed by its result is not in flight.
		start('finished-step', 101);
		inFlight('finished-step');
		audit.append({...ref, type: 'step', runId: 'finished-step', phase: 'step', step: 'dump', title: 'Run mongodump', status: 'ok', durationMs: 5, detail: 'done'});
		const liveness = {host: 'ops-1', isAlive: (pid: number) => pid === 202};
		const runs = readRecentRuns(audit.file, 10, undefined, liveness);
		expect(runs.map(r => [r.runId, r.outcome, r.inFlight?.step])).toEqual([
			['finished-step', 'interrupted', undefined],
			['alive', 'running', 'dump'],
			['dead', 'interrupted', 'dump'],
		]);
		expect(runs[2]!.inFlight).toEqual({step: 'dump', title: 'Run mongodump', since: '2026-12-01T10:00:00.000Z', call: 'docker exec mongodb-primary mongodump'});
		// Another host's pid says nothing about this one.
		expect(readRecentRuns(audit.file, 10, undefined, {host: 'elsewhere', isAlive: () => true}).map(r => r.outcome)).toEqual(['interrupted', 'interrupted', 'interrupted']);
	});

	it('masks anything secret-looking before it reaches the disk', () => {
		const state = mkdtempSync(path.join(tmpdir(), 'botops-audit-'));
		const audit = createAuditLog({env: {XDG_STATE_HOME: state}});
		audit.append({
			type: 'run-start', runId: 'r1', time: 't', user: 'u', host: 'h', environment: 'e', runbook: 'rb', readOnly: false,
			inputs: {dbPassword: 'pw-1', apiKey: 'k-2', symbol: 'BTCUSDT', uri: 'mongodb://bot:pw-3@db:27017/x'},
			plan: [{id: 's', call: 'curl -H "Authorization: Bearer tok-4"'}],
		});
		audit.append({type: 'step-start', runId: 'r1', time: 't', environment: 'e', runbook: 'rb', phase: 'step', step: 's', title: 'S', call: 'curl -H "Authorization: Bearer tok-6"'});
		audit.append({type: 'step', runId: 'r1', time: 't', environment: 'e', runbook: 'rb', phase: 'step', step: 's', title: 'S', status: 'failed', durationMs: 1, detail: 'password=pw-5 rejected'});
		const text = readFileSync(audit.file, 'utf8');
		for (const secret of ['pw-1', 'k-2', 'pw-3', 'tok-4', 'pw-5', 'tok-6']) expect(text).not.toContain(secret);
		expect(text).toContain('BTCUSDT');
		expect(text).toContain('mongodb://bot:***@db:27017/x');
	});
});
