import {describeError} from '../../services/errors.js';
import type {Instance, Platform} from '../../services/platform.js';
import type {StatsSample, Unsubscribe} from '../../services/types.js';
import {containersUpdate} from '../../store/slices/containers.js';
import type {AppStore} from '../../store/store.js';
import {backoffMs} from '../../util/backoff.js';
import type {PollerDefinition} from '../poller.js';

/** How soon a new container's first sample is committed, instead of at the next tick. */
const firstSampleWithinMs = 100;

type StreamFailure = {text: string; failures: number; retryAt: number};
type StatsDrain = {samples: Map<string, StatsSample>; streaming: number; error?: {text: string; retryAt: number}};

/**
 * Stats arrive per running instance as the platform streams them (Docker: one streamed connection per container;
 * Kubernetes: one metrics.k8s.io read per interval shared by all pods), opened as soon as the instance list shows it;
 * this poller commits what arrived since its last tick, on its own cadence: one commit per tick, not per sample.
 * A stream that fails is re-opened with backoff.
 */
export function statsPoller(store: AppStore, platform: Platform, timing: {intervalMs: number; timeoutMs: number; now?: () => number}): PollerDefinition<StatsDrain> {
	const now = timing.now ?? Date.now;
	const streams = new Map<string, Unsubscribe>();
	const pending = new Map<string, StatsSample>();
	const failed = new Map<string, StreamFailure>();
	let unsubscribeStore: Unsubscribe | undefined;
	let wake: (() => void) | undefined;
	let wakeTimer: NodeJS.Timeout | undefined;

	function sync(list: readonly Instance[]): void {
		const running = new Set(list.filter(c => c.state === 'running').map(c => c.id));
		for (const [id, unsubscribe] of streams) {
			if (running.has(id)) continue;
			unsubscribe();
			streams.delete(id);
		}
		for (const id of failed.keys()) if (!running.has(id)) failed.delete(id);
		for (const id of running) {
			if (streams.has(id) || (failed.get(id)?.retryAt ?? 0) > now()) continue;
			streams.set(id, platform.streamStats(id, sample => onSample(id, sample), error => onEnd(id, error)));
		}
	}

	function onSample(id: string, sample: StatsSample): void {
		pending.set(id, sample);
		failed.delete(id);
		// A container's first sample is worth a commit soon (its row is empty until then); new containers
		// arriving together share one.
		if (!wakeTimer && !store.getState().stats.data[id]) {
			wakeTimer = setTimeout(() => {
				wakeTimer = undefined;
				wake?.();
			}, firstSampleWithinMs);
		}
	}

	function onEnd(id: string, error?: Error): void {
		streams.delete(id);
		// A stream that ends while its container runs is re-opened by the next tick; after an error, with backoff.
		// One that ended cleanly was answered: the engine is back, and an earlier failure is over.
		if (!error) {
			failed.delete(id);
			return;
		}
		const failures = (failed.get(id)?.failures ?? 0) + 1;
		failed.set(id, {text: describeError(error, `${platform.source} stats`), failures, retryAt: now() + backoffMs(failures)});
	}

	return {
		name: 'stats',
		intervalMs: timing.intervalMs,
		// Draining is synchronous; the deadline only guards the contract every poller has.
		timeoutMs: timing.timeoutMs,
		open(wakeUp) {
			wake = wakeUp;
			unsubscribeStore = store.subscribe((state, previous) => {
				if (state.containers.data !== previous.containers.data) sync(state.containers.data);
			});
			sync(store.getState().containers.data);
		},
		close() {
			unsubscribeStore?.();
			clearTimeout(wakeTimer);
			for (const unsubscribe of streams.values()) unsubscribe();
			streams.clear();
			pending.clear();
		},
		async poll() {
			sync(store.getState().containers.data);
			const samples = new Map(pending);
			pending.clear();
			const first = failed.values().next().value;
			return {samples, streaming: streams.size, error: first && {text: first.text, retryAt: first.retryAt}};
		},
		commit(state, outcome) {
			if (!outcome.ok) return {};
			const {samples, streaming, error} = outcome.value;
			// Open streams that sent nothing: the data is as old as it is, and the pane says so.
			if (samples.size === 0 && streaming > 0 && error?.text === state.stats.error) return {};
			const at = samples.size > 0 || streaming === 0 ? outcome.at : state.stats.updatedAt;
			return containersUpdate.stats(state, samples, at, error);
		},
	};
}
