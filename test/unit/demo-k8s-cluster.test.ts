// The demo cluster's controllers on an injected clock: pods start over seconds, rollouts follow maxSurge and
// maxUnavailable, an old template comes back under a new revision, bad-deploy stalls, and the patch types.
import {describe, expect, it} from 'vitest';
import {Cluster} from '../../source/demo/k8s/cluster.js';
import {jsonPatch, mergePatch, strategicMergePatch} from '../../source/demo/k8s/patch.js';
import type {KubeObject} from '../../source/demo/k8s/store.js';
import {World} from '../../source/demo/world.js';

const t0 = Date.parse('2026-11-25T12:00:00Z');
const ns = 'bot-core-production';

function cluster(scenario?: string) {
	let now = t0;
	const world = new World({scenario, clock: () => now, backlogLines: 5});
	const c = new Cluster(world);
	const advance = (ms: number) => {
		for (let step = 0; step < ms; step += 250) {
			now += 250;
			c.sync(now);
		}
	};
	return {cluster: c, advance, now: () => now};
}

const pods = (c: Cluster, app: string) => c.store.list('pods', ns).filter(pod => pod.metadata.labels?.app === app && !pod.metadata.deletionTimestamp);
const container = (pod: KubeObject) => (pod.status as {containerStatuses?: Array<{ready: boolean; state: Record<string, {reason?: string}>}>}).containerStatuses?.[0];
const deployment = (c: Cluster, name: string) => c.store.get('deployments', ns, name)!;
const setSpec = (c: Cluster, name: string, change: (spec: Record<string, unknown>) => void) =>
	c.store.mutate('deployments', ns, name, object => {
		change(object.spec as Record<string, unknown>);
		object.metadata.generation = (object.metadata.generation ?? 1) + 1;
	});

describe('demo cluster', () => {
	it('scales up with pods that go Pending, ContainerCreating, Running and then ready', () => {
		const {cluster: c, advance} = cluster();
		setSpec(c, 'rust-core-engine', spec => void (spec.replicas = 3));
		c.sync();
		const fresh = () => pods(c, 'rust-core-engine').find(pod => !container(pod)?.ready);
		const phases = new Set<string>();
		for (let i = 0; i < 40 && fresh(); i++) {
			const pod = fresh()!;
			const state = container(pod)?.state;
			phases.add(!state ? 'Pending' : state.waiting ? state.waiting.reason! : 'Running');
			advance(250);
		}
		expect([...phases]).toEqual(['Pending', 'ContainerCreating', 'Running']);
		expect(pods(c, 'rust-core-engine').filter(pod => container(pod)?.ready)).toHaveLength(3);
		expect(deployment(c, 'rust-core-engine').status).toMatchObject({replicas: 3, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3});
	});

	it('rolls a new template out within maxSurge and maxUnavailable, and an old template returns under a new revision', () => {
		const {cluster: c, advance} = cluster();
		const revision = () => deployment(c, 'python-ai-service').metadata.annotations!['deployment.kubernetes.io/revision'];
		const original = structuredClone((deployment(c, 'python-ai-service').spec as {template: unknown}).template);
		expect(revision()).toBe('2');
		setSpec(c, 'python-ai-service', spec => void ((spec.template as {spec: {containers: Array<{image: string}>}}).spec.containers[0].image = 'bot-core/python-ai-service:2.4.0'));
		let most = 0;
		let fewestReady = Infinity;
		for (let i = 0; i < 200; i++) {
			advance(250);
			const live = pods(c, 'python-ai-service');
			most = Math.max(most, live.length);
			fewestReady = Math.min(fewestReady, live.filter(pod => container(pod)?.ready).length);
		}
		// Two replicas: maxSurge 25% rounds up to one extra pod, maxUnavailable 25% rounds down to none.
		expect(most).toBe(3);
		expect(fewestReady).toBe(2);
		expect(revision()).toBe('3');
		expect(pods(c, 'python-ai-service').map(pod => (pod.spec as {containers: Array<{image: string}>}).containers[0].image)).toEqual(['bot-core/python-ai-service:2.4.0', 'bot-core/python-ai-service:2.4.0']);
		setSpec(c, 'python-ai-service', spec => void (spec.template = original));
		advance(20_000);
		expect(revision()).toBe('4');
		const sets = c.replicaSetsOf(deployment(c, 'python-ai-service'));
		expect(sets).toHaveLength(3);
		const back = sets.find(rs => (rs.spec as {replicas: number}).replicas === 2)!;
		expect(back.metadata.annotations).toMatchObject({'deployment.kubernetes.io/revision': '4', 'deployment.kubernetes.io/revision-history': '2'});
	});

	it('bad-deploy: the new pods never get ready and the deployment reports ProgressDeadlineExceeded', () => {
		const {cluster: c, advance} = cluster('bad-deploy');
		advance(1000);
		const status = deployment(c, 'rust-core-engine').status as {conditions: Array<{type: string; status: string; reason: string; message: string}>; updatedReplicas: number; readyReplicas: number};
		expect(status.conditions.find(condition => condition.type === 'Progressing')).toMatchObject({status: 'False', reason: 'ProgressDeadlineExceeded'});
		expect(status.updatedReplicas).toBe(1);
		expect(status.readyReplicas).toBe(2);
		const bad = pods(c, 'rust-core-engine').find(pod => (pod.spec as {containers: Array<{image: string}>}).containers[0].image.endsWith(':1.5.0'))!;
		expect(container(bad)?.ready).toBe(false);
		advance(4000);
		expect(c.store.list('events', ns).some(event => event.reason === 'Unhealthy' && (event.involvedObject as {name: string}).name === bad.metadata.name)).toBe(true);
	});

	it('keeps the HPA target within its bounds: raising minReplicas scales the deployment up', () => {
		const {cluster: c, advance} = cluster();
		c.store.mutate('horizontalpodautoscalers', ns, 'rust-core-engine-hpa', hpa => void ((hpa.spec as {minReplicas: number}).minReplicas = 3));
		advance(16_000);
		expect((deployment(c, 'rust-core-engine').spec as {replicas: number}).replicas).toBe(3);
		expect(c.store.get('horizontalpodautoscalers', ns, 'rust-core-engine-hpa')!.status).toMatchObject({desiredReplicas: 3});
		expect(c.store.list('events', ns).some(event => event.reason === 'SuccessfulRescale' && String(event.message).startsWith('New size: 3'))).toBe(true);
	});

	it('engine-crashloop: an engine pod of its own crashes with exit 101 and backs off in CrashLoopBackOff', () => {
		const {cluster: c, advance} = cluster('engine-crashloop');
		const seen = new Set<string>();
		for (let i = 0; i < 120; i++) {
			advance(250);
			for (const pod of pods(c, 'rust-core-engine')) {
				const status = container(pod) as unknown as {state: {waiting?: {reason: string}}; lastState: {terminated?: {exitCode: number}}; restartCount: number} | undefined;
				if (status?.state.waiting?.reason === 'CrashLoopBackOff' && status.lastState.terminated?.exitCode === 101) seen.add(pod.metadata.name);
			}
		}
		expect(seen.size).toBeGreaterThan(0);
	});
});

describe('demo cluster for benchmarks', () => {
	it('runs each extra container of the world as a deployment of workerReplicas pods, its first pod the container', () => {
		const world = new World({extraContainers: 20, clock: () => t0, backlogLines: 5});
		const c = new Cluster(world, {workerReplicas: 10});
		const workers = c.store.list('deployments', ns).filter(d => d.metadata.name.startsWith('worker-'));
		expect(workers).toHaveLength(20);
		expect(c.store.list('pods', ns).filter(pod => pod.metadata.labels?.app === 'worker-0007')).toHaveLength(10);
		expect(c.store.list('pods', ns)).toHaveLength(7 + 200);
		expect(workers.every(d => (d.status as {readyReplicas?: number}).readyReplicas === 10)).toBe(true);
		expect(c.podUsage(c.store.list('pods', ns).find(pod => pod.metadata.labels?.app === 'worker-0007')!.metadata.name)).toBeDefined();
		c.stop();
	});
});

describe('patches', () => {
	const template = {spec: {containers: [{name: 'a', image: 'a:1', env: [{name: 'X', value: '1'}]}, {name: 'b', image: 'b:1'}]}, metadata: {annotations: {keep: 'yes'}}};

	it('strategic merge merges containers and env by name and honours $patch and $retainKeys', () => {
		const patched = strategicMergePatch(template, {spec: {containers: [{name: 'b', image: 'b:2'}, {name: 'a', env: [{name: 'Y', value: '2'}, {name: 'X', $patch: 'delete'}]}]}, metadata: {annotations: {added: 'now'}}});
		expect(patched).toEqual({spec: {containers: [{name: 'a', image: 'a:1', env: [{name: 'Y', value: '2'}]}, {name: 'b', image: 'b:2'}]}, metadata: {annotations: {keep: 'yes', added: 'now'}}});
		expect(strategicMergePatch({strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: 1}}}, {strategy: {$retainKeys: ['type'], type: 'Recreate'}})).toEqual({strategy: {type: 'Recreate'}});
		expect(strategicMergePatch(template, {metadata: {annotations: {$patch: 'replace', only: 'this'}}})).toMatchObject({metadata: {annotations: {only: 'this'}}});
	});

	it('JSON merge replaces lists and deletes with null; JSON patch replaces, adds, removes and tests', () => {
		expect(mergePatch(template, {spec: {containers: [{name: 'c'}]}, metadata: {annotations: {keep: null}}})).toEqual({spec: {containers: [{name: 'c'}]}, metadata: {annotations: {}}});
		const patched = jsonPatch(template, [
			{op: 'test', path: '/spec/containers/0/name', value: 'a'},
			{op: 'replace', path: '/spec/containers/0/image', value: 'a:2'},
			{op: 'add', path: '/metadata/annotations/kubectl.kubernetes.io~1restartedAt', value: 'then'},
			{op: 'remove', path: '/spec/containers/1'},
		]);
		expect(patched).toEqual({spec: {containers: [{name: 'a', image: 'a:2', env: [{name: 'X', value: '1'}]}]}, metadata: {annotations: {keep: 'yes', 'kubectl.kubernetes.io/restartedAt': 'then'}}});
		expect(() => jsonPatch(template, [{op: 'replace', path: '/spec/missing', value: 1}])).toThrow(/missing path/);
		expect(() => jsonPatch(template, [{op: 'test', path: '/spec/containers/0/name', value: 'z'}])).toThrow(/testing value/);
	});
});
