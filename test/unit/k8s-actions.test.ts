// The neutral service.* actions resolve to docker.* on compose and k8s.* on Kubernetes when the plan is built;
// what a backend cannot do is said in the plan. No cluster here: the calls themselves are tested against the demo
// in test/integration/kubernetes-ops.test.ts.
import {describe, expect, it} from 'vitest';
import type {EnvironmentConfig} from '../../source/config/schema.js';
import {buildPlan, executePlan} from '../../source/runbooks/engine.js';
import {loadBuiltinRunbooks, parseRunbook} from '../../source/runbooks/loader.js';
import {FakeDocker, FakeHealth, testEnvironment} from '../fixtures/runbooks/fakes.js';

const builtin = (id: string) => loadBuiltinRunbooks().find(r => r.id === id)!;
const compose = testEnvironment();
const kubernetes: EnvironmentConfig = testEnvironment({
	name: 'production',
	backend: {type: 'kubernetes', namespace: 'bot-core-production'},
	protected: true,
	services: testEnvironment().services.map(({container: _container, ...s}) => ({...s, deployment: s.name === 'rust-core-engine' ? 'rust-engine' : s.name})),
});

async function plan(id: string, inputs: Record<string, string>, environment: EnvironmentConfig) {
	const result = await buildPlan(builtin(id), inputs, {environment, docker: environment.backend.type === 'compose' ? new FakeDocker(['rust-core-engine', 'python-ai-service', 'nextjs-ui-dashboard', 'mongodb-primary']) : undefined});
	if (!result.ok) throw new Error(result.errors.join('\n'));
	return result.plan;
}

describe('neutral actions', () => {
	it('restart-service is docker restart on compose and a waited-for rollout restart on Kubernetes', async () => {
		const onCompose = await plan('restart-service', {service: 'rust-core-engine'}, compose);
		expect([...onCompose.preconditions, ...onCompose.steps].map(s => [s.action, s.via, s.line.call])).toEqual([
			['docker.check', 'service.check', 'docker inspect rust-core-engine (expect to exist)'],
			['docker.restart', 'service.restart', 'docker restart --time 10 rust-core-engine'],
			['verify', undefined, 'rust-core-engine: container running, GET http://127.0.0.1:8080/api/health ok (retry up to 90 s)'],
		]);
		const onKubernetes = await plan('restart-service', {service: 'rust-core-engine'}, kubernetes);
		expect([...onKubernetes.preconditions, ...onKubernetes.steps].map(s => [s.action, s.line.call])).toEqual([
			['k8s.check', 'kubectl get deployment rust-engine -n bot-core-production (expect to exist)'],
			['k8s.rolloutRestart', 'kubectl rollout restart deployment/rust-engine -n bot-core-production && kubectl rollout status deployment/rust-engine -n bot-core-production --timeout=600s'],
			['verify', 'rust-core-engine: GET http://127.0.0.1:8080/api/health ok (retry up to 90 s)'],
		]);
		expect(onKubernetes.affects).toEqual(['deployment/rust-engine']);
		expect(onKubernetes.confirmation).toEqual({kind: 'type-environment', prompt: 'Type "production" to run Restart a service on production', expected: 'production'});
	});

	it('stop-all scales every deployment to 0 (keeping its count), start-all brings that count back', async () => {
		const stop = await plan('stop-all', {}, kubernetes);
		expect(stop.steps.map(s => s.action)).toEqual(['k8s.scale', 'k8s.check']);
		expect(stop.steps[0]!.line.call).toBe(
			['rust-engine', 'python-ai-service', 'nextjs-ui-dashboard', 'mongodb-primary'].reverse().map(d => `kubectl scale deployment ${d} --replicas=0 -n bot-core-production`).join(' && '),
		);
		// No cluster connection while planning: a preview cannot check the HPA, so the plan will not run.
		expect(stop.blockers).toEqual(['stop: this environment has no Kubernetes backend']);
		const start = await plan('start-all', {}, kubernetes);
		expect(start.steps[0]!.line.call).toMatch(/^kubectl scale deployment rust-engine --replicas=<the count before it was stopped> -n bot-core-production && /);
		const onCompose = await plan('stop-all', {}, compose);
		expect(onCompose.steps.map(s => s.action)).toEqual(['docker.stop', 'docker.check']);
	});

	it('compose cannot scale, and says so before anything runs', async () => {
		const result = await buildPlan(builtin('scale-service'), {service: 'rust-core-engine', replicas: '3'}, {environment: compose});
		expect(result.ok ? [] : result.errors).toEqual([
			'step scale: compose cannot scale: local runs one container per service (docker compose up --scale is a deploy, not a runtime action); scaling needs a Kubernetes environment',
		]);
	});

	it('Kubernetes actions on a compose environment say it has no Kubernetes backend', async () => {
		const result = await buildPlan(builtin('rollback'), {service: 'rust-core-engine'}, {environment: compose});
		expect(result.ok ? [] : result.errors).toEqual([
			'step undo: this environment has no Kubernetes backend (local is compose)',
			'step rollout: this environment has no Kubernetes backend (local is compose)',
		]);
	});

	it('a plan that reached the engine without a Kubernetes connection fails its step with the same words', async () => {
		const parsed = parseRunbook('id: r\ntitle: R\nsteps:\n  - {id: restart, title: R, kind: mutate, action: service.restart, params: {service: rust-core-engine}}\n', 'r.yaml', 'test');
		if (!parsed.ok) throw new Error(parsed.errors.join());
		const planned = await buildPlan(parsed.runbook, {}, {environment: kubernetes});
		if (!planned.ok) throw new Error(planned.errors.join());
		const result = await executePlan(planned.plan, {health: new FakeHealth()}, {confirmation: 'production'});
		expect(result.steps[0]).toMatchObject({status: 'failed', detail: 'this environment has no Kubernetes backend (production: not connected)'});
	});

	it('secret values never reach a plan line: generated ones are described, prompted ones masked', async () => {
		const binance = await plan('rotate-binance-keys', {apiKey: 'AK-visible-nowhere-123', secretKey: 'SK-visible-nowhere-456'}, kubernetes);
		expect(binance.steps[0]!.line.call).toBe(
			'create or update secret binance-secrets -n bot-core-production: api-key (given, not shown), secret-key (given, not shown) (like kubectl create secret generic … --dry-run=client -o yaml | kubectl apply -f -; other keys are kept)',
		);
		expect(JSON.stringify(binance)).not.toMatch(/visible-nowhere/);
		const tokens = await plan('rotate-secrets-k8s', {}, kubernetes);
		expect(tokens.steps[0]!.line.call).toMatch(/: inter-service-token \(generated, 64 hex chars\), rust-api-key \(generated, 64 hex chars\)/);
	});

	it('replicas outside 0-50 are refused by the inputs, before any call', async () => {
		const result = await buildPlan(builtin('scale-service'), {service: 'rust-core-engine', replicas: '51'}, {environment: kubernetes});
		expect(result.ok ? [] : result.errors).toEqual(['input replicas: expected an integer from 0 to 50, got "51"']);
	});
});
