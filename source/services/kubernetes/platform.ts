/**
 * The Kubernetes implementation of the neutral platform: a service is a deployment, its instances are its pods.
 * Pods, deployments, replica sets, HPAs and events are each one list+watch (./watch.ts), so a refresh reads memory,
 * not the API server; metrics.k8s.io is polled once per refresh for every pod at once, as `kubectl top pods` reads it.
 * Loaded with a dynamic import only for Kubernetes environments: the client costs ~750 ms cold.
 */
import {Writable} from 'node:stream';
import {
	AppsV1Api,
	AutoscalingV2Api,
	CoreV1Api,
	Log,
	Metrics,
	PatchStrategy,
	setHeaderOptions,
	type CoreV1Event,
	type V1Deployment,
	type V1Pod,
	type V1ReplicaSet,
	type V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import type {EnvironmentConfig} from '../../config/schema.js';
import {LineSplitter} from '../../logs/lines.js';
import {stampedLine} from '../docker-frames.js';
import {ServiceError, withTimeout} from '../errors.js';
import {createInstanceLogSource} from '../log-source.js';
import {UnsupportedActionError, type Instance, type InstanceDetail, type InstanceLogClient, type Platform} from '../platform.js';
import type {RawLogLine, StatsSample, Unsubscribe} from '../types.js';
import type {ClusterObjects} from './view.js';
import {kubeError} from './errors.js';
import {execInPod} from './exec.js';
import {loadKubeContext, type KubeContext} from './kubeconfig.js';
import {podDetail, podInstance, podMetricsSample, podRestarts} from './mapping.js';
import {createWatchedList, type WatchedList} from './watch.js';

export type KubernetesPlatformOptions = {
	timeoutMs: number;
	/** How long an exec may run before its socket is closed (default 10 minutes; k8s.exec in a runbook has its own limit). */
	execTimeoutMs?: number;
	/** How often pod metrics are read while someone follows them (default 2 s: the refresh). */
	metricsEveryMs?: number;
	now?: () => number;
};

/** Everything the watches hold, for the Kubernetes screen: raw objects by name, and each list's sync state. */
export type ClusterSnapshot = ClusterObjects & {
	/** The oldest list's last sync (0 until all synced), and the first failing list's error. */
	syncedAt: number;
	error?: string;
	retryAt?: number;
};

export type KubernetesPlatform = Platform & {
	readonly kube: KubeContext;
	/** The pods and their log streams, as the log source reads them. */
	readonly instanceLogs: InstanceLogClient;
	/** The watched objects; `version` changes whenever any of them does. */
	snapshot(): ClusterSnapshot;
	readonly version: number;
};

export function createKubernetesPlatform(environment: EnvironmentConfig, options: KubernetesPlatformOptions): KubernetesPlatform {
	const kube = loadKubeContext(environment);
	const {kubeConfig, namespace} = kube;
	const now = options.now ?? Date.now;
	const core = kubeConfig.makeApiClient(CoreV1Api);
	const apps = kubeConfig.makeApiClient(AppsV1Api);
	const autoscaling = kubeConfig.makeApiClient(AutoscalingV2Api);
	const listeners = new Set<() => void>();
	const notify = () => {
		for (const listener of listeners) listener();
	};
	const watched = <T extends {metadata?: {name?: string; resourceVersion?: string}}>(resource: string, path: string, list: () => Promise<{items: T[]; metadata?: {resourceVersion?: string}}>): WatchedList<T> =>
		// A list that never answers must not hold the watch up forever: it fails like any other, and is retried.
		createWatchedList<T>({kubeConfig, namespace, resource, path, list: () => withTimeout(options.timeoutMs, () => list()), onChange: notify, now});
	const base = `/namespaces/${encodeURIComponent(namespace)}`;
	const pods = watched<V1Pod>('pods', `/api/v1${base}/pods`, () => core.listNamespacedPod({namespace}));
	const deployments = watched<V1Deployment>('deployments.apps', `/apis/apps/v1${base}/deployments`, () => apps.listNamespacedDeployment({namespace}));
	const replicaSets = watched<V1ReplicaSet>('replicasets.apps', `/apis/apps/v1${base}/replicasets`, () => apps.listNamespacedReplicaSet({namespace}));
	const hpas = watched<V2HorizontalPodAutoscaler>('horizontalpodautoscalers.autoscaling', `/apis/autoscaling/v2${base}/horizontalpodautoscalers`, () => autoscaling.listNamespacedHorizontalPodAutoscaler({namespace}));
	const events = watched<CoreV1Event>('events', `/api/v1${base}/events`, () => core.listNamespacedEvent({namespace}));
	const lists: Array<WatchedList<unknown>> = [pods, deployments, replicaSets, hpas, events] as Array<WatchedList<unknown>>;
	let started = false;
	const ensureStarted = () => {
		if (started) return;
		started = true;
		for (const list of lists) list.start();
	};

	/** Resolves once the pods were listed; rejects with the list's error while it has never succeeded. */
	function podsSynced(): Promise<void> {
		ensureStarted();
		if (pods.syncedAt > 0) return Promise.resolve();
		if (pods.error) return Promise.reject(pods.error);
		return new Promise((resolve, reject) => {
			const check = () => {
				if (pods.syncedAt > 0) done(resolve);
				else if (pods.error) done(() => reject(pods.error));
			};
			const done = (settle: () => void) => {
				listeners.delete(check);
				settle();
			};
			listeners.add(check);
		});
	}

	// Mapping 1,000 pods on every tick would be most of a refresh: instances are kept per pod object.
	const instanceOf = new WeakMap<V1Pod, Instance>();
	let instancesAt = -1;
	let instances: Instance[] = [];
	async function listInstances(): Promise<Instance[]> {
		await podsSynced();
		// The last good list stays readable under a watch that is reconnecting, but the poller must hear of the error.
		if (pods.error && pods.retryAt) throw pods.error;
		if (instancesAt !== pods.version) {
			instancesAt = pods.version;
			instances = [...pods.items.values()].map(pod => {
				let instance = instanceOf.get(pod);
				if (!instance) instanceOf.set(pod, (instance = podInstance(pod)));
				return instance;
			});
		}
		return instances;
	}

	async function inspect(id: string): Promise<InstanceDetail> {
		const cached = pods.items.get(id);
		if (cached) return podDetail(cached);
		try {
			return podDetail(await core.readNamespacedPod({name: id, namespace}));
		} catch (error) {
			throw kubeError(error, 'get', `pod ${id}`, namespace);
		}
	}

	const metrics = createMetricsFeed(kube, options.metricsEveryMs ?? 2000, name => pods.items.get(name), now);
	const podLogs = new Log(kubeConfig);

	function streamLogs(id: string, logOptions: {follow: boolean; since?: number; tail?: number; timestamps: boolean; previous?: boolean}, onLines: (lines: RawLogLine[]) => unknown, onEnd: (error?: Error) => void): Unsubscribe {
		const splitter = new LineSplitter();
		let closed = false;
		let controller: AbortController | undefined;
		const writable = new Writable({
			write(chunk: Buffer, _encoding, callback) {
				const lines: RawLogLine[] = [];
				splitter.push(chunk, (text, cut) => lines.push(stampedLine('stdout', text, cut, logOptions.timestamps)));
				const pending = lines.length > 0 && !closed ? onLines(lines) : undefined;
				// Backpressure: the next chunk is not taken until the reader digested this one.
				if (pending instanceof Promise) {
					pending.then(() => callback(), () => callback());
				} else callback();
			},
			final(callback) {
				const lines: RawLogLine[] = [];
				splitter.end((text, cut) => lines.push(stampedLine('stdout', text, cut, logOptions.timestamps)));
				if (lines.length > 0 && !closed) void onLines(lines);
				callback();
			},
		});
		let ended = false;
		const end = (error?: Error) => {
			if (ended || closed) return;
			ended = true;
			onEnd(error);
		};
		writable.on('finish', () => end());
		writable.on('error', error => end(error));
		const pod = pods.items.get(id);
		const container = pod?.spec?.containers[0]?.name ?? '';
		const sinceSeconds = logOptions.since === undefined ? undefined : Math.max(1, Math.floor(now() / 1000) - logOptions.since);
		podLogs
			.log(namespace, id, container, writable, {follow: logOptions.follow, timestamps: logOptions.timestamps, tailLines: logOptions.tail, sinceSeconds, previous: logOptions.previous})
			.then(
				c => {
					controller = c;
					if (closed) c.abort();
				},
				error => {
					// The client drops a 400's Status body; for --previous it is kubectl's "previous terminated container not found".
					const noPrevious = logOptions.previous && (error as {code?: unknown})?.code === 400;
					end(noPrevious ? new ServiceError(`kubernetes: pod ${id} has no previous terminated container (it has not restarted${pod ? `; restarts: ${podRestarts(pod)}` : ''}): --previous shows a crashed container's last run`, 400) : kubeError(error, 'get', `pods/log ${id}`, namespace));
				},
			);
		return () => {
			closed = true;
			controller?.abort();
		};
	}

	const logClient: InstanceLogClient = {listContainers: listInstances, inspect, streamLogs};

	const platform: KubernetesPlatform = {
		kube,
		instanceLogs: logClient,
		instanceNoun: 'pod',
		source: 'kubernetes',
		scope: `k8s ${namespace}`,
		supports(action) {
			if (action === 'stop' || action === 'start') return {ok: false, reason: `kubernetes has no ${action} for a pod: scale its deployment instead`};
			return {ok: true};
		},
		listInstances,
		inspect,
		async details(wanted) {
			await podsSynced();
			return wanted.flatMap(instance => {
				const pod = pods.items.get(instance.id);
				return pod ? [podDetail(pod)] : [];
			});
		},
		onChange(listener) {
			ensureStarted();
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		async restart(id) {
			// The deployment's replica set replaces a deleted pod: kubectl delete pod.
			try {
				await core.deleteNamespacedPod({name: id, namespace});
			} catch (error) {
				throw kubeError(error, 'delete', `pod ${id}`, namespace);
			}
		},
		async stop() {
			throw new UnsupportedActionError('kubernetes has no stop for a pod: scale its deployment instead');
		},
		async start() {
			throw new UnsupportedActionError('kubernetes has no start for a pod: scale its deployment instead');
		},
		async scale(service, replicas) {
			const name = environment.services.find(s => s.name === service)?.deployment ?? service;
			try {
				await apps.patchNamespacedDeploymentScale({name, namespace, body: {spec: {replicas}}}, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
			} catch (error) {
				throw kubeError(error, 'patch', `deployments/scale ${name}`, namespace);
			}
		},
		async exec(id, argv) {
			// The pod's own first container, as kubectl picks it; a pod the watch does not hold yet is read.
			let pod = pods.items.get(id);
			if (!pod) {
				try {
					pod = await core.readNamespacedPod({name: id, namespace});
				} catch (error) {
					throw kubeError(error, 'get', `pod ${id}`, namespace);
				}
			}
			return execInPod(kube, id, argv, {timeoutMs: options.execTimeoutMs ?? 600_000, container: pod.spec?.containers[0]?.name});
		},
		streamStats: (id, onSample, onEnd) => metrics.follow(id, onSample, onEnd),
		sampleStats: ids => metrics.sample(ids),
		async logs() {
			// A pod's name tells a deployment's replicas apart (colour per pod); new pods join the merge as they appear.
			return createInstanceLogSource({client: logClient, discoverNew: true, instanceOf: podName => podName, previousLogs: {ok: true}});
		},
		snapshot() {
			const failing = lists.find(list => list.error);
			const syncedAt = Math.min(...lists.map(list => list.syncedAt));
			return {
				namespace,
				pods: pods.items,
				deployments: deployments.items,
				replicaSets: replicaSets.items,
				hpas: hpas.items,
				events: events.items,
				syncedAt,
				error: failing?.error?.message,
				retryAt: failing?.retryAt,
			};
		},
		get version() {
			return lists.reduce((sum, list) => sum + list.version, 0);
		},
		close() {
			for (const list of lists) list.stop();
			listeners.clear();
			metrics.close();
		},
	};
	return platform;
}

type MetricsFollower = {onSample: (sample: StatsSample) => void; onEnd: (error?: Error) => void};

/**
 * One metrics.k8s.io list per interval for every followed pod (not one call per pod), while anyone follows.
 * A failed read ends every follower with the error; the stats poller re-opens them with its backoff.
 */
function createMetricsFeed(kube: KubeContext, everyMs: number, podNamed: (name: string) => V1Pod | undefined, now: () => number) {
	const metrics = new Metrics(kube.kubeConfig);
	const followers = new Map<string, MetricsFollower>();
	let timer: NodeJS.Timeout | undefined;
	let reading = false;
	async function read(): Promise<void> {
		timer = undefined;
		if (followers.size === 0 || reading) return;
		reading = true;
		try {
			const list = await metrics.getPodMetrics(kube.namespace);
			const at = now();
			for (const item of list.items) {
				const follower = followers.get(item.metadata.name);
				follower?.onSample(podMetricsSample(item.containers.map(c => c.usage), podNamed(item.metadata.name), at));
			}
		} catch (error) {
			const failure = kubeError(error, 'list', 'pods.metrics.k8s.io', kube.namespace);
			const ended = [...followers.values()];
			followers.clear();
			for (const follower of ended) follower.onEnd(failure);
		} finally {
			reading = false;
		}
		if (followers.size > 0) timer = setTimeout(() => void read(), everyMs);
	}
	return {
		/** One metrics list for all of them; a pod metrics-server has no figures for yet is left out. */
		async sample(ids: readonly string[]): Promise<Map<string, StatsSample | Error>> {
			const wanted = new Set(ids);
			const samples = new Map<string, StatsSample | Error>();
			if (wanted.size === 0) return samples;
			try {
				const list = await metrics.getPodMetrics(kube.namespace);
				const at = now();
				for (const item of list.items) {
					if (wanted.has(item.metadata.name)) samples.set(item.metadata.name, podMetricsSample(item.containers.map(c => c.usage), podNamed(item.metadata.name), at));
				}
			} catch (error) {
				const failure = kubeError(error, 'list', 'pods.metrics.k8s.io', kube.namespace);
				for (const id of wanted) samples.set(id, failure);
			}
			return samples;
		},
		follow(id: string, onSample: MetricsFollower['onSample'], onEnd: MetricsFollower['onEnd']): Unsubscribe {
			followers.set(id, {onSample, onEnd});
			// New followers arriving together share the next read.
			timer ??= setTimeout(() => void read(), 0);
			return () => {
				followers.delete(id);
				if (followers.size === 0) {
					clearTimeout(timer);
					timer = undefined;
				}
			};
		},
		close() {
			followers.clear();
			clearTimeout(timer);
		},
	};
}
