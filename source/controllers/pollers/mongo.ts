import {createHistoryBuffer, historyPoint, historySeries} from '../../database/history.js';
import type {DatabaseSettings} from '../../database/settings.js';
import {foldReading, readingFailed} from '../../database/view.js';
import {describeError} from '../../services/errors.js';
import type {BackupLister} from '../../services/mongo/backup-listing.js';
import {mongoFaultLabels} from '../../services/mongo/errors.js';
import {readMongo, type MongoReading} from '../../services/mongo/reading.js';
import type {MongoDatabaseService} from '../../services/types-mongo.js';
import type {BackupListing} from '../../store/slices/database.js';
import {backupsError, backupsUpdate, databaseError, databaseUpdate} from '../../store/slices/database.js';
import type {PollerDefinition} from '../poller.js';

/**
 * The Database screen refreshes at 1 Hz whatever the dashboard's refresh (mongostat's and mongotop's default); the
 * Dashboard's one database line at the refresh interval, on the other pollers' tick (one commit, not one a second).
 */
export const mongoIntervalMs = 1000;
/**
 * While neither the Database screen nor the Dashboard's database line is up, every 10 s: what is read then still
 * feeds the checks (connections, replication lag, the trading KPIs), which run every 15 s.
 */
export const mongoHiddenMs = 10_000;
/** Collections, indexes, the oplog window and the trading aggregation move slowly and cost more: every 10 s. */
export const slowEveryMs = 10_000;
export const backupsIntervalMs = 60_000;

type Timing = {timeoutMs: number; intervalMs?: number; now?: () => number};

/**
 * serverStatus, replSetGetStatus, $currentOp and top each second, the slow parts every tenth; each command
 * fails on its own (its part of the pane shows the fault) and only a server that cannot be reached at all
 * counts as a failed poll, backed off with the one backoff.
 */
export function mongoPoller(service: MongoDatabaseService, settings: DatabaseSettings, timing: Timing): PollerDefinition<MongoReading> {
	const now = timing.now ?? Date.now;
	const history = createHistoryBuffer();
	let slowReadAt = -Infinity;
	let slowDue = true;
	return {
		name: 'mongo',
		intervalMs: mongoIntervalMs,
		cadence: {need: 'database', hiddenMs: mongoHiddenMs, glance: {need: 'databaseLine', intervalMs: Math.min(mongoHiddenMs, Math.max(mongoIntervalMs, timing.intervalMs ?? mongoIntervalMs))}},
		timeoutMs: timing.timeoutMs + 1000,
		async poll() {
			// By time, not by poll count: at the hidden cadence every poll is due for them.
			const slow = slowDue || now() - slowReadAt >= slowEveryMs;
			if (slow) slowReadAt = now();
			const reading = await readMongo(service, {database: settings.database, tradeFields: settings.tradeFields, slow, now: now()});
			// A slow part that failed is read again next time rather than ten polls later.
			slowDue = Boolean(reading.slow && Object.values(reading.slow).some(part => !part.ok));
			return reading;
		},
		failed: readingFailed,
		commit(state, outcome, retry) {
			if (!outcome.ok) return databaseError(state, describeError(outcome.error, 'mongo'), retry.retryAt);
			const view = foldReading(state.database.data, outcome.value, settings);
			const failedWhole = readingFailed(outcome.value);
			// A refresh that could not reach the server is a gap in the hour, not a skipped second.
			const point = historyPoint(view) ?? (failedWhole ? {at: outcome.at, values: {}} : undefined);
			if (point) history.push(point);
			const fault = failedWhole && !outcome.value.serverStatus.ok ? `mongo ${mongoFaultLabels[outcome.value.serverStatus.fault.kind]}: ${outcome.value.serverStatus.fault.message}` : undefined;
			return databaseUpdate(view, point ? historySeries(history) : undefined, outcome.at, fault, retry.retryAt ?? retry.nextAt);
		},
	};
}

export function backupsPoller(lister: BackupLister, timing: Timing): PollerDefinition<BackupListing> {
	return {
		name: 'backups',
		intervalMs: backupsIntervalMs,
		timeoutMs: Math.max(timing.timeoutMs, 10_000) + 1000,
		poll: () => lister.list(),
		commit(state, outcome, retry) {
			if (outcome.ok) return backupsUpdate(outcome.value, outcome.at);
			return backupsError(state, describeError(outcome.error, 'backups'), retry.retryAt);
		},
	};
}
