import type {V1Deployment, V1PodTemplateSpec, V1ReplicaSet} from '@kubernetes/client-node';
import {describe, expect, it} from 'vitest';
import {
	describeKubeError,
	findRevision,
	hpaFor,
	hpaRefusal,
	planUndo,
	replicasRefusal,
	revisionList,
	rolloutStatus,
	templateDiff,
	templatesEqualIgnoringHash,
} from '../../source/services/kubernetes-ops.js';

const uid = 'd-uid-1';

function template(image: string, hash: string, extra: Partial<V1PodTemplateSpec['metadata']> = {}): V1PodTemplateSpec {
	return {
		metadata: {labels: {app: 'engine', 'pod-template-hash': hash}, ...extra},
		spec: {containers: [{name: 'engine', image, ports: [{containerPort: 8080}]}]},
	};
}

function replicaSet(revision: number, image: string, annotations: Record<string, string> = {}, owner = uid): V1ReplicaSet {
	const hash = `h${revision}`;
	return {
		metadata: {
			name: `engine-${hash}`,
			uid: `rs-${revision}`,
			creationTimestamp: new Date(Date.UTC(2026, 0, revision)),
			annotations: {'deployment.kubernetes.io/revision': String(revision), 'deployment.kubernetes.io/desired-replicas': '2', ...annotations},
			ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: 'engine', uid: owner, controller: true}],
		},
		spec: {selector: {matchLabels: {app: 'engine'}}, template: template(image, hash)},
	};
}

function deploymentWith(image: string, annotations: Record<string, string>, paused = false): V1Deployment {
	return {
		metadata: {name: 'engine', uid, generation: 4, annotations},
		spec: {paused, replicas: 2, selector: {matchLabels: {app: 'engine'}}, template: {metadata: {labels: {app: 'engine'}}, spec: {containers: [{name: 'engine', image, ports: [{containerPort: 8080}]}]}}},
	};
}

const sets = [
	replicaSet(1, 'engine:1.0', {'kubernetes.io/change-cause': 'deploy 1.0'}),
	replicaSet(3, 'engine:1.2', {'kubernetes.io/change-cause': 'deploy 1.2', 'team/owner': 'trading'}),
	replicaSet(2, 'engine:1.1'),
	replicaSet(4, 'engine:1.3', {'kubernetes.io/change-cause': 'deploy 1.3'}),
	// Same labels, another owner: never a revision of this deployment.
	replicaSet(9, 'other:9.9', {}, 'someone-else'),
];
const live = deploymentWith('engine:1.3', {
	'deployment.kubernetes.io/revision': '4',
	'kubernetes.io/change-cause': 'deploy 1.3',
	'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}',
	'ops/ticket': 'OPS-12',
});

describe('which revision an undo goes to (kubectl deploymentRevision)', () => {
	it('is the second-highest revision by default, whatever the order, among the replica sets the deployment owns', () => {
		expect(findRevision(live, sets).metadata!.name).toBe('engine-h3');
		expect(findRevision(live, [...sets].reverse()).metadata!.name).toBe('engine-h3');
	});

	it('is the named one with --to-revision, and a missing one says so as kubectl does', () => {
		expect(findRevision(live, sets, 1).metadata!.name).toBe('engine-h1');
		expect(() => findRevision(live, sets, 9)).toThrow('unable to find specified revision 9 in history');
		expect(() => findRevision(live, sets, -1)).toThrow('unable to find specified revision -1 in history');
	});

	it('needs a history: one replica set is not enough', () => {
		expect(() => findRevision(live, [sets[3]!])).toThrow('no rollout history found for deployment "engine"');
	});
});

describe('planUndo', () => {
	it('copies the template without pod-template-hash and the annotations except the deployment-owned ones, in one patch', () => {
		const plan = planUndo(live, sets);
		if (plan.kind !== 'rollback') throw new Error(plan.kind);
		expect(plan.revision).toBe(3);
		expect(plan.template.metadata!.labels).toEqual({app: 'engine'});
		expect(plan.template.spec!.containers[0]!.image).toBe('engine:1.2');
		// Deployment-owned ones stay as the deployment has them; the rest come from the replica set, so the
		// revision's change-cause is carried over and an annotation only the live deployment had is dropped.
		expect(plan.annotations).toEqual({
			'deployment.kubernetes.io/revision': '4',
			'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}',
			'kubernetes.io/change-cause': 'deploy 1.2',
			'team/owner': 'trading',
		});
		expect(plan.patch).toEqual([
			{op: 'replace', path: '/spec/template', value: plan.template},
			{op: 'replace', path: '/metadata/annotations', value: plan.annotations},
		]);
		expect(sets[1]!.spec!.template!.metadata!.labels!['pod-template-hash']).toBe('h3');
	});

	it('refuses a paused deployment', () => {
		expect(planUndo(deploymentWith('engine:1.3', {}, true), sets)).toEqual({
			kind: 'refused',
			reason: "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/engine' and try again",
		});
	});

	it('skips a revision whose template is the live one (the hash label aside)', () => {
		expect(planUndo(live, sets, 4)).toEqual({kind: 'skipped', revision: 4, message: 'skipped rollback (current template already matches revision 4)'});
	});

	it('refuses an unknown revision with kubectl\'s message', () => {
		expect(planUndo(live, sets, 7)).toEqual({kind: 'refused', reason: 'unable to find specified revision 7 in history'});
	});
});

describe('templates', () => {
	it('are equal when only the hash label, key order or empty maps differ', () => {
		const a = template('engine:1.3', 'x1');
		const b: V1PodTemplateSpec = {spec: {containers: [{ports: [{containerPort: 8080}], image: 'engine:1.3', name: 'engine'}]}, metadata: {annotations: {}, labels: {'pod-template-hash': 'y2', app: 'engine'}}};
		expect(templatesEqualIgnoringHash(a, b)).toBe(true);
		expect(templatesEqualIgnoringHash(a, template('engine:1.4', 'x1'))).toBe(false);
	});

	it('diff as YAML lines: - for the live template, + for the other, with context, nothing for equal ones', () => {
		const diff = templateDiff(live.spec!.template, template('engine:1.2', 'h3', {annotations: {'kubectl.kubernetes.io/restartedAt': '2026-01-02T03:04:05Z'}}));
		expect(diff).toEqual([
			'  metadata:',
			'+   annotations:',
			'+     kubectl.kubernetes.io/restartedAt: 2026-01-02T03:04:05Z',
			'    labels:',
			'      app: engine',
			'  spec:',
			'    containers:',
			'-     - image: engine:1.3',
			'+     - image: engine:1.2',
			'        name: engine',
			'        ports:',
		]);
		expect(templateDiff(live.spec!.template, template('engine:1.3', 'zz'))).toEqual([]);
	});
});

describe('revisionList', () => {
	it('lists owned revisions newest first with change-cause, images, age and which one is live', () => {
		const list = revisionList(live, sets, new Date(Date.UTC(2026, 0, 5)));
		expect(list.map(r => [r.revision, r.replicaSet, r.changeCause, r.images, r.ageSeconds, r.live])).toEqual([
			[4, 'engine-h4', 'deploy 1.3', ['engine:1.3'], 86_400, true],
			[3, 'engine-h3', 'deploy 1.2', ['engine:1.2'], 2 * 86_400, false],
			[2, 'engine-h2', undefined, ['engine:1.1'], 3 * 86_400, false],
			[1, 'engine-h1', 'deploy 1.0', ['engine:1.0'], 4 * 86_400, false],
		]);
	});
});

describe('bounds', () => {
	it('replicas: 0-50, and inside the HPA range when an HPA owns them', () => {
		expect(replicasRefusal(0)).toBeUndefined();
		expect(replicasRefusal(50)).toBeUndefined();
		expect(replicasRefusal(51)).toBe('replicas must be a whole number from 0 to 50 (got 51)');
		expect(replicasRefusal(-1)).toBe('replicas must be a whole number from 0 to 50 (got -1)');
		expect(replicasRefusal(2.5)).toBe('replicas must be a whole number from 0 to 50 (got 2.5)');
		expect(replicasRefusal(5, {name: 'engine-hpa', min: 2, max: 10})).toBeUndefined();
		expect(replicasRefusal(11, {name: 'engine-hpa', min: 2, max: 10})).toBe("replicas 11 is outside HPA engine-hpa's range 2-10: the HPA would scale it back; patch the HPA (patchHpa: true) instead");
		expect(replicasRefusal(1, {name: 'engine-hpa', min: 2, max: 10})).toMatch(/^replicas 1 is outside HPA/);
	});

	it('HPA: min and max from 1 to 50, min not above max', () => {
		expect(hpaRefusal(3, 15)).toBeUndefined();
		expect(hpaRefusal(0, 15)).toBe('minReplicas must be a whole number from 1 to 50 (got 0)');
		expect(hpaRefusal(3, 60)).toBe('maxReplicas must be a whole number from 1 to 50 (got 60)');
		expect(hpaRefusal(9, 4)).toBe('minReplicas 9 is above maxReplicas 4');
	});

	it('finds the HPA by its scale target, not by its name', () => {
		const hpas = [
			{metadata: {name: 'engine-hpa'}, spec: {maxReplicas: 5, scaleTargetRef: {kind: 'Deployment', name: 'ui'}}},
			{metadata: {name: 'scaler'}, spec: {maxReplicas: 5, scaleTargetRef: {kind: 'Deployment', name: 'engine'}}},
		];
		expect(hpaFor('engine', hpas)?.metadata?.name).toBe('scaler');
		expect(hpaFor('ai', hpas)).toBeUndefined();
	});
});

describe('rolloutStatus', () => {
	const base = (status: V1Deployment['status'], generation = 4): V1Deployment => ({metadata: {name: 'engine', generation}, spec: {replicas: 2, selector: {}, template: {}}, status});

	it('is done when updated, available and total all equal desired for the observed generation', () => {
		expect(rolloutStatus(base({observedGeneration: 4, replicas: 2, updatedReplicas: 2, availableReplicas: 2, readyReplicas: 2})).done).toBe(true);
		expect(rolloutStatus(base({observedGeneration: 4, replicas: 3, updatedReplicas: 2, availableReplicas: 2})).done).toBe(false);
		expect(rolloutStatus(base({observedGeneration: 3, replicas: 2, updatedReplicas: 2, availableReplicas: 2})).done).toBe(false);
	});

	it('is stalled on ProgressDeadlineExceeded only once the controller has observed the spec', () => {
		const conditions = [{type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "engine-h4" has timed out progressing.'}];
		expect(rolloutStatus(base({observedGeneration: 4, conditions})).stalled).toBe('ReplicaSet "engine-h4" has timed out progressing.');
		expect(rolloutStatus(base({observedGeneration: 3, conditions})).stalled).toBeUndefined();
	});
});

describe('describeKubeError', () => {
	it('reports a Status message with its code, a 403 as forbidden, and a transport failure through describeError', () => {
		const status = (code: number, message: string) => Object.assign(new Error(`HTTP-Code: ${code}`), {code, body: JSON.stringify({kind: 'Status', message})});
		expect(describeKubeError(status(404, 'deployments.apps "x" not found'), 'get deployment x').message).toBe('get deployment x: deployments.apps "x" not found (404)');
		expect(describeKubeError(status(409, 'Operation cannot be fulfilled'), 'update secret s').message).toBe('update secret s: Operation cannot be fulfilled (409)');
		expect(describeKubeError(status(403, 'deployments.apps "x" is forbidden: User "u" cannot patch resource "deployments"'), 'scale deployment x').message).toBe(
			'scale deployment x: forbidden: deployments.apps "x" is forbidden: User "u" cannot patch resource "deployments" (403)',
		);
		expect(describeKubeError(Object.assign(new Error('HTTP-Code: 500'), {code: 500, body: 'oops'}), 'list hpa').message).toBe('list hpa: HTTP 500 (500)');
		const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), {code: 'ECONNREFUSED', syscall: 'connect', address: '127.0.0.1', port: 6443});
		expect(describeKubeError(refused, 'get deployment x').message).toBe('get deployment x: connect ECONNREFUSED 127.0.0.1:6443');
	});
});
