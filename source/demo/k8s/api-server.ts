/**
 * The demo's Kubernetes API server on 127.0.0.1: discovery, list/get/watch, patch/put/create, the scale and status
 * subresources, pod logs and pod metrics, with the real server's Status errors. A thin adapter over the Cluster.
 */
import {randomBytes} from 'node:crypto';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import type {Duplex} from 'node:stream';
import {rfc3339Nano} from '../time-format.js';
import type {Cluster} from './cluster.js';
import {ChannelSocket, UpgradeError, chooseSubprotocol, streamExec, type ExecRequest} from './exec.js';
import {demoServerVersion} from './objects.js';
import {PatchError, jsonPatch, mergePatch, strategicMergePatch} from './patch.js';
import {SelectorError, parseFieldSelector, parseLabelSelector} from './selectors.js';
import {rfc3339, type KubeObject, type StoredEvent} from './store.js';
import {toTable, type IncludeObject} from './tables.js';

export type KubernetesApiOptions = {
	/** The bearer token every request must carry. */
	token: string;
	/** How often a watch that allows bookmarks gets one, ms (the real server: about a minute). */
	bookmarkIntervalMs?: number;
};

export type KubernetesApi = {url: string; port: number; close(): Promise<void>};

type ResourceDef = {
	group: string;
	version: string;
	name: string;
	singular: string;
	kind: string;
	namespaced: boolean;
	verbs: string[];
	shortNames?: string[];
	categories?: string[];
	subresources?: Array<{name: string; kind: string; group?: string; version?: string; verbs: string[]}>;
};

const readVerbs = ['get', 'list', 'watch'];
const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const resourceDefs: ResourceDef[] = [
	{group: '', version: 'v1', name: 'pods', singular: 'pod', kind: 'Pod', namespaced: true, verbs: ['delete', 'get', 'list', 'patch', 'watch'], shortNames: ['po'], categories: ['all'], subresources: [{name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get']}, {name: 'log', kind: 'Pod', verbs: ['get']}, {name: 'status', kind: 'Pod', verbs: ['get']}]},
	{group: '', version: 'v1', name: 'events', singular: 'event', kind: 'Event', namespaced: true, verbs: readVerbs, shortNames: ['ev']},
	{group: '', version: 'v1', name: 'secrets', singular: 'secret', kind: 'Secret', namespaced: true, verbs: allVerbs},
	{group: '', version: 'v1', name: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false, verbs: readVerbs, shortNames: ['ns']},
	{group: 'apps', version: 'v1', name: 'deployments', singular: 'deployment', kind: 'Deployment', namespaced: true, verbs: ['get', 'list', 'patch', 'update', 'watch'], shortNames: ['deploy'], categories: ['all'], subresources: [{name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update']}, {name: 'status', kind: 'Deployment', verbs: ['get']}]},
	{group: 'apps', version: 'v1', name: 'replicasets', singular: 'replicaset', kind: 'ReplicaSet', namespaced: true, verbs: readVerbs, shortNames: ['rs'], categories: ['all'], subresources: [{name: 'status', kind: 'ReplicaSet', verbs: ['get']}]},
	{group: 'autoscaling', version: 'v2', name: 'horizontalpodautoscalers', singular: 'horizontalpodautoscaler', kind: 'HorizontalPodAutoscaler', namespaced: true, verbs: ['get', 'list', 'patch', 'update', 'watch'], shortNames: ['hpa'], categories: ['all'], subresources: [{name: 'status', kind: 'HorizontalPodAutoscaler', verbs: ['get']}]},
	{group: 'metrics.k8s.io', version: 'v1beta1', name: 'pods', singular: '', kind: 'PodMetrics', namespaced: true, verbs: ['get', 'list']},
];

const groups = [...new Set(resourceDefs.filter(def => def.group !== '').map(def => def.group))].map(name => {
	const version = resourceDefs.find(def => def.group === name)!.version;
	return {name, versions: [{groupVersion: `${name}/${version}`, version}], preferredVersion: {groupVersion: `${name}/${version}`, version}};
});

/** The protobuf OpenAPI v2 document clients fetch for validation: `swagger: "2.0"` and its info, no definitions. */
function openApiV2Protobuf(): Buffer {
	const field = (number: number, bytes: Buffer) => Buffer.concat([Buffer.from([(number << 3) | 2, bytes.length]), bytes]);
	const info = Buffer.concat([field(1, Buffer.from('Kubernetes')), field(2, Buffer.from(demoServerVersion.gitVersion))]);
	return Buffer.concat([field(1, Buffer.from('2.0')), field(2, info)]);
}

class ApiError extends Error {
	constructor(
		readonly code: number,
		readonly reason: string,
		message: string,
		readonly details?: Record<string, unknown>,
	) {
		super(message);
	}
}

const qualified = (def: ResourceDef) => (def.group ? `${def.name}.${def.group}` : def.name);
const notFound = (def: ResourceDef, name: string) => new ApiError(404, 'NotFound', `${qualified(def)} "${name}" not found`, {name, group: def.group || undefined, kind: def.name});
const badRequest = (message: string) => new ApiError(400, 'BadRequest', message);

function statusBody(error: ApiError): Record<string, unknown> {
	return {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: error.message, reason: error.reason, ...(error.details ? {details: JSON.parse(JSON.stringify(error.details))} : {}), code: error.code};
}

export async function startKubernetesApi(cluster: Cluster, options: KubernetesApiOptions): Promise<KubernetesApi> {
	const store = cluster.store;
	for (const name of [cluster.namespace, 'default', 'kube-system'])
		if (!store.get('namespaces', undefined, name)) store.create('namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name, labels: {'kubernetes.io/metadata.name': name}}, spec: {finalizers: ['kubernetes']}, status: {phase: 'Active'}});
	const open = new Set<http.ServerResponse>();
	const server = http.createServer((req, res) => {
		open.add(res);
		res.on('close', () => open.delete(res));
		handle(req, res).catch(error => {
			const apiError = error instanceof ApiError ? error : new ApiError(500, 'InternalError', `Internal error occurred: ${error instanceof Error ? error.message : String(error)}`);
			if (res.headersSent) return void res.end();
			sendJson(res, apiError.code, statusBody(apiError));
		});
	});

	async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const path = url.pathname.split('/').filter(Boolean);
		if (['healthz', 'livez', 'readyz'].includes(path[0] ?? '')) return sendText(res, 200, 'ok');
		// kubectl (client-go) never sends a bearer token over plain HTTP, so a request without one is the operator
		// on this loopback-only server; a token that is there must be the right one.
		if (req.headers.authorization !== undefined && req.headers.authorization !== `Bearer ${options.token}`) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
		cluster.sync();
		if (path[0] === 'version' && path.length === 1) return sendJson(res, 200, demoServerVersion);
		if (path[0] === 'openapi') {
			if (path[1] === 'v2' && path.length === 2) {
				if ((req.headers.accept ?? '').includes('protobuf')) return void res.writeHead(200, {'Content-Type': 'application/octet-stream'}).end(openApiV2Protobuf());
				return sendJson(res, 200, {swagger: '2.0', info: {title: 'Kubernetes', version: demoServerVersion.gitVersion}, paths: {}, definitions: {}});
			}
			throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
		}
		if (path[0] === 'api' && path.length === 1) return sendJson(res, 200, {kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${port}`}]});
		if (path[0] === 'apis' && path.length === 1) return sendJson(res, 200, {kind: 'APIGroupList', apiVersion: 'v1', groups});
		if (path[0] === 'apis' && path.length === 2) {
			const group = groups.find(g => g.name === path[1]);
			if (!group) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
			return sendJson(res, 200, {kind: 'APIGroup', apiVersion: 'v1', ...group});
		}
		const [group, version, rest] = path[0] === 'api' ? ['', path[1], path.slice(2)] : path[0] === 'apis' ? [path[1], path[2], path.slice(3)] : [undefined, undefined, []];
		if (group === undefined || !resourceDefs.some(def => def.group === group && def.version === version)) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
		if (rest.length === 0) return sendJson(res, 200, resourceList(group, version!));
		let namespace: string | undefined;
		let parts = rest;
		if (parts[0] === 'namespaces' && parts.length >= 3) {
			namespace = parts[1];
			parts = parts.slice(2);
		}
		const [resource, name, subresource] = parts;
		const def = resourceDefs.find(d => d.group === group && d.version === version && d.name === resource);
		if (!def || parts.length > 3) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
		if (namespace !== undefined && !def.namespaced) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
		if (namespace !== undefined && !store.get('namespaces', undefined, namespace) && req.method !== 'GET') throw new ApiError(404, 'NotFound', `namespaces "${namespace}" not found`, {name: namespace, kind: 'namespaces'});
		if (def.group === 'metrics.k8s.io') return serveMetrics(req, res, url, namespace, name);
		const method = req.method ?? 'GET';
		if (name === undefined) {
			if (method === 'GET') return url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1' ? serveWatch(req, res, url, def, namespace) : serveList(req, res, url, def, namespace);
			if (method === 'POST') return create(req, res, url, def, namespace);
			throw methodNotAllowed();
		}
		if (subresource === 'log' && def.name === 'pods' && method === 'GET') return serveLog(res, url, def, namespace, name);
		if (subresource === 'exec' && def.name === 'pods') {
			if (method !== 'GET' && method !== 'POST') throw methodNotAllowed();
			// The request is checked as the real server checks it (a missing pod is a 404) before the upgrade is asked for.
			execRequest(url, namespace, name);
			throw badRequest('Upgrade request required');
		}
		if (subresource === 'scale' && def.name === 'deployments') return serveScale(req, res, url, def, namespace, name);
		if (subresource !== undefined && subresource !== 'status') throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
		if (subresource === 'status' && method !== 'GET') throw methodNotAllowed();
		const current = store.get(def.name, namespace, name);
		if (method === 'GET') {
			if (!current) throw notFound(def, name);
			return sendObject(req, res, url, def, current);
		}
		if (method === 'PATCH' || method === 'PUT') {
			if (!def.verbs.includes(method === 'PATCH' ? 'patch' : 'update')) throw methodNotAllowed();
			if (!current) throw notFound(def, name);
			const body = await readBody(req);
			const next = method === 'PATCH' ? applyPatch(req.headers['content-type'], current, body) : parseJson(body);
			const written = write(def, current, next as KubeObject, url);
			sendJson(res, 200, written);
			cluster.sync();
			return;
		}
		if (method === 'DELETE') return remove(res, url, def, namespace, name, current);
		throw methodNotAllowed();
	}

	/** The exec's command and streams, and where it runs; a bad request or a pod that cannot run it is an ApiError. */
	function execRequest(url: URL, namespace: string | undefined, name: string): {request: ExecRequest; target: Exclude<ReturnType<Cluster['execTarget']>, {error: string}>} {
		const podsDef = resourceDefs.find(d => d.name === 'pods' && d.group === '')!;
		const pod = store.get('pods', namespace, name);
		if (!pod) throw notFound(podsDef, name);
		const flag = (key: string) => ['true', '1'].includes(url.searchParams.get(key) ?? '');
		const argv = url.searchParams.getAll('command');
		if (argv.length === 0) throw badRequest('you must specify at least one command for the container');
		const request = {argv, container: url.searchParams.get('container') ?? '', stdout: flag('stdout'), stderr: flag('stderr')};
		if (!request.stdout && !request.stderr && !flag('stdin')) throw badRequest('you must specify at least one of stdin, stdout, stderr');
		if (flag('tty')) throw badRequest('the demo cluster has no TTY for exec: run without -t');
		const containerName = (pod.spec as {containers: Array<{name: string}>}).containers[0].name;
		if (request.container && request.container !== containerName) throw badRequest(`container ${request.container} is not valid for pod ${name}`);
		const target = cluster.execTarget(name);
		if ('error' in target) throw badRequest(target.error);
		return {request: {...request, container: containerName}, target};
	}

	const upgraded = new Set<Duplex>();
	const running = new Set<{cancel(): void}>();

	/** Answers an upgrade that will not happen with the Status an HTTP response would carry, then hangs up. */
	function refuseUpgrade(socket: Duplex, error: ApiError): void {
		const body = JSON.stringify(statusBody(error));
		socket.end(`HTTP/1.1 ${error.code} ${http.STATUS_CODES[error.code] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
	}

	function serveUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const path = url.pathname.split('/').filter(Boolean);
		if (req.headers.authorization !== undefined && req.headers.authorization !== `Bearer ${options.token}`) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
		cluster.sync();
		const isExec = path.length === 7 && path[0] === 'api' && path[1] === 'v1' && path[2] === 'namespaces' && path[4] === 'pods' && path[6] === 'exec';
		if (!isExec) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
		const {request, target} = execRequest(url, path[3], path[5]!);
		let protocol: string;
		try {
			protocol = chooseSubprotocol(req);
		} catch (error) {
			if (error instanceof UpgradeError) throw badRequest(error.message);
			throw error;
		}
		let exec: {cancel(): void} | undefined;
		const channels = new ChannelSocket(socket, undefined, () => {
			exec?.cancel();
			if (exec) running.delete(exec);
		});
		channels.accept(req, protocol, head);
		exec = streamExec(channels, cluster.world, target.target, request, randomBytes(32).toString('hex'));
		running.add(exec);
	}

	function methodNotAllowed(): ApiError {
		return new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
	}

	function resourceList(group: string, version: string): Record<string, unknown> {
		const resources = resourceDefs
			.filter(def => def.group === group && def.version === version)
			.flatMap(def => [
				{name: def.name, singularName: def.singular, namespaced: def.namespaced, kind: def.kind, verbs: def.verbs, ...(def.shortNames ? {shortNames: def.shortNames} : {}), ...(def.categories ? {categories: def.categories} : {})},
				...(def.subresources ?? []).map(sub => ({name: `${def.name}/${sub.name}`, singularName: '', namespaced: def.namespaced, kind: sub.kind, verbs: sub.verbs, ...(sub.group ? {group: sub.group, version: sub.version} : {})})),
			]);
		return {kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources};
	}

	function selected(url: URL, def: ResourceDef, namespace: string | undefined): KubeObject[] {
		try {
			const labels = parseLabelSelector(url.searchParams.get('labelSelector'));
			const fields = parseFieldSelector(def.name, url.searchParams.get('fieldSelector'));
			return store
				.list(def.name, namespace)
				.filter(object => labels(object) && fields(object))
				.sort((a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name));
		} catch (error) {
			if (error instanceof SelectorError) throw badRequest(error.message);
			throw error;
		}
	}

	function wantsTable(req: http.IncomingMessage): boolean {
		return /as=Table/.test(req.headers.accept ?? '');
	}

	function includeObject(url: URL): IncludeObject {
		const value = url.searchParams.get('includeObject') ?? 'Metadata';
		if (!['None', 'Metadata', 'Object'].includes(value)) throw badRequest(`includeObject: unsupported value "${value}"`);
		return value as IncludeObject;
	}

	function serveList(req: http.IncomingMessage, res: http.ServerResponse, url: URL, def: ResourceDef, namespace: string | undefined): void {
		const items = selected(url, def, namespace);
		const resourceVersion = String(store.resourceVersion);
		if (wantsTable(req)) return sendJson(res, 200, toTable(def.name, items, cluster.now(), {includeObject: includeObject(url), resourceVersion}));
		sendJson(res, 200, {kind: `${def.kind}List`, apiVersion: def.group ? `${def.group}/${def.version}` : def.version, metadata: {resourceVersion}, items});
	}

	function sendObject(req: http.IncomingMessage, res: http.ServerResponse, url: URL, def: ResourceDef, object: KubeObject): void {
		if (wantsTable(req)) return sendJson(res, 200, toTable(def.name, [object], cluster.now(), {includeObject: includeObject(url), resourceVersion: object.metadata.resourceVersion}));
		sendJson(res, 200, object);
	}

	function serveWatch(req: http.IncomingMessage, res: http.ServerResponse, url: URL, def: ResourceDef, namespace: string | undefined): void {
		let labels: (o: KubeObject) => boolean;
		let fields: (o: KubeObject) => boolean;
		try {
			labels = parseLabelSelector(url.searchParams.get('labelSelector'));
			fields = parseFieldSelector(def.name, url.searchParams.get('fieldSelector'));
		} catch (error) {
			if (error instanceof SelectorError) throw badRequest(error.message);
			throw error;
		}
		const filter = (object: KubeObject) => (namespace === undefined || object.metadata.namespace === namespace) && labels(object) && fields(object);
		const table = wantsTable(req);
		const include = includeObject(url);
		const apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
		res.writeHead(200, {'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked'});
		res.flushHeaders();
		const send = (type: string, object: unknown) => res.write(`${JSON.stringify({type, object})}\n`);
		const sendEvent = (event: {type: string; object: KubeObject}) => send(event.type, table ? toTable(def.name, [event.object], cluster.now(), {includeObject: include}) : event.object);
		const requested = url.searchParams.get('resourceVersion');
		let stop = () => {};
		// What this watcher has seen match: an object whose labels or fields stop matching leaves it as DELETED, and
		// one that starts matching arrives as ADDED, as the API server's watch cache filters.
		const matching = new Set(store.list(def.name, namespace).filter(filter).map(object => object.metadata.name));
		const live = (event: StoredEvent) => {
			const name = event.object.metadata.name;
			const matches = filter(event.object);
			if (event.type === 'DELETED') {
				if (matches || matching.delete(name)) sendEvent(event);
				matching.delete(name);
			} else if (matches) {
				sendEvent({type: matching.has(name) || event.type === 'ADDED' ? event.type : 'ADDED', object: event.object});
				matching.add(name);
			} else if (matching.delete(name)) {
				sendEvent({type: 'DELETED', object: event.object});
			}
		};
		const inNamespace = (object: KubeObject) => namespace === undefined || object.metadata.namespace === namespace;
		if (requested === null || requested === '' || requested === '0') {
			// No resourceVersion (or "any"): the current state as synthetic ADDED events, then the changes.
			const started = store.watch(def.name, store.resourceVersion, inNamespace, live);
			for (const object of selected(url, def, namespace)) sendEvent({type: 'ADDED', object});
			if (started.ok) stop = started.stop;
		} else {
			const from = Number(requested);
			if (!Number.isInteger(from) || from < 0) {
				send('ERROR', statusBody(badRequest(`invalid resource version "${requested}"`)));
				return void res.end();
			}
			const started = store.watch(def.name, from, inNamespace, live);
			if (!started.ok) {
				send('ERROR', statusBody(new ApiError(410, 'Expired', `too old resource version: ${from} (${started.oldest})`)));
				return void res.end();
			}
			for (const event of started.replay) live(event);
			stop = started.stop;
		}
		const timers: NodeJS.Timeout[] = [];
		if (url.searchParams.get('allowWatchBookmarks') === 'true') {
			const bookmark = setInterval(() => send('BOOKMARK', {kind: def.kind, apiVersion, metadata: {resourceVersion: String(store.resourceVersion)}}), options.bookmarkIntervalMs ?? 60_000);
			timers.push(bookmark);
		}
		const timeout = Number(url.searchParams.get('timeoutSeconds') ?? 0);
		const end = () => {
			stop();
			for (const timer of timers) clearInterval(timer);
			if (!res.writableEnded) res.end();
		};
		if (timeout > 0) timers.push(setTimeout(end, timeout * 1000));
		res.on('close', end);
	}

	function applyPatch(contentType: string | undefined, current: KubeObject, body: string): unknown {
		const type = (contentType ?? '').split(';')[0].trim();
		const patch = parseJson(body);
		try {
			if (type === 'application/merge-patch+json') return mergePatch(current, patch);
			if (type === 'application/strategic-merge-patch+json') return strategicMergePatch(current, patch);
			if (type === 'application/json-patch+json') return jsonPatch(current, patch);
		} catch (error) {
			if (error instanceof PatchError) throw new ApiError(422, 'Invalid', error.message);
			throw error;
		}
		throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`);
	}

	function invalid(def: ResourceDef, name: string, causes: Array<{field: string; message: string; value?: unknown}>): ApiError {
		const text = causes.map(cause => `${cause.field}: ${cause.value === undefined ? '' : `Invalid value: ${JSON.stringify(cause.value)}: `}${cause.message}`).join(', ');
		return new ApiError(422, 'Invalid', `${def.kind}${def.group ? `.${def.group}` : ''} "${name}" is invalid: ${text}`, {
			name,
			group: def.group || undefined,
			kind: def.kind,
			causes: causes.map(cause => ({reason: 'FieldValueInvalid', message: `${cause.value === undefined ? '' : `Invalid value: ${JSON.stringify(cause.value)}: `}${cause.message}`, field: cause.field})),
		});
	}

	/** Validates and stores an update of a whole object; status is the controllers' and stays as it was. */
	function write(def: ResourceDef, current: KubeObject, next: KubeObject, url: URL): KubeObject {
		if (!next || typeof next !== 'object' || !next.metadata) throw badRequest('the object has no metadata');
		const name = current.metadata.name;
		if (next.metadata.name !== name) throw badRequest(`the name of the object (${String(next.metadata.name)}) does not match the name on the URL (${name})`);
		if (next.metadata.resourceVersion !== undefined && next.metadata.resourceVersion !== current.metadata.resourceVersion)
			throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(def)} "${name}": the object has been modified; please apply your changes to the latest version and try again`, {name, group: def.group || undefined, kind: def.name});
		// Decoding into the Go types drops nulls (`creationTimestamp: null` of a template kubectl sends back).
		const candidate: KubeObject = {...(withoutNulls(structuredClone(next)) as KubeObject), apiVersion: current.apiVersion, kind: current.kind, metadata: {...next.metadata, namespace: current.metadata.namespace, uid: current.metadata.uid, creationTimestamp: current.metadata.creationTimestamp, generation: current.metadata.generation}};
		if ('status' in current) candidate.status = current.status;
		validate(def, current, candidate);
		if (def.name === 'pods' && JSON.stringify(candidate.spec) !== JSON.stringify(current.spec)) throw invalid(def, name, [{field: 'spec', message: 'Forbidden: pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations), `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)'}]);
		if (JSON.stringify(candidate.spec) !== JSON.stringify(current.spec) && current.metadata.generation !== undefined) candidate.metadata.generation = (current.metadata.generation ?? 1) + 1;
		if (url.searchParams.get('dryRun') === 'All') return candidate;
		return store.replace(def.name, candidate);
	}

	function validate(def: ResourceDef, current: KubeObject | undefined, candidate: KubeObject): void {
		const name = candidate.metadata.name;
		if (def.name === 'deployments') {
			const spec = candidate.spec as {replicas?: unknown; selector?: unknown; template?: {metadata?: {labels?: Record<string, string>}; spec?: {containers?: Array<{name?: string; image?: string}>}}};
			const causes: Array<{field: string; message: string; value?: unknown}> = [];
			if (!Number.isInteger(spec?.replicas) || (spec.replicas as number) < 0) causes.push({field: 'spec.replicas', value: spec?.replicas, message: 'must be greater than or equal to 0'});
			if (current && JSON.stringify(spec?.selector) !== JSON.stringify((current.spec as {selector: unknown}).selector)) causes.push({field: 'spec.selector', value: spec?.selector, message: 'field is immutable'});
			const matchLabels = (spec?.selector as {matchLabels?: Record<string, string>})?.matchLabels ?? {};
			const labels = spec?.template?.metadata?.labels ?? {};
			if (Object.entries(matchLabels).some(([key, value]) => labels[key] !== value)) causes.push({field: 'spec.template.metadata.labels', value: labels, message: '`selector` does not match template `labels`'});
			const containers = spec?.template?.spec?.containers ?? [];
			if (containers.length === 0) causes.push({field: 'spec.template.spec.containers', message: 'Required value'});
			containers.forEach((container, index) => {
				if (!container.image) causes.push({field: `spec.template.spec.containers[${index}].image`, message: 'Required value'});
				if (!container.name) causes.push({field: `spec.template.spec.containers[${index}].name`, message: 'Required value'});
			});
			if (causes.length) throw invalid(def, name, causes);
		}
		if (def.name === 'horizontalpodautoscalers') {
			const spec = candidate.spec as {minReplicas?: number; maxReplicas?: number};
			const causes: Array<{field: string; message: string; value?: unknown}> = [];
			if (spec.minReplicas !== undefined && (!Number.isInteger(spec.minReplicas) || spec.minReplicas < 1)) causes.push({field: 'spec.minReplicas', value: spec.minReplicas, message: 'must be greater than or equal to 1'});
			if (!Number.isInteger(spec.maxReplicas) || (spec.maxReplicas ?? 0) < (spec.minReplicas ?? 1)) causes.push({field: 'spec.maxReplicas', value: spec.maxReplicas, message: 'must be greater than or equal to `minReplicas`'});
			if (causes.length) throw invalid(def, name, causes);
		}
		if (def.name === 'secrets') {
			const data = (candidate.data ?? {}) as Record<string, unknown>;
			for (const [key, value] of Object.entries(data))
				if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw invalid(def, name, [{field: `data[${key}]`, message: 'must be base64-encoded'}]);
		}
	}

	async function create(req: http.IncomingMessage, res: http.ServerResponse, url: URL, def: ResourceDef, namespace: string | undefined): Promise<void> {
		if (def.name !== 'secrets') throw methodNotAllowed();
		const body = parseJson(await readBody(req)) as KubeObject;
		const name = body?.metadata?.name;
		if (typeof name !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 253) throw invalid(def, String(name), [{field: 'metadata.name', value: name, message: "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"}]);
		if (body.metadata.namespace !== undefined && body.metadata.namespace !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
		if (store.get(def.name, namespace, name)) throw new ApiError(409, 'AlreadyExists', `${qualified(def)} "${name}" already exists`, {name, group: def.group || undefined, kind: def.name});
		const stringData = (body.stringData ?? {}) as Record<string, string>;
		const data = {...((body.data ?? {}) as Record<string, string>), ...Object.fromEntries(Object.entries(stringData).map(([key, value]) => [key, Buffer.from(String(value)).toString('base64')]))};
		const object: KubeObject = {apiVersion: 'v1', kind: 'Secret', metadata: {...body.metadata, namespace, resourceVersion: undefined}, type: (body.type as string) ?? 'Opaque', data};
		delete object.metadata.resourceVersion;
		validate(def, undefined, object);
		const stored = url.searchParams.get('dryRun') === 'All' ? {...object, metadata: {...object.metadata, creationTimestamp: rfc3339(cluster.now())}} : store.create(def.name, object);
		sendJson(res, 201, stored);
	}

	function remove(res: http.ServerResponse, url: URL, def: ResourceDef, namespace: string | undefined, name: string, current: KubeObject | undefined): void {
		if (!current) throw notFound(def, name);
		if (def.name === 'secrets') {
			if (url.searchParams.get('dryRun') !== 'All') store.remove(def.name, namespace, name);
			return sendJson(res, 200, {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: {name, kind: def.name, uid: current.metadata.uid}});
		}
		if (def.name === 'pods') {
			if (url.searchParams.get('dryRun') !== 'All') cluster.deletePodByName(name);
			return sendJson(res, 200, store.get(def.name, namespace, name) ?? current);
		}
		throw methodNotAllowed();
	}

	function scaleOf(deployment: KubeObject): KubeObject {
		const spec = deployment.spec as {replicas: number; selector: {matchLabels: Record<string, string>}};
		return {
			kind: 'Scale',
			apiVersion: 'autoscaling/v1',
			metadata: {name: deployment.metadata.name, namespace: deployment.metadata.namespace, uid: deployment.metadata.uid, resourceVersion: deployment.metadata.resourceVersion, creationTimestamp: deployment.metadata.creationTimestamp},
			spec: {replicas: spec.replicas},
			status: {replicas: (deployment.status as {replicas?: number}).replicas ?? 0, selector: Object.entries(spec.selector.matchLabels).map(([k, v]) => `${k}=${v}`).join(',')},
		};
	}

	async function serveScale(req: http.IncomingMessage, res: http.ServerResponse, url: URL, def: ResourceDef, namespace: string | undefined, name: string): Promise<void> {
		const deployment = store.get(def.name, namespace, name);
		if (!deployment) throw notFound(def, name);
		const scale = scaleOf(deployment);
		if (req.method === 'GET') return sendJson(res, 200, scale);
		if (req.method !== 'PATCH' && req.method !== 'PUT') throw methodNotAllowed();
		const body = await readBody(req);
		const next = (req.method === 'PATCH' ? applyPatch(req.headers['content-type'], scale, body) : parseJson(body)) as KubeObject;
		const replicas = (next?.spec as {replicas?: unknown})?.replicas;
		if (next?.metadata?.resourceVersion !== undefined && next.metadata.resourceVersion !== deployment.metadata.resourceVersion)
			throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(def)} "${name}": the object has been modified; please apply your changes to the latest version and try again`, {name, group: def.group, kind: def.name});
		if (!Number.isInteger(replicas) || (replicas as number) < 0) throw new ApiError(422, 'Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, {name, group: 'autoscaling', kind: 'Scale', causes: [{reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, field: 'spec.replicas'}]});
		const written = write(def, deployment, {...deployment, metadata: {...deployment.metadata, resourceVersion: undefined}, spec: {...(deployment.spec as object), replicas}} as KubeObject, url);
		sendJson(res, 200, scaleOf(written));
		cluster.sync();
	}

	function serveLog(res: http.ServerResponse, url: URL, def: ResourceDef, namespace: string | undefined, name: string): void {
		const pod = store.get('pods', namespace, name);
		if (!pod) throw notFound(def, name);
		const containerName = (pod.spec as {containers: Array<{name: string}>}).containers[0].name;
		const container = url.searchParams.get('container');
		if (container && container !== containerName) throw badRequest(`container ${container} is not valid for pod ${name}`);
		const previous = url.searchParams.get('previous') === 'true';
		const result = cluster.podLogs(name, previous);
		if ('error' in result) throw badRequest(result.error);
		const now = cluster.now();
		const sinceSeconds = url.searchParams.get('sinceSeconds');
		const sinceTime = url.searchParams.get('sinceTime');
		const tailLines = url.searchParams.get('tailLines');
		const limitBytes = Number(url.searchParams.get('limitBytes') ?? 0);
		if (sinceSeconds !== null && !(Number(sinceSeconds) > 0)) throw badRequest('sinceSeconds: Invalid value: must be greater than 0');
		if (tailLines !== null && !(Number.isInteger(Number(tailLines)) && Number(tailLines) >= 0)) throw badRequest('tailLines: Invalid value: must be greater than or equal to 0');
		if (sinceTime !== null && Number.isNaN(Date.parse(sinceTime))) throw badRequest(`sinceTime: Invalid value: "${sinceTime}": must be an RFC3339 time`);
		const since = sinceSeconds !== null ? now - Number(sinceSeconds) * 1000 : sinceTime !== null ? Date.parse(sinceTime) : -Infinity;
		const timestamps = url.searchParams.get('timestamps') === 'true';
		const format = (line: {time: number; nanos: number; text: string}) => (timestamps ? `${rfc3339Nano(line.time, line.nanos)} ${line.text}\n` : `${line.text}\n`);
		let lines = result.lines.filter(line => line.time >= since);
		if (tailLines !== null) lines = Number(tailLines) === 0 ? [] : lines.slice(-Number(tailLines));
		let sent = 0;
		const budget = limitBytes > 0 ? limitBytes : Infinity;
		const emit = (text: string) => {
			if (sent >= budget) return false;
			const chunk = sent + Buffer.byteLength(text) > budget ? Buffer.from(text).subarray(0, budget - sent) : Buffer.from(text);
			sent += chunk.length;
			res.write(chunk);
			return sent < budget;
		};
		const follow = url.searchParams.get('follow') === 'true' && result.running && !previous;
		res.writeHead(200, {'Content-Type': 'text/plain', ...(follow ? {'Transfer-Encoding': 'chunked'} : {})});
		for (const line of lines) if (!emit(format(line))) return void res.end();
		if (!follow) return void res.end();
		res.flushHeaders();
		const unsubscribe = result.ring.subscribe(line => {
			if (line.time >= result.from && !emit(format(line))) end();
		});
		const onSignal = (pod: string) => pod === name && end();
		cluster.signals.on('ended', onSignal);
		cluster.signals.on('removed', onSignal);
		function end() {
			unsubscribe();
			cluster.signals.off('ended', onSignal);
			cluster.signals.off('removed', onSignal);
			if (!res.writableEnded) res.end();
		}
		res.on('close', end);
	}

	function serveMetrics(req: http.IncomingMessage, res: http.ServerResponse, url: URL, namespace: string | undefined, name: string | undefined): void {
		if (req.method !== 'GET') throw methodNotAllowed();
		const podsDef = resourceDefs.find(d => d.name === 'pods' && d.group === '')!;
		const metricsOf = (pod: KubeObject): KubeObject | undefined => {
			const usage = cluster.podUsage(pod.metadata.name);
			if (!usage) return undefined;
			const now = cluster.now();
			const containerName = (pod.spec as {containers: Array<{name: string}>}).containers[0].name;
			return {
				kind: 'PodMetrics',
				apiVersion: 'metrics.k8s.io/v1beta1',
				metadata: {name: pod.metadata.name, namespace: pod.metadata.namespace, creationTimestamp: rfc3339(now), labels: pod.metadata.labels},
				timestamp: rfc3339(now - 5000),
				window: '15.011s',
				containers: [{name: containerName, usage: {cpu: `${Math.round(usage.cpu * 1e9)}n`, memory: `${Math.round(usage.memory / 1024)}Ki`}}],
			};
		};
		if (name !== undefined) {
			const pod = store.get('pods', namespace, name);
			const metrics = pod && metricsOf(pod);
			if (!metrics) throw new ApiError(404, 'NotFound', `podmetrics.metrics.k8s.io "${name}" not found`, {name, group: 'metrics.k8s.io', kind: 'pods'});
			return sendJson(res, 200, metrics);
		}
		const items = selected(url, podsDef, namespace)
			.map(metricsOf)
			.filter((m): m is KubeObject => Boolean(m));
		sendJson(res, 200, {kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items});
	}

	server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
		upgraded.add(socket);
		socket.on('close', () => upgraded.delete(socket));
		socket.on('error', () => socket.destroy());
		try {
			serveUpgrade(req, socket, head);
		} catch (error) {
			refuseUpgrade(socket, error instanceof ApiError ? error : new ApiError(500, 'InternalError', `Internal error occurred: ${error instanceof Error ? error.message : String(error)}`));
		}
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		close: () =>
			new Promise<void>(resolve => {
				for (const res of open) res.destroy();
				for (const exec of running) exec.cancel();
				for (const socket of upgraded) socket.destroy();
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

function withoutNulls(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(withoutNulls);
	if (!value || typeof value !== 'object') return value;
	return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== null).map(([key, item]) => [key, withoutNulls(item)]));
}

function parseJson(body: string): unknown {
	try {
		return JSON.parse(body);
	} catch (error) {
		throw new ApiError(400, 'BadRequest', `error decoding patch: ${error instanceof Error ? error.message : String(error)}`);
	}
}

function readBody(req: http.IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > 3 * 1024 * 1024) {
				reject(new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

function sendJson(res: http.ServerResponse, code: number, body: unknown): void {
	const text = JSON.stringify(body);
	res.writeHead(code, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text)});
	res.end(text);
}

function sendText(res: http.ServerResponse, code: number, text: string): void {
	res.writeHead(code, {'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text)});
	res.end(text);
}

