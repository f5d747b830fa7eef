import type {EnvironmentConfig} from '../config/schema.js';
import type {Backends} from '../services/backends.js';
import {describeError} from '../services/errors.js';
import type {ContainerSummary, StatsSample, Unsubscribe} from '../services/types.js';
import {backoffMs} from '../util/backoff.js';
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

	async function pollContainers(): Promise<void> {
		const {docker} = backends;
		if (!docker) return;
		try {
			const list = await docker.listContainers();
			containerFailures = 0;
			store.getState().setContainers(list, now());
			if (options.stats ?? true) syncStatsStreams(list);
			await refreshDetails(list);
		} catch (error) {
			containerFailures++;
			const retryAt = now() + backoffMs(containerFailures);
			store.getState().setContainersError(describeError(error, 'docker'), retryAt);
		}
	}

	/** Inspect data (restart count, start time) for configured services' containers, re-read only when their status text changes. */
	async function refreshDetails(list: ContainerSummary[]): Promise<void> {
		const {docker} = backends;
		if (!docker) return;
		const wanted = list.filter(c => isConfiguredService(environment, c) && detailFetchedFor.get(c.id) !== c.status);
		if (wanted.length === 0) return;
		const settled = await Promise.allSettled(wanted.map(c => docker.inspect(c.id)));
		const details = settled.flatMap(r => (r.status === 'fulfilled' ? [r.value] : []));
		for (const [i, c] of wanted.entries()) if (settled[i]!.status === 'fulfilled') detailFetchedFor.set(c.id, c.status);
		if (details.length > 0) store.getState().setDetails(details);
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
					sample => pendingSamples.set(id, sample),
					error => {
						statsStreams.delete(id);
						// A stream that ends with an error while the container still runs is re-opened by the next tick.
						if (error) store.getState().setStatsError(describeError(error, 'docker stats'));
					},
				),
			);
		}
	}

	async function pollHealth(): Promise<void> {
		const probes = environment.services.filter(s => s.healthUrl).map(s => backends.health.probe(s.name, s.healthUrl!));
		const results = await Promise.all(probes);
		if (results.length > 0) store.getState().addHealthResults(results, now());
	}

	function commitStats(): void {
		if (pendingSamples.size === 0) return;
		const samples = new Map(pendingSamples);
		pendingSamples.clear();
		store.getState().addStatsSamples(samples, now());
		if (store.getState().stats.error) store.getState().setStatsError(undefined);
	}

	async function pollOnce(): Promise<void> {
		const containersDue = containerFailures === 0 || (store.getState().containers.retryAt ?? 0) <= now();
		await Promise.all([containersDue ? pollContainers() : undefined, pollHealth()]);
		commitStats();
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
