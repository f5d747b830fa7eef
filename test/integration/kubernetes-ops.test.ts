// botops' Kubernetes operations and runbook actions through the official client against the demo's API server;
// rollout undo is checked against the real kubectl on an identical demo (skipped without kubectl, required in CI).
import {execFile} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {AppsV1Api, AutoscalingV2Api, CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions, type V1Deployment} from '@kubernetes/client-node';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';
import {buildPlan, executePlan, type RunEvent} from '../../source/runbooks/engine.js';
import {loadBuiltinRunbooks} from '../../source/runbooks/loader.js';
import {createAuditLog} from '../../source/services/audit.js';
import {createHealthProber} from '../../source/services/health.js';
import {
	applySecret,
	previewUndo,
	revisionAnnotation,
	rolloutUndo,
	scaleDeployment,
	waitRollout,
	type KubeTarget,
} from '../../source/services/kubernetes-ops.js';
import type {HealthProber} from '../../source/services/types.js';

const kubectlPath = process.env.KUBECTL ?? '/usr/bin/kubectl';
const haveKubectl = existsSync(kubectlPath) || process.env.CI === 'true';
const builtin = (id: string) => loadBuiltinRunbooks().find(r => r.id === id)!;
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

function kubeOf(demo: DemoDeployment): KubeTarget {
	const kubeConfig = new KubeConfig();
	kubeConfig.loadFromFile(demo.kubernetes!.kubeconfig);
	kubeConfig.setCurrentContext('demo-k8s');
	// The demo serves plain http on 127.0.0.1; client-node 1.4 refuses http unless skipTLSVerify is set (there is no
	// TLS to verify). botops' own loader (loadKubeContext) does the same for an http server.
	kubeConfig.clusters = kubeConfig.clusters.map(cluster => (cluster.server.startsWith('http://') ? {...cluster, skipTLSVerify: true} : cluster));
	return {kubeConfig, namespace: demo.kubernetes!.namespace};
}

function kubectl(demo: DemoDeployment, args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
	return new Promise(resolve => {
		execFile(kubectlPath, ['--kubeconfig', demo.kubernetes!.kubeconfig, '-n', demo.kubernetes!.namespace, ...args], {timeout: 60_000}, (error, stdout, stderr) =>
			resolve({code: error ? ((error as {code?: number}).code ?? 1) : 0, stdout, stderr}),
		);
	});
}

/** Polls until `check` holds; the test's own timeout bounds it. */
async function eventually<T>(probe: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
	for (;;) {
		const value = await probe();
		if (check(value)) return value;
		await new Promise(resolve => setTimeout(resolve, 200));
	}
}

const apps = (kube: KubeTarget) => kube.kubeConfig.makeApiClient(AppsV1Api);
const deployment = (kube: KubeTarget, name = 'rust-core-engine') => apps(kube).readNamespacedDeployment({name, namespace: kube.namespace});
const revision = (d: V1Deployment) => Number(d.metadata?.annotations?.[revisionAnnotation]);

async function runbook(demo: DemoDeployment, kube: KubeTarget | undefined, health: HealthProber, id: string, inputs: Record<string, string>, extra: {audit?: ReturnType<typeof createAuditLog>; events?: RunEvent[]} = {}) {
	const environment = demo.kubernetes!.environment;
	const planned = await buildPlan(builtin(id), inputs, {environment, kube});
	if (!planned.ok) return {planErrors: planned.errors};
	const confirmation = planned.plan.confirmation.kind === 'type-environment' ? planned.plan.confirmation.expected : true;
	const result = await executePlan(planned.plan, {health, kube, audit: extra.audit}, {confirmation, confirm: async () => true, onEvent: e => extra.events?.push(e)});
	return {plan: planned.plan, result};
}

describe('Kubernetes operations against the demo cluster', () => {
	let demo: DemoDeployment;
	let kube: KubeTarget;
	let health: HealthProber;

	beforeAll(async () => {
		demo = await startDemo({kubernetes: true, seed: 11});
		kube = kubeOf(demo);
		health = createHealthProber({timeoutMs: 3000});
	});
	afterAll(async () => {
		await demo?.stop();
	});

	it('refuses replicas outside 0-50 and beyond the HPA before any call, and scales within them', async () => {
		const hpa = (await kube.kubeConfig.makeApiClient(AutoscalingV2Api).listNamespacedHorizontalPodAutoscaler({namespace: kube.namespace})).items.find(h => h.spec?.scaleTargetRef.name === 'rust-core-engine')!;
		const max = hpa.spec!.maxReplicas;
		const before = await deployment(kube);

		const tooMany = await runbook(demo, kube, health, 'scale-service', {service: 'rust-core-engine', replicas: '60'});
		expect(tooMany.planErrors).toEqual(['input replicas: expected an integer from 0 to 50, got "60"']);
		await expect(scaleDeployment(kube, 'rust-core-engine', {replicas: 51})).rejects.toThrow('replicas must be a whole number from 0 to 50 (got 51)');

		const beyond = await buildPlan(builtin('scale-service'), {service: 'rust-core-engine', replicas: String(max + 1)}, {environment: demo.kubernetes!.environment, kube});
		if (!beyond.ok) throw new Error(beyond.errors.join());
		expect(beyond.plan.blockers).toEqual([`scale: rust-core-engine: replicas ${max + 1} is outside HPA ${hpa.metadata!.name}'s range ${hpa.spec!.minReplicas}-${max}: the HPA would scale it back; patch the HPA (patchHpa: true) instead`]);
		const refused = await executePlan(beyond.plan, {health, kube}, {confirmation: true});
		expect(refused.outcome).toBe('refused');
		expect(refused.ran).toEqual([]);
		await expect(scaleDeployment(kube, 'rust-core-engine', {replicas: max + 1})).rejects.toThrow(/outside HPA/);
		const unchanged = await deployment(kube);
		expect(unchanged.spec!.replicas).toBe(before.spec!.replicas);
		expect(unchanged.metadata!.resourceVersion).toBe(before.metadata!.resourceVersion);

		// Within the HPA: the plan warns that the HPA owns the replicas, and the pods follow.
		const within = Math.min(max, (before.spec!.replicas ?? 1) + 1);
		const scaled = await runbook(demo, kube, health, 'scale-service', {service: 'rust-core-engine', replicas: String(within)});
		expect(scaled.plan!.steps[0]!.line.call).toBe(`kubectl scale deployment rust-core-engine --replicas=${within} -n bot-core-production`);
		expect(scaled.plan!.steps[0]!.via).toBe('service.scale');
		expect(scaled.plan!.steps[0]!.line.details).toContain(`warning: HPA ${hpa.metadata!.name} owns the replicas of rust-core-engine (${hpa.spec!.minReplicas}-${max}) and may change them again; adjust the HPA instead to keep a new level`);
		expect(scaled.result!.outcome).toBe('ok');
		expect((await deployment(kube)).status?.availableReplicas).toBe(within);

		// Beyond it with patchHpa: the HPA is widened first, then the deployment scaled.
		const widened = await runbook(demo, kube, health, 'scale-service', {service: 'rust-core-engine', replicas: String(max + 1), patchHpa: 'true'});
		expect(widened.plan!.blockers).toEqual([]);
		expect(widened.result!.outcome).toBe('ok');
		const patched = await kube.kubeConfig.makeApiClient(AutoscalingV2Api).readNamespacedHorizontalPodAutoscaler({name: hpa.metadata!.name!, namespace: kube.namespace});
		expect(patched.spec!.maxReplicas).toBe(max + 1);
		expect((await deployment(kube)).spec!.replicas).toBe(max + 1);
	}, 120_000);

	it('adjusts the HPA through the runbook and refuses a min above the max', async () => {
		const bad = await buildPlan(builtin('adjust-hpa'), {service: 'rust-core-engine', min: '9', max: '4'}, {environment: demo.kubernetes!.environment, kube});
		expect(bad.ok ? bad.plan.blockers : bad.errors).toEqual(['step patch: params: expected min at most max']);
		const adjusted = await runbook(demo, kube, health, 'adjust-hpa', {service: 'rust-core-engine', min: '3', max: '15'});
		expect(adjusted.plan!.steps[0]!.line.details?.[0]).toMatch(/^HPA rust-core-engine-hpa: \d+-\d+ -> 3-15$/);
		expect(adjusted.result!.outcome).toBe('ok');
		const hpa = await kube.kubeConfig.makeApiClient(AutoscalingV2Api).readNamespacedHorizontalPodAutoscaler({name: 'rust-core-engine-hpa', namespace: kube.namespace});
		expect([hpa.spec!.minReplicas, hpa.spec!.maxReplicas]).toEqual([3, 15]);
	}, 60_000);

	it('rollout restart: the restartedAt annotation as a merge patch, a new replica set and the next revision', async () => {
		const before = await deployment(kube, 'python-ai-service');
		const sets = async () => (await apps(kube).listNamespacedReplicaSet({namespace: kube.namespace, labelSelector: 'app=python-ai-service'})).items;
		const setsBefore = new Set((await sets()).map(rs => rs.metadata!.name));
		const ran = await runbook(demo, kube, health, 'rollout-restart', {service: 'python-ai-service'});
		expect(ran.plan!.steps.map(s => s.line.call)).toEqual([
			'kubectl rollout restart deployment/python-ai-service -n bot-core-production',
			'kubectl rollout status deployment/python-ai-service -n bot-core-production --timeout=600s',
			expect.stringMatching(/^python-ai-service: GET http/),
		]);
		expect(ran.result!.outcome).toBe('ok');
		const after = await deployment(kube, 'python-ai-service');
		expect(after.spec!.template.metadata!.annotations!['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
		expect(revision(after)).toBe(revision(before) + 1);
		const fresh = (await sets()).filter(rs => !setsBefore.has(rs.metadata!.name));
		expect(fresh).toHaveLength(1);
		expect(fresh[0]!.metadata!.annotations![revisionAnnotation]).toBe(String(revision(before) + 1));
	}, 120_000);

	it('the neutral restart-service runbook is a rollout restart here, waited for like a compose restart', async () => {
		const before = await deployment(kube, 'nextjs-ui-dashboard');
		const ran = await runbook(demo, kube, health, 'restart-service', {service: 'nextjs-ui-dashboard'});
		expect(ran.plan!.preconditions[0]!.action).toBe('k8s.check');
		expect(ran.plan!.steps.map(s => [s.action, s.via])).toEqual([['k8s.rolloutRestart', 'service.restart'], ['verify', undefined]]);
		expect(ran.result!.outcome).toBe('ok');
		const after = await deployment(kube, 'nextjs-ui-dashboard');
		expect(revision(after)).toBe(revision(before) + 1);
		expect(after.status!.updatedReplicas).toBe(after.spec!.replicas);
		expect(after.status!.availableReplicas).toBe(after.spec!.replicas);
	}, 120_000);

	it('applySecret creates then updates a secret; the values are in the cluster and nowhere in the audit file or events', async () => {
		const core = kube.kubeConfig.makeApiClient(CoreV1Api);
		await core.deleteNamespacedSecret({name: 'binance-secrets', namespace: kube.namespace});
		const state = mkdtempSync(path.join(tmpdir(), 'botops-k8s-audit-'));
		const audit = createAuditLog({env: {XDG_STATE_HOME: state}});
		const events: RunEvent[] = [];
		const apiKey = 'binance-key-7f3a9c1e5b2d4f6a8c0e';
		const secretKey = 'binance-secret-0d9e8f7a6b5c4d3e2f1a';
		const first = await runbook(demo, kube, health, 'rotate-binance-keys', {apiKey, secretKey}, {audit, events});
		expect(first.result!.steps[0]).toMatchObject({id: 'rotate', status: 'ok', detail: 'created secret binance-secrets: api-key, secret-key; restart the deployments that read it'});
		const created = await core.readNamespacedSecret({name: 'binance-secrets', namespace: kube.namespace});
		expect(Buffer.from(created.data!['api-key']!, 'base64').toString()).toBe(apiKey);

		const rotated = await runbook(demo, kube, health, 'rotate-secrets-k8s', {}, {audit, events});
		expect(rotated.result!.outcome).toBe('ok');
		expect(rotated.result!.steps[0]!.detail).toBe('updated secret bot-core-secrets: inter-service-token, rust-api-key; restart the deployments that read it');
		const updated = await core.readNamespacedSecret({name: 'bot-core-secrets', namespace: kube.namespace});
		const token = Buffer.from(updated.data!['inter-service-token']!, 'base64').toString();
		const rustKey = Buffer.from(updated.data!['rust-api-key']!, 'base64').toString();
		expect(token).toMatch(/^[0-9a-f]{64}$/);
		expect(updated.data!['database-url']).toBeDefined();

		const written = readFileSync(audit.file, 'utf8');
		const shown = JSON.stringify({events, first, rotated});
		for (const value of [apiKey, secretKey, token, rustKey]) {
			expect(written).not.toContain(value);
			expect(shown).not.toContain(value);
		}
		expect(written).toContain('"runbook":"rotate-secrets-k8s"');

		// Through the service directly: an update of one key keeps the others.
		const again = await applySecret(kube, 'binance-secrets', {'api-key': 'next-key-1a2b3c4d5e6f'}, () => {});
		expect(again).toEqual({name: 'binance-secrets', created: false, keys: ['api-key']});
		const kept = await core.readNamespacedSecret({name: 'binance-secrets', namespace: kube.namespace});
		expect(Buffer.from(kept.data!['secret-key']!, 'base64').toString()).toBe(secretKey);
	}, 180_000);

	it('says plainly when there is no Kubernetes backend, and a protected environment asks for its name', async () => {
		const none = await buildPlan(builtin('rollback'), {service: 'rust-core-engine'}, {environment: demo.kubernetes!.environment});
		expect(none.ok ? none.plan.blockers : none.errors).toEqual(['undo: this environment has no Kubernetes backend']);
		const compose = await buildPlan(builtin('scale-service'), {service: 'rust-core-engine', replicas: '3'}, {environment: demo.environment});
		expect(compose.ok ? [] : compose.errors[0]).toMatch(/^step scale: compose cannot scale: demo runs one container per service/);
		const prod = await buildPlan(builtin('rollout-restart'), {service: 'rust-core-engine'}, {environment: {...demo.kubernetes!.environment, name: 'production', protected: true}, kube});
		if (!prod.ok) throw new Error(prod.errors.join());
		expect(prod.plan.confirmation).toEqual({kind: 'type-environment', prompt: 'Type "production" to run Rollout restart a deployment on production', expected: 'production'});
		const notTyped = await executePlan(prod.plan, {health, kube}, {confirmation: true});
		expect(notTyped.outcome).toBe('refused');
	});

	it('a Status error from the API server is reported plainly', async () => {
		await expect(scaleDeployment(kube, 'no-such-deployment', {replicas: 1})).rejects.toThrow('get deployment no-such-deployment: deployments.apps "no-such-deployment" not found (404)');
	});
});

describe.skipIf(!haveKubectl)('rollout undo: botops against kubectl on identical demos', () => {
	let viaKubectl: DemoDeployment;
	let viaBotops: DemoDeployment;
	let kubeA: KubeTarget;
	let kubeB: KubeTarget;

	beforeAll(async () => {
		[viaKubectl, viaBotops] = await Promise.all([startDemo({kubernetes: true, seed: 5}), startDemo({kubernetes: true, seed: 5})]);
		kubeA = kubeOf(viaKubectl);
		kubeB = kubeOf(viaBotops);
	});
	afterAll(async () => {
		await Promise.all([viaKubectl?.stop(), viaBotops?.stop()]);
	});

	/** What an undo leaves on a deployment, once the controller has given it its new revision. */
	async function settled(kube: KubeTarget, from: number) {
		const d = await eventually(() => deployment(kube), value => revision(value) > from);
		return {template: d.spec!.template, annotations: d.metadata!.annotations};
	}

	it('undo to the previous revision: same template, annotations (change-cause carried over) and revision as kubectl', async () => {
		const [a, b] = await Promise.all([deployment(kubeA), deployment(kubeB)]);
		expect(b.spec!.template).toEqual(a.spec!.template);
		const preview = await previewUndo(kubeB, 'rust-core-engine');
		if (preview.kind !== 'rollback') throw new Error(`expected a rollback, got ${preview.kind}`);
		expect(preview.diff.some(line => line.startsWith('- ') && line.includes('image:'))).toBe(true);
		expect(preview.diff.some(line => line.startsWith('+ ') && line.includes('image:'))).toBe(true);

		expect((await kubectl(viaKubectl, ['rollout', 'undo', 'deployment/rust-core-engine'])).stdout).toContain('deployment.apps/rust-core-engine rolled back');
		const ours = await rolloutUndo(kubeB, 'rust-core-engine');
		expect(ours).toMatchObject({outcome: 'rolled back', revision: preview.revision});
		const [left, right] = await Promise.all([settled(kubeA, revision(a)), settled(kubeB, revision(b))]);
		expect(right).toEqual(left);
		expect(right.annotations![revisionAnnotation]).toBe(String(revision(a) + 1));
		expect(right.annotations!['kubernetes.io/change-cause']).toBe(`kubectl set image deployment/rust-core-engine rust-core-engine=${right.template.spec!.containers[0]!.image}`);
		await Promise.all([waitRollout(kubeA, 'rust-core-engine', {timeoutMs: 60_000}), waitRollout(kubeB, 'rust-core-engine', {timeoutMs: 60_000})]);
	}, 120_000);

	it('undo to a chosen revision agrees with kubectl --to-revision', async () => {
		const [a, b] = await Promise.all([deployment(kubeA), deployment(kubeB)]);
		expect((await kubectl(viaKubectl, ['rollout', 'undo', 'deployment/rust-core-engine', '--to-revision=1'])).stdout).toContain('rolled back');
		await rolloutUndo(kubeB, 'rust-core-engine', 1);
		const [left, right] = await Promise.all([settled(kubeA, revision(a)), settled(kubeB, revision(b))]);
		expect(right).toEqual(left);
		await Promise.all([waitRollout(kubeA, 'rust-core-engine', {timeoutMs: 60_000}), waitRollout(kubeB, 'rust-core-engine', {timeoutMs: 60_000})]);
	}, 120_000);

	it('an unknown revision, the live one (skipped rollback) and a paused deployment, as kubectl says them', async () => {
		const live = revision(await deployment(kubeB));
		const missing = await kubectl(viaKubectl, ['rollout', 'undo', 'deployment/rust-core-engine', '--to-revision=99']);
		expect(missing.stderr).toContain('unable to find specified revision 99 in history');
		await expect(rolloutUndo(kubeB, 'rust-core-engine', 99)).rejects.toThrow('undo rust-core-engine: unable to find specified revision 99 in history');

		const skipped = await kubectl(viaKubectl, ['rollout', 'undo', 'deployment/rust-core-engine', `--to-revision=${live}`]);
		expect(skipped.stdout).toContain(`skipped rollback (current template already matches revision ${live})`);
		const before = await deployment(kubeB);
		expect(await rolloutUndo(kubeB, 'rust-core-engine', live)).toEqual({outcome: 'skipped rollback', revision: live, message: `skipped rollback (current template already matches revision ${live})`});
		expect((await deployment(kubeB)).metadata!.resourceVersion).toBe(before.metadata!.resourceVersion);

		for (const kube of [kubeA, kubeB]) await apps(kube).patchNamespacedDeployment({name: 'rust-core-engine', namespace: kube.namespace, body: {spec: {paused: true}}}, merge);
		const paused = await kubectl(viaKubectl, ['rollout', 'undo', 'deployment/rust-core-engine']);
		expect(paused.code).not.toBe(0);
		expect(paused.stderr).toContain('you cannot rollback a paused deployment; resume it first with');
		await expect(rolloutUndo(kubeB, 'rust-core-engine')).rejects.toThrow(/^undo rust-core-engine: you cannot rollback a paused deployment; resume it first with/);
		const plan = await buildPlan(builtin('rollback'), {service: 'rust-core-engine'}, {environment: viaBotops.kubernetes!.environment, kube: kubeB});
		expect(plan.ok && plan.plan.blockers[0]).toMatch(/^undo: rust-core-engine: you cannot rollback a paused deployment/);
	}, 60_000);
});

describe('bad-deploy: waiting for a stalled rollout, and rolling it back', () => {
	let demo: DemoDeployment;
	let kube: KubeTarget;
	beforeAll(async () => {
		demo = await startDemo({kubernetes: true, scenario: 'bad-deploy'});
		kube = kubeOf(demo);
	});
	afterAll(async () => {
		await demo?.stop();
	});

	it('waitRollout fails with ProgressDeadlineExceeded; the rollback runbook shows the diff, undoes it and waits it out', async () => {
		await expect(waitRollout(kube, 'rust-core-engine', {timeoutMs: 30_000})).rejects.toThrow(/^rollout of rust-core-engine failed: ProgressDeadlineExceeded: ReplicaSet "rust-core-engine-\w+" has timed out progressing\.$/);
		const health = createHealthProber({timeoutMs: 3000});
		const ran = await runbook(demo, kube, health, 'rollback', {service: 'rust-core-engine'});
		const details = ran.plan!.steps[0]!.line.details!;
		expect(details[0]).toMatch(/^rust-core-engine: back to revision 3 \(replica set rust-core-engine-\w+, change-cause "kubectl set image deployment\/rust-core-engine rust-core-engine=bot-core\/rust-core-engine:1\.4\.2", bot-core\/rust-core-engine:1\.4\.2\); pod template, live \(-\) vs revision 3 \(\+\):$/);
		// Only the image differs: one changed line with its context, nothing else of the template.
		expect(details.filter(line => /^[-+] /.test(line))).toEqual(['-       image: bot-core/rust-core-engine:1.5.0', '+       image: bot-core/rust-core-engine:1.4.2']);
		expect(ran.result!.steps.map(s => [s.id, s.status])).toEqual([['undo', 'ok'], ['rollout', 'ok'], ['verify', 'ok']]);
		const undone = await deployment(kube);
		expect(undone.spec!.template.spec!.containers[0]!.image).toBe('bot-core/rust-core-engine:1.4.2');
		expect(undone.metadata!.annotations![revisionAnnotation]).toBe('5');
	}, 120_000);
});
