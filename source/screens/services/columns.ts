import {fitColumns, type TableColumn} from '../../components/Table.js';
import {displayWidth} from '../../util/format.js';
import type {ServiceRow} from '../../store/selectors.js';
import type {ThemeToken} from '../../theme/theme.js';
import {formatElapsed, formatLatency, steadiness} from '../../util/format.js';
import type {Steady} from '../../components/useSteady.js';

/** Why a row is red, in words: the PROBLEMS cell, and the line under the table for the selected row. */
export const problemText = (row: ServiceRow): string => row.problems.join('; ');

/** A row shows old data (a source failed or went quiet): drawn greyed, its age first in PROBLEMS. */
export const serviceRowStale = (row: ServiceRow): boolean => row.staleMs !== undefined;

export function containerText(row: ServiceRow): string {
	if (row.unmonitored) return '-';
	if (!row.container) return row.problems.includes('container state unknown') ? 'unknown' : 'missing';
	const {state, health} = row.container;
	const text = state === 'running' && health !== 'none' ? `${health === 'healthy' ? 'up' : health}` : state;
	// A service of several instances (a deployment's pods): how many run, then the worst one's state.
	if (row.instances.length <= 1) return text;
	const running = row.instances.filter(i => i.state === 'running').length;
	return `${running}/${row.instances.length} ${text}`;
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
	if (!row.config.healthUrl || row.unmonitored) return '-';
	if (!last || !row.probe) return 'waiting';
	if (row.probe === 'slow') return 'degraded';
	if (row.probe === 'ok') return `${last.status} OK`;
	if (last.ok) return 'recover';
	if (last.status) return `HTTP ${last.status}`;
	return last.timedOut ? 'timeout' : 'down';
}

/** What `/` matches on a service row: what its cells say. */
export const serviceFilterFields = (row: ServiceRow): string[] => [row.name, containerText(row), probeText(row), problemText(row)];


const probeTones = {ok: 'ok', slow: 'warn', down: 'crit'} as const;
/** Only down is red: starting, degraded and not-yet-known are warnings (and none of them counts as ok). */
const stateTones = {ok: 'ok', degraded: 'warn', starting: 'warn', unknown: 'warn', down: 'crit'} as const;

const probeTone = (row: ServiceRow): ThemeToken | undefined => (!row.config.healthUrl || !row.probe ? 'muted' : probeTones[row.probe]);

/** Columns shared by the Services screen and the Dashboard's services pane. */
export function serviceColumns(latencyTargetMs: number, glyphs: {ok: string; warn: string; crit: string}, instanceNoun = 'container'): Array<TableColumn<ServiceRow>> {
	return [
		{key: 'ok', header: ' ', width: 1, render: row => (row.unmonitored ? '-' : glyphs[stateTones[row.state]]), color: row => (row.unmonitored ? 'muted' : stateTones[row.state])},
		{key: 'name', header: 'SERVICE', width: 19, render: row => row.name},
		{key: 'container', header: instanceNoun.toUpperCase(), width: 9, render: containerText, color: containerTone},
		{key: 'probe', header: 'HEALTH', width: 8, render: probeText, color: probeTone},
		{
			key: 'latency',
			header: 'LAST',
			priority: 2,
			width: 7,
			align: 'right',
			render: row => (row.health?.last.ok ? formatLatency(row.health.last.latencyMs) : '-'),
		},
		{
			key: 'p95',
			header: 'P95',
			priority: 1,
			width: 7,
			align: 'right',
			render: row => (row.health?.p95 === undefined ? '-' : formatLatency(row.health.p95)),
			color: row => (row.health?.p95 !== undefined && row.health.p95 > latencyTargetMs ? 'warn' : undefined),
		},
		{key: 'restarts', header: 'RESTART', width: 7, priority: 3, align: 'right', render: row => (row.detail ? String(row.detail.restartCount) : '-')},
		{key: 'uptime', header: 'UPTIME', width: 7, priority: 4, align: 'right', render: row => (row.uptimeMs === undefined ? '-' : formatElapsed(row.uptimeMs))},
		{key: 'problems', header: 'PROBLEMS', width: 10, render: problemText, color: row => (row.ok || row.unmonitored ? 'muted' : 'crit')},
	];
}

/**
 * The rows with their probe latencies as a person reads them (steadyValue): a p95 of "27 ms" stays while it reads
 * 25 or 31 ms (the last probe's, one noisy answer, within half of it), and both always follow across the latency
 * target, which colours the p95. A row whose figures stay
 * is returned as it was.
 */
export function steadyServiceRows(rows: readonly ServiceRow[], steady: Steady, latencyTargetMs: number): ServiceRow[] {
	return rows.map(row => {
		const health = row.health;
		if (!health) return row;
		const latencyMs = steady(`${row.name} last`, health.last.latencyMs, steadiness.sample, [latencyTargetMs]);
		const p95 = health.p95 === undefined ? undefined : steady(`${row.name} p95`, health.p95, steadiness.latency, [latencyTargetMs]);
		if (latencyMs === health.last.latencyMs && p95 === health.p95) return row;
		return {...row, health: {...health, p95, last: {...health.last, latencyMs}}};
	});
}

/** Room the PROBLEMS column asks for: the longest reason, within limits (the rest goes on the selected row's line). */
const problemsMin = 'PROBLEMS'.length;
const problemsMax = 60;

/**
 * The service columns for `width`, the reason column first: the less important numbers (uptime, restarts,
 * last latency, p95) give up their room before "health: timeout after 3000 ms" is cut to "hea…".
 */
export function fitServiceColumns(columns: ReadonlyArray<TableColumn<ServiceRow>>, rows: readonly ServiceRow[], width: number): Array<TableColumn<ServiceRow>> {
	const longest = Math.max(0, ...rows.map(row => displayWidth(problemText(row))));
	const wanted = Math.min(problemsMax, Math.max(problemsMin, longest));
	return fitColumns(columns.map(c => (c.key === 'problems' ? {...c, width: wanted} : c)), width, 1);
}

/** What the Table shows of the last column: what the others leave of `width` (gutter and separators included). */
function lastColumnWidth(columns: ReadonlyArray<TableColumn<ServiceRow>>, width: number): number {
	const others = columns.slice(0, -1).reduce((sum, c) => sum + c.width + 1, 1);
	return Math.max(0, width - others);
}

/** "✗ NAME: reason" for each red row whose reason the PROBLEMS cell (the last column, never dropped) cuts. */
export function overflowingReasons(columns: ReadonlyArray<TableColumn<ServiceRow>>, rows: readonly ServiceRow[], width: number, mark: string): string[] {
	const room = columns.at(-1)?.key === 'problems' ? lastColumnWidth(columns, width) : 0;
	return rows.filter(row => !row.ok && displayWidth(problemText(row)) > room).map(row => `${mark} ${row.name}: ${problemText(row)}`);
}
