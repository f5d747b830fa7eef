/**
 * The platform-neutral model: a service has instances (compose containers, Kubernetes pods), each with state,
 * health, restarts, age, stats and logs; lifecycle actions act on them. The store, selectors, screens and pollers
 * see only this; each backend implements it (compose below, Kubernetes in ./kubernetes/platform.ts).
 */
import type {LogSource} from './log-source.js';
import type {ContainerDetail, ContainerSummary, DockerService, ExecResult, LogStreamOptions, RawLogLine, StatsSample, Unsubscribe} from './types.js';

/** One running unit of a service: a container, or a pod (`id` is the pod's name, `service` its deployment). */
export type Instance = ContainerSummary;
/** An instance with what inspecting it tells: start time, restarts, last exit, configuration. */
export type InstanceDetail = ContainerDetail;

export type LifecycleAction = 'restart' | 'stop' | 'start' | 'scale' | 'exec';

/** Whether the platform can do an action; when not, why, in words a plan shows ("compose cannot scale …"). */
export type Capability = {ok: true} | {ok: false; reason: string};

/** The instance logs a log source reads: the instances, one instance's start time, and its log stream. */
export type InstanceLogClient = {
	listContainers(): Promise<Instance[]>;
	inspect(id: string): Promise<InstanceDetail>;
	streamLogs(id: string, options: LogStreamOptions, onLines: (lines: RawLogLine[]) => unknown, onEnd: (error?: Error) => void): Unsubscribe;
};

export interface Platform {
	/** What an instance is called on this platform, for panes and messages: "container", "pod". */
	readonly instanceNoun: string;
	/** For errors: "docker", "kubernetes". */
	readonly source: string;
	/** Where the instances live, for the header: "compose bot-core", "k8s bot-core-production". */
	readonly scope: string;
	supports(action: LifecycleAction): Capability;
	/** Every instance of the environment's project or namespace (all states). */
	listInstances(): Promise<Instance[]>;
	inspect(id: string): Promise<InstanceDetail>;
	/**
	 * The details of these instances, the platform's cheapest way: compose inspects each, Kubernetes already has
	 * them from its watch. Instances it could not read are left out.
	 */
	details(instances: readonly Instance[]): Promise<InstanceDetail[]>;
	/** Calls `listener` (coalesced) when the platform learns of changes on its own (a watch); compose never does. */
	onChange(listener: () => void): Unsubscribe;
	restart(id: string): Promise<void>;
	stop(id: string): Promise<void>;
	start(id: string): Promise<void>;
	/** Sets a service's replicas. */
	scale(service: string, replicas: number): Promise<void>;
	exec(id: string, argv: string[]): Promise<ExecResult>;
	/** Samples about once per refresh, until unsubscribed; onEnd(error) when the source failed (re-opened with backoff). */
	streamStats(id: string, onSample: (sample: StatsSample) => void, onEnd: (error?: Error) => void): Unsubscribe;
	/**
	 * One sample of each of these instances now, the platform's cheapest way (compose: a one-shot read each;
	 * Kubernetes: one metrics list). An instance it could not read has its error instead; one it has no figures for
	 * yet is left out. The dashboard samples on its refresh, and only as often as a screen shows them.
	 */
	sampleStats(ids: readonly string[], signal?: AbortSignal): Promise<Map<string, StatsSample | Error>>;
	/** The instances' logs, merged across a service's instances. */
	logs(): Promise<LogSource>;
	close(): void;
}

export class UnsupportedActionError extends Error {
	override name = 'UnsupportedActionError';
}

/** Throws the platform's reason when it cannot do `action`. */
export function requireCapability(platform: Platform, action: LifecycleAction): void {
	const capability = platform.supports(action);
	if (!capability.ok) throw new UnsupportedActionError(capability.reason);
}

/** Compose: the Docker engine's containers of one project; a service's replicas are fixed by its compose file. */
export function createComposePlatform(docker: DockerService, project: string): Platform {
	return {
		instanceNoun: 'container',
		source: 'docker',
		scope: `compose ${project}`,
		supports: action => (action === 'scale' ? {ok: false, reason: 'compose cannot scale a service: its replicas are fixed by the compose file (and there is no HPA)'} : {ok: true}),
		listInstances: () => docker.listContainers(),
		inspect: id => docker.inspect(id),
		async details(instances) {
			const settled = await Promise.allSettled(instances.map(c => docker.inspect(c.id)));
			return settled.flatMap(result => (result.status === 'fulfilled' ? [result.value] : []));
		},
		onChange: () => () => {},
		restart: id => docker.restart(id),
		stop: id => docker.stop(id),
		start: id => docker.start(id),
		scale: async () => {
			throw new UnsupportedActionError('compose cannot scale a service: its replicas are fixed by the compose file (and there is no HPA)');
		},
		exec: (id, argv) => docker.exec(id, argv),
		streamStats: (id, onSample, onEnd) => docker.streamStats(id, onSample, onEnd),
		async sampleStats(ids, signal) {
			const settled = await Promise.allSettled(ids.map(id => docker.sampleStats(id, signal)));
			return new Map(ids.map((id, i) => {
				const result = settled[i]!;
				return [id, result.status === 'fulfilled' ? result.value : result.reason instanceof Error ? result.reason : new Error(String(result.reason))];
			}));
		},
		async logs() {
			const {createDockerLogSource} = await import('./log-source.js');
			return createDockerLogSource({docker, discoverNew: true});
		},
		close: () => docker.close(),
	};
}
