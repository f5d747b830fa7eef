// The demo API server's watch: resuming from a resourceVersion, 410 for one too old, bookmarks, and the store's
// no-op updates (controllers re-render every tick without making events).
import {afterEach, describe, expect, it} from 'vitest';
import {startKubernetesApi, type KubernetesApi} from '../../source/demo/k8s/api-server.js';
import {Cluster} from '../../source/demo/k8s/cluster.js';
import {ObjectStore, type KubeObject} from '../../source/demo/k8s/store.js';
import {World} from '../../source/demo/world.js';

const t0 = Date.parse('2026-11-25T12:00:00Z');
const secret = (name: string, value = 'a'): KubeObject => ({apiVersion: 'v1', kind: 'Secret', metadata: {name, namespace: 'ns'}, data: {k: Buffer.from(value).toString('base64')}});

describe('object store', () => {
	it('replays the changes after a resourceVersion, then live ones, and reports a revision older than its history', () => {
		const store = new ObjectStore(() => t0, 3);
		const first = store.create('secrets', secret('one'));
		const from = Number(first.metadata.resourceVersion);
		store.create('secrets', secret('two'));
		store.mutate('secrets', 'ns', 'one', object => void (object.data = {k: 'Yg=='}));
		const seen: string[] = [];
		const watch = store.watch('secrets', from, () => true, event => seen.push(`${event.type} ${event.object.metadata.name}`));
		if (!watch.ok) throw new Error('expected the watch to start');
		expect(watch.replay.map(event => `${event.type} ${event.object.metadata.name}`)).toEqual(['ADDED two', 'MODIFIED one']);
		store.remove('secrets', 'ns', 'two');
		expect(seen).toEqual(['DELETED two']);
		watch.stop();
		// Three changes kept: the first one (from) has fallen out, so resuming from before it is too old.
		store.create('secrets', secret('three'));
		const gone = store.watch('secrets', from - 1, () => true, () => {});
		expect(gone).toEqual({ok: false, oldest: store.oldestResumable});
		expect(store.oldestResumable).toBeGreaterThan(from - 1);
	});

	it('makes no new resourceVersion and no event for an update that changes nothing', () => {
		const store = new ObjectStore(() => t0);
		store.create('secrets', secret('one'));
		const revision = store.resourceVersion;
		const events: string[] = [];
		const watch = store.watch('secrets', revision, () => true, event => events.push(event.type));
		store.mutate('secrets', 'ns', 'one', object => void (object.data = {k: Buffer.from('a').toString('base64')}));
		expect(store.resourceVersion).toBe(revision);
		store.mutate('secrets', 'ns', 'one', object => void (object.data = {k: 'Yg=='}));
		expect(store.resourceVersion).toBe(revision + 1);
		expect(events).toEqual(['MODIFIED']);
		if (watch.ok) watch.stop();
	});
});

describe('watch over HTTP', () => {
	let api: KubernetesApi | undefined;
	let cluster: Cluster | undefined;
	afterEach(async () => {
		await api?.close();
		cluster?.stop();
	});

	async function start(): Promise<{api: KubernetesApi; cluster: Cluster}> {
		const world = new World({clock: () => t0, backlogLines: 5});
		cluster = new Cluster(world);
		api = await startKubernetesApi(cluster, {token: 'test-token', bookmarkIntervalMs: 50});
		return {api, cluster};
	}

	/** Reads watch events (one JSON per line) until `done` says so; then closes the stream. */
	async function readEvents(url: string, done: (events: Array<{type: string; object: KubeObject}>) => boolean): Promise<Array<{type: string; object: KubeObject}>> {
		const controller = new AbortController();
		const res = await fetch(url, {signal: controller.signal, headers: {authorization: 'Bearer test-token'}});
		expect(res.status).toBe(200);
		const events: Array<{type: string; object: KubeObject}> = [];
		const decoder = new TextDecoder();
		let buffer = '';
		for await (const chunk of res.body!) {
			buffer += decoder.decode(chunk as Uint8Array, {stream: true});
			let newline: number;
			while ((newline = buffer.indexOf('\n')) >= 0) {
				events.push(JSON.parse(buffer.slice(0, newline)));
				buffer = buffer.slice(newline + 1);
			}
			if (done(events)) break;
		}
		controller.abort();
		return events;
	}

	it('resumes from a resourceVersion with the changes after it and sends bookmarks when allowed', async () => {
		const {api, cluster} = await start();
		const list = (await (await fetch(`${api.url}/apis/apps/v1/namespaces/bot-core-production/deployments`)).json()) as {metadata: {resourceVersion: string}};
		cluster.store.mutate('deployments', 'bot-core-production', 'rust-core-engine', object => void (object.metadata.labels = {...object.metadata.labels, touched: 'yes'}));
		const events = await readEvents(`${api.url}/apis/apps/v1/namespaces/bot-core-production/deployments?watch=1&resourceVersion=${list.metadata.resourceVersion}&allowWatchBookmarks=true`, seen => seen.some(e => e.type === 'BOOKMARK'));
		expect(events[0]).toMatchObject({type: 'MODIFIED', object: {metadata: {name: 'rust-core-engine', labels: {touched: 'yes'}}}});
		const bookmark = events.find(e => e.type === 'BOOKMARK')!;
		expect(bookmark.object).toEqual({kind: 'Deployment', apiVersion: 'apps/v1', metadata: {resourceVersion: String(cluster.store.resourceVersion)}});
	});

	it('answers a too-old resourceVersion with an ERROR event carrying 410 Expired, as the API server does', async () => {
		const {api} = await start();
		const events = await readEvents(`${api.url}/api/v1/namespaces/bot-core-production/pods?watch=true&resourceVersion=1`, seen => seen.length > 0);
		expect(events[0]).toMatchObject({type: 'ERROR', object: {kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410}});
		expect((events[0].object as unknown as {message: string}).message).toMatch(/^too old resource version: 1 \(\d+\)$/);
	});

	it('starts a watch without a resourceVersion with the current objects as ADDED, filtered by the selectors', async () => {
		const {api} = await start();
		const events = await readEvents(`${api.url}/api/v1/namespaces/bot-core-production/pods?watch=1&labelSelector=app%3Dpython-ai-service`, seen => seen.length >= 2);
		expect(events.map(e => e.type)).toEqual(['ADDED', 'ADDED']);
		expect(events.every(e => e.object.metadata.labels?.app === 'python-ai-service')).toBe(true);
	});

	it('turns an object that stops matching the label selector into DELETED, and one that starts matching into ADDED', async () => {
		const {api, cluster} = await start();
		const from = cluster.store.resourceVersion;
		cluster.store.mutate('deployments', 'bot-core-production', 'nextjs-ui-dashboard', object => void (object.metadata.labels = {...object.metadata.labels, tier: 'web'}));
		cluster.store.mutate('deployments', 'bot-core-production', 'nextjs-ui-dashboard', object => void (object.metadata.labels = {...object.metadata.labels, tier: 'edge'}));
		const events = await readEvents(`${api.url}/apis/apps/v1/namespaces/bot-core-production/deployments?watch=1&resourceVersion=${from}&labelSelector=tier%3Dweb`, seen => seen.length >= 2);
		expect(events.map(e => `${e.type} ${e.object.metadata.name} ${e.object.metadata.labels?.tier}`)).toEqual(['ADDED nextjs-ui-dashboard web', 'DELETED nextjs-ui-dashboard edge']);
	});

	it('refuses a wrong bearer token with a 401 Status', async () => {
		const {api} = await start();
		const res = await fetch(`${api.url}/api/v1/namespaces/bot-core-production/pods`, {headers: {authorization: 'Bearer wrong'}});
		expect(res.status).toBe(401);
		expect(await res.json()).toEqual({kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401});
	});
});
