import type {EnvironmentConfig, ServiceConfig} from '../config/schema.js';
import type {Instance, InstanceDetail} from '../services/platform.js';
import type {Resource} from './resource.js';
import type {StatsHistory} from './slices/containers.js';
import type {ProbeState, ServiceHealth} from './slices/health.js';
import type {AppState} from './store.js';
import {displayedPercent, formatAge, formatDuration} from '../util/format.js';

/**
 * One word for a service, worst first: down (not running, unhealthy, probe failing), starting (starting,
 * restarting, created), degraded (p95 over target, or a probe timed out), unknown (not seen yet), ok.
 * Only ok counts as ok.
 */
export type ServiceState = 'down' | 'starting' | 'degraded' | 'unknown' | 'ok';

const stateRank: Record<ServiceState, number> = {down: 4, starting: 3, degraded: 2, unknown: 1, ok: 0};

export type ServiceRow = {
	name: string;
	config: ServiceConfig;
	/** The instance the row shows: the worst off of the service's instances (a crashing pod over its healthy peers). */
	container?: Instance;
	detail?: InstanceDetail;
	/** Every instance of the service (compose: one container; Kubernetes: the deployment's pods). */
	instances: Instance[];
	health?: ServiceHealth;
	/** What the probes say, when the service has a health URL and was probed. */
	probe?: ProbeState;
	state: ServiceState;
	/** Uptime in ms when running. */
	uptimeMs?: number;
	ok: boolean;
	/** Why it is not ok, in words: "container exited (143)", "health: timeout after 3000 ms", "p95 812 ms > 500 ms". */
	problems: string[];
	/** Oldest successful update among the sources this row shows (0: none yet). */
	dataAt?: number;
	/** A source this row shows failed its last update: what the row shows is the last good data. */
	sourceFailed?: boolean;
	/** Set by markStaleRows: the row shows old data, this old (ms). */
	staleMs?: number;
	/** Nothing feeds the row (the dashboard runs on a file, with no live backend): it shows no state at all. */
	unmonitored?: boolean;
};

/** The instances of a service: the container named in its config, else those of its compose service or deployment. */
export function findServiceInstances(service: ServiceConfig, instances: readonly Instance[]): Instance[] {
	const wanted = service.container ?? service.deployment ?? service.name;
	const named = instances.filter(c => c.name === wanted);
	return named.length > 0 ? named : instances.filter(c => c.service === wanted);
}

const instanceRank: Record<Instance['state'], number> = {dead: 6, exited: 5, restarting: 4, created: 3, paused: 3, running: 1, removing: 0};

/** The instance a service's row stands for: the worst off, an unhealthy one before a healthy one; leaving ones last. */
export function findServiceContainer(service: ServiceConfig, instances: readonly Instance[]): Instance | undefined {
	let worst: Instance | undefined;
	let worstRank = -1;
	for (const instance of findServiceInstances(service, instances)) {
		const rank = instanceRank[instance.state] * 3 + (instance.health === 'unhealthy' ? 2 : instance.health === 'starting' ? 1 : 0);
		if (rank > worstRank) {
			worst = instance;
			worstRank = rank;
		}
	}
	return worst;
}

type Problem = {text: string; state: ServiceState};

function containerProblem(container: Instance | undefined, detail: InstanceDetail | undefined, dockerKnown: boolean): Problem | undefined {
	if (!dockerKnown) return {text: 'container state unknown', state: 'unknown'};
	if (!container) return {text: 'no container', state: 'down'};
	switch (container.state) {
		case 'running': {
			if (container.health === 'unhealthy') return {text: 'container healthcheck unhealthy', state: 'down'};
			if (container.health === 'starting') return {text: 'container starting (healthcheck not passed yet)', state: 'starting'};
			return undefined;
		}
		case 'created':
		case 'restarting': {
			return {text: `container ${container.state}`, state: 'starting'};
		}
		default: {
			return {text: `container ${container.state}${detail?.exitCode ? ` (${detail.exitCode})` : ''}`, state: 'down'};
		}
	}
}

function probeProblem(health: ServiceHealth | undefined, probe: ProbeState | undefined, latencyTargetMs: number, now: number): Problem | undefined {
	if (!health || !probe) return {text: 'health not probed yet', state: 'unknown'};
	const {last, p95} = health;
	// While the last probe failed, the age of the last good answer: the rest of the row (latencies, p95) is that old.
	const lastOk = last.ok || health.lastOkAt === undefined ? '' : ` (last ok ${formatDuration(Math.max(0, now - health.lastOkAt))} ago)`;
	if (probe === 'down') {
		if (last.ok) return {text: `health: recovering (${health.answers} answer${health.answers === 1 ? '' : 's'} after failures)`, state: 'down'};
		return {text: `health: ${last.error ?? `HTTP ${last.status}`}${lastOk}`, state: 'down'};
	}
	if (probe === 'slow') {
		if (p95 !== undefined && p95 > latencyTargetMs) return {text: `p95 ${Math.round(p95)} ms > ${latencyTargetMs} ms`, state: 'degraded'};
		return {text: `health: ${last.error ?? 'no answer'}${lastOk}`, state: 'degraded'};
	}
	return undefined;
}

/** One row per configured service: container state joined with health probes (the manual's `bot.sh status` plus its curls). */
export function selectServiceRows(state: Pick<AppState, 'containers' | 'details' | 'health'>, environment: EnvironmentConfig, now: number, latencyTargetMs: number): ServiceRow[] {
	const dockerKnown = state.containers.updatedAt > 0 && !state.containers.error;
	return environment.services.map(config => {
		const instances = findServiceInstances(config, state.containers.data);
		const container = findServiceContainer(config, instances);
		const detail = container ? state.details[container.id] : undefined;
		const health = state.health[config.name]?.data;
		const probe = health?.state;
		const found: Problem[] = [];
		const problem = containerProblem(container, detail, dockerKnown);
		if (problem) found.push(problem);
		if (config.healthUrl) {
			const problem = probeProblem(health, probe, latencyTargetMs, Math.max(now, health?.last.at ?? 0));
			if (problem) found.push(problem);
		}
		const worst = found.reduce<ServiceState>((acc, p) => (stateRank[p.state] > stateRank[acc] ? p.state : acc), 'ok');
		const uptimeMs = container?.state === 'running' && detail?.startedAt ? Math.max(0, now - detail.startedAt) : undefined;
		const healthResource = config.healthUrl ? state.health[config.name] : undefined;
		const times = [state.containers.updatedAt, config.healthUrl ? (healthResource?.updatedAt ?? 0) : undefined].filter((t): t is number => t !== undefined);
		const dataAt = Math.min(...times);
		const sourceFailed = state.containers.error !== undefined || healthResource?.error !== undefined;
		return {name: config.name, config, container, detail, instances, health, probe, state: worst, uptimeMs, ok: found.length === 0, problems: found.map(p => p.text), dataAt, sourceFailed};
	});
}

/**
 * Marks the rows that show old data: a source of theirs failed its last update, or none updated them for
 * `staleAfterMs`. Such a row says how old it is first in its problems ("12 s old"), and is drawn greyed.
 * Rows that were never updated are not stale, they are waiting (their state says "unknown").
 */
export function markStaleRows(rows: readonly ServiceRow[], now: number, staleAfterMs: number): ServiceRow[] {
	return rows.map(row => {
		if (!row.dataAt || row.unmonitored) return row;
		const ageMs = Math.max(0, now - row.dataAt);
		if (!row.sourceFailed && ageMs < staleAfterMs) return row;
		return {...row, staleMs: ageMs, problems: [formatAge(Math.max(1000, ageMs)), ...row.problems]};
	});
}

/** Rows for a dashboard with no live backend (on a log file): every service shown, none judged. */
export function unmonitoredRows(rows: readonly ServiceRow[], reason: string): ServiceRow[] {
	return rows.map(row => ({...row, state: 'unknown', ok: false, unmonitored: true, problems: [reason]}));
}

export type TradingState = {enabled: boolean; service: string; at: number};

/**
 * Whether the engine trades, from the `trading_enabled` field of its health body (the rust-core-engine's
 * /api/health, manual §7.5); undefined until a body said so. The newest answer of any service wins.
 */
export function selectTrading(state: Pick<AppState, 'health'>): TradingState | undefined {
	let found: TradingState | undefined;
	for (const [service, resource] of Object.entries(state.health)) {
		const recent = resource.data?.recent ?? [];
		for (let i = recent.length - 1; i >= 0; i--) {
			const result = recent[i]!;
			const enabled = result.body?.['trading_enabled'];
			if (typeof enabled !== 'boolean') continue;
			if (!found || result.at > found.at) found = {enabled, service, at: result.at};
			break;
		}
	}
	return found;
}

/** The store's data sources, by the name a pane asks for them. */
export type ResourceKey = 'containers' | 'stats' | 'health' | 'runbookCatalog' | 'recentRuns' | 'logs' | 'alerts' | 'prometheus' | 'metricSeries' | 'cluster' | 'database' | 'backups';

/** Polled sources go stale when a poll is late; the others (files, streams, the slower range queries) only fail. */
const polled: Record<ResourceKey, boolean> = {containers: true, stats: true, health: true, runbookCatalog: false, recentRuns: false, logs: false, alerts: true, prometheus: true, metricSeries: false, cluster: true, database: true, backups: false};

/** The worst of some sources, for a pane's frame or the header. */
export type ResourceStatus = {
	/** Oldest successful update among the polled sources with data; 0 when one has none yet. */
	updatedAt: number;
	/** Whether any source is polled (only then does age matter). */
	polled: boolean;
	/** The first error, with its retry time. */
	error?: string;
	retryAt?: number;
};

function resourcesOf(state: AppState, key: ResourceKey): Array<Pick<Resource<unknown>, 'error' | 'retryAt' | 'updatedAt'>> {
	switch (key) {
		case 'health': {
			return Object.values(state.health);
		}
		case 'logs': {
			// A log subscription is not polled: its "resource" is the failing stream, if any.
			const {streams, started} = state.logs;
			if (!started) return [];
			const all = streams['*'];
			if (all?.state === 'error') return [{error: `logs: ${all.message ?? 'failed'}`, updatedAt: all.at}];
			const failing = Object.values(streams).find(s => (s.state === 'error' || s.state === 'reconnecting') && s.message);
			return failing ? [{error: `logs ${failing.service}: ${failing.message}`, retryAt: failing.retryAt, updatedAt: failing.at}] : [];
		}
		default: {
			return [state[key]];
		}
	}
}

/**
 * `intervalMs` is the refresh: a source that backs off without an error (a failing health probe is data, not an
 * error) is not stale before its next attempt is due.
 */
export function selectResourceStatus(state: AppState, keys: readonly ResourceKey[], intervalMs: number): ResourceStatus {
	let updatedAt = Infinity;
	let isPolled = false;
	let error: string | undefined;
	let retryAt: number | undefined;
	for (const key of keys) {
		for (const resource of resourcesOf(state, key)) {
			if (polled[key]) {
				isPolled = true;
				const due = !resource.error && resource.retryAt ? Math.max(resource.updatedAt, resource.retryAt - intervalMs) : resource.updatedAt;
				updatedAt = Math.min(updatedAt, resource.updatedAt === 0 ? 0 : due);
			}
			if (resource.error && error === undefined) {
				error = resource.error;
				retryAt = resource.retryAt;
			}
		}
	}
	return {updatedAt: updatedAt === Infinity ? 0 : updatedAt, polled: isPolled, error, retryAt};
}

export type StatsRow = {container: Instance; stats?: StatsHistory};

export type StatsSortKey = 'name' | 'cpu' | 'mem' | 'net' | 'block' | 'pids';

/** Containers with their latest stats, sorted; one pass, no per-row allocation beyond the row object. */
export function selectStatsRows(state: Pick<AppState, 'containers' | 'stats'>, sortKey: StatsSortKey, descending: boolean, filter = ''): StatsRow[] {
	const needle = filter.toLowerCase();
	const rows: StatsRow[] = [];
	for (const container of state.containers.data) {
		if (needle && !container.name.toLowerCase().includes(needle) && !container.service.toLowerCase().includes(needle)) continue;
		rows.push({container, stats: state.stats.data[container.id]});
	}
	const value = sortValue[sortKey];
	rows.sort((a, b) => {
		const av = value(a);
		const bv = value(b);
		const order = typeof av === 'string' ? av.localeCompare(bv as string) : (av as number) - (bv as number);
		return (descending ? -order : order) || a.container.name.localeCompare(b.container.name);
	});
	return rows;
}

const sortValue: Record<StatsSortKey, (row: StatsRow) => number | string> = {
	name: row => row.container.name,
	cpu: row => (row.stats ? Number(displayedPercent(row.stats.latest.cpuPercent)) : -1),
	mem: row => row.stats?.latest.memUsage ?? -1,
	net: row => (row.stats ? row.stats.latest.netRx + row.stats.latest.netTx : -1),
	block: row => (row.stats ? row.stats.latest.blockRead + row.stats.latest.blockWrite : -1),
	pids: row => row.stats?.latest.pids ?? -1,
};
