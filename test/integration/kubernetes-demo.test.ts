import {writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {EnvironmentConfig} from '../../source/config/schema.js';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';
import {kubeconfigText} from '../../source/demo/k8s/kubeconfig.js';
import type {LogRecord} from '../../source/logs/record.js';
import {createInstanceLogSource} from '../../source/services/log-source.js';
import {loadKubeContext} from '../../source/services/kubernetes/kubeconfig.js';
import {createKubernetesPlatform, type KubernetesPlatform} from '../../source/services/kubernetes/platform.js';
import {createWatchedList} from '../../source/services/kubernetes/watch.js';
import type {StatsSample} from '../../source/services/types.js';
import {eventually} from '../helpers/docker.js';

/**
 * botops' Kubernetes service through the official client against the demo's API server: every call botops makes
 * (list+watch of pods, deployments, replica sets, HPAs and events; pod logs; metrics.k8s.io; scale; delete pod),
 * and the faults a real cluster has (403, 401, 500, a missing context, a watch resumed with 410 Gone).
 */
let demo: DemoDeployment;
let environment: EnvironmentConfig;
let platform: KubernetesPlatform;

beforeAll(async () => {
	demo = await startDemo({kubernetes: true});
	environment = demo.kubernetes!.environment;
	platform = createKubernetesPlatform(environment, {timeoutMs: 5000, metricsEveryMs: 200});
}, 30_000);

afterAll(async () => {
	platform?.close();
	await demo?.stop();
});

const podsOf = async (service: string) => (await platform.listInstances()).filter(i => i.service === service && i.state !== 'removing');

describe('the Kubernetes platform against the demo API server', () => {
	it('lists every deployment\'s pods as instances, with their details from the watch', async () => {
		const instances = await platform.listInstances();
		for (const service of environment.services) expect(instances.some(i => i.service === service.deployment)).toBe(true);
		const engine = instances.filter(i => i.service === 'rust-core-engine');
		expect(engine.length).toBe(2);
		for (const pod of engine) {
			expect(pod.id).toMatch(/^rust-core-engine-[a-z0-9]+-[a-z0-9]+$/);
			expect(pod.state).toBe('running');
			expect(pod.health).toBe('healthy');
			expect(pod.status).toBe('Running 1/1');
			expect(pod.project).toBe(demo.kubernetes!.namespace);
		}
		const [detail] = await platform.details(engine.slice(0, 1));
		expect(detail!.node).toBeTruthy();
		expect(detail!.restartCount).toBe(0);
		expect(detail!.startedAt).toBeGreaterThan(0);
		expect(detail!.ports).toContain('8080/tcp');
		// Pods answer first; the other lists sync on their own.
		const snapshot = await eventually(async () => (platform.snapshot().syncedAt > 0 ? platform.snapshot() : undefined), {what: 'every list synced'});
		expect(snapshot.deployments.has('rust-core-engine')).toBe(true);
		expect(snapshot.hpas.has('rust-core-engine-hpa')).toBe(true);
		expect(snapshot.replicaSets.size).toBeGreaterThanOrEqual(environment.services.length);
		expect(snapshot.syncedAt).toBeGreaterThan(0);
		expect(snapshot.error).toBeUndefined();
	});

	it('says what it cannot do, and scales a deployment: the watch brings the new pod, and removes it again', async () => {
		expect(platform.supports('scale')).toEqual({ok: true});
		expect(platform.supports('restart')).toEqual({ok: true});
		expect(platform.supports('stop')).toMatchObject({ok: false, reason: expect.stringContaining('scale its deployment')});
		expect(platform.supports('exec')).toEqual({ok: true});
		let changes = 0;
		const unsubscribe = platform.onChange(() => changes++);
		try {
			await platform.scale('nextjs-ui-dashboard', 3);
			const three = await eventually(async () => ((await podsOf('nextjs-ui-dashboard')).length === 3 ? podsOf('nextjs-ui-dashboard') : undefined), {what: 'a third dashboard pod'});
			expect(changes).toBeGreaterThan(0);
			await eventually(async () => ((await podsOf('nextjs-ui-dashboard')).every(p => p.state === 'running') ? true : undefined), {what: 'the third pod running', timeoutMs: 20_000});
			await platform.scale('nextjs-ui-dashboard', 2);
			await eventually(async () => ((await podsOf('nextjs-ui-dashboard')).length === 2 ? true : undefined), {what: 'back to two dashboard pods', timeoutMs: 20_000});
			expect(three.length).toBe(3);
		} finally {
			unsubscribe();
		}
	}, 40_000);

	it('restarts an instance by deleting its pod: the replica set brings a new one', async () => {
		const [victim] = await podsOf('python-ai-service');
		await platform.restart(victim!.id);
		await eventually(
			async () => {
				const pods = await podsOf('python-ai-service');
				return pods.length === 2 && !pods.some(p => p.id === victim!.id) ? true : undefined;
			},
			{what: 'a replacement pod', timeoutMs: 20_000},
		);
	}, 30_000);

	it('streams pod metrics as kubectl top pods reads them', async () => {
		const [pod] = await podsOf('rust-core-engine');
		const sample = await new Promise<StatsSample>((resolve, reject) => {
			const stop = platform.streamStats(pod!.id, s => {
				stop();
				resolve(s);
			}, error => reject(error ?? new Error('ended')));
		});
		expect(sample.cpuPercent).toBeGreaterThanOrEqual(0);
		expect(sample.memUsage).toBeGreaterThan(0);
		expect(Number.isFinite(sample.memPercent)).toBe(true);
	});

	it('merges the logs of a deployment\'s pods, and picks up a pod that appears mid-follow', async () => {
		const opened = new Set<string>();
		const client = {...platform.instanceLogs, streamLogs: (id: string, ...rest: Parameters<typeof platform.instanceLogs.streamLogs> extends [string, ...infer R] ? R : never) => {
			opened.add(id);
			return platform.instanceLogs.streamLogs(id, ...rest);
		}};
		const source = createInstanceLogSource({client, discoverNew: true});
		const records: LogRecord[] = [];
		const unsubscribe = source.subscribe(['nextjs-ui-dashboard'], {follow: true, tail: 20}, batch => void records.push(...batch), () => {});
		try {
			const first = await podsOf('nextjs-ui-dashboard');
			await eventually(async () => (first.every(p => opened.has(p.id)) && records.length > 0 ? true : undefined), {what: 'both pods followed'});
			for (let i = 1; i < records.length; i++) expect(records[i]!.seq).toBeGreaterThan(records[i - 1]!.seq);
			expect(records.every(r => r.service === 'nextjs-ui-dashboard')).toBe(true);
			await platform.scale('nextjs-ui-dashboard', 3);
			const added = await eventually(async () => (await podsOf('nextjs-ui-dashboard')).find(p => !first.some(f => f.id === p.id)), {what: 'the new pod'});
			await eventually(async () => (opened.has(added.id) ? true : undefined), {what: 'the new pod followed', timeoutMs: 20_000});
		} finally {
			unsubscribe();
			await platform.scale('nextjs-ui-dashboard', 2);
		}
	}, 40_000);
});

describe('kubeconfig', () => {
	it('names the kubeconfig and lists its contexts when the context does not exist', () => {
		const wrong: EnvironmentConfig = {...environment, backend: {...(environment.backend as Extract<EnvironmentConfig['backend'], {type: 'kubernetes'}>), context: 'prod-eu'}};
		expect(() => loadKubeContext(wrong)).toThrow(`context "prod-eu" is not in kubeconfig ${demo.kubernetes!.kubeconfig} (contexts: ${demo.kubernetes!.context})`);
	});

	it('returns the client configuration and namespace the runbook actions use', () => {
		const {kubeConfig, namespace} = loadKubeContext(environment);
		expect(namespace).toBe(demo.kubernetes!.namespace);
		expect(kubeConfig.getCurrentCluster()?.server).toBe(demo.kubernetes!.url);
	});
});

/** A tiny API server that answers pods with the given status (a 403 the demo never gives), or a scripted watch. */
async function hostileApi(handler: Parameters<typeof createServer>[1]): Promise<{server: Server; environment: EnvironmentConfig}> {
	const server = createServer(handler);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const file = join(demo.directory, `kubeconfig-${(server.address() as AddressInfo).port}`);
	writeFileSync(file, kubeconfigText(url, 'a-token'));
	return {server, environment: {...environment, backend: {type: 'kubernetes', kubeconfig: file, namespace: 'bot-core-production'}}};
}

const status = (code: number, reason: string, message: string) => JSON.stringify({kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code});

describe('faults', () => {
	for (const [code, reason, expected] of [
		[403, 'Forbidden', 'kubernetes: forbidden (403): cannot list pods in namespace bot-core-production'],
		[401, 'Unauthorized', 'kubernetes: unauthorized (401) to list pods in namespace bot-core-production: credentials missing or expired'],
		[500, 'InternalError', 'kubernetes: list pods in namespace bot-core-production: HTTP 500 boom'],
	] as const) {
		it(`says what a ${code} denied, and recovers when the server answers again`, async () => {
			let failing = true;
			const {server, environment: hostile} = await hostileApi((req, res) => {
				const url = new URL(req.url!, 'http://x');
				if (failing) {
					res.writeHead(code, {'content-type': 'application/json'}).end(status(code, reason, code === 500 ? 'boom' : `pods is forbidden: User "x" cannot list resource "pods"`));
					return;
				}
				if (url.searchParams.get('watch')) return void res.writeHead(200, {'content-type': 'application/json'});
				res.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({kind: 'List', apiVersion: 'v1', metadata: {resourceVersion: '1'}, items: []}));
			});
			const failingPlatform = createKubernetesPlatform(hostile, {timeoutMs: 2000});
			try {
				const error = await failingPlatform.listInstances().then(() => undefined, (e: Error) => e);
				expect(error?.message).toContain(expected);
				failing = false;
				await eventually(async () => failingPlatform.listInstances().then(list => (list.length === 0 ? true : undefined)), {what: 'recovery', timeoutMs: 15_000});
			} finally {
				failingPlatform.close();
				server.close();
				server.closeAllConnections();
			}
		}, 20_000);
	}

	it('relists after a watch resumed with 410 Gone, and keeps the objects the second list has', async () => {
		let lists = 0;
		let watches = 0;
		const {server, environment: hostile} = await hostileApi((req, res) => {
			const url = new URL(req.url!, 'http://x');
			if (url.searchParams.get('watch')) {
				watches++;
				res.writeHead(200, {'content-type': 'application/json'});
				// The first watch: the resume point is already compacted away.
				if (watches === 1) res.end(JSON.stringify({type: 'ERROR', object: {kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version'}}) + '\n');
				return;
			}
			lists++;
			const items = lists === 1 ? [{metadata: {name: 'a', resourceVersion: '5'}}] : [{metadata: {name: 'b', resourceVersion: '9'}}];
			res.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({kind: 'PodList', apiVersion: 'v1', metadata: {resourceVersion: lists === 1 ? '5' : '9'}, items}));
		});
		const {kubeConfig} = loadKubeContext(hostile);
		const {CoreV1Api} = await import('@kubernetes/client-node');
		const core = kubeConfig.makeApiClient(CoreV1Api);
		const list = createWatchedList({kubeConfig, path: '/api/v1/namespaces/bot-core-production/pods', resource: 'pods', namespace: 'bot-core-production', list: () => core.listNamespacedPod({namespace: 'bot-core-production'}), onChange() {}});
		list.start();
		try {
			await eventually(async () => (lists === 2 && list.items.has('b') ? true : undefined), {what: 'a relist after 410'});
			expect([...list.items.keys()]).toEqual(['b']);
			expect(list.error).toBeUndefined();
		} finally {
			list.stop();
			server.close();
			server.closeAllConnections();
		}
	});
});
