import type {TableColumn} from '../../components/Table.js';
import type {ServiceRow} from '../../store/selectors.js';
import type {ThemeToken} from '../../theme/theme.js';
import {formatDuration, formatLatency} from '../../util/format.js';

export function containerText(row: ServiceRow): string {
	if (!row.container) return row.problems.includes('container state unknown') ? 'unknown' : 'missing';
	const {state, health} = row.container;
	return state === 'running' && health !== 'none' ? `${health === 'healthy' ? 'up' : health}` : state;
}

export function containerTone(row: ServiceRow): ThemeToken {
	if (!row.container) return 'crit';
	if (row.container.state !== 'running') return row.container.state === 'restarting' ? 'warn' : 'crit';
	if (row.container.health === 'unhealthy') return 'crit';
	return row.container.health === 'starting' ? 'warn' : 'ok';
}

/** The probes' verdict, not the last probe alone: a slow service that sometimes times out reads "degraded", steadily. */
export function probeText(row: ServiceRow): string {
	const last = row.health?.last;
	if (!row.config.healthUrl) return '-';
	if (!last || !row.probe) return '…';
	if (row.probe === 'slow') return 'degraded';
	if (row.probe === 'ok') return `${last.status} OK`;
	if (last.ok) return 'recover';
	if (last.status) return `HTTP ${last.status}`;
	return last.timedOut ? 'timeout' : 'down';
}

const probeTones = {ok: 'ok', slow: 'warn', down: 'crit'} as const;
/** Only down is red: starting, degraded and not-yet-known are warnings (and none of them counts as ok). */
const stateTones = {ok: 'ok', degraded: 'warn', starting: 'warn', unknown: 'warn', down: 'crit'} as const;

const probeTone = (row: ServiceRow): ThemeToken | undefined => (!row.config.healthUrl || !row.probe ? 'muted' : probeTones[row.probe]);

/** Columns shared by the Services screen and the Dashboard's services pane. */
export function serviceColumns(latencyTargetMs: number, glyphs: {ok: string; warn: string; crit: string}): Array<TableColumn<ServiceRow>> {
	return [
		{key: 'ok', header: ' ', width: 1, render: row => glyphs[stateTones[row.state]], color: row => stateTones[row.state]},
		{key: 'name', header: 'SERVICE', width: 19, render: row => row.name},
		{key: 'container', header: 'CONTAINER', width: 9, render: containerText, color: containerTone},
		{key: 'probe', header: 'HEALTH', width: 8, render: probeText, color: probeTone},
		{
			key: 'latency',
			header: 'LAST',
			width: 7,
			align: 'right',
			render: row => (row.health?.last.ok ? formatLatency(row.health.last.latencyMs) : '-'),
		},
		{
			key: 'p95',
			header: 'P95',
			width: 7,
			align: 'right',
			render: row => (row.health?.p95 === undefined ? '-' : formatLatency(row.health.p95)),
			color: row => (row.health?.p95 !== undefined && row.health.p95 > latencyTargetMs ? 'warn' : undefined),
		},
		{key: 'restarts', header: 'RESTART', width: 7, align: 'right', render: row => (row.detail ? String(row.detail.restartCount) : '-')},
		{key: 'uptime', header: 'UPTIME', width: 7, align: 'right', render: row => (row.uptimeMs === undefined ? '-' : formatDuration(row.uptimeMs))},
		{key: 'problems', header: 'PROBLEMS', width: 10, render: row => row.problems.join('; '), color: row => (row.ok ? 'muted' : 'crit')},
	];
}
