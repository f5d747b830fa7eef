/**
 * The context `botops check` runs on: each answer asked of the backends when a check first needs it, and shared
 * by the checks that need it too (Prometheus is asked once for the p95, the targets and the alerts).
 */
import {existsSync} from 'node:fs';
import type {Config, EnvironmentConfig} from '../config/schema.js';
import {alertmanagerUrls, createAlertmanagerSet} from '../services/alertmanager.js';
import {createAlertJournal} from '../services/alert-journal.js';
import type {Backends} from '../services/backends.js';
import {describeError, ServiceError} from '../services/errors.js';
import {databaseSettings} from '../database/settings.js';
import {emptyDatabaseView, foldReading} from '../database/view.js';
import {pendingCommits} from '../services/git-pending.js';
import {createBackupLister} from '../services/mongo/backup-listing.js';
import {readMongo} from '../services/mongo/reading.js';
import {clusterView} from '../services/kubernetes/view.js';
import {createPrometheusClient, prometheusSettings} from '../services/prometheus.js';
import type {StatsSample} from '../services/types.js';
import {emptyServiceTally, tallyRecord, type LogTally} from './log-tally.js';
import type {CheckSettings} from './settings.js';
import type {CheckContext} from './types.js';

/** One promise per key: the first caller's question is everyone's answer. */
function memo<T>(ask: () => Promise<T>): () => Promise<T> {
	let answer: Promise<T> | undefined;
	return () => (answer ??= ask());
}

/** Rejects when the signal aborts: a check's deadline ends its wait even where the backend call has no signal. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
	if (signal.aborted) return Promise.reject(signal.reason as Error);
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(signal.reason as Error);
		signal.addEventListener('abort', onAbort, {once: true});
		work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
	});
}

export function createLiveCheckContext(backends: Backends, options: {config: Pick<Config, 'timeoutMs'>; environment: EnvironmentConfig; settings: CheckSettings; now?: () => number}): CheckContext {
	const {environment, settings} = options;
	const now = options.now ?? Date.now;
	const {platform} = backends;
	const instances = memo(() => platform.listInstances());
	const prometheusConfig = prometheusSettings(environment);
	const prometheus = memo(async () => {
		if (!prometheusConfig) throw new ServiceError('no Prometheus configured');
		const client = createPrometheusClient({url: prometheusConfig.url, timeoutMs: options.config.timeoutMs, queries: prometheusConfig.queries});
		const services = environment.services.map(service => service.name);
		const [alerts, targets, metrics] = await Promise.all([client.alerts(), client.targets(), client.serviceMetrics(services)]);
		return {alerts, targets, services: metrics};
	});
	const alertmanager = memo(async () => (await createAlertmanagerSet(alertmanagerUrls(environment), {timeoutMs: options.config.timeoutMs}).alerts()).alerts);
	const health = memo(() => Promise.all(environment.services.flatMap(service => (service.healthUrl ? [backends.health.probe(service.name, service.healthUrl)] : []))));
	const tallies = new Map<number, Promise<LogTally>>();
	// Stats and the cluster's watches are closed with the backends; the log reads end by themselves (no follow).
	const stats = memo(() => sampleStats(backends, instances, settings.timeoutMs));
	const database = memo(async () => {
		if (!backends.mongo) throw new ServiceError('no MongoDB configured (mongo.uriEnv)');
		const mongoSettings = databaseSettings(environment);
		const reading = await readMongo(backends.mongo, {database: mongoSettings.database, tradeFields: mongoSettings.tradeFields, slow: true, now: now()});
		return foldReading(emptyDatabaseView(), reading, mongoSettings);
	});
	const backups = memo(async () => {
		const lister = createBackupLister(environment, {platform, timeoutMs: options.config.timeoutMs});
		if (!lister) throw new ServiceError('no backup listing configured (backups)');
		return lister.list();
	});

	return {
		environment,
		settings,
		now,
		instances: signal => untilAborted(instances(), signal),
		stats: signal => untilAborted(stats(), signal),
		health: signal => untilAborted(health(), signal),
		prometheus: signal => untilAborted(prometheus(), signal),
		alertmanager: signal => untilAborted(alertmanager(), signal),
		async firedSince(since) {
			const journal = createAlertJournal({environment: environment.name, stateDir: environment.stateDir});
			// No file: no dashboard has watched this environment's alerts here, which is not "nothing fired".
			return existsSync(journal.file) ? journal.firedSince(since) : undefined;
		},
		logTally(since, signal) {
			let tally = tallies.get(since);
			if (!tally) {
				tally = readLogTally(backends, environment, since);
				tallies.set(since, tally);
			}
			return untilAborted(tally, signal);
		},
		pendingDeploys(signal) {
			const checkout = environment.deployCheckout;
			if (!checkout) return Promise.reject(new ServiceError('no checkout configured (deployCheckout.path)'));
			return pendingCommits(checkout.path, {upstream: checkout.upstream, fetch: checkout.fetch, signal});
		},
		cluster: signal => untilAborted(syncedCluster(backends), signal),
		database: signal => untilAborted(database(), signal),
		backups: signal => untilAborted(backups(), signal),
	};
}

/**
 * One usable sample per running instance. Docker's first streamed sample has no interval yet (its CPU reads 0, as
 * `docker stats --no-stream` knows: it waits for the second), so compose instances wait for their second sample;
 * a metrics API's first one is already a measurement. Resolves when every instance answered, or just before the
 * check's deadline with those that did; rejects when none did.
 */
async function sampleStats(backends: Backends, instances: () => Promise<import('../services/platform.js').Instance[]>, deadlineMs: number): Promise<ReadonlyMap<string, StatsSample>> {
	const running = (await instances()).filter(instance => instance.state === 'running');
	const wanted = backends.platform.source === 'docker' ? 2 : 1;
	const samples = new Map<string, StatsSample>();
	const errors: string[] = [];
	if (running.length === 0) return samples;
	await new Promise<void>(resolve => {
		const counts = new Map<string, number>();
		const closers: Array<() => void> = [];
		let settled = 0;
		const finish = () => {
			clearTimeout(timer);
			for (const close of closers) close();
			resolve();
		};
		// Leaves a margin under the check's deadline to judge what arrived.
		const timer = setTimeout(finish, Math.max(100, deadlineMs - 250));
		const done = () => {
			settled++;
			if (settled === running.length) finish();
		};
		for (const instance of running) {
			let counted = false;
			const settle = () => {
				if (counted) return;
				counted = true;
				done();
			};
			closers.push(
				backends.platform.streamStats(
					instance.id,
					sample => {
						const count = (counts.get(instance.id) ?? 0) + 1;
						counts.set(instance.id, count);
						if (count === 1 || count === wanted) samples.set(instance.id, sample);
						if (count >= wanted) settle();
					},
					error => {
						if (error) errors.push(describeError(error, `${backends.platform.source} stats`));
						settle();
					},
				),
			);
		}
	});
	if (samples.size === 0 && errors.length > 0) throw new ServiceError(errors[0]!);
	return samples;
}

/** The window's records of every service, counted as they stream by (nothing kept but the counts). */
async function readLogTally(backends: Backends, environment: EnvironmentConfig, since: number): Promise<LogTally> {
	const source = await backends.platform.logs();
	const services = environment.services.map(service => service.name);
	const tally: LogTally = new Map(services.map(service => [service, emptyServiceTally()]));
	const failed = new Map<string, string>();
	await new Promise<void>(resolve => {
		let unsubscribe: (() => void) | undefined;
		let ended = false;
		unsubscribe = source.subscribe(
			services,
			{since, follow: false},
			records => {
				for (const record of records) tallyRecord(tally, record);
			},
			status => {
				if (status.state === 'error') failed.set(status.service, status.message ?? 'failed');
				if (status.service === '*' && (status.state === 'ended' || status.state === 'error')) {
					ended = true;
					unsubscribe?.();
					resolve();
				}
			},
		);
		if (ended) unsubscribe();
	});
	if (failed.has('*') || (failed.size >= services.length && services.every(service => failed.has(service)))) {
		throw new ServiceError(`logs unreadable: ${failed.get('*') ?? failed.get(services[0]!)}`);
	}
	for (const [service, message] of failed) {
		const entry = tally.get(service);
		if (entry) entry.error = message;
	}
	return tally;
}

/** The cluster's view once every watched list has synced; a failing list with nothing synced is the error. */
function syncedCluster(backends: Backends): Promise<import('../services/kubernetes/view.js').ClusterView> {
	const cluster = backends.cluster;
	if (!cluster) return Promise.reject(new ServiceError('no cluster on this platform'));
	return new Promise((resolve, reject) => {
		const judge = (): boolean => {
			const snapshot = cluster.snapshot();
			if (snapshot.syncedAt > 0) {
				resolve(clusterView(snapshot));
				return true;
			}
			if (snapshot.error) {
				reject(new ServiceError(snapshot.error));
				return true;
			}
			return false;
		};
		if (judge()) return;
		const stop = cluster.onChange(() => {
			if (judge()) stop();
		});
	});
}
