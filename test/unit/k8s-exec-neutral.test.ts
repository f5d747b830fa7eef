// service.exec: the same db-backup/db-restore steps become docker exec on compose and kubectl exec on Kubernetes,
// the Mongo URI masked in the plan either way; the runbook's "only reads" is believed outside read-only mode only.
import {describe, expect, it} from 'vitest';
import {buildPlan, executePlan} from '../../source/runbooks/engine.js';
import {loadBuiltinRunbooks, parseRunbook} from '../../source/runbooks/loader.js';
import {renderPlan} from '../../source/runbooks/render.js';
import {FakeDocker, FakeHealth, MemoryAudit, testEnvironment} from '../fixtures/runbooks/fakes.js';

const builtin = (id: string) => loadBuiltinRunbooks().find(r => r.id === id)!;
const uri = 'mongodb://botuser:Exec5ecretPw@localhost:27017/trading_bot?authSource=admin';
const kubernetes = testEnvironment({name: 'production', backend: {type: 'kubernetes', namespace: 'bot-core-production'}});

describe('service.exec', () => {
	it('resolves to docker exec in the container on compose, and runs there with the real URI', async () => {
		const docker = new FakeDocker(['mongodb-primary']);
		docker.execResults.set('mongodump', {exitCode: 0, stdout: '', stderr: `done dumping trading_bot.trades (48213 documents) from ${uri}`});
		docker.execResults.set('ls', {exitCode: 0, stdout: 'trading_bot\n', stderr: ''});
		const planned = await buildPlan(builtin('db-backup'), {}, {environment: testEnvironment(), docker, env: {DATABASE_URL: uri}});
		if (!planned.ok) throw new Error(planned.errors.join('\n'));
		const [dump, verify] = planned.plan.steps;
		expect([dump!.action, dump!.via, verify!.action, verify!.via]).toEqual(['docker.exec', 'service.exec', 'docker.exec', 'service.exec']);
		expect(dump!.line.call).toMatch(/^docker exec mongodb-primary mongodump '--uri=\$DATABASE_URL' --out=\/backup\/dump_\d{8}_\d{6}$/);
		expect(planned.plan.preconditions[0]!.action).toBe('docker.check');
		const audit = new MemoryAudit();
		const result = await executePlan(planned.plan, {docker, health: new FakeHealth(), audit, env: {DATABASE_URL: uri}}, {confirmation: true});
		expect(result.outcome).toBe('ok');
		expect(docker.calls.some(call => call.includes(`--uri=${uri}`))).toBe(true);
		expect(JSON.stringify({plan: renderPlan(planned.plan), result, audit: audit.records})).not.toContain('Exec5ecretPw');
	});

	it('resolves to kubectl exec in the deployment on Kubernetes, the URI masked', async () => {
		const planned = await buildPlan(builtin('db-restore'), {dir: '/backup/dump_20261201_020000'}, {environment: kubernetes, env: {DATABASE_URL: uri}});
		if (!planned.ok) throw new Error(planned.errors.join('\n'));
		expect(planned.plan.preconditions[0]!).toMatchObject({action: 'k8s.exec', via: 'service.exec', mutating: false, line: {call: 'kubectl exec -n bot-core-production deploy/mongodb-primary -- ls /backup/dump_20261201_020000', affects: []}});
		expect(planned.plan.steps[0]!.line).toMatchObject({
			target: 'mongodb-primary (deployment mongodb-primary, its first ready pod)',
			call: "kubectl exec -n bot-core-production deploy/mongodb-primary -- mongorestore '--uri=$DATABASE_URL' --dir=/backup/dump_20261201_020000",
			affects: ['deployment/mongodb-primary'],
		});
		// Not connected: the run would have no namespace to exec in, and says so before anything runs.
		const result = await executePlan(planned.plan, {health: new FakeHealth(), env: {DATABASE_URL: uri}}, {confirmation: 'production'});
		expect(result.outcome).not.toBe('ok');
		expect(JSON.stringify(result)).toContain('this environment has no Kubernetes backend (production: not connected)');
		expect(JSON.stringify({plan: renderPlan(planned.plan), result})).not.toContain('Exec5ecretPw');
	});

	it("believes a step's mutating: false outside read-only mode only, as docker.exec does", async () => {
		const parsed = parseRunbook(`
id: peek
title: Peek at the backups
steps:
  - {id: look, title: Look, kind: check, action: service.exec, params: {service: mongodb-primary, argv: [ls, /backup], mutating: false}}
`, 'peek.yaml', 'test');
		if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
		const runbook = parsed.runbook;
		for (const environment of [testEnvironment(), kubernetes]) {
			const normal = await buildPlan(runbook, {}, {environment, docker: new FakeDocker(['mongodb-primary'])});
			if (!normal.ok) throw new Error(normal.errors.join('\n'));
			expect(normal.plan.steps[0]!.mutating).toBe(false);
			const readOnly = await buildPlan(runbook, {}, {environment, docker: new FakeDocker(['mongodb-primary']), readOnly: true});
			if (!readOnly.ok) throw new Error(readOnly.errors.join('\n'));
			expect(readOnly.plan.steps[0]!.mutating).toBe(true);
			expect(readOnly.plan.blockers.join('\n')).toMatch(/read-only mode: refusing look/);
		}
	});
});
