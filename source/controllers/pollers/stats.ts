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

type StatsPoll = {samples: Map<string, StatsSample>; failed: number; error?: string; running: number};

/**
 * Each running instance's stats, sampled once per tick (Docker: a one-shot read per container; Kubernetes: one
 * metrics list), at the refresh while a screen shows them and every 15 s otherwise. Sampling instead of the
 * engine's 1 Hz streams halves the engine's own work at a 2 s refresh, and each sample is parsed once, as it is
 * shown. A tick commits what the previous tick's reads brought and starts the next reads: the engine answers a
 * one-shot read on its own 1 s collection cycle, and waiting for it would put the stats in a commit (a render)
 * of their own, apart from the containers'. A container that appears is read, and committed, at once.
 */
export function statsPoller(store: AppStore, platform: Platform, timing: {intervalMs: number; timeoutMs: number; now?: () => number}): PollerDefinition<StatsPoll> {
	let unsubscribeStore: (() => void) | undefined;
	let wake: (() => void) | undefined;
	const arrived = new Map<string, StatsSample>();
	const failures = new Map<string, Error>();
	let reading: Promise<void> | undefined;
	/** The instances asked for, so far: one that appears besides them is read at once (once, not every tick it fails). */
	const asked = new Set<string>();
	/** At the hidden cadence no render waits on the tick: a poll reads and commits what it read. */
	let hidden = false;
	let closed = false;
	const running = () => store.getState().containers.data.filter(c => c.state === 'running').map(c => c.id);

	/** Reads these instances once; `wakeAfter`: commit what they bring at once (new containers, empty rows). */
	function read(ids: readonly string[], wakeAfter = false): Promise<void> {
		if (reading || ids.length === 0) return reading ?? Promise.resolve();
		for (const id of ids) asked.add(id);
		reading = platform
			.sampleStats(ids, AbortSignal.timeout(timing.timeoutMs + 3000))
			.then(
				results => {
					for (const [id, result] of results) {
						if (result instanceof Error) failures.set(id, result);
						else {
							arrived.set(id, result);
							failures.delete(id);
						}
					}
				},
				(error: unknown) => {
					for (const id of ids) failures.set(id, error instanceof Error ? error : new Error(String(error)));
				},
			)
			.finally(() => {
				reading = undefined;
				if (!closed && wakeAfter) wake?.();
			});
		return reading;
	}

	return {
		name: 'stats',
		intervalMs: timing.intervalMs,
		cadence: {need: 'stats', hiddenMs: Math.max(statsHiddenMs, timing.intervalMs)},
		// Draining is synchronous; the reads have their own deadline.
		timeoutMs: timing.timeoutMs,
		open(wakeUp) {
			wake = wakeUp;
			unsubscribeStore = store.subscribe((state, previous) => {
				if (state.containers.data === previous.containers.data) return;
				const fresh = state.containers.data.filter(c => c.state === 'running' && !asked.has(c.id)).map(c => c.id);
				if (fresh.length > 0) void read(fresh, true);
			});
		},
		close() {
			closed = true;
			unsubscribeStore?.();
		},
		async poll() {
			if (hidden) await read(running());
			const samples = new Map(arrived);
			arrived.clear();
			const live = new Set(running());
			for (const id of failures.keys()) if (!live.has(id)) failures.delete(id);
			for (const id of asked) if (!live.has(id)) asked.delete(id);
			const first = failures.values().next().value;
			const failed = failures.size;
			failures.clear();
			if (!hidden) void read([...live]);
			return {samples, failed, error: first && describeError(first, `${platform.source} stats`), running: live.size};
		},
		// Nothing read at all is the poller's failure (backed off); some containers unread is shown, and read again next tick.
		failed: value => value.failed > 0 && value.samples.size === 0,
		commit(state, outcome, retry) {
			hidden = retry.nextAt !== undefined;
			if (!outcome.ok) return {stats: {...state.stats, error: describeError(outcome.error, `${platform.source} stats`), retryAt: retry.retryAt}};
			const {samples, failed, error, running: count} = outcome.value;
			// Reads still out, nothing new: no commit (no render); the figures are as old as they are.
			if (samples.size === 0 && failed === 0 && count > 0 && state.stats.error === undefined) return {};
			// Nothing read: the figures are as old as they were.
			const at = samples.size > 0 || failed === 0 ? outcome.at : state.stats.updatedAt;
			const patch = containersUpdate.stats(state, samples, at, error === undefined ? undefined : {text: error, retryAt: retry.retryAt ?? retry.nextAt});
			return error === undefined ? dueBy(patch, 'stats', retry.nextAt) : patch;
		},
	};
}
