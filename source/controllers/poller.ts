import {withTimeout} from '../services/errors.js';
import {sharedPatch} from '../store/share.js';
import type {AppState, AppStore} from '../store/store.js';
import {backoffMs} from '../util/backoff.js';

/** What one poll came back with: its value, or what it threw (a timeout included). */
export type PollOutcome<T> = {ok: true; value: T; at: number} | {ok: false; error: unknown; at: number};

/**
 * Where the poller stands after this poll: failures in a row, and when it tries again while backing off.
 * `nextAt` is set while the poller runs at its hidden cadence: the data is not stale before then (Resource.retryAt).
 */
export type PollRetry = {failures: number; retryAt?: number; nextAt?: number};

/** What a screen shows that a poller feeds only for it: declared per screen (ScreenEntry.needs) and per poller (`cadence`). */
export type PollerNeed = 'stats' | 'database' | 'databaseLine' | 'checks' | 'series';

/**
 * One source of data, polled on its own. This is the extension point: a new backend is one more definition
 * in the monitor's list (source/controllers/monitor.ts), and nothing else changes.
 */
export type PollerDefinition<T> = {
	/** Names the poller in tests and errors: "containers", "health rust-core-engine", "stats". */
	name: string;
	/** The cadence while its data is on screen (or always, without `cadence`). */
	intervalMs: number;
	/**
	 * Polled every `hiddenMs` instead while no screen that shows `need` is up: data nobody looks at still feeds the
	 * checks and alerts, at the slower cadence. The monitor says what is shown (MonitorOptions.shows).
	 */
	cadence?: {
		need: PollerNeed;
		hiddenMs: number;
		/**
		 * While only a summary of the data is up (`glance.need`: the Dashboard's database line), every `glance.intervalMs`:
		 * the refresh interval, so that its results share the other pollers' tick and commit.
		 */
		glance?: {need: PollerNeed; intervalMs: number};
	};
	/** A poll still running after this long is abandoned and counted as failed: it cannot hold the poller up. */
	timeoutMs: number;
	poll(signal: AbortSignal): Promise<T>;
	/** Its poll waits for what the other pollers commit (the checks judge the store): a commit batch does not wait for it. */
	readsStore?: boolean;
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
	/** What is on screen changed: a poller whose data just came into view polls now, one that left it slows down. */
	shownChanged(): void;
};

export type PollerOptions = {
	/** Checked before each scheduled poll; `pollNow` ignores it (ctrl-r while paused refreshes once). */
	paused(): boolean;
	/** Where commits go; the default commits each poll at once. The monitor shares one batch between its pollers. */
	commits?: CommitBatch;
	/** Whether a screen showing this need is up; without it every poller runs at its `intervalMs`. */
	shows?(need: PollerNeed): boolean;
	now?: () => number;
};

/**
 * A successful patch of a poller at its hidden cadence: its resource is not stale before the next poll is due
 * (selectResourceStatus reads a retryAt without an error that way).
 */
export function dueBy<P extends Partial<AppState>, K extends keyof P>(patch: P, key: K, nextAt: number | undefined): P {
	if (nextAt === undefined) return patch;
	return {...patch, [key]: {...patch[key], retryAt: nextAt}};
}

/** A store update computed from the state it lands on. */
export type StoreUpdate = (state: AppState) => Partial<AppState>;

export type CommitBatch = {
	/** A poll started: its update (one `add` with this ticket, always) is waited for before the batch commits, within its bound. */
	begin(): number;
	/** Resolves once the update is in the store. */
	add(update: StoreUpdate, ticket?: number): Promise<void>;
	/** Drops what is queued (stopping). */
	clear(): void;
};

/** Every update at once, one commit each (none when it changes nothing). */
function immediateCommits(store: AppStore): CommitBatch {
	return {
		begin: () => 0,
		add(update) {
			const state = store.getState();
			const patch = sharedPatch(state, update(state));
			if (Object.keys(patch).length > 0) store.setState(patch);
			return Promise.resolve();
		},
		clear() {},
	};
}

/**
 * Wakes a poller on a source's change notifications, at most once per `gapMs` however many arrive: a watch reports
 * every pod of a rollout as it changes, and that is one poll (one commit) per burst. The first event after a quiet
 * gap wakes at once; 100 ms bounds a storm at ten rebuilds a second while an object's follow-up events (a pod
 * scheduled, then running) show within a tenth of a second, not a quarter. Returns the unsubscribe.
 */
export function coalescedWake(subscribe: (listener: () => void) => () => void, wake: () => void, gapMs = 100): () => void {
	let timer: NodeJS.Timeout | undefined;
	let lastWake = 0;
	const unsubscribe = subscribe(() => {
		if (timer) return;
		timer = setTimeout(() => {
			timer = undefined;
			lastWake = Date.now();
			wake();
		}, Math.max(0, lastWake + gapMs - Date.now()));
	});
	return () => {
		unsubscribe();
		clearTimeout(timer);
	};
}

/**
 * Folds the updates of the polls that run together into one commit, so that the pollers on one tick (containers,
 * stats, each health probe, MongoDB, Alertmanager) cost one render, not one each: the batch commits once no poll is
 * in flight for `windowMs`, and at the latest `maxWaitMs` (default 6 × windowMs) after its first update, so that a slow or hanging poll
 * holds the others up by that much only (and not at all once it has run that long). Key presses and screen changes
 * do not pass through here.
 */
export function createCommitBatch(store: AppStore, windowMs: number, maxWaitMs = windowMs * 6): CommitBatch {
	let queue: StoreUpdate[] = [];
	let waiters: Array<() => void> = [];
	/** The polls in flight, by ticket: when each started. One that started a bound ago (it hangs) is not waited for. */
	const inFlight = new Map<number, number>();
	let tickets = 0;
	let quiet: NodeJS.Timeout | undefined;
	let deadline: NodeJS.Timeout | undefined;
	const stopTimers = () => {
		clearTimeout(quiet);
		clearTimeout(deadline);
		quiet = deadline = undefined;
	};
	const flush = () => {
		stopTimers();
		const updates = queue;
		const done = waiters;
		queue = [];
		waiters = [];
		const state = store.getState();
		let next = state;
		for (const update of updates) {
			// Equal data keeps the store's references: a poll that read nothing new re-renders nothing.
			const patch = sharedPatch(next, update(next));
			if (Object.keys(patch).length > 0) next = {...next, ...patch};
		}
		if (next !== state) store.setState(next);
		for (const resolve of done) resolve();
	};
	return {
		begin() {
			inFlight.set(++tickets, Date.now());
			// A poll starting within the quiet window (a poller on the same tick, a moment later) joins this commit.
			clearTimeout(quiet);
			quiet = undefined;
			return tickets;
		},
		add(update, ticket) {
			if (ticket !== undefined) inFlight.delete(ticket);
			queue.push(update);
			deadline ??= setTimeout(flush, maxWaitMs);
			const now = Date.now();
			if (![...inFlight.values()].some(startedAt => now - startedAt < maxWaitMs)) {
				clearTimeout(quiet);
				quiet = setTimeout(flush, windowMs);
			}
			return new Promise<void>(resolve => waiters.push(resolve));
		},
		clear() {
			stopTimers();
			inFlight.clear();
			queue = [];
			for (const resolve of waiters.splice(0)) resolve();
		},
	};
}

/** Runs one definition: its own timer, timeout and backoff, one commit per poll; it never waits for another poller. */
export function createPoller<T>(store: AppStore, definition: PollerDefinition<T>, options: PollerOptions): Poller {
	const now = options.now ?? Date.now;
	const commits = options.commits ?? immediateCommits(store);
	let inFlight: Promise<void> | undefined;
	let lastStart: number | undefined;
	/** When the last poll's result was in: its commit may land later (a batch), and the next tick is not skipped for that. */
	let lastEnd: number | undefined;
	let timer: NodeJS.Timeout | undefined;
	let failures = 0;
	let started = false;
	let stopped = false;

	const shows = (need: PollerNeed) => options.shows === undefined || options.shows(need);
	/** The cadence for what is on screen now. */
	function intervalMs(): number {
		const {cadence} = definition;
		if (cadence === undefined || shows(cadence.need)) return definition.intervalMs;
		return cadence.glance && shows(cadence.glance.need) ? cadence.glance.intervalMs : cadence.hiddenMs;
	}
	/** Polled slower than its data's own screen would: the data is not stale before the next poll is due. */
	const hidden = () => intervalMs() > definition.intervalMs;
	/** The cadence of the last poll: a faster one now (its data came into view) polls at once. */
	let polledEveryMs = definition.intervalMs;
	let polledHidden = false;

	/** The interval, or the backoff once it is longer. */
	const nextDelay = () => Math.max(intervalMs(), backoffMs(failures));

	/**
	 * Fixed rate on a grid of the interval, counted from the poll's start: pollers with the same interval keep
	 * polling (and committing) on the same ticks instead of drifting apart by their latencies. A poll that
	 * overran its tick waits for the next one rather than starting again at once; backoff delays are exact.
	 */
	function waitMs(): number {
		const interval = intervalMs();
		if (failures > 0 || lastStart === undefined || interval <= 0) return nextDelay();
		const next = Math.round((lastStart + interval) / interval) * interval;
		const due = next - (lastEnd ?? now()) < interval / 2 ? next + interval : next;
		return Math.max(0, due - now());
	}

	function schedule(): void {
		clearTimeout(timer);
		timer = undefined;
		if (!started || stopped || options.paused()) return;
		timer = setTimeout(() => {
			timer = undefined;
			if (!options.paused()) void pollNow();
		}, waitMs());
	}

	async function run(): Promise<void> {
		// A poll that reads what the others commit (the checks) is not waited for: it would wait on itself.
		const ticket = definition.readsStore ? undefined : commits.begin();
		lastStart = now();
		polledEveryMs = intervalMs();
		polledHidden = hidden();
		let outcome: PollOutcome<T>;
		try {
			const value = await withTimeout(definition.timeoutMs, signal => definition.poll(signal));
			outcome = {ok: true, value, at: now()};
		} catch (error) {
			outcome = {ok: false, error, at: now()};
		}
		lastEnd = outcome.at;
		// Stopped meanwhile: nothing to commit, but the batch no longer waits for this poll.
		if (stopped) return void commits.add(() => ({}), ticket);
		failures = !outcome.ok || definition.failed?.(outcome.value) ? failures + 1 : 0;
		const retry: PollRetry = failures > 0 ? {failures, retryAt: outcome.at + nextDelay()} : polledHidden ? {failures, nextAt: outcome.at + intervalMs()} : {failures};
		await commits.add(state => definition.commit(state, outcome, retry), ticket);
	}

	/** A wake during a poll is news the poll may have missed: it is polled again once this one is in. */
	let wokenDuringPoll = false;

	function pollNow(): Promise<void> {
		if (stopped) return Promise.resolve();
		if (!inFlight) {
			clearTimeout(timer);
			timer = undefined;
			inFlight = run().finally(() => {
				inFlight = undefined;
				if (wokenDuringPoll && !stopped) {
					wokenDuringPoll = false;
					void pollNow();
				} else schedule();
			});
		}
		return inFlight;
	}

	function wake(): void {
		if (inFlight) wokenDuringPoll = true;
		else void pollNow();
	}

	return {
		name: definition.name,
		start() {
			if (started || stopped) return;
			started = true;
			definition.open?.(wake);
			if (!options.paused()) void pollNow();
		},
		stop() {
			stopped = true;
			clearTimeout(timer);
			definition.close?.();
		},
		pollNow,
		shownChanged() {
			if (!started || stopped || inFlight) return;
			// Its data was polled for nobody: as old as the hidden cadence. Shown now, it is read at once.
			if (intervalMs() < polledEveryMs) {
				if (!options.paused()) void pollNow();
				return;
			}
			schedule();
		},
	};
}
