import {describeError} from '../../services/errors.js';
import type {Platform} from '../../services/platform.js';
import type {StatsSample} from '../../services/types.js';
import {containersUpdate} from '../../store/slices/containers.js';
import type {AppStore} from '../../store/store.js';
import {dueBy, type PollerDefinition} from '../poller.js';

/**
 * While no screen shows stats (Logs, Alerts, Database, …), every 15 s: the checks, which run that often, still
 * judge samples of their own age at most, and the engine reads each container's cgroup 7x less often.
 */
export const statsHiddenMs = 15_000;

type StatsPoll = {samples: Map<string, StatsSample>; failed: number; error?: string};

/**
 * Each running instance's stats, sampled once per tick (Docker: a one-shot read per container; Kubernetes: one
 * metrics list), at the refresh while a screen shows them and every 15 s otherwise. Sampling instead of the
 * engine's 1 Hz streams halves the engine's own work at a 2 s refresh, and each sample is parsed once, as it is
 * shown. A container that appears is sampled at once (its row is empty until then). One commit per tick.
 */
export function statsPoller(store: AppStore, platform: Platform, timing: {intervalMs: number; timeoutMs: number; now?: () => number}): PollerDefinition<StatsPoll> {
	let unsubscribeStore: (() => void) | undefined;
	/** The instances the last poll sampled: one that appears besides them wakes the poller (once, not every tick it fails). */
	let sampled = new Set<string>();
	const running = () => store.getState().containers.data.filter(c => c.state === 'running').map(c => c.id);
	return {
		name: 'stats',
		intervalMs: timing.intervalMs,
		cadence: {need: 'stats', hiddenMs: Math.max(statsHiddenMs, timing.intervalMs)},
		// A container's first sample is read over the engine's own second.
		timeoutMs: timing.timeoutMs + 3000,
		open(wake) {
			unsubscribeStore = store.subscribe((state, previous) => {
				if (state.containers.data === previous.containers.data) return;
				if (state.containers.data.some(c => c.state === 'running' && !sampled.has(c.id) && !state.stats.data[c.id])) wake();
			});
		},
		close() {
			unsubscribeStore?.();
		},
		async poll(signal) {
			const ids = running();
			sampled = new Set(ids);
			const results = await platform.sampleStats(ids, signal);
			const samples = new Map<string, StatsSample>();
			let failed = 0;
			let error: string | undefined;
			for (const [id, result] of results) {
				if (!(result instanceof Error)) {
					samples.set(id, result);
					continue;
				}
				failed++;
				error ??= describeError(result, `${platform.source} stats`);
			}
			return {samples, failed, error};
		},
		// Nothing read at all is the poller's failure (backed off); some containers unread is shown, and read again next tick.
		failed: value => value.failed > 0 && value.samples.size === 0,
		commit(state, outcome, retry) {
			if (!outcome.ok) return {stats: {...state.stats, error: describeError(outcome.error, `${platform.source} stats`), retryAt: retry.retryAt}};
			const {samples, failed, error} = outcome.value;
			// Nothing read: the figures are as old as they were.
			const at = samples.size > 0 || failed === 0 ? outcome.at : state.stats.updatedAt;
			const patch = containersUpdate.stats(state, samples, at, error === undefined ? undefined : {text: error, retryAt: retry.retryAt ?? retry.nextAt});
			return error === undefined ? dueBy(patch, 'stats', retry.nextAt) : patch;
		},
	};
}
