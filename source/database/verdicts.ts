/**
 * Every bound of the Database and Trading work judged in one place. Pure and exported: the Database screen,
 * the Dashboard line, `botops db` and `botops check` all call these, so a bound means the same everywhere.
 */
import type {CheckVerdict} from '../checks/verdict.js';
import {formatAge, formatDuration} from '../util/format.js';
import type {BackupEntry} from './backups.js';
import type {CurrentOp} from './current-ops.js';
import type {ReplicaSetView} from './replication.js';
import type {Connections} from './server-status.js';
import type {TradingKpis} from './trading.js';

export const bounds = {
	/** Share of the server's connections in use (current / (current + available)). */
	connectionsWarn: 0.8,
	connectionsFail: 0.9,
	/** Manual §2.1 midday routine: "Replication lag (should be < 1s)". */
	lagSeconds: 1,
	longestOpWarnMs: 10_000,
	longestOpFailMs: 60_000,
	/** A daily backup (02:00 UTC, manual §4.1) plus two hours' grace. */
	backupMaxAgeMs: 26 * 3_600_000,
	/** Manual §2.1 evening routine: "Success rate (target: >95%)". */
	successRate: 0.95,
	/** No trade for this long while trading is enabled is worth a look. */
	staleTradeMs: 15 * 60_000,
} as const;

const percent = (fraction: number) => `${(fraction * 100).toFixed(1)} %`;
const seconds = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} s`;

export function connectionsVerdict(connections: Connections | undefined, limits = bounds): CheckVerdict {
	if (!connections) return {status: 'unknown', reason: 'connections: no serverStatus yet'};
	const total = connections.current + connections.available;
	const used = total > 0 ? connections.current / total : 0;
	const figure = `${connections.current} of ${total} (${percent(used)})`;
	const status = used >= limits.connectionsFail ? 'fail' : used >= limits.connectionsWarn ? 'warn' : 'pass';
	const limit = status === 'pass' ? '' : ` (limit ${percent(status === 'fail' ? limits.connectionsFail : limits.connectionsWarn)})`;
	return {status, reason: `connections ${figure} in use${limit}`, figure, value: used};
}

/** Fails on a lag above the bound, a member down or no primary; a stale heartbeat makes the lag unknown, not failed. */
export function replicationVerdict(replicaSet: ReplicaSetView | undefined, options: {notReplicaSet?: boolean} = {}, limits = bounds): CheckVerdict {
	if (options.notReplicaSet) return {status: 'pass', reason: 'replication: not a replica set (standalone server)'};
	if (!replicaSet) return {status: 'unknown', reason: 'replication: no replSetGetStatus yet'};
	if (!replicaSet.primary) return {status: 'fail', reason: `replication: no primary in ${replicaSet.set || 'the replica set'}`};
	const down = replicaSet.members.filter(m => !m.health);
	if (down.length > 0) return {status: 'fail', reason: `replication: ${down.map(m => `${m.name} unreachable${m.note && m.note !== 'unreachable' ? ` (${m.note})` : ''}`).join(', ')}`};
	const worst = replicaSet.worst;
	if (worst && worst.lagSeconds > limits.lagSeconds) {
		return {status: 'fail', reason: `replication lag ${seconds(worst.lagSeconds)} on ${worst.name} (limit ${limits.lagSeconds} s)`, figure: seconds(worst.lagSeconds), value: worst.lagSeconds};
	}
	const unknown = replicaSet.members.filter(m => m.name !== replicaSet.primary && m.state !== 'ARBITER' && m.lagSeconds === undefined);
	if (unknown.length > 0) return {status: 'unknown', reason: `replication lag unknown: ${unknown.map(m => `${m.name} (${m.note ?? 'no data'})`).join(', ')}`};
	if (!worst) return {status: 'pass', reason: 'replication: no secondaries'};
	return {status: 'pass', reason: `replication lag ${seconds(worst.lagSeconds)} at most (${worst.name})`, figure: seconds(worst.lagSeconds), value: worst.lagSeconds};
}

export function longestOpVerdict(ops: readonly CurrentOp[] | undefined, limits = bounds): CheckVerdict {
	if (!ops) return {status: 'unknown', reason: 'operations: no currentOp yet'};
	const longest = ops[0];
	if (!longest) return {status: 'pass', reason: 'no active operations', figure: '0 s', value: 0};
	const figure = formatDuration(longest.runningMs);
	const status = longest.runningMs >= limits.longestOpFailMs ? 'fail' : longest.runningMs >= limits.longestOpWarnMs ? 'warn' : 'pass';
	const who = longest.service ?? longest.appName ?? longest.client ?? 'unknown client';
	const limit = status === 'pass' ? '' : ` (limit ${formatDuration(status === 'fail' ? limits.longestOpFailMs : limits.longestOpWarnMs)})`;
	return {status, reason: `longest operation ${figure}: opid ${longest.opid} ${longest.op} ${longest.ns} from ${who}${limit}`, figure, value: longest.runningMs / 1000};
}

export function backupVerdict(backups: readonly BackupEntry[] | undefined, now: number, limits = bounds): CheckVerdict {
	if (!backups) return {status: 'unknown', reason: 'backups: no listing yet'};
	const last = backups[0];
	if (!last) return {status: 'fail', reason: 'backups: the listing holds no backup'};
	const ageMs = Math.max(0, now - last.createdMs);
	const figure = formatAge(ageMs);
	if (ageMs > limits.backupMaxAgeMs) return {status: 'fail', reason: `last backup ${last.name} is ${figure} (limit ${limits.backupMaxAgeMs / 3_600_000} h)`, figure, value: ageMs / 1000};
	return {status: 'pass', reason: `last backup ${last.name}, ${figure}`, figure, value: ageMs / 1000};
}

export function successRateVerdict(kpis: TradingKpis | undefined, limits = bounds): CheckVerdict {
	if (!kpis) return {status: 'unknown', reason: 'trades: no figures yet'};
	if (kpis.successRate === undefined) return {status: 'unknown', reason: 'success rate: no trades today'};
	const figure = percent(kpis.successRate);
	const status = kpis.successRate < limits.successRate ? 'fail' : 'pass';
	return {status, reason: `success rate ${figure} of ${kpis.today} trades today (target > ${percent(limits.successRate)})`, figure, value: kpis.successRate * 100};
}

/** A quiet engine is only a problem while it is meant to trade. */
export function staleTradeVerdict(kpis: TradingKpis | undefined, tradingEnabled: boolean | undefined, now: number, limits = bounds): CheckVerdict {
	if (tradingEnabled === false) return {status: 'pass', reason: 'trading is disabled: no trades expected'};
	if (!kpis) return {status: 'unknown', reason: 'last trade: no figures yet'};
	if (kpis.lastTradeMs === undefined) return {status: tradingEnabled ? 'warn' : 'unknown', reason: 'last trade: no trade recorded'};
	const ageMs = Math.max(0, now - kpis.lastTradeMs);
	const figure = formatAge(ageMs);
	if (ageMs <= limits.staleTradeMs) return {status: 'pass', reason: `last trade ${figure}`, figure, value: ageMs / 1000};
	if (tradingEnabled === undefined) return {status: 'unknown', reason: `last trade ${figure}, and whether trading is enabled is not known`, figure, value: ageMs / 1000};
	return {status: 'warn', reason: `last trade ${figure} while trading is enabled (limit ${formatDuration(limits.staleTradeMs)})`, figure, value: ageMs / 1000};
}
