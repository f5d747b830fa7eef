import {Watch, type KubeConfig} from '@kubernetes/client-node';
import {backoffMs} from '../../util/backoff.js';
import type {ServiceError} from '../errors.js';
import {kubeError} from './errors.js';

/** The part of every Kubernetes object a watch needs. */
export type KubeObjectMeta = {metadata?: {name?: string; resourceVersion?: string}};

export type WatchedListOptions<T extends KubeObjectMeta> = {
	kubeConfig: KubeConfig;
	/** "/api/v1/namespaces/x/pods" */
	path: string;
	/** For errors: "pods". */
	resource: string;
	namespace: string;
	list(): Promise<{items: T[]; metadata?: {resourceVersion?: string}}>;
	/** Called after changes, coalesced: a burst of events (a rollout, 1,000 pods listed) is one call. */
	onChange(): void;
	coalesceMs?: number;
	now?: () => number;
};

export type WatchedList<T> = {
	/** The objects by name, as of the last event. */
	readonly items: ReadonlyMap<string, T>;
	/** Epoch ms the list was last known current (list answered, or an event or bookmark arrived); 0 before. */
	readonly syncedAt: number;
	/** The last failure while it is unresolved, and when the next attempt is due. */
	readonly error?: ServiceError;
	readonly retryAt?: number;
	/** Bumped on every change: a reader keeps what it derived while this stays the same. */
	readonly version: number;
	start(): void;
	stop(): void;
};

/**
 * A list, then a watch from its resourceVersion (bookmarks asked for, so a resume point stays fresh): one list per
 * connection, not one per tick. A 410 Gone relists; a watch that fails reconnects from the last resourceVersion with
 * the one backoff; a watch the server closes cleanly is resumed at once.
 */
export function createWatchedList<T extends KubeObjectMeta>(options: WatchedListOptions<T>): WatchedList<T> {
	const now = options.now ?? Date.now;
	const items = new Map<string, T>();
	const watch = new Watch(options.kubeConfig);
	let resourceVersion: string | undefined;
	let failures = 0;
	let stopped = true;
	let timer: NodeJS.Timeout | undefined;
	let notifyTimer: NodeJS.Timeout | undefined;
	let controller: AbortController | undefined;
	const state = {syncedAt: 0, error: undefined as ServiceError | undefined, retryAt: undefined as number | undefined, version: 0};

	const changed = () => {
		state.version++;
		notifyTimer ??= setTimeout(() => {
			notifyTimer = undefined;
			if (!stopped) options.onChange();
		}, options.coalesceMs ?? 30);
	};

	const fail = (error: unknown, verb: string, relist: boolean) => {
		failures++;
		state.error = kubeError(error, verb, options.resource, options.namespace);
		const delay = backoffMs(failures);
		state.retryAt = now() + delay;
		if (relist) resourceVersion = undefined;
		changed();
		timer = setTimeout(() => void connect(), delay);
	};

	async function relist(): Promise<boolean> {
		try {
			const list = await options.list();
			if (stopped) return false;
			items.clear();
			for (const item of list.items) if (item.metadata?.name) items.set(item.metadata.name, item);
			resourceVersion = list.metadata?.resourceVersion;
			state.syncedAt = now();
			state.error = undefined;
			state.retryAt = undefined;
			changed();
			return true;
		} catch (error) {
			if (!stopped) fail(error, 'list', true);
			return false;
		}
	}

	async function connect(): Promise<void> {
		timer = undefined;
		if (stopped) return;
		if (resourceVersion === undefined && !(await relist())) return;
		let gone = false;
		let watchError: unknown;
		let settled = false;
		const done = (error: unknown) => {
			if (settled || stopped) return;
			settled = true;
			controller = undefined;
			if (gone) {
				resourceVersion = undefined;
				void connect();
			} else if (watchError) fail(watchError, 'watch', false);
			else if (error && (error as {name?: string}).name !== 'AbortError') fail(error, 'watch', false);
			else void connect();
		};
		try {
			controller = await watch.watch(
				options.path,
				{resourceVersion, allowWatchBookmarks: true},
				(phase: string, object: T & {code?: number}) => {
					if (phase === 'ERROR') {
						// 410 Gone: the resume point is older than the server keeps; only a fresh list is correct.
						if (object.code === 410) gone = true;
						else watchError = {code: object.code, body: object};
						controller?.abort();
						return;
					}
					const version = object.metadata?.resourceVersion;
					if (version) resourceVersion = version;
					failures = 0;
					state.syncedAt = now();
					if (state.error) {
						state.error = undefined;
						state.retryAt = undefined;
					}
					const name = object.metadata?.name;
					if (phase === 'BOOKMARK' || !name) return;
					if (phase === 'DELETED') items.delete(name);
					else items.set(name, object);
					changed();
				},
				done,
			);
			if (stopped) controller.abort();
			else if (!settled && state.error) {
				// The server accepted the watch: whatever failed before is over, though no event may come for a while.
				failures = 0;
				state.error = undefined;
				state.retryAt = undefined;
				state.syncedAt = now();
				changed();
			}
		} catch (error) {
			done(error);
		}
	}

	return {
		items,
		get syncedAt() {
			return state.syncedAt;
		},
		get error() {
			return state.error;
		},
		get retryAt() {
			return state.retryAt;
		},
		get version() {
			return state.version;
		},
		start() {
			if (!stopped) return;
			stopped = false;
			void connect();
		},
		stop() {
			stopped = true;
			clearTimeout(timer);
			clearTimeout(notifyTimer);
			controller?.abort();
			controller = undefined;
		},
	};
}
