import {sparkline} from '../../components/Sparkline.js';
import type {TableColumn} from '../../components/Table.js';
import type {BackupEntry} from '../../database/backups.js';
import type {CollectionStats, IndexUse} from '../../database/collections.js';
import type {CurrentOp} from '../../database/current-ops.js';
import type {DatabaseHistory, HistoryKey} from '../../database/history.js';
import type {ReplicaMember} from '../../database/replication.js';
import type {ServerRates} from '../../database/server-status.js';
import type {HotCollection} from '../../database/top.js';
import {bounds} from '../../database/verdicts.js';
import type {MongoPoolState} from '../../services/types-mongo.js';
import {formatAge, formatBytes, formatDuration} from '../../util/format.js';

const dash = '-';

/** mongostat's style: "0", "37", "1.2k", "45k", "3.1m". */
export function formatRate(value: number | undefined): string {
	if (value === undefined || !Number.isFinite(value)) return dash;
	if (value < 10) return value === 0 ? '0' : value.toFixed(1);
	if (value < 1000) return String(Math.round(value));
	if (value < 10_000) return `${(value / 1000).toFixed(1)}k`;
	if (value < 1_000_000) return `${Math.round(value / 1000)}k`;
	return `${(value / 1_000_000).toFixed(1)}m`;
}

export const formatLag = (seconds: number | undefined) => (seconds === undefined ? dash : `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`);

/** "[#######.......] 42/200 21%": the connections in use against what the server allows. */
export function gauge(used: number, total: number, width: number, glyphs: {full: string; empty: string}): string {
	const cells = Math.max(0, width);
	const fraction = total > 0 ? Math.min(1, used / total) : 0;
	const full = Math.round(fraction * cells);
	return `[${glyphs.full.repeat(full)}${glyphs.empty.repeat(cells - full)}]`;
}

export type RateRow = {key: HistoryKey | 'net'; label: string; local?: number; repl?: number; history: readonly number[]; unit?: 'bytes'};

const rateLabels: Array<[HistoryKey, string]> = [
	['insert', 'insert'],
	['query', 'query'],
	['update', 'update'],
	['delete', 'delete'],
	['getmore', 'getmore'],
	['command', 'command'],
];

/** One row per op type (local and replicated per second, the local rate's hour), then network in and out. */
export function rateRows(rates: ServerRates | undefined, history: Partial<DatabaseHistory>): RateRow[] {
	const rows: RateRow[] = rateLabels.map(([key, label]) => ({key, label, local: rates?.ops[key as keyof ServerRates['ops']], repl: rates?.repl[key as keyof ServerRates['repl']], history: history[key] ?? []}));
	rows.push({key: 'netIn', label: 'net in', local: rates?.netInBytes, history: history.netIn ?? [], unit: 'bytes'});
	rows.push({key: 'netOut', label: 'net out', local: rates?.netOutBytes, history: history.netOut ?? [], unit: 'bytes'});
	return rows;
}

export function rateColumns(spark: readonly string[], trendWidth: number): ReadonlyArray<TableColumn<RateRow>> {
	return [
		{key: 'op', header: 'OP', width: 8, render: r => r.label, priority: 0},
		{key: 'local', header: 'PER SEC', width: 10, align: 'right', render: r => (r.unit === 'bytes' ? (r.local === undefined ? dash : `${formatBytes(r.local)}`) : formatRate(r.local)), priority: 0},
		{key: 'repl', header: 'REPL/S', width: 7, align: 'right', render: r => (r.unit === 'bytes' ? '' : formatRate(r.repl)), priority: 1},
		{key: 'trend', header: 'LAST HOUR', width: trendWidth, render: r => sparkline(r.history, trendWidth, undefined, spark), priority: 2},
	];
}

export function memberColumns(lagMark: string): ReadonlyArray<TableColumn<ReplicaMember>> {
	const flagged = (m: ReplicaMember) => (m.lagSeconds ?? 0) > bounds.lagSeconds;
	return [
		{key: 'name', header: 'MEMBER', width: 24, render: m => `${m.name}${m.self ? ' *' : ''}`, priority: 0},
		{key: 'state', header: 'STATE', width: 10, render: m => m.state, color: m => (!m.health ? 'crit' : m.state === 'PRIMARY' || m.state === 'SECONDARY' ? 'ok' : 'warn'), priority: 0},
		{key: 'lag', header: 'LAG', width: 8, align: 'right', render: m => (m.state === 'PRIMARY' ? '' : `${flagged(m) ? `${lagMark} ` : ''}${formatLag(m.lagSeconds)}`), color: m => (flagged(m) ? 'crit' : undefined), priority: 0},
		{key: 'heartbeat', header: 'HEARTBEAT', width: 9, align: 'right', render: m => (m.self ? 'self' : m.heartbeatAgeMs === undefined ? dash : `${(m.heartbeatAgeMs / 1000).toFixed(1)} s`), priority: 2},
		{key: 'ping', header: 'PING', width: 6, align: 'right', render: m => (m.pingMs === undefined ? '' : `${m.pingMs} ms`), priority: 3},
		{key: 'note', header: 'NOTE', width: 20, render: m => m.note ?? '', color: m => (m.note ? 'warn' : undefined), priority: 1},
	];
}

export function opColumns(): ReadonlyArray<TableColumn<CurrentOp>> {
	const tone = (op: CurrentOp) => (op.runningMs >= bounds.longestOpFailMs ? 'crit' : op.runningMs >= bounds.longestOpWarnMs ? 'warn' : undefined);
	return [
		{key: 'opid', header: 'OPID', width: 9, align: 'right', render: o => String(o.opid), priority: 0},
		{key: 'running', header: 'RUNNING', width: 8, align: 'right', render: o => (o.runningMs < 1000 ? `${Math.round(o.runningMs)} ms` : formatDuration(o.runningMs)), color: tone, priority: 0},
		{key: 'op', header: 'OP', width: 8, render: o => o.op, priority: 1},
		{key: 'ns', header: 'NAMESPACE', width: 22, render: o => o.ns, priority: 0},
		{key: 'service', header: 'SERVICE', width: 18, render: o => o.service ?? o.appName ?? o.client ?? '', priority: 1},
		{key: 'plan', header: 'PLAN', width: 12, render: o => o.planSummary ?? '', color: o => (o.planSummary === 'COLLSCAN' ? 'warn' : undefined), priority: 2},
		{key: 'command', header: 'COMMAND', width: 20, render: o => o.command, priority: 3},
	];
}

export const hotColumns: ReadonlyArray<TableColumn<HotCollection>> = [
	{key: 'ns', header: 'NAMESPACE', width: 30, render: h => h.ns, priority: 0},
	{key: 'total', header: 'TOTAL', width: 10, align: 'right', render: h => `${h.totalMsPerS.toFixed(1)}ms`, priority: 0},
	{key: 'read', header: 'READ', width: 10, align: 'right', render: h => `${h.readMsPerS.toFixed(1)}ms`, priority: 1},
	{key: 'write', header: 'WRITE', width: 10, align: 'right', render: h => `${h.writeMsPerS.toFixed(1)}ms`, priority: 1},
];

const bytes = (n: number | undefined) => (n === undefined ? dash : formatBytes(n));

export const collectionColumns: ReadonlyArray<TableColumn<CollectionStats>> = [
	{key: 'name', header: 'COLLECTION', width: 20, render: c => c.name, priority: 0},
	{key: 'count', header: 'DOCS', width: 10, align: 'right', render: c => (c.count === undefined ? dash : c.count.toLocaleString('en-US')), priority: 0},
	{key: 'size', header: 'SIZE', width: 10, align: 'right', render: c => bytes(c.sizeBytes), priority: 0},
	{key: 'storage', header: 'STORAGE', width: 10, align: 'right', render: c => bytes(c.storageBytes), priority: 1},
	{key: 'indexes', header: 'INDEXES', width: 7, align: 'right', render: c => (c.indexes === undefined ? dash : String(c.indexes)), priority: 1},
	{key: 'indexSize', header: 'INDEX SIZE', width: 10, align: 'right', render: c => bytes(c.indexBytes), priority: 2},
];

export function indexColumns(now: number): ReadonlyArray<TableColumn<IndexUse>> {
	return [
		{key: 'collection', header: 'COLLECTION', width: 16, render: i => i.collection, priority: 0},
		{key: 'name', header: 'INDEX', width: 22, render: i => i.name, priority: 0},
		{key: 'ops', header: 'OPS', width: 9, align: 'right', render: i => (i.ops === undefined ? dash : String(i.ops)), color: i => (i.ops === 0 && i.name !== '_id_' ? 'warn' : undefined), priority: 0},
		{key: 'since', header: 'SINCE', width: 10, align: 'right', render: i => (i.sinceMs === undefined ? dash : formatDuration(now - i.sinceMs)), priority: 2},
		{key: 'key', header: 'KEY', width: 20, render: i => i.key, priority: 1},
	];
}

export function backupColumns(now: number, maxAgeMs: number): ReadonlyArray<TableColumn<BackupEntry>> {
	return [
		{key: 'name', header: 'BACKUP', width: 32, render: b => b.name, priority: 0},
		{key: 'created', header: 'CREATED (UTC)', width: 16, render: b => new Date(b.createdMs).toISOString().slice(0, 16).replace('T', ' '), priority: 1},
		{key: 'age', header: 'AGE', width: 10, align: 'right', render: b => formatAge(now - b.createdMs).replace(' old', ''), color: b => (now - b.createdMs > maxAgeMs ? 'crit' : undefined), priority: 0},
		{key: 'size', header: 'SIZE', width: 10, align: 'right', render: b => bytes(b.bytes), priority: 2},
	];
}

/** The driver's pools in one line: "pool 127.0.0.1:27017 2 open, 1 in use, 0 waiting (3 created, 1 cleared)". */
export function poolLine(pools: readonly MongoPoolState[]): string {
	if (pools.length === 0) return 'driver pool: no connection yet';
	return pools
		.map(p => `pool ${p.address}: ${p.open} open, ${p.inUse} in use, ${p.waiting} waiting${p.cleared > 0 || p.checkOutFailed > 0 ? ` (${p.cleared} cleared, ${p.checkOutFailed} failed check-outs${p.lastProblem ? `: ${p.lastProblem.reason}` : ''})` : ''}`)
		.join('; ');
}
