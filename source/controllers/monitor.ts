import type {Backends} from '../services/backends.js';
import type {AppState, AppStore} from '../store/store.js';
import {createCommitBatch, createPoller, type Poller, type PollerDefinition, type PollerNeed} from './poller.js';
import {clusterPoller} from './pollers/cluster.js';
import {containersPoller} from './pollers/containers.js';
import {healthPoller} from './pollers/health.js';
import {alertmanagerPoller} from './pollers/alertmanager.js';
import {prometheusPoller, prometheusSeriesPoller} from './pollers/prometheus.js';
import {alertmanagerUrls, createAlertmanagerSet} from '../services/alertmanager.js';
import {createAlertJournal} from '../services/alert-journal.js';
import {createPrometheusClient, prometheusSettings} from '../services/prometheus.js';
import {statsPoller} from './pollers/stats.js';
import {checksPoller} from './pollers/checks.js';
import {backupsPoller, mongoPoller} from './pollers/mongo.js';
import {databaseSettings} from '../database/settings.js';
import {createBackupLister} from '../services/mongo/backup-listing.js';

export type MonitorOptions = {
	refreshMs: number;
	/** The backends' call timeout (config `timeoutMs`); each poller derives its deadline from it. */
	timeoutMs: number;
	/** The p95 a service must stay under (config `latencyTargetMs`): slower is degraded. */
	latencyTargetMs: number;
	/**
	 * The polls running together share one commit, made once none has been in flight for this long (default 50 ms)
	 * and at the latest six times this (a quarter of the refresh at most) after the first result; a one-shot `status` needs none.
	 */
	commitWindowMs?: number;
	/** Open streamed stats connections (the dashboard does; a one-shot `botops status` does not). */
	stats?: boolean;
	/** Poll the environment's Prometheus and Alertmanagers when it names them (default true). */
	alerts?: boolean;
	/** Run the daily checks on what the pollers hold (the Dashboard's Checks pane), with these thresholds (config `checks`). */
	dailyChecks?: {thresholds: import('../config/schema.js').Config['checks']};
	/** Where the Alertmanager poller journals firing -> resolved (default alerts.jsonl in the state directory); false: none. */
	alertJournal?: string | false;
	/** What the current screen shows (its registry entry's `needs`): pollers with a `cadence` slow down for the rest. Default: all shown. */
	needs?: (screen: AppState['screen']) => readonly PollerNeed[];
	now?: () => number;
};

export type Monitor = {
	readonly pollers: readonly Poller[];
	/** One poll of every poller, resolved when all their results are in the store (the CLI's `status`). */
	pollOnce(): Promise<void>;
	/** Every poller on its own timer until stop(); they pause while the store's `paused` is set. */
	start(): void;
	stop(): void;
	/** ctrl-r: polls everything once now, paused or not; polls in flight are joined, not repeated. */
	refreshNow(): Promise<void>;
};

/** The polls of one tick share one commit (one render): it is made once none has been in flight for this long. */
const defaultCommitWindowMs = 50;

// Any definition: each poller's value type stays between its own poll and commit.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyPollerDefinition = PollerDefinition<any>;

/** What feeds the store for these backends: one poller per source. A new backend adds its poller here. */
export function monitorPollers(store: AppStore, backends: Backends, options: MonitorOptions): AnyPollerDefinition[] {
	const timing = {intervalMs: options.refreshMs, timeoutMs: options.timeoutMs, latencyTargetMs: options.latencyTargetMs, now: options.now};
	const definitions: AnyPollerDefinition[] = [];
	definitions.push(containersPoller(backends.platform, backends.environment, timing));
	if (options.stats ?? true) definitions.push(statsPoller(store, backends.platform, timing));
	// The cluster view feeds a screen; a one-shot `status` (no stats either) has no use for it.
	if (backends.cluster && (options.stats ?? true)) definitions.push(clusterPoller(backends.cluster, timing));
	for (const service of backends.environment.services) {
		if (service.healthUrl) definitions.push(healthPoller(backends.health, service.name, service.healthUrl, timing));
	}
	if (options.alerts ?? true) definitions.push(...alertPollers(backends.environment, options, timing));
	// MongoDB and the backup listing feed the Database and Trading screens; a one-shot `status` has no use for them.
	if (backends.mongo && (options.stats ?? true)) definitions.push(mongoPoller(backends.mongo, databaseSettings(backends.environment), timing));
	const backups = options.stats ?? true ? createBackupLister(backends.environment, {platform: backends.platform, timeoutMs: options.timeoutMs}) : undefined;
	if (backups) definitions.push(backupsPoller(backups, timing));
	// The daily checks judge what the pollers above hold.
	if (options.dailyChecks) definitions.push(checksPoller(store, backends, {...timing, checks: options.dailyChecks.thresholds}));
	return definitions;
}

/** Prometheus (instant and range) and Alertmanager, each only when the environment names it. */
function alertPollers(environment: Backends['environment'], options: MonitorOptions, timing: {intervalMs: number; timeoutMs: number; now?: () => number}): AnyPollerDefinition[] {
	const definitions: AnyPollerDefinition[] = [];
	const services = environment.services.map(s => s.name);
	const prometheus = prometheusSettings(environment);
	if (prometheus) {
		const client = createPrometheusClient({url: prometheus.url, timeoutMs: options.timeoutMs, queries: prometheus.queries});
		definitions.push(prometheusPoller(client, services, timing), prometheusSeriesPoller(client, services, timing));
	}
	const urls = alertmanagerUrls(environment);
	if (urls.length > 0) {
		const journal = options.alertJournal === false ? undefined : createAlertJournal({environment: environment.name, file: options.alertJournal, stateDir: environment.stateDir});
		definitions.push(alertmanagerPoller(createAlertmanagerSet(urls, {timeoutMs: options.timeoutMs}), journal, {...timing, groupBy: environment.alertGroupBy}));
	}
	return definitions;
}

/** Runs the pollers side by side: none waits for another, each commits its own results. */
export function createMonitor(store: AppStore, backends: Backends, options: MonitorOptions): Monitor {
	const paused = () => store.getState().paused;
	const windowMs = options.commitWindowMs ?? defaultCommitWindowMs;
	// A slow poll holds the tick's commit up by a quarter of the refresh at most: the data stays on its cadence.
	const commits = createCommitBatch(store, windowMs, Math.min(windowMs * 6, options.refreshMs / 4));
	const {needs} = options;
	const shows = needs && ((need: PollerNeed) => needs(store.getState().screen).includes(need));
	const pollers = monitorPollers(store, backends, options).map(definition => createPoller(store, definition, {paused, commits, shows, now: options.now}));
	let unsubscribe: (() => void) | undefined;
	const pollAll = async () => {
		await Promise.all(pollers.map(poller => poller.pollNow()));
	};
	return {
		pollers,
		pollOnce: pollAll,
		start() {
			// Unpausing polls at once: the data is as old as the pause was long.
			unsubscribe ??= store.subscribe((state, previous) => {
				if (previous.paused && !state.paused) void pollAll();
				else if (needs && state.screen !== previous.screen) for (const poller of pollers) poller.shownChanged();
			});
			for (const poller of pollers) poller.start();
		},
		stop() {
			unsubscribe?.();
			unsubscribe = undefined;
			for (const poller of pollers) poller.stop();
			commits.clear();
		},
		refreshNow: pollAll,
	};
}
