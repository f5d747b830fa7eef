import {checkCatalog} from '../../checks/catalog.js';
import {createLiveCheckContext} from '../../checks/live-context.js';
import {runChecks} from '../../checks/run.js';
import {checkSettings} from '../../checks/settings.js';
import {createStoreCheckContext, freshWithinMs} from '../../checks/store-context.js';
import type {CheckContext, CheckRun} from '../../checks/types.js';
import type {Config} from '../../config/schema.js';
import type {Backends} from '../../services/backends.js';
import {describeError} from '../../services/errors.js';
import {checksUpdate} from '../../store/slices/checks.js';
import type {AppStore} from '../../store/store.js';
import {dueBy, type PollerDefinition} from '../poller.js';

/** The checks move slowly (a log window, a backup's age): every 15 s at most, however fast the refresh. */
export const checksMinIntervalMs = 15_000;
/** Off the Dashboard nobody sees them: every 30 s, which keeps them inside the pane's staleness bound on return. */
export const checksHiddenMs = 30_000;

/**
 * The daily checks for the Dashboard, every check of every routine, on the store the other pollers fill; the
 * queries only checks need (logs, journal, git) are cached for a minute (store-context.ts).
 */
export function checksPoller(
	store: AppStore,
	backends: Backends,
	timing: {intervalMs: number; timeoutMs: number; latencyTargetMs: number; checks?: Config['checks']; now?: () => number},
): PollerDefinition<CheckRun> {
	let context: CheckContext | undefined;
	return {
		name: 'checks',
		intervalMs: Math.max(checksMinIntervalMs, timing.intervalMs),
		cadence: {need: 'checks', hiddenMs: Math.max(checksHiddenMs, timing.intervalMs)},
		readsStore: true,
		// Each check has its own deadline (settings.timeoutMs); the run ends a little after the last of them.
		timeoutMs: (timing.checks?.timeoutMs ?? timing.timeoutMs + 1000) + 1000,
		async poll(signal) {
			if (!context) {
				// A threshold error (warn above fail) is this poll's error, shown in the pane, not a crash.
				const settings = checkSettings({checks: timing.checks, timeoutMs: timing.timeoutMs, latencyTargetMs: timing.latencyTargetMs});
				const live = createLiveCheckContext(backends, {config: {timeoutMs: timing.timeoutMs}, environment: backends.environment, settings, now: timing.now});
				// A slow refresh (--refresh 60) polls everything more rarely: judged within its cadence too.
				context = createStoreCheckContext(store, live, {freshWithinMs: Math.max(freshWithinMs, 2.5 * timing.intervalMs)});
			}
			return runChecks(checkCatalog, 'all', context, {signal});
		},
		commit(state, outcome, retry) {
			if (outcome.ok) return dueBy(checksUpdate.run(outcome.value, outcome.at), 'checks', retry.nextAt);
			return checksUpdate.error(state, describeError(outcome.error, 'checks'), retry.retryAt);
		},
	};
}
