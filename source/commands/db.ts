import type {CheckVerdict} from '../checks/verdict.js';
import type {Config, EnvironmentConfig} from '../config/schema.js';
import {createMonitor} from '../controllers/monitor.js';
import {databaseSettings} from '../database/settings.js';
import {backupVerdict, connectionsVerdict, longestOpVerdict, replicationVerdict, staleTradeVerdict, successRateVerdict} from '../database/verdicts.js';
import {emptyDatabaseView, foldReading, type DatabaseView} from '../database/view.js';
import {openBackends} from '../services/backends.js';
import {describeError} from '../services/errors.js';
import {createBackupLister} from '../services/mongo/backup-listing.js';
import {mongoFaultLabels, type MongoFaultKind} from '../services/mongo/errors.js';
import {readMongo} from '../services/mongo/reading.js';
import {selectTrading} from '../store/selectors.js';
import type {BackupListing} from '../store/slices/database.js';
import {createAppStore} from '../store/store.js';
import {formatBytes, formatDuration} from '../util/format.js';
import {scrub} from '../util/secrets.js';
import {textTable} from '../util/text-table.js';

export type DbOptions = {json: boolean; color: boolean};
export type DbContext = {config: Config; environment: EnvironmentConfig; stdout: NodeJS.WritableStream; now?: () => number; sampleGapMs?: number};

/** Rates need two serverStatus samples; mongostat's default interval. */
const defaultSampleGapMs = 1000;

export type DbVerdicts = {connections: CheckVerdict; replication: CheckVerdict; longestOp: CheckVerdict; backup?: CheckVerdict; successRate: CheckVerdict; lastTrade: CheckVerdict};

/** Every verdict `botops db` judges, from the view, the backup listing and the trading state. */
export function dbVerdicts(view: DatabaseView, backups: BackupListing | undefined, tradingEnabled: boolean | undefined, settings: ReturnType<typeof databaseSettings>, now: number, backupsConfigured: boolean): DbVerdicts {
	const replication = view.replication.value;
	return {
		connections: connectionsVerdict(view.server.value?.sample.connections, settings.limits),
		replication: replicationVerdict(replication?.set, {notReplicaSet: replication?.notReplicaSet}, settings.limits),
		longestOp: longestOpVerdict(view.ops.value, settings.limits),
		backup: backupsConfigured ? backupVerdict(backups?.entries, now, settings.limits) : undefined,
		successRate: successRateVerdict(view.trading.value, settings.limits),
		lastTrade: staleTradeVerdict(view.trading.value, tradingEnabled, now, settings.limits),
	};
}

/**
 * `botops db`: the manual's mongosh checks (§4.3: serverStatus().connections, currentOp, replication lag,
 * trades.stats(), $indexStats; §4.1 the last backup; §2.1 the trading KPIs) as one command. Exit 1 when a
 * verdict fails or MongoDB cannot be read; 0 otherwise.
 */
export async function runDbCommand(options: DbOptions, context: DbContext): Promise<number> {
	const {config, environment, stdout} = context;
	const now = context.now ?? Date.now;
	if (!environment.mongo) {
		stdout.write(`no MongoDB configured for environment ${environment.name} (mongo.uriEnv in its config)\n`);
		return 1;
	}
	const settings = databaseSettings(environment);
	const store = createAppStore();
	const backends = await openBackends(environment, config);
	let view = emptyDatabaseView();
	let backups: BackupListing | undefined;
	let backupsError: string | undefined;
	const lister = createBackupLister(environment, {platform: backends.platform, timeoutMs: config.timeoutMs});
	try {
		const mongo = backends.mongo!;
		const health = createMonitor(store, backends, {refreshMs: 0, timeoutMs: config.timeoutMs, latencyTargetMs: config.latencyTargetMs, stats: false, alerts: false, commitWindowMs: 0, now}).pollOnce();
		const listing = lister?.list().then(
			value => (backups = value),
			(error: unknown) => (backupsError = describeError(error, 'backups')),
		);
		const first = await readMongo(mongo, {database: settings.database, tradeFields: settings.tradeFields, slow: true, now: now()});
		view = foldReading(view, first, settings);
		if (first.serverStatus.ok) {
			await new Promise(resolve => setTimeout(resolve, context.sampleGapMs ?? defaultSampleGapMs));
			view = foldReading(view, await readMongo(mongo, {database: settings.database, tradeFields: settings.tradeFields, slow: false, now: now()}), settings);
		}
		await Promise.all([health, listing]);
	} finally {
		backends.close();
	}
	const verdicts = dbVerdicts(view, backups, selectTrading(store.getState())?.enabled, settings, now(), lister !== undefined);
	const faults = collectFaults(view, backupsError);
	const judged = Object.values(verdicts).filter((v): v is CheckVerdict => v !== undefined);
	const ok = view.server.value !== undefined && !judged.some(v => v.status === 'fail');

	if (options.json) {
		stdout.write(scrub(JSON.stringify(dbJson(environment, ok, verdicts, view, backups, faults), null, 2)) + '\n');
		return ok ? 0 : 1;
	}
	stdout.write(scrub(dbText(environment, view, verdicts, backups, faults, options.color, now())));
	return ok ? 0 : 1;
}

function collectFaults(view: DatabaseView, backupsError: string | undefined): string[] {
	const faults: string[] = [];
	const parts: Array<[string, {fault?: {kind: string; message: string}}]> = [
		['serverStatus', view.server],
		['replSetGetStatus', view.replication],
		['currentOp', view.ops],
		['top', view.hot],
		['collStats', view.collections],
		['trades', view.trading],
	];
	// One line per distinct failure: an unreachable server fails every command with the same message.
	const byMessage = new Map<string, string[]>();
	for (const [name, part] of parts) {
		if (!part.fault) continue;
		const line = `${mongoFaultLabels[part.fault.kind as MongoFaultKind]}: ${part.fault.message}`;
		byMessage.set(line, [...(byMessage.get(line) ?? []), name]);
	}
	for (const [line, names] of byMessage) faults.push(`${names.join(', ')}: ${line}`);
	for (const problem of view.collections.value?.problems ?? []) faults.push(problem);
	if (backupsError) faults.push(backupsError);
	return faults;
}

function dbJson(environment: EnvironmentConfig, ok: boolean, verdicts: DbVerdicts, view: DatabaseView, backups: BackupListing | undefined, faults: string[]) {
	const server = view.server.value;
	return {
		environment: environment.name,
		ok,
		verdicts,
		faults,
		server: server && {host: server.sample.host, version: server.sample.version, uptimeSeconds: server.sample.uptimeSeconds, residentMb: server.sample.residentMb, connections: server.sample.connections, cache: server.cache},
		rates: server?.rates,
		replication: view.replication.value && {set: view.replication.value.set?.set, notReplicaSet: view.replication.value.notReplicaSet, oplogWindowSeconds: view.replication.value.oplogWindowSeconds, members: view.replication.value.set?.members},
		operations: view.ops.value,
		hotCollections: view.hot.value,
		collections: view.collections.value?.stats,
		indexes: view.collections.value?.indexes,
		backups: backups && {source: backups.source, last: backups.entries[0], count: backups.entries.length},
		trading: view.trading.value,
		pools: view.pools,
	};
}

const paint = (text: string, code: number, color: boolean) => (color ? `\u001B[${code}m${text}\u001B[39m` : text);
const statusCodes = {pass: 32, warn: 33, fail: 31, unknown: 90} as const;

function dbText(environment: EnvironmentConfig, view: DatabaseView, verdicts: DbVerdicts, backups: BackupListing | undefined, faults: string[], color: boolean, now: number): string {
	const out: string[] = [];
	const server = view.server.value;
	out.push(`MongoDB of ${environment.name}${server ? ` (${[server.sample.host, server.sample.version].filter(Boolean).join(', ')}, up ${formatDuration((server.sample.uptimeSeconds ?? 0) * 1000)})` : ''}\n`);
	const names: Record<keyof DbVerdicts, string> = {connections: 'connections', replication: 'replication', longestOp: 'longest op', backup: 'last backup', successRate: 'success rate', lastTrade: 'last trade'};
	const rows = (Object.keys(names) as Array<keyof DbVerdicts>).flatMap(key => {
		const verdict = verdicts[key];
		return verdict ? [[paint(verdict.status.toUpperCase().padEnd(7), statusCodes[verdict.status], color), names[key], verdict.reason]] : [];
	});
	out.push(textTable(['STATUS', 'CHECK', 'DETAIL'], rows));
	for (const fault of faults) out.push(`${paint('fault', 31, color)} ${fault}\n`);
	const rates = server?.rates;
	if (rates) {
		const ops = (['insert', 'query', 'update', 'delete', 'getmore', 'command'] as const).map(op => `${op} ${(rates.ops[op] ?? 0).toFixed(0)}|${(rates.repl[op] ?? 0).toFixed(0)}`);
		out.push(`\nops/s (local|repl): ${ops.join('  ')}  net in ${formatBytes(rates.netInBytes ?? 0)}/s out ${formatBytes(rates.netOutBytes ?? 0)}/s\n`);
	}
	const members = view.replication.value?.set?.members ?? [];
	if (members.length > 0) {
		out.push('\n' + textTable(['MEMBER', 'STATE', 'LAG', 'NOTE'], members.map(m => [m.name, m.state, m.state === 'PRIMARY' ? '' : m.lagSeconds === undefined ? '-' : `${m.lagSeconds.toFixed(1)} s`, m.note ?? ''])));
	}
	const ops = (view.ops.value ?? []).slice(0, 5);
	if (ops.length > 0) out.push('\n' + textTable(['OPID', 'RUNNING', 'OP', 'NAMESPACE', 'SERVICE'], ops.map(o => [String(o.opid), formatDuration(o.runningMs), o.op, o.ns, o.service ?? o.appName ?? o.client ?? ''])));
	const collections = view.collections.value?.stats ?? [];
	if (collections.length > 0) {
		out.push('\n' + textTable(['COLLECTION', 'DOCS', 'SIZE', 'STORAGE', 'INDEXES', 'INDEX SIZE'], collections.map(c => [c.name, String(c.count ?? '-'), formatBytes(c.sizeBytes ?? 0), formatBytes(c.storageBytes ?? 0), String(c.indexes ?? '-'), formatBytes(c.indexBytes ?? 0)])));
	}
	const kpis = view.trading.value;
	if (kpis) out.push(`\ntrades today ${kpis.today}, last hour ${kpis.lastHour}, P&L ${kpis.pnlTotal.toFixed(2)} (${kpis.bySymbol.map(s => `${s.symbol} ${s.pnl.toFixed(2)}`).join(', ') || 'no symbols'})\n`);
	if (backups?.entries[0]) out.push(`last backup ${backups.entries[0].name} at ${new Date(backups.entries[0].createdMs).toISOString()} (${formatDuration(now - backups.entries[0].createdMs)} ago, ${backups.source})\n`);
	return out.join('');
}
