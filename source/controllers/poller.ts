import {withTimeout} from '../services/errors.js';
import type {AppState, AppStore} from '../store/store.js';
import {backoffMs} from '../util/backoff.js';

/** What one poll came back with: its value, or what it threw (a timeout included). */
export type PollOutcome<T> = {ok: true; value: T; at: number} | {ok: false; error: unknown; at: number};

/** Where the poller stands after this poll: failures in a row, and when it tries again while backing off. */
export type PollRetry = {failures: number; retryAt?: number};

/**
 * One source of data, polled on its own. This is the extension point: a new backend is one more definition
 * in the monitor's list (source/controllers/monitor.ts), and nothing else changes.
 */
export type PollerDefinition<T> = {
	/** Names the poller in tests and errors: "containers", "health rust-core-engine", "stats". */
	name: string;
	intervalMs: number;
	/** A poll still running after this long is abandoned and counted as failed: it cannot hold the poller up. */
	timeoutMs: number;
	poll(signal: AbortSignal): Promise<T>;
	/** A value that is still a failure to back off from (a health probe that answered 503). */
	failed?(value: T): boolean;
	/** The one store commit of this poll, as a patch ({} when nothing changed: no commit, no render). */
	commit(state: AppState, outcome: PollOutcome<T>, retry: PollRetry): Partial<AppState>;
	/** Opens what the poller keeps between polls (streams, subscriptions); `wake` asks for a poll now. */
	open?(wake: () => void): void;
	close?(): void;
};

export type Poller = {
	readonly name: string;
	/** Polls now and then every interval (or backoff) until stop(); while `paused()` no timer runs. */
	start(): void;
	stop(): void;
	/** Polls now, paused or not. A call while a poll is in flight joins that poll instead of starting another. */
	pollNow(): Promise<void>;
};

export type PollerOptions = {
	/** Checked before each scheduled poll; `pollNow` ignores it (ctrl-r while paused refreshes once). */
	paused(): boolean;
	now?: () => number;
};

/** Runs one definition: its own timer, timeout and backoff, one commit per poll; it never waits for another poller. */
export function createPoller<T>(store: AppStore, definition: PollerDefinition<T>, options: PollerOptions): Poller {
	const now = options.now ?? Date.now;
	let inFlight: Promise<void> | undefined;
	let timer: NodeJS.Timeout | undefined;
	let failures = 0;
	let started = false;
	let stopped = false;

	/** The interval, or the backoff once it is longer. */
	const nextDelay = () => Math.max(definition.intervalMs, backoffMs(failures));

	function schedule(): void {
		clearTimeout(timer);
		timer = undefined;
		if (!started || stopped || options.paused()) return;
		timer = setTimeout(() => {
			timer = undefined;
			if (!options.paused()) void pollNow();
		}, nextDelay());
	}

	async function run(): Promise<void> {
		let outcome: PollOutcome<T>;
		try {
			const value = await withTimeout(definition.timeoutMs, signal => definition.poll(signal));
			outcome = {ok: true, value, at: now()};
		} catch (error) {
			outcome = {ok: false, error, at: now()};
		}
		if (stopped) return;
		failures = !outcome.ok || definition.failed?.(outcome.value) ? failures + 1 : 0;
		const retry: PollRetry = failures > 0 ? {failures, retryAt: outcome.at + nextDelay()} : {failures};
		const patch = definition.commit(store.getState(), outcome, retry);
		if (Object.keys(patch).length > 0) store.setState(patch);
	}

	function pollNow(): Promise<void> {
		if (stopped) return Promise.resolve();
		if (!inFlight) {
			clearTimeout(timer);
			timer = undefined;
			inFlight = run().finally(() => {
				inFlight = undefined;
				schedule();
			});
		}
		return inFlight;
	}

	return {
		name: definition.name,
		start() {
			if (started || stopped) return;
			started = true;
			definition.open?.(() => void pollNow());
			if (!options.paused()) void pollNow();
		},
		stop() {
			stopped = true;
			clearTimeout(timer);
			definition.close?.();
		},
		pollNow,
	};
}
