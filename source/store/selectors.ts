import type {EnvironmentConfig, ServiceConfig} from '../config/schema.js';
import type {ContainerDetail, ContainerSummary} from '../services/types.js';
import type {ServiceHealth} from './slices/health.js';
import type {StatsHistory} from './slices/containers.js';
import type {AppState} from './store.js';

export type ServiceRow = {
	name: string;
	config: ServiceConfig;
	container?: ContainerSummary;
	detail?: ContainerDetail;
	health?: ServiceHealth;
	/** Uptime in ms when running. */
	uptimeMs?: number;
	ok: boolean;
	/** Why it is not ok, in words: "container exited (143)", "health: timeout after 3000 ms", "p95 812 ms > 500 ms". */
	problems: string[];
};

export function findServiceContainer(service: ServiceConfig, containers: readonly ContainerSummary[]): ContainerSummary | undefined {
	const wanted = service.container ?? service.name;
	return containers.find(c => c.name === wanted) ?? containers.find(c => c.service === wanted);
}

/** One row per configured service: container state joined with health probes (the manual's `bot.sh status` plus its curls). */
export function selectServiceRows(state: Pick<AppState, 'containers' | 'details' | 'health'>, environment: EnvironmentConfig, now: number, latencyTargetMs: number): ServiceRow[] {
	const dockerKnown = state.containers.updatedAt > 0 && !state.containers.error;
	return environment.services.map(config => {
		const container = findServiceContainer(config, state.containers.data);
		const detail = container ? state.details[container.id] : undefined;
		const health = state.health.data[config.name];
		const problems: string[] = [];
		if (environment.backend.type === 'compose') {
			if (!dockerKnown) problems.push('container state unknown');
			else if (!container) problems.push('no container');
			else if (container.state !== 'running') problems.push(`container ${container.state}${detail?.exitCode ? ` (${detail.exitCode})` : ''}`);
			else if (container.health === 'unhealthy') problems.push('container healthcheck unhealthy');
		}
		if (config.healthUrl) {
			if (!health) problems.push('health not probed yet');
			else if (!health.last.ok) problems.push(`health: ${health.last.error ?? `HTTP ${health.last.status}`}`);
			else if (health.p95 !== undefined && health.latencies.length >= 5 && health.p95 > latencyTargetMs) {
				problems.push(`p95 ${Math.round(health.p95)} ms > ${latencyTargetMs} ms`);
			}
		}
		const uptimeMs = container?.state === 'running' && detail?.startedAt ? Math.max(0, now - detail.startedAt) : undefined;
		return {name: config.name, config, container, detail, health, uptimeMs, ok: problems.length === 0, problems};
	});
}

export type StatsRow = {container: ContainerSummary; stats?: StatsHistory};

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
	cpu: row => row.stats?.latest.cpuPercent ?? -1,
	mem: row => row.stats?.latest.memUsage ?? -1,
	net: row => (row.stats ? row.stats.latest.netRx + row.stats.latest.netTx : -1),
	block: row => (row.stats ? row.stats.latest.blockRead + row.stats.latest.blockWrite : -1),
	pids: row => row.stats?.latest.pids ?? -1,
};
