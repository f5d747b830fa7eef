import type {TableColumn} from '../../components/Table.js';

import type {StatsRow, StatsSortKey} from '../../store/selectors.js';
import type {ThemeToken} from '../../theme/theme.js';
import {formatBytes, formatPercent, steadiness} from '../../util/format.js';
import type {Steady} from '../../components/useSteady.js';
import {statsHistoryLength, type StatsHistory} from '../../store/slices/containers.js';
import {peaksPerCell, sparkline, steppedScale} from '../../components/Sparkline.js';

export type StatsColumn = TableColumn<StatsRow> & {priority: number; sortKey?: StatsSortKey};

// Where CPU and memory turn warn and crit: bounds a steadied figure never hides (steadyStats).
const cpuBounds = {warn: 70, crit: 90};
const memBounds = {warn: 80, crit: 90};

const cpuTone = (row: StatsRow): ThemeToken | undefined => {
	const cpu = row.stats?.latest.cpuPercent ?? 0;
	return cpu >= cpuBounds.crit ? 'crit' : cpu >= cpuBounds.warn ? 'warn' : undefined;
};

const memTone = (row: StatsRow): ThemeToken | undefined => {
	const mem = row.stats?.latest.memPercent ?? 0;
	return mem >= memBounds.crit ? 'crit' : mem >= memBounds.warn ? 'warn' : undefined;
};

/**
 * The stats with each container's CPU, memory and process count as a person reads them (steadyValue): the figures shown, and
 * the order of rows sorted by them, move when the value really moved, not with every sample's wobble. A history
 * whose figures all stay is returned as it was.
 */
export function steadyStats(stats: Readonly<Record<string, StatsHistory>>, steady: Steady): Record<string, StatsHistory> {
	const out: Record<string, StatsHistory> = {};
	for (const [id, history] of Object.entries(stats)) {
		const {latest} = history;
		const cpuPercent = steady(`${id} cpu`, latest.cpuPercent, steadiness.percent, [cpuBounds.warn, cpuBounds.crit]);
		const memPercent = steady(`${id} mem%`, latest.memPercent, steadiness.memoryPercent, [memBounds.warn, memBounds.crit]);
		const memUsage = steady(`${id} mem`, latest.memUsage, steadiness.bytes);
		const pids = steady(`${id} pids`, latest.pids, steadiness.count);
		const same = cpuPercent === latest.cpuPercent && memPercent === latest.memPercent && memUsage === latest.memUsage && pids === latest.pids;
		out[id] = same ? history : {...history, latest: {...latest, cpuPercent, memPercent, memUsage, pids}};
	}
	return out;
}

const stateTone = (row: StatsRow): ThemeToken | undefined => (row.container.state === 'running' ? undefined : 'muted');

/** Compose names containers "<project>-<service>-<n>"; the project is in the header already, so it is dropped here. */
export function shortContainerName(container: {name: string; project?: string}): string {
	const {name, project} = container;
	if (project && name.length > project.length + 1 && name.startsWith(project) && /[-_]/.test(name[project.length]!)) return name.slice(project.length + 1);
	return name;
}

/**
 * A name longer than its cell keeps both ends: pods of one deployment differ only in their last characters
 * ("rust-core…c7d-x2k9p"), so cutting the end would show them all alike.
 */
export function nameCell(name: string, width: number): string {
	if (name.length <= width || width < 8) return name;
	const tail = Math.ceil((width - 1) / 2);
	return `${name.slice(0, width - 1 - tail)}…${name.slice(-tail)}`;
}

/** What `/` matches on a container row: its names and state. */
/** Stats rows share their sources (the list and the stats streams): while those are stale, every row is. */
export const statsRowStale = (): boolean => true;

export const statsFilterFields = (row: StatsRow): string[] => [row.container.name, shortContainerName(row.container), row.container.service, row.container.state];

const pair = (a: number, b: number) => `${formatBytes(a)} / ${formatBytes(b)}`;

const historyWidth = 16;

/**
 * The whole history (5 minutes) in the 16 cells, each the peak of its samples, on a scale that moves in steps
 * (steppedScale) when none is given: one cell changes per sample.
 */
function historyLine(row: StatsRow, series: 'cpu' | 'mem', max: number | undefined, spark: readonly string[]): string {
	const values = row.stats?.[series] ?? [];
	const perCell = Math.floor(statsHistoryLength / historyWidth);
	const peaks = peaksPerCell(values, row.stats?.samples ?? values.length, perCell, historyWidth);
	return sparkline(peaks, historyWidth, max ?? steppedScale(Math.max(0, ...peaks.filter(Number.isFinite))), spark);
}

export function statsColumns(spark: readonly string[], instanceNoun = 'container'): StatsColumn[] {
	const latest = (row: StatsRow) => row.stats?.latest;
	return [
		{key: 'name', header: instanceNoun.toUpperCase(), width: 20, priority: 0, sortKey: 'name', render: row => nameCell(shortContainerName(row.container), 20), color: stateTone},
		{
			key: 'cpu',
			header: 'CPU %',
			width: 7,
			align: 'right',
			priority: 0,
			sortKey: 'cpu',
			render: row => (latest(row) ? formatPercent(latest(row)!.cpuPercent) : row.container.state),
			color: cpuTone,
		},
		{key: 'cpuHistory', header: 'CPU 5m', width: 16, priority: 3, render: row => historyLine(row, 'cpu', undefined, spark), color: cpuTone},
		{key: 'mem', header: 'MEM', width: 10, align: 'right', priority: 0, sortKey: 'mem', render: row => (latest(row) ? formatBytes(latest(row)!.memUsage) : '-')},
		{key: 'memPercent', header: 'MEM %', width: 6, align: 'right', priority: 1, render: row => (latest(row) ? formatPercent(latest(row)!.memPercent) : '-'), color: memTone},
		{key: 'memLimit', header: 'LIMIT', width: 10, align: 'right', priority: 4, render: row => (latest(row) ? formatBytes(latest(row)!.memLimit) : '-')},
		{key: 'memHistory', header: 'MEM 5m', width: 16, priority: 5, render: row => historyLine(row, 'mem', 100, spark), color: memTone},
		{key: 'net', header: 'NET RX / TX', width: 21, align: 'right', priority: 2, sortKey: 'net', render: row => (latest(row) ? pair(latest(row)!.netRx, latest(row)!.netTx) : '-')},
		{
			key: 'block',
			header: 'BLOCK R / W',
			width: 21,
			align: 'right',
			priority: 3,
			sortKey: 'block',
			render: row => (latest(row) ? pair(latest(row)!.blockRead, latest(row)!.blockWrite) : '-'),
		},
		{key: 'pids', header: 'PIDS', width: 5, align: 'right', priority: 1, sortKey: 'pids', render: row => (latest(row) ? String(latest(row)!.pids) : '-')},
	];
}
