import {describe, expect, it} from 'vitest';
import {dedentDiff, previousRevision, revisionDiff, rolloutPanelData, rolloutStatusLine} from '../../source/services/kubernetes/rollout-view.js';
import type {ClusterView, DeploymentRow, EventRow, PodRow, ReplicaSetRow} from '../../source/services/kubernetes/view.js';

const template = (image: string, hash?: string) => ({
	metadata: {labels: {app: 'engine', ...(hash ? {'pod-template-hash': hash} : {})}},
	spec: {containers: [{name: 'engine', image, ports: [{containerPort: 8080}]}]},
});

const rs = (revision: number, image: string, current = false): ReplicaSetRow => ({
	name: `engine-${revision}abc`,
	revision,
	image,
	replicas: current ? 2 : 0,
	ready: current ? 2 : 0,
	createdAt: revision * 1000,
	template: template(image, `${revision}abc`),
	current,
});

const deployment = (overrides: Partial<DeploymentRow> = {}): DeploymentRow => ({
	name: 'engine',
	desired: 2,
	ready: 2,
	updated: 2,
	available: 2,
	total: 2,
	image: 'engine:3',
	revision: 3,
	paused: false,
	conditions: [],
	stalled: false,
	observed: true,
	template: template('engine:3'),
	replicaSets: [rs(3, 'engine:3', true), rs(2, 'engine:2'), rs(1, 'engine:1')],
	...overrides,
});

const pod = (name: string, replicaSet: string, deploymentName = 'engine'): PodRow => ({name, deployment: deploymentName, replicaSet, status: 'Running', ready: '1/1', restarts: 0, createdAt: 0});
const event = (type: string, object: string, at: number): EventRow => ({type, reason: type === 'Warning' ? 'Unhealthy' : 'Scheduled', object, message: 'm', count: 1, at});

describe('rollout status line', () => {
	it('reads the rollout as kubectl rollout status does', () => {
		expect(rolloutStatusLine(deployment()).state).toBe('complete');
		expect(rolloutStatusLine(deployment()).counts).toEqual(['2 desired', '2 updated', '2 ready', '2 available', '2 total']);
		expect(rolloutStatusLine(deployment({updated: 1, total: 3}))).toMatchObject({state: 'rolling out', detail: '1 of 2 new replicas updated'});
		expect(rolloutStatusLine(deployment({total: 3}))).toMatchObject({state: 'rolling out', detail: '1 old replicas pending termination'});
		expect(rolloutStatusLine(deployment({available: 1}))).toMatchObject({state: 'rolling out', detail: '1 of 2 updated replicas available'});
		expect(rolloutStatusLine(deployment({paused: true})).state).toBe('paused');
		// A stall the controller reported for an older spec does not count (a fresh undo is not stalled).
		expect(rolloutStatusLine(deployment({stalled: true, observed: false})).state).toBe('waiting for the controller');
		expect(rolloutStatusLine(deployment({stalled: true, stalledMessage: 'ReplicaSet "engine-3abc" has timed out progressing.'}))).toEqual({
			state: 'stalled',
			counts: ['2 desired', '2 updated', '2 ready', '2 available', '2 total'],
			detail: 'ProgressDeadlineExceeded: ReplicaSet "engine-3abc" has timed out progressing.',
		});
	});
});

describe('rollout panel data', () => {
	it('finds the new replica set, its pods, and the warnings of the deployment, its replica sets and their pods only', () => {
		const view: ClusterView = {
			namespace: 'ns',
			deployments: [deployment(), deployment({name: 'other', replicaSets: []})],
			pods: [pod('engine-3abc-x', 'engine-3abc'), pod('engine-2abc-y', 'engine-2abc'), pod('engine-3abc-z', 'engine-3abc'), pod('other-1-q', 'other-1', 'other')],
			hpas: [],
			events: [event('Warning', 'Pod/engine-3abc-x', 3), event('Warning', 'Pod/other-1-q', 2), event('Warning', 'ReplicaSet/engine-2abc', 1), event('Warning', 'Pod/engine-1abc-gone', 1), event('Normal', 'Deployment/engine', 4)],
		};
		const data = rolloutPanelData(view, 'engine')!;
		expect(data.newReplicaSet?.name).toBe('engine-3abc');
		expect(data.newPods).toEqual(['engine-3abc-x', 'engine-3abc-z']);
		// A replaced pod's warnings stay (it is named after one of the deployment's replica sets); another deployment's do not.
		expect(data.warnings.map(w => w.object)).toEqual(['Pod/engine-3abc-x', 'ReplicaSet/engine-2abc', 'Pod/engine-1abc-gone']);
		expect(rolloutPanelData(view, 'gone')).toBeUndefined();
	});

	it('the previous revision is the second newest, as kubectl rollout undo picks it', () => {
		expect(previousRevision(deployment().replicaSets)?.revision).toBe(2);
		expect(previousRevision([rs(1, 'engine:1', true)])).toBeUndefined();
	});
});

describe('revision diff', () => {
	it('diffs a revision against the live template, the hash label aside; identical when an undo would be skipped', () => {
		const live = deployment();
		expect(revisionDiff(live, live.replicaSets[0]!)).toBe('identical');
		const diff = revisionDiff(live, live.replicaSets[1]!);
		expect(diff).toContain('-     - image: engine:3');
		expect(diff).toContain('+     - image: engine:2');
		expect((diff as string[]).some(line => line.includes('pod-template-hash'))).toBe(false);
	});

	it('dedent keeps the marks and drops only the indentation every line shares', () => {
		expect(dedentDiff(['      a:', '-       b: 1', '+       b: 2', '  …', '        c: 3'])).toEqual(['  a:', '-   b: 1', '+   b: 2', '  …', '    c: 3']);
		expect(dedentDiff(['- a: 1', '+ a: 2'])).toEqual(['- a: 1', '+ a: 2']);
	});
});
