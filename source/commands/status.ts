import type {Config, EnvironmentConfig} from '../config/schema.js';
import {openBackends} from '../services/backends.js';
import {createMonitor} from '../controllers/monitor.js';
import {selectServiceRows, type ServiceRow} from '../store/selectors.js';
import {createAppStore} from '../store/store.js';
import {formatDuration, formatLatency} from '../util/format.js';
import {textTable} from '../util/text-table.js';

export type StatusOptions = {json: boolean; color: boolean};
export type StatusContext = {config: Config; environment: EnvironmentConfig; stdout: NodeJS.WritableStream; now?: () => number};

/** `botops status`: the manual's `./scripts/bot.sh status` and its three health curls, once. Exit 0 when all is well. */
export async function runStatusCommand(options: StatusOptions, context: StatusContext): Promise<number> {
	const {config, environment, stdout} = context;
	const now = context.now ?? Date.now;
	const store = createAppStore();
	const backends = await openBackends(environment, config);
	try {
		await createMonitor(store, backends, {refreshMs: 0, timeoutMs: config.timeoutMs, latencyTargetMs: config.latencyTargetMs, stats: false, alerts: false, commitWindowMs: 0, now}).pollOnce();
	} finally {
		backends.close();
	}
	const state = store.getState();
	const rows = selectServiceRows(state, environment, now(), config.latencyTargetMs);
	const critical = rows.filter(row => row.config.critical);
	const ok = critical.every(row => row.ok);
	const configured = new Set(rows.flatMap(row => row.instances.map(instance => instance.id)));
	const {source, instanceNoun} = backends.platform;
	const others = state.containers.data.filter(c => !configured.has(c.id));

	if (options.json) {
		stdout.write(
			JSON.stringify(
				{
					environment: environment.name,
					backend: environment.backend.type,
					ok,
					// `dockerError` kept for scripts written against compose; `platformError` names any backend's.
					dockerError: source === 'docker' ? state.containers.error : undefined,
					platformError: state.containers.error,
					services: rows.map(row => serviceJson(row)),
					otherContainers: others.map(c => ({name: c.name, service: c.service, state: c.state, health: c.health, status: c.status})),
				},
				null,
				2,
			) + '\n',
		);
		return ok ? 0 : 1;
	}

	const mark = (good: boolean) => paint(good ? 'OK  ' : 'FAIL', good ? 32 : 31, options.color);
	stdout.write(`Environment ${environment.name} (${environment.backend.type}${environment.protected ? ', protected' : ''})\n`);
	if (state.containers.error) stdout.write(`${paint(`${source} unreachable:`, 31, options.color)} ${state.containers.error}\n`);
	stdout.write(
		textTable(
			['', 'SERVICE', instanceNoun.toUpperCase(), 'UPTIME', 'RESTARTS', 'HEALTH', 'LATENCY', 'P95', 'PROBLEMS'],
			rows.map(row => [
				mark(row.ok),
				row.name,
				row.container ? `${row.instances.length > 1 ? `${row.instances.filter(i => i.state === 'running').length}/${row.instances.length} ` : ''}${row.container.state}${row.container.health === 'none' ? '' : ` (${row.container.health})`}` : '-',
				row.uptimeMs === undefined ? '-' : formatDuration(row.uptimeMs),
				row.detail ? String(row.detail.restartCount) : '-',
				row.health ? (row.health.last.ok ? `${row.health.last.status} OK` : (row.health.last.status ? `HTTP ${row.health.last.status}` : 'down')) : '-',
				row.health ? formatLatency(row.health.last.latencyMs) : '-',
				row.health?.p95 === undefined ? '-' : formatLatency(row.health.p95),
				row.problems.join('; '),
			]),
		),
	);
	if (others.length > 0) stdout.write(`Other ${instanceNoun}s: ${others.map(c => `${c.name} ${c.state}`).join(', ')}\n`);
	const healthy = critical.filter(row => row.ok).length;
	stdout.write(`${ok ? 'All good' : 'Unhealthy'}: ${healthy}/${critical.length} critical services healthy\n`);
	return ok ? 0 : 1;
}

function serviceJson(row: ServiceRow) {
	return {
		name: row.name,
		ok: row.ok,
		state: row.state,
		problems: row.problems,
		critical: row.config.critical,
		container: row.container
			? {
					name: row.container.name,
					state: row.container.state,
					health: row.container.health,
					image: row.container.image,
					restartCount: row.detail?.restartCount,
					uptimeSeconds: row.uptimeMs === undefined ? undefined : Math.round(row.uptimeMs / 1000),
				}
			: null,
		instances: row.instances.map(instance => ({name: instance.name, state: instance.state, health: instance.health, status: instance.status})),
		health: row.health
			? {
					url: row.health.last.url,
					ok: row.health.last.ok,
					status: row.health.last.status,
					latencyMs: Math.round(row.health.last.latencyMs),
					error: row.health.last.error,
					body: row.health.last.body,
				}
			: null,
	};
}

function paint(text: string, code: number, color: boolean): string {
	return color ? `\u001B[${code}m${text}\u001B[39m` : text;
}
