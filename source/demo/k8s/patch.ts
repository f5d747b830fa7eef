/**
 * The three patch types the API server takes: JSON merge (RFC 7386), JSON patch (RFC 6902) and strategic merge,
 * as far as the built-in types the demo serves need it (merge keys of lists, `$patch`, `$retainKeys`,
 * `$setElementOrder`, `$deleteFromPrimitiveList`).
 */

export class PatchError extends Error {}

type Json = null | boolean | number | string | Json[] | {[key: string]: Json};
type JsonObject = {[key: string]: Json};

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

export function mergePatch(target: unknown, patch: unknown): unknown {
	if (!isObject(patch)) return structuredClone(patch);
	const out: JsonObject = isObject(target) ? structuredClone(target) : {};
	for (const [key, value] of Object.entries(patch)) {
		if (value === null) delete out[key];
		else out[key] = mergePatch(out[key], value) as Json;
	}
	return out;
}

/** Merge keys of the lists in pods, deployments and their templates (the `patchMergeKey` tags of the Go types). */
const mergeKeys: Record<string, string> = {
	containers: 'name',
	initContainers: 'name',
	ephemeralContainers: 'name',
	env: 'name',
	ports: 'containerPort',
	volumes: 'name',
	volumeMounts: 'mountPath',
	volumeDevices: 'devicePath',
	imagePullSecrets: 'name',
	hostAliases: 'ip',
	conditions: 'type',
	ownerReferences: 'uid',
	topologySpreadConstraints: 'topologyKey',
	resourceClaims: 'name',
};
/** Lists of scalars merged as sets. */
const setLists = new Set(['finalizers']);

export function strategicMergePatch(target: unknown, patch: unknown): unknown {
	if (!isObject(patch)) return structuredClone(patch);
	return mergeMap(isObject(target) ? target : {}, patch);
}

function mergeMap(target: JsonObject, patch: JsonObject): JsonObject {
	const directive = patch.$patch;
	if (directive === 'replace') {
		const {$patch: _drop, ...rest} = patch;
		return stripDirectives(rest) as JsonObject;
	}
	if (directive === 'delete') return {};
	if (directive !== undefined && directive !== 'merge') throw new PatchError(`unknown patch type: ${String(directive)} in map`);
	const out = structuredClone(target);
	const retain = patch.$retainKeys;
	for (const [key, value] of Object.entries(patch)) {
		if (key === '$patch' || key === '$retainKeys' || key.startsWith('$setElementOrder/')) continue;
		if (key.startsWith('$deleteFromPrimitiveList/')) {
			const field = key.slice('$deleteFromPrimitiveList/'.length);
			if (Array.isArray(out[field]) && Array.isArray(value)) out[field] = (out[field] as Json[]).filter(item => !(value as Json[]).includes(item));
			continue;
		}
		if (value === null) {
			delete out[key];
			continue;
		}
		if (isObject(value) && value.$patch === 'delete') {
			delete out[key];
			continue;
		}
		if (Array.isArray(value)) out[key] = mergeList(key, out[key], value);
		else if (isObject(value)) out[key] = mergeMap(isObject(out[key]) ? (out[key] as JsonObject) : {}, value);
		else out[key] = value;
	}
	if (retain !== undefined) {
		if (!Array.isArray(retain)) throw new PatchError('$retainKeys must be a list of strings');
		for (const key of Object.keys(out)) if (!retain.includes(key)) delete out[key];
	}
	return out;
}

function mergeList(field: string, current: Json | undefined, patch: Json[]): Json[] {
	const existing = Array.isArray(current) ? current : [];
	if (patch.some(item => isObject(item) && item.$patch === 'replace')) return stripDirectives(patch.filter(item => !(isObject(item) && item.$patch === 'replace'))) as Json[];
	if (setLists.has(field)) return [...existing, ...patch.filter(item => !existing.includes(item))];
	const key = mergeKeys[field];
	if (!key || !patch.every(isObject)) return stripDirectives(patch) as Json[];
	const out = structuredClone(existing) as Json[];
	for (const item of patch as JsonObject[]) {
		const index = out.findIndex(candidate => isObject(candidate) && candidate[key] === item[key]);
		if (item.$patch === 'delete') {
			if (index >= 0) out.splice(index, 1);
			continue;
		}
		if (index >= 0) out[index] = mergeMap(out[index] as JsonObject, item);
		else out.push(stripDirectives(item) as Json);
	}
	return out;
}

function stripDirectives(value: Json): Json {
	if (Array.isArray(value)) return value.map(stripDirectives);
	if (!isObject(value)) return value;
	return Object.fromEntries(Object.entries(value).filter(([key]) => !key.startsWith('$')).map(([key, item]) => [key, stripDirectives(item)]));
}

type Operation = {op: string; path: string; value?: Json; from?: string};

export function jsonPatch(target: unknown, operations: unknown): unknown {
	if (!Array.isArray(operations)) throw new PatchError('a JSON patch is a list of operations');
	let document = structuredClone(target) as Json;
	for (const raw of operations as Operation[]) {
		if (!isObject(raw as unknown) || typeof raw.op !== 'string' || typeof raw.path !== 'string') throw new PatchError(`invalid JSON patch operation: ${JSON.stringify(raw)}`);
		switch (raw.op) {
			case 'add':
				document = put(document, raw.path, requireValue(raw), 'add');
				break;
			case 'replace':
				get(document, raw.path);
				document = put(document, raw.path, requireValue(raw), 'replace');
				break;
			case 'remove':
				document = removeAt(document, raw.path);
				break;
			case 'move': {
				const value = get(document, requireFrom(raw));
				document = put(removeAt(document, requireFrom(raw)), raw.path, value, 'add');
				break;
			}
			case 'copy':
				document = put(document, raw.path, structuredClone(get(document, requireFrom(raw))), 'add');
				break;
			case 'test':
				if (JSON.stringify(get(document, raw.path)) !== JSON.stringify(raw.value)) throw new PatchError(`testing value ${raw.path} failed`);
				break;
			default:
				throw new PatchError(`Unexpected kind: ${raw.op}`);
		}
	}
	return document;
}

function requireValue(operation: Operation): Json {
	if (!('value' in operation)) throw new PatchError(`operation ${operation.op} ${operation.path} has no value`);
	return structuredClone(operation.value!);
}

function requireFrom(operation: Operation): string {
	if (typeof operation.from !== 'string') throw new PatchError(`operation ${operation.op} ${operation.path} has no from`);
	return operation.from;
}

function tokens(path: string): string[] {
	if (path === '') return [];
	if (!path.startsWith('/')) throw new PatchError(`invalid JSON pointer "${path}"`);
	return path
		.slice(1)
		.split('/')
		.map(token => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function get(document: Json, path: string): Json {
	let node: Json = document;
	for (const token of tokens(path)) {
		if (Array.isArray(node) && /^\d+$/.test(token) && Number(token) < node.length) node = node[Number(token)];
		else if (isObject(node) && token in node) node = node[token];
		else throw new PatchError(`doc is missing path: "${path}"`);
	}
	return node;
}

function put(document: Json, path: string, value: Json, mode: 'add' | 'replace'): Json {
	const parts = tokens(path);
	if (parts.length === 0) return value;
	const last = parts.pop()!;
	const parent = get(document, parts.length ? `/${parts.map(p => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}` : '');
	if (Array.isArray(parent)) {
		const index = last === '-' ? parent.length : Number(last);
		if (!Number.isInteger(index) || index < 0 || index > parent.length) throw new PatchError(`index out of range: ${path}`);
		if (mode === 'add') parent.splice(index, 0, value);
		else parent[index] = value;
	} else if (isObject(parent)) {
		parent[last] = value;
	} else {
		throw new PatchError(`doc is missing path: "${path}"`);
	}
	return document;
}

function removeAt(document: Json, path: string): Json {
	const parts = tokens(path);
	if (parts.length === 0) throw new PatchError('cannot remove the whole document');
	const last = parts.pop()!;
	const parent = get(document, parts.length ? `/${parts.map(p => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}` : '');
	if (Array.isArray(parent) && /^\d+$/.test(last) && Number(last) < parent.length) parent.splice(Number(last), 1);
	else if (isObject(parent) && last in parent) delete parent[last];
	else throw new PatchError(`unable to remove nonexistent key: ${last}: missing value`);
	return document;
}
