import type {V1Pod} from '@kubernetes/client-node';
import {describe, expect, it} from 'vitest';
import {lastTermination, parseBytes, parseCpuCores, podDetail, podInstance, podMetricsSample, podService, podStatusText} from '../../source/services/kubernetes/mapping.js';
import {clusterView} from '../../source/services/kubernetes/view.js';
import {createComposePlatform} from '../../source/services/platform.js';
import type {DockerService} from '../../source/services/types.js';

const created = '2026-12-01T10:00:00Z';

function pod(name: string, status: V1Pod['status'], extra: Partial<V1Pod['metadata']> = {}): V1Pod {
	return {
		metadata: {name, namespace: 'ns', creationTimestamp: new Date(created), labels: {app: 'engine', 'pod-template-hash': '5d8f7c'}, ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'engine-5d8f7c', uid: 'u'}], ...extra},
		spec: {nodeName: 'node-1', containers: [{name: 'engine', image: 'engine:1.4.2', resources: {limits: {memory: '512Mi'}}, ports: [{containerPort: 8080}], env: [{name: 'API_KEY', value: 'secret'}]}]},
		status,
	};
}

const running = (ready: boolean, restartCount = 0, lastState?: NonNullable<V1Pod['status']>['containerStatuses'] extends Array<infer S> | undefined ? S extends {lastState?: infer L} ? L : never : never) =>
	({phase: 'Running', startTime: new Date(created), containerStatuses: [{name: 'engine', image: 'engine:1.4.2', imageID: '', ready, restartCount, state: {running: {startedAt: new Date('2026-12-01T10:00:05Z')}}, lastState}]}) as V1Pod['status'];

describe('pods as instances', () => {
	it('belong to their deployment: the replica set owner without the pod-template-hash', () => {
		expect(podService(pod('engine-5d8f7c-abcde', running(true)))).toBe('engine');
		expect(podService({metadata: {name: 'lonely', labels: {app: 'web'}}})).toBe('web');
		expect(podService({metadata: {name: 'bare'}})).toBe('bare');
	});

	it('read as kubectl get pods reads them: a waiting reason over the phase', () => {
		const ready = podInstance(pod('engine-5d8f7c-abcde', running(true)));
		expect(ready).toMatchObject({id: 'engine-5d8f7c-abcde', service: 'engine', state: 'running', health: 'healthy', status: 'Running 1/1', image: 'engine:1.4.2', createdAt: Date.parse(created)});
		const crashing = pod('engine-5d8f7c-fghij', {
			phase: 'Running',
			containerStatuses: [{name: 'engine', image: '', imageID: '', ready: false, restartCount: 7, state: {waiting: {reason: 'CrashLoopBackOff'}}, lastState: {terminated: {exitCode: 137, reason: 'OOMKilled', finishedAt: new Date('2026-12-01T10:05:00Z')}}}],
		});
		expect(podStatusText(crashing)).toBe('CrashLoopBackOff');
		expect(podInstance(crashing)).toMatchObject({state: 'restarting', health: 'none', status: 'CrashLoopBackOff 0/1'});
		expect(lastTermination(crashing)).toEqual({reason: 'OOMKilled', exitCode: 137, at: Date.parse('2026-12-01T10:05:00Z')});
		const detail = podDetail(crashing);
		expect(detail).toMatchObject({restartCount: 7, exitCode: 137, oomKilled: true, node: 'node-1', lastTermination: {reason: 'OOMKilled', exitCode: 137}});
		expect(detail.envNames).toEqual(['API_KEY']);
		expect(JSON.stringify(detail)).not.toContain('secret');
	});

	it('not ready while running: starting before any restart, unhealthy after', () => {
		expect(podInstance(pod('a', running(false))).health).toBe('starting');
		expect(podInstance(pod('a', running(false, 2, {terminated: {exitCode: 1, reason: 'Error'}}))).health).toBe('unhealthy');
		expect(podInstance(pod('a', {phase: 'Pending'})).state).toBe('created');
		expect(podInstance(pod('a', running(true), {deletionTimestamp: new Date()}))).toMatchObject({state: 'removing', status: 'Terminating 1/1'});
	});
});

describe('kubectl top quantities', () => {
	it('parses CPU and memory as the API writes them', () => {
		expect(parseCpuCores('250m')).toBeCloseTo(0.25);
		expect(parseCpuCores('1')).toBe(1);
		expect(parseCpuCores('12345678n')).toBeCloseTo(0.012345678);
		expect(parseCpuCores('nonsense')).toBe(0);
		expect(parseBytes('64Mi')).toBe(64 * 1024 * 1024);
		expect(parseBytes('1Gi')).toBe(1024 ** 3);
		expect(parseBytes('123456Ki')).toBe(123456 * 1024);
		expect(parseBytes('1000')).toBe(1000);
	});

	it('a metrics sample counts CPU in percent of one core and memory against the pod limits', () => {
		const sample = podMetricsSample([{cpu: '250m', memory: '128Mi'}], pod('a', running(true)), 5);
		expect(sample).toMatchObject({at: 5, cpuPercent: 25, memUsage: 128 * 1024 * 1024, memLimit: 512 * 1024 * 1024, memPercent: 25});
		expect(podMetricsSample([{cpu: '1', memory: '1Mi'}], undefined, 0).memPercent).toBe(0);
	});
});

describe('the cluster view', () => {
	it('shows a stalled rollout, HPA metrics against targets, replica sets by revision, warnings first', () => {
		const view = clusterView({
			namespace: 'ns',
			pods: new Map([['engine-5d8f7c-abcde', pod('engine-5d8f7c-abcde', running(true))]]),
			deployments: new Map([
				[
					'engine',
					{
						metadata: {name: 'engine', annotations: {'deployment.kubernetes.io/revision': '3'}},
						spec: {replicas: 2, selector: {}, template: {spec: {containers: [{name: 'engine', image: 'engine:1.4.3'}]}}},
						status: {readyReplicas: 1, updatedReplicas: 1, availableReplicas: 1, conditions: [{type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded'}, {type: 'Available', status: 'True'}]},
					},
				],
			]),
			replicaSets: new Map(
				[2, 3].map(revision => [
					`engine-${revision}`,
					{metadata: {name: `engine-${revision}`, annotations: {'deployment.kubernetes.io/revision': String(revision), 'kubernetes.io/change-cause': `deploy ${revision}`}, ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: 'engine', uid: 'd'}]}, spec: {selector: {}, template: {spec: {containers: [{name: 'engine', image: `engine:1.4.${revision}`}]}}}, status: {replicas: 1}},
				]),
			),
			hpas: new Map([
				[
					'engine-hpa',
					{
						metadata: {name: 'engine-hpa'},
						spec: {scaleTargetRef: {kind: 'Deployment', name: 'engine'}, minReplicas: 2, maxReplicas: 10, metrics: [{type: 'Resource', resource: {name: 'cpu', target: {type: 'Utilization', averageUtilization: 70}}}]},
						status: {currentReplicas: 2, desiredReplicas: 3, currentMetrics: [{type: 'Resource', resource: {name: 'cpu', current: {averageUtilization: 91}}}]},
					},
				],
			]),
			events: new Map([
				['e1', {metadata: {name: 'e1'}, involvedObject: {kind: 'Pod', name: 'x'}, type: 'Normal', reason: 'Pulled', message: 'ok', lastTimestamp: new Date('2026-12-01T10:09:00Z')}],
				['e2', {metadata: {name: 'e2'}, involvedObject: {kind: 'Pod', name: 'x'}, type: 'Warning', reason: 'BackOff', message: 'back-off', count: 4, lastTimestamp: new Date('2026-12-01T10:01:00Z')}],
			]),
		});
		expect(view.deployments[0]).toMatchObject({name: 'engine', desired: 2, ready: 1, revision: 3, stalled: true, image: 'engine:1.4.3', conditions: ['Progressing=False ProgressDeadlineExceeded', 'Available=True']});
		expect(view.deployments[0]!.replicaSets.map(rs => [rs.revision, rs.changeCause])).toEqual([[3, 'deploy 3'], [2, 'deploy 2']]);
		expect(view.hpas[0]).toMatchObject({target: 'Deployment/engine', min: 2, max: 10, current: 2, desired: 3, metrics: ['cpu 91%/70%']});
		expect(view.events.map(e => e.reason)).toEqual(['BackOff', 'Pulled']);
		expect(view.pods[0]).toMatchObject({deployment: 'engine', ready: '1/1', restarts: 0, node: 'node-1'});
	});
});

describe('capabilities', () => {
	it('compose says it cannot scale, and refuses before any call', async () => {
		const compose = createComposePlatform({close() {}} as unknown as DockerService, 'bot-core');
		const capability = compose.supports('scale');
		expect(capability).toMatchObject({ok: false, reason: expect.stringContaining('compose cannot scale')});
		await expect(compose.scale('api', 3)).rejects.toThrow('compose cannot scale');
		expect(compose.supports('exec')).toEqual({ok: true});
	});
});
