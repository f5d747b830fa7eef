/**
 * The demo API server's object store: one resourceVersion counter for every object (as etcd's revision), and a
 * bounded history of changes so a watch can resume from a resourceVersion, or learn that it is too old (410).
 */
import {isDeepStrictEqual} from 'node:util';

export type ObjectMeta = {
	name: string;
	namespace?: string;
	uid?: string;
	resourceVersion?: string;
	generation?: number;
	creationTimestamp?: string;
	deletionTimestamp?: string;
	deletionGracePeriodSeconds?: number;
	labels?: Record<string, string>;
	annotations?: Record<string, string>;
	ownerReferences?: Array<{apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean}>;
	[key: string]: unknown;
};

export type KubeObject = {apiVersion: string; kind: string; metadata: ObjectMeta; [key: string]: unknown};

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export type StoredEvent = {resourceVersion: number; resource: string; type: WatchEventType; object: KubeObject};

export type WatchFilter = (object: KubeObject) => boolean;

export type WatchListener = (event: StoredEvent) => void;

export type WatchStart =
	| {ok: true; replay: StoredEvent[]; stop(): void}
	/** The resourceVersion is older than the history kept: the client must list again. */
	| {ok: false; oldest: number};

type Watcher = {resource: string; filter: WatchFilter; listener: WatchListener};

export class ObjectStore {
	private revision: number;
	private readonly objects = new Map<string, Map<string, KubeObject>>();
	private readonly history: StoredEvent[] = [];
	private readonly watchers = new Set<Watcher>();
	private uidCounter = 0;

	constructor(
		private readonly clock: () => number,
		/** Changes kept for watch resumption (the API server's watch cache). */
		readonly historyCapacity = 2000,
		firstRevision = 1000,
		private readonly uidSeed = 'demo',
	) {
		this.revision = firstRevision;
	}

	/** The store's current resourceVersion (what a list answers). */
	get resourceVersion(): number {
		return this.revision;
	}

	/** The oldest resourceVersion a watch may resume from. */
	get oldestResumable(): number {
		return this.history.length === 0 ? this.revision : this.history[0].resourceVersion - 1;
	}

	get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
		return this.table(resource).get(key(namespace, name));
	}

	list(resource: string, namespace?: string): KubeObject[] {
		const all = [...this.table(resource).values()];
		return namespace === undefined ? all : all.filter(object => object.metadata.namespace === namespace);
	}

	/** Adds an object: uid, creationTimestamp and resourceVersion are the store's. Throws when the name is taken. */
	create(resource: string, object: KubeObject): KubeObject {
		const table = this.table(resource);
		const id = key(object.metadata.namespace, object.metadata.name);
		if (table.has(id)) throw new Error(`${resource} ${id} exists`);
		const stored = structuredClone(object);
		stored.metadata.uid ??= this.newUid();
		stored.metadata.creationTimestamp ??= rfc3339(this.clock());
		stored.metadata.resourceVersion = String(++this.revision);
		table.set(id, stored);
		this.record(resource, 'ADDED', stored);
		return stored;
	}

	/**
	 * Replaces an object with `next`; nothing happens (no new resourceVersion, no event) when nothing changed, so
	 * controllers may re-render objects on every tick.
	 */
	replace(resource: string, next: KubeObject): KubeObject {
		const table = this.table(resource);
		const id = key(next.metadata.namespace, next.metadata.name);
		const current = table.get(id);
		if (!current) throw new Error(`${resource} ${id} does not exist`);
		const candidate = structuredClone(next);
		candidate.metadata.uid = current.metadata.uid;
		candidate.metadata.creationTimestamp = current.metadata.creationTimestamp;
		candidate.metadata.resourceVersion = current.metadata.resourceVersion;
		if (isDeepStrictEqual(candidate, current)) return current;
		candidate.metadata.resourceVersion = String(++this.revision);
		table.set(id, candidate);
		this.record(resource, 'MODIFIED', candidate);
		return candidate;
	}

	/** Applies `change` to a copy of the object and stores it when it differs. */
	mutate(resource: string, namespace: string | undefined, name: string, change: (object: KubeObject) => void): KubeObject | undefined {
		const current = this.get(resource, namespace, name);
		if (!current) return undefined;
		const next = structuredClone(current);
		change(next);
		return this.replace(resource, next);
	}

	remove(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
		const table = this.table(resource);
		const id = key(namespace, name);
		const current = table.get(id);
		if (!current) return undefined;
		table.delete(id);
		const gone = structuredClone(current);
		gone.metadata.resourceVersion = String(++this.revision);
		this.record(resource, 'DELETED', gone);
		return gone;
	}

	/**
	 * Watches one resource from `fromRevision` (exclusive): the changes after it that are still in the history,
	 * then live ones. Too old a revision answers `ok: false`, as the API server's 410 Gone.
	 */
	watch(resource: string, fromRevision: number, filter: WatchFilter, listener: WatchListener): WatchStart {
		if (fromRevision < this.oldestResumable) return {ok: false, oldest: this.oldestResumable};
		const replay = this.history.filter(event => event.resource === resource && event.resourceVersion > fromRevision && filter(event.object));
		const watcher: Watcher = {resource, filter, listener};
		this.watchers.add(watcher);
		return {ok: true, replay, stop: () => this.watchers.delete(watcher)};
	}

	get watcherCount(): number {
		return this.watchers.size;
	}

	private record(resource: string, type: WatchEventType, object: KubeObject): void {
		const event: StoredEvent = {resourceVersion: Number(object.metadata.resourceVersion), resource, type, object};
		this.history.push(event);
		if (this.history.length > this.historyCapacity) this.history.splice(0, this.history.length - this.historyCapacity);
		for (const watcher of [...this.watchers]) if (watcher.resource === resource && watcher.filter(object)) watcher.listener(event);
	}

	private table(resource: string): Map<string, KubeObject> {
		let table = this.objects.get(resource);
		if (!table) {
			table = new Map();
			this.objects.set(resource, table);
		}
		return table;
	}

	/** A UUID-shaped id, unique in this store and stable for a seed. */
	private newUid(): string {
		const n = (++this.uidCounter).toString(16).padStart(12, '0');
		const seed = Buffer.from(this.uidSeed).toString('hex').padEnd(20, '0').slice(0, 20);
		return `${seed.slice(0, 8)}-${seed.slice(8, 12)}-4${seed.slice(13, 16)}-a${seed.slice(17, 20)}-${n}`;
	}
}

function key(namespace: string | undefined, name: string): string {
	return `${namespace ?? ''}/${name}`;
}

/** Kubernetes' metav1.Time: RFC3339 in whole seconds. */
export function rfc3339(ms: number): string {
	return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** metav1.MicroTime, for events' eventTime. */
export function rfc3339Micro(ms: number): string {
	return new Date(Math.floor(ms)).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
