import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {createMonitor} from '../../source/controllers/monitor.js';
import {environmentSchema, type EnvironmentConfig} from '../../source/config/schema.js';
import {kubeconfigText} from '../../source/demo/k8s/kubeconfig.js';
import {openBackends} from '../../source/services/backends.js';
import {createAppStore} from '../../source/store/store.js';
import {eventually} from '../helpers/docker.js';

/**
 * A cluster that misbehaves, seen through the store as the panes see it: each fault shows as the containers
 * resource's error (with a retry time), the last good data stays, and the pane recovers when the server does.
 */
type Mode = 'ok' | 'forbidden' | 'error' | 'slow';

const pod = (name: string) => ({
	metadata: {name, namespace: 'bot-core-production', resourceVersion: '3', creationTimestamp: '2026-12-01T10:00:00Z', labels: {app: 'api', 'pod-template-hash': 'abc'}, ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-abc', uid: 'u'}]},
	spec: {containers: [{name: 'api', image: 'api:1'}]},
	status: {phase: 'Running', containerStatuses: [{name: 'api', image: 'api:1', imageID: '', ready: true, restartCount: 0, state: {running: {startedAt: '2026-12-01T10:00:01Z'}}}]},
});

let cleanup: Array<() => void> = [];
afterEach(() => {
	for (const step of cleanup.reverse()) step();
	cleanup = [];
});

async function cluster(): Promise<{setMode(mode: Mode): void; dropWatches(): void; environment: EnvironmentConfig}> {
	let mode: Mode = 'ok';
	const watches = new Set<import('node:http').ServerResponse>();
	const server: Server = createServer((req, res) => {
		const url = new URL(req.url!, 'http://x');
		if (mode === 'slow') return; // never answers
		if (mode === 'forbidden' || mode === 'error') {
			const code = mode === 'forbidden' ? 403 : 500;
			res.writeHead(code, {'content-type': 'application/json'}).end(JSON.stringify({kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason: mode === 'forbidden' ? 'Forbidden' : 'InternalError', message: mode === 'forbidden' ? 'pods is forbidden: User "ci" cannot list resource "pods" in API group "" in the namespace "bot-core-production"' : 'etcd leader changed'}));
			return;
		}
		if (url.searchParams.get('watch')) {
			res.writeHead(200, {'content-type': 'application/json'});
			res.write('');
			watches.add(res);
			res.on('close', () => watches.delete(res));
			return;
		}
		const items = url.pathname.endsWith('/pods') ? [pod('api-abc-1')] : [];
		res.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({kind: 'List', apiVersion: 'v1', metadata: {resourceVersion: '3'}, items}));
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const directory = mkdtempSync(join(tmpdir(), 'botops-k8s-faults-'));
	const kubeconfig = join(directory, 'kubeconfig');
	writeFileSync(kubeconfig, kubeconfigText(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'token'));
	cleanup.push(() => {
		server.closeAllConnections();
		server.close();
		rmSync(directory, {recursive: true, force: true});
	});
	const environment = {...environmentSchema.parse({backend: {type: 'kubernetes', kubeconfig}, services: [{name: 'api'}]}), name: 'hostile'};
	return {
		setMode: next => (mode = next),
		dropWatches() {
			for (const res of watches) res.destroy();
		},
		environment,
	};
}

describe('Kubernetes faults in the store', () => {
	for (const [mode, expected] of [
		['forbidden', /^kubernetes: forbidden \(403\): cannot (watch|list) pods in namespace bot-core-production/],
		['error', /^kubernetes: (watch|list) pods in namespace bot-core-production: HTTP 500/],
	] as const) {
		it(`a dropped watch that meets ${mode} on relist shows it, keeps the last pods, and recovers`, async () => {
			const hostile = await cluster();
			const store = createAppStore();
			const backends = await openBackends(hostile.environment, {timeoutMs: 1000, refreshMs: 200});
			const monitor = createMonitor(store, backends, {refreshMs: 200, timeoutMs: 1000, latencyTargetMs: 500, stats: false, commitWindowMs: 10});
			cleanup.push(() => monitor.stop(), () => backends.close());
			monitor.start();
			await eventually(async () => (store.getState().containers.data.length === 1 ? true : undefined), {what: 'the pod'});
			hostile.setMode(mode);
			hostile.dropWatches();
			// The watch resumes from its resourceVersion; this server fails the resume, then the relist.
			const failed = await eventually(async () => (expected.test(store.getState().containers.error ?? '') ? store.getState().containers.error : undefined), {what: `${mode} in the store`, timeoutMs: 15_000});
			expect(failed).toMatch(expected);
			expect(store.getState().containers.data.map(p => p.name)).toEqual(['api-abc-1']);
			expect(store.getState().containers.retryAt).toBeGreaterThan(0);
			hostile.setMode('ok');
			await eventually(async () => (store.getState().containers.error === undefined ? true : undefined), {what: 'recovery', timeoutMs: 15_000});
		}, 40_000);
	}

	it('a server that never answers the first list times the poll out, and nothing else stops', async () => {
		const hostile = await cluster();
		hostile.setMode('slow');
		const store = createAppStore();
		const backends = await openBackends(hostile.environment, {timeoutMs: 300, refreshMs: 200});
		const monitor = createMonitor(store, backends, {refreshMs: 200, timeoutMs: 300, latencyTargetMs: 500, stats: false, commitWindowMs: 10});
		cleanup.push(() => monitor.stop(), () => backends.close());
		monitor.start();
		const error = await eventually(async () => store.getState().containers.error, {what: 'a timeout', timeoutMs: 10_000});
		expect(error).toMatch(/timeout after \d+ ms/);
		hostile.setMode('ok');
		await eventually(async () => (store.getState().containers.data.length === 1 ? true : undefined), {what: 'the pod after the server answers', timeoutMs: 20_000});
	}, 30_000);
});
