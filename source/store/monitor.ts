import type {EnvironmentConfig} from '../config/schema.js';
import type {Backends} from '../services/backends.js';
import {describeError} from '../services/errors.js';
import type {ContainerDetail, ContainerSummary, StatsSample, Unsubscribe} from '../services/types.js';
import {backoffMs} from '../util/backoff.js';
import type {PollResult} from './poll.js';
import type {AppStore} from './store.js';

export type MonitorOptions = {
	refreshMs: number;
	/** Open streamed stats connections (the dashboard does; a one-shot `botops status` does not). */
	stats?: boolean;
	now?: () => number;
};

export type Monitor = {
	/** One poll of everything, resolved when its results are in the store. */
	pollOnce(): Promise<void>;
	/** Polls every refreshMs until stop(). */
	start(): void;
	stop(): void;
	refreshNow(): void;
};

/**
 * Feeds the store from the backends: containers and health are polled every refresh, stats arrive on one streamed
 * connection per running container and are committed once per tick. Failures back off; nothing throws out.
 */
export function createMonitor(store: AppStore, backends: Backends, options: MonitorOptions): Monitor {
	const now = options.now ?? Date.now;
	const environment = backends.environment;
	const statsStreams = new Map<string, Unsubscribe>();
	const pendingSamples = new Map<string, StatsSample>();
	const detailFetchedFor = new Map<string, string>();
	let containerFailures = 0;
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	let running = false;

	let pendingStatsError: string | null | undefined;

	async function pollContainers(result: PollResult): Promise<void> {
		const {docker} = backends;
		if (!docker) return;
		try {
			const list = await docker.listContainers();
			containerFailures = 0;
			result.containers = {list};
			if (options.stats ?? true) syncStatsStreams(list);
			result.details = await fetchDetails(list);
		} catch (error) {
			containerFailures++;
			result.containers = {error: describeError(error, 'docker'), retryAt: now() + backoffMs(containerFailures)};
		}
	}

	/** Inspect data (restart count, start time) for configured services' containers, re-read only when their status text changes. */
	async function fetchDetails(list: ContainerSummary[]): Promise<ContainerDetail[]> {
		const {docker} = backends;
		const wanted = list.filter(c => isConfiguredService(environment, c) && detailFetchedFor.get(c.id) !== c.status);
		if (!docker || wanted.length === 0) return [];
		const settled = await Promise.allSettled(wanted.map(c => docker.inspect(c.id)));
		for (const [i, c] of wanted.entries()) if (settled[i]!.status === 'fulfilled') detailFetchedFor.set(c.id, c.status);
		return settled.flatMap(r => (r.status === 'fulfilled' ? [r.value] : []));
	}

	function syncStatsStreams(list: ContainerSummary[]): void {
		const {docker} = backends;
		if (!docker) return;
		const runningIds = new Set(list.filter(c => c.state === 'running').map(c => c.id));
		for (const [id, unsubscribe] of statsStreams) {
			if (!runningIds.has(id)) {
				unsubscribe();
				statsStreams.delete(id);
			}
		}
		for (const id of runningIds) {
			if (statsStreams.has(id)) continue;
			statsStreams.set(
				id,
				docker.streamStats(
					id,
					sample => {
						pendingSamples.set(id, sample);
						if (pendingStatsError === undefined && store.getState().stats.error) pendingStatsError = null;
					},
					error => {
						statsStreams.delete(id);
						// A stream that ends with an error while the container still runs is re-opened by the next tick.
						if (error) pendingStatsError = describeError(error, 'docker stats');
					},
				),
			);
		}
	}

	async function pollHealth(result: PollResult): Promise<void> {
		const probes = environment.services.filter(s => s.healthUrl).map(s => backends.health.probe(s.name, s.healthUrl!));
		result.health = await Promise.all(probes);
	}

	async function pollOnce(): Promise<void> {
		const result: PollResult = {at: 0};
		const containersDue = containerFailures === 0 || (store.getState().containers.retryAt ?? 0) <= now();
		await Promise.all([containersDue ? pollContainers(result) : undefined, pollHealth(result)]);
		result.at = now();
		if (pendingSamples.size > 0) {
			result.stats = new Map(pendingSamples);
			pendingSamples.clear();
		}
		result.statsError = pendingStatsError;
		pendingStatsError = undefined;
		store.getState().applyPoll(result);
	}

	async function tick(): Promise<void> {
		if (stopped || running) return;
		running = true;
		try {
			if (!store.getState().paused) await pollOnce();
		} finally {
			running = false;
			schedule();
		}
	}

	function schedule(): void {
		if (stopped) return;
		clearTimeout(timer);
		timer = setTimeout(() => void tick(), options.refreshMs);
	}

	return {
		pollOnce,
		start() {
			stopped = false;
			void tick();
		},
		stop() {
			stopped = true;
			clearTimeout(timer);
			for (const unsubscribe of statsStreams.values()) unsubscribe();
			statsStreams.clear();
		},
		refreshNow() {
			if (!running) void tick();
		},
	};
}

export function isConfiguredService(environment: EnvironmentConfig, container: ContainerSummary): boolean {
	return environment.services.some(s => s.container === container.name || s.container === container.service || s.name === container.service);
}
