// The demo API server's answers that clients branch on: Status errors shaped as the real server's (404, 409, 422),
// the scale subresource, Tables, selectors and pod logs.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startKubernetesApi, type KubernetesApi} from '../../source/demo/k8s/api-server.js';
import {Cluster} from '../../source/demo/k8s/cluster.js';
import {parseLabelSelector} from '../../source/demo/k8s/selectors.js';
import {kubeAge} from '../../source/demo/k8s/tables.js';
import type {KubeObject} from '../../source/demo/k8s/store.js';
import {World} from '../../source/demo/world.js';

const t0 = Date.parse('2026-11-25T12:00:00Z');
const base = '/apis/apps/v1/namespaces/bot-core-production/deployments';

describe('demo Kubernetes API', () => {
	let api: KubernetesApi;
	let cluster: Cluster;
	beforeAll(async () => {
		cluster = new Cluster(new World({clock: () => t0, backlogLines: 5}));
		api = await startKubernetesApi(cluster, {token: 't'});
	});
	afterAll(async () => {
		await api.close();
		cluster.stop();
	});

	const call = async (path: string, init: RequestInit = {}) => {
		const res = await fetch(`${api.url}${path}`, init);
		const type = res.headers.get('content-type') ?? '';
		return {status: res.status, body: type.includes('json') ? ((await res.json()) as Record<string, unknown>) : await res.text()};
	};
	const patch = (path: string, type: string, body: unknown) => call(path, {method: 'PATCH', headers: {'content-type': type}, body: JSON.stringify(body)});

	it('answers 404 with a NotFound Status naming the group and resource', async () => {
		expect(await call(`${base}/nope`)).toEqual({
			status: 404,
			body: {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'deployments.apps "nope" not found', reason: 'NotFound', details: {name: 'nope', group: 'apps', kind: 'deployments'}, code: 404},
		});
	});

	it('answers a stale resourceVersion with 409 Conflict and an invalid spec with 422 Invalid', async () => {
		const conflict = await patch(`${base}/rust-core-engine`, 'application/merge-patch+json', {metadata: {resourceVersion: '1'}, spec: {replicas: 3}});
		expect(conflict.status).toBe(409);
		expect(conflict.body).toMatchObject({kind: 'Status', reason: 'Conflict', code: 409, details: {name: 'rust-core-engine', group: 'apps', kind: 'deployments'}});
		expect((conflict.body as {message: string}).message).toBe('Operation cannot be fulfilled on deployments.apps "rust-core-engine": the object has been modified; please apply your changes to the latest version and try again');
		const invalid = await patch(`${base}/rust-core-engine`, 'application/merge-patch+json', {spec: {replicas: -1}});
		expect(invalid.status).toBe(422);
		expect(invalid.body).toMatchObject({reason: 'Invalid', code: 422, message: 'Deployment.apps "rust-core-engine" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0', details: {causes: [{field: 'spec.replicas', reason: 'FieldValueInvalid'}]}});
		const immutable = await patch(`${base}/rust-core-engine`, 'application/strategic-merge-patch+json', {spec: {selector: {matchLabels: {app: 'other'}}}});
		expect(immutable.status).toBe(422);
		expect((immutable.body as {message: string}).message).toContain('spec.selector');
		const created = await call('/api/v1/namespaces/bot-core-production/secrets', {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({apiVersion: 'v1', kind: 'Secret', metadata: {name: 'binance-secrets'}, data: {}})});
		expect(created).toMatchObject({status: 409, body: {reason: 'AlreadyExists', message: 'secrets "binance-secrets" already exists', details: {name: 'binance-secrets', kind: 'secrets'}}});
	});

	it('scales through the scale subresource and bumps the generation of a spec change only', async () => {
		const before = (await call(`${base}/nextjs-ui-dashboard`)).body as unknown as KubeObject;
		const scale = await patch(`${base}/nextjs-ui-dashboard/scale`, 'application/merge-patch+json', {spec: {replicas: 4}});
		expect(scale).toMatchObject({status: 200, body: {kind: 'Scale', apiVersion: 'autoscaling/v1', spec: {replicas: 4}, status: {selector: 'app=nextjs-ui-dashboard'}}});
		const after = (await call(`${base}/nextjs-ui-dashboard`)).body as unknown as KubeObject;
		expect(after.metadata.generation).toBe(before.metadata.generation! + 1);
		const labelled = (await patch(`${base}/nextjs-ui-dashboard`, 'application/json-patch+json', [{op: 'add', path: '/metadata/labels/tier', value: 'web'}])).body as unknown as KubeObject;
		expect(labelled.metadata.generation).toBe(after.metadata.generation);
	});

	it('serves Tables when asked, with the printer columns kubectl shows', async () => {
		const table = (await call('/api/v1/namespaces/bot-core-production/pods?labelSelector=app%3Dmongodb-primary', {headers: {accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json'}})).body as {kind: string; columnDefinitions: Array<{name: string}>; rows: Array<{cells: unknown[]; object: {kind: string}}>};
		expect(table.kind).toBe('Table');
		expect(table.columnDefinitions.filter((_, i) => i < 5).map(c => c.name)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age']);
		expect(table.rows).toHaveLength(1);
		expect(table.rows[0].cells.slice(1, 4)).toEqual(['1/1', 'Running', '0']);
		expect(table.rows[0].object.kind).toBe('PartialObjectMetadata');
	});

	it('serves pod logs with tailLines and timestamps, and a clear 400 for an unknown container', async () => {
		const pod = ((await call('/api/v1/namespaces/bot-core-production/pods?labelSelector=app%3Drust-core-engine')).body as {items: KubeObject[]}).items[0];
		const logs = (await call(`/api/v1/namespaces/bot-core-production/pods/${pod.metadata.name}/log?tailLines=3&timestamps=true`)).body as string;
		const lines = logs.trimEnd().split('\n');
		expect(lines).toHaveLength(3);
		for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z \S/);
		const wrong = await call(`/api/v1/namespaces/bot-core-production/pods/${pod.metadata.name}/log?container=sidecar`);
		expect(wrong).toMatchObject({status: 400, body: {reason: 'BadRequest', message: `container sidecar is not valid for pod ${pod.metadata.name}`}});
	});
});

describe('demo Kubernetes API on a clock the test drives', () => {
	it('replaces a deployment with PUT, refusing a stale resourceVersion', async () => {
		const cluster = new Cluster(new World({clock: () => t0, backlogLines: 5}));
		const api = await startKubernetesApi(cluster, {token: 't'});
		try {
			const url = `${api.url}${base}/mongodb-primary`;
			const current = (await (await fetch(url)).json()) as KubeObject;
			const put = (body: KubeObject) => fetch(url, {method: 'PUT', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)});
			const replaced = await put({...current, spec: {...(current.spec as object), replicas: 0}});
			expect(replaced.status).toBe(200);
			expect(((await replaced.json()) as {spec: {replicas: number}}).spec.replicas).toBe(0);
			const stale = await put(current);
			expect(stale.status).toBe(409);
			expect(((await stale.json()) as {reason: string}).reason).toBe('Conflict');
		} finally {
			await api.close();
			cluster.stop();
		}
	});

	it('ends a follow when the container exits, with its last lines, as the kubelet does', async () => {
		let now = t0;
		const cluster = new Cluster(new World({scenario: 'engine-crashloop', clock: () => now, backlogLines: 5}));
		const api = await startKubernetesApi(cluster, {token: 't'});
		try {
			// An engine pod of its own, running: it crashes within seconds in this drill.
			const advance = (ms: number) => {
				for (let step = 0; step < ms; step += 250) cluster.sync((now += 250));
			};
			const running = () =>
				cluster.store
					.list('pods', 'bot-core-production')
					.find(pod => pod.metadata.labels?.app === 'rust-core-engine' && !cluster.podSim(pod.metadata.name)?.backing && (pod.status as {containerStatuses?: Array<{state: {running?: object}}>}).containerStatuses?.[0]?.state.running);
			for (let i = 0; i < 400 && !running(); i++) advance(250);
			const pod = running()!;
			const res = await fetch(`${api.url}/api/v1/namespaces/bot-core-production/pods/${pod.metadata.name}/log?follow=true&tailLines=0`);
			expect(res.status).toBe(200);
			const body = res.text();
			advance(20_000);
			const text = await body;
			expect(text).toMatch(/panicked|position manager/);
			expect((cluster.store.get('pods', 'bot-core-production', pod.metadata.name)!.status as {containerStatuses: Array<{lastState: {terminated?: {exitCode: number}}}>}).containerStatuses[0].lastState.terminated?.exitCode).toBe(101);
		} finally {
			await api.close();
			cluster.stop();
		}
	});
});

describe('selectors and ages', () => {
	const object = (labels: Record<string, string>): KubeObject => ({apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p', labels}});
	it('parses equality, set and existence requirements', () => {
		const select = parseLabelSelector('app in (rust-core-engine,python-ai-service),tier!=db,!canary,release');
		expect(select(object({app: 'python-ai-service', release: '1'}))).toBe(true);
		expect(select(object({app: 'python-ai-service', release: '1', canary: 'y'}))).toBe(false);
		expect(select(object({app: 'mongodb-primary', release: '1'}))).toBe(false);
		expect(select(object({app: 'rust-core-engine'}))).toBe(false);
		expect(() => parseLabelSelector('app=(x')).toThrow(/unable to parse requirement/);
	});

	it('prints ages as kubectl does', () => {
		expect([45_000, 119_000, 192_000, 3_600_000, 27_000_000, 3 * 86_400_000 + 4 * 3_600_000, 41 * 86_400_000].map(kubeAge)).toEqual(['45s', '119s', '3m12s', '60m', '7h30m', '3d4h', '41d']);
	});
});
