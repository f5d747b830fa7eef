import {Box, Text} from 'ink';
import React, {memo, useMemo, useRef} from 'react';
import {FilterLine} from '../components/FilterLine.js';
import {Pane} from '../components/Pane.js';
import {sparkline} from '../components/Sparkline.js';
import {wrapLines} from '../components/wrapLines.js';
import {fitColumns, Table, type TableColumn} from '../components/Table.js';
import {useAppContext, useAppState} from '../hooks/AppContext.js';
import {useResourceStatus} from '../hooks/useResourceStatus.js';
import {useKeymap} from '../hooks/useKeymap.js';
import {filterRows, useListFilter} from '../hooks/useListFilter.js';
import {useServiceRows} from '../hooks/useServiceRows.js';
import type {HealthResult} from '../services/types.js';
import {selectStatsRows, type ServiceRow, type StatsRow} from '../store/selectors.js';
import type {AppState} from '../store/store.js';
import {useTheme} from '../theme/ThemeContext.js';
import {formatLatency, steadiness} from '../util/format.js';
import type {ScreenProps} from './registry.js';
import {runColumns} from './runbooks/runColumns.js';
import {AlertSummary, useHasAlertSummary} from './alerts/AlertSummary.js';
import {DatabaseSummary, useHasDatabaseSummary} from './database/DatabaseSummary.js';
import {instanceNounText} from '../store/slices/containers.js';
import {fitServiceColumns, overflowingReasons, serviceColumns, serviceFilterFields, serviceRowStale, steadyServiceRows} from './services/columns.js';
import {statsColumns, statsFilterFields, statsRowStale, steadyStats} from './stats/columns.js';
import {useSteady} from '../components/useSteady.js';
import {ChecksPane, checksPaneHeight} from './dashboard/ChecksPane.js';

/** From this size on (a war-room screen) the Dashboard puts health history and runbook runs beside the lists. */
export const wideDashboard = {columns: 160, rows: 40};

const probeColumns = (spark: readonly string[], histories: ReadonlyMap<string, number[]>): ReadonlyArray<TableColumn<HealthResult>> => [
	{key: 'time', header: 'TIME', width: 8, render: r => new Date(r.at).toISOString().slice(11, 19)},
	{key: 'service', header: 'SERVICE', width: 18, render: r => r.service},
	{key: 'latency', header: 'LATENCY', width: 8, align: 'right', render: r => (r.ok ? formatLatency(r.latencyMs) : '-')},
	{key: 'trend', header: 'TREND', width: 12, render: r => sparkline(histories.get(r.service) ?? [], 12, undefined, spark)},
	{key: 'result', header: 'RESULT', width: 20, render: r => (r.ok ? `${r.status ?? ''} OK` : (r.error ?? `HTTP ${r.status}`)), color: r => (r.ok ? 'ok' : 'crit')},
];

/** Every service's recent probes, newest first: the health history of the war-room Dashboard. */
export function recentProbes(rows: readonly ServiceRow[]): HealthResult[] {
	return rows.flatMap(row => row.health?.recent ?? []).sort((a, b) => b.at - a.at);
}

/**
 * Services and the busiest containers at a glance; enter opens the Services screen, `/` filters both lists.
 * On a war-room screen, the recent health probes and runbook runs sit beside them.
 */
export function DashboardScreen({width, height, active}: ScreenProps) {
	const theme = useTheme();
	const {latencyTargetMs} = useAppContext();
	const setScreen = useAppState(s => s.setScreen);
	const filter = useListFilter('dashboard');
	const allServices = useServiceRows();
	const steady = useSteady();
	const serviceRows = useMemo(() => filterRows(steadyServiceRows(allServices, steady, latencyTargetMs), filter.text, serviceFilterFields), [allServices, filter.text, steady, latencyTargetMs]);
	const noun = useAppState(s => s.instanceNoun);
	const recentRuns = useAppState(s => s.recentRuns);
	const checksRun = useAppState(s => (s.offline ? undefined : s.checks.data));
	const checksShown = useAppState(s => !s.offline);
	const wide = width >= wideDashboard.columns && height >= wideDashboard.rows;
	const mainWidth = wide ? Math.floor(width * 0.6) : width;
	const sideWidth = width - mainWidth;
	const serviceCols = useMemo(
		() => fitServiceColumns(serviceColumns(latencyTargetMs, theme.glyph.status, noun), serviceRows, mainWidth - 2),
		[latencyTargetMs, theme, serviceRows, mainWidth, noun],
	);
	const servicesStatus = useResourceStatus('containers', 'health');
	const dockerError = servicesStatus.error;
	useKeymap({...filter.handlers, select: () => setScreen('services')}, {isActive: active});

	const summaryLines = useHasAlertSummary() ? 1 : 0;
	const databaseLines = useHasDatabaseSummary() ? 1 : 0;
	const listsHeight = height - filter.lines - summaryLines - databaseLines;
	// The red rows whose reason the PROBLEMS cell cuts, spelled out under the table while there is room.
	const reasons = useMemo(
		() => wrapLines(overflowingReasons(serviceCols, serviceRows, mainWidth - 2, theme.glyph.status.crit), mainWidth - 2),
		[serviceCols, serviceRows, mainWidth, theme],
	);
	const servicesCap = Math.floor(listsHeight / 2);
	const baseServices = serviceRows.length + 3 + (dockerError ? 1 : 0);
	const reasonLines = Math.max(0, Math.min(reasons.length, servicesCap - baseServices));
	const servicesHeight = Math.min(baseServices + reasonLines, servicesCap);
	// The daily checks between the lists, while the containers list keeps at least four lines.
	// The Checks pane keeps the most lines it wanted at this width: a check flipping between pass and warn (its
	// reason line) would otherwise move the whole containers list down and up again. Written during render: the
	// same inputs give the same height.
	const checksLines = useRef({width: 0, lines: 0});
	const checksWanted = checksPaneHeight(checksRun, mainWidth);
	if (checksLines.current.width !== mainWidth || checksWanted > checksLines.current.lines) checksLines.current = {width: mainWidth, lines: checksWanted};
	const checksHeight = checksShown ? Math.min(checksLines.current.lines, Math.max(0, listsHeight - servicesHeight - 4)) : 0;
	const statsHeight = listsHeight - servicesHeight - checksHeight;
	const ok = serviceRows.filter(r => r.ok).length;
	const main = (
		<Box flexDirection="column" width={mainWidth} height={listsHeight}>
			<Pane title="Services" info={allServices.some(r => r.unmonitored) ? undefined : `${ok}/${serviceRows.length} ok${filter.text ? ` of ${allServices.length}` : ''}`} status={servicesStatus} width={mainWidth} height={servicesHeight}>
				<Table
					columns={serviceCols}
					rows={serviceRows}
					rowKey={row => row.name}
					stale={serviceRowStale}
					height={servicesHeight - 2 - (dockerError ? 1 : 0) - reasonLines}
					width={mainWidth - 2}
					emptyText={filter.text ? `no service matches "${filter.text}"` : 'no services configured'}
				/>
				{reasons.slice(0, reasonLines).map((line, i) => (
					<Text key={i} wrap="truncate" color={theme.color('crit')}>
						{line}
					</Text>
				))}
			</Pane>
			{checksHeight >= 3 ? <ChecksPane width={mainWidth} height={checksHeight} /> : null}
			<StatsPane width={mainWidth} height={statsHeight} filterText={filter.text} />
		</Box>
	);
	return (
		<Box flexDirection="column" width={width} height={height}>
			{summaryLines > 0 ? <AlertSummary width={width} /> : null}
			{databaseLines > 0 ? <DatabaseSummary width={width} /> : null}
			{wide ? (
				<Box flexDirection="row" width={width} height={listsHeight}>
					{main}
					<DashboardSide width={sideWidth} height={listsHeight} rows={serviceRows} runs={recentRuns} />
				</Box>
			) : (
				main
			)}
			<FilterLine filter={filter} width={width} active={active} />
		</Box>
	);
}

const statsRowKey = (row: StatsRow) => row.container.id;

/**
 * The busiest containers, by the figures shown (steadyStats), and two containers at about the same CPU do not swap
 * rows at every sample (steady.order). Its own subscriber: a stats sample re-renders this pane alone, and a probe
 * landing elsewhere on the Dashboard does not re-render it.
 */
export const StatsPane = memo(function StatsPane({width, height, filterText}: {width: number; height: number; filterText: string}) {
	const theme = useTheme();
	const containers = useAppState(s => s.containers);
	const stats = useAppState(s => s.stats);
	const noun = useAppState(s => s.instanceNoun);
	const status = useResourceStatus('containers', 'stats');
	const steady = useSteady();
	const rows = useMemo(() => {
		const sorted = selectStatsRows({containers, stats: {...stats, data: steadyStats(stats.data, steady)}}, 'cpu', true);
		const ordered = steady.order('containers by cpu', sorted, statsRowKey, row => row.stats?.latest.cpuPercent ?? -1, steadiness.rank);
		return filterRows(ordered, filterText, statsFilterFields);
	}, [containers, stats, filterText, steady]);
	const columns = useMemo(() => fitColumns(statsColumns(theme.glyph.spark, noun), width - 2), [theme, width, noun]);
	return (
		<Pane title={`${instanceNounText(noun)}s by CPU`} info={instanceNounText(noun, rows.length)} status={status} width={width} height={height}>
			<Table
				columns={columns}
				rows={rows}
				rowKey={statsRowKey}
				stale={status.stale ? statsRowStale : undefined}
				height={height - 2 - (status.error ? 1 : 0)}
				width={width - 2}
				emptyText={filterText ? `no ${noun} matches "${filterText}"` : `no ${noun}s`}
			/>
		</Pane>
	);
});

/** The war-room column: health probes across services (newest first, with each service's latency trend), and the recent runbook runs. */
function DashboardSide({width, height, rows, runs}: {width: number; height: number; rows: readonly ServiceRow[]; runs: AppState['recentRuns']}) {
	const theme = useTheme();
	const probesStatus = useResourceStatus('health');
	const runsStatus = useResourceStatus('recentRuns');
	const probes = useMemo(() => recentProbes(rows), [rows]);
	const histories = useMemo(() => new Map(rows.map(row => [row.name, row.health?.latencies ?? []])), [rows]);
	const columns = useMemo(() => fitColumns(probeColumns(theme.glyph.spark, histories), width - 2), [theme, histories, width]);
	const runCols = useMemo(() => fitColumns(runColumns, width - 2), [width]);
	const probesHeight = Math.ceil(height * 0.6);
	const runsHeight = height - probesHeight;
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Pane title="Health probes" info={`${probes.length} recent`} status={probesStatus} width={width} height={probesHeight}>
				<Table columns={columns} rows={probes} rowKey={p => `${p.service}-${p.at}`} height={probesHeight - 2} width={width - 2} emptyText="no probes yet" />
			</Pane>
			<Pane title="Recent runs" info={runs.updatedAt === 0 ? 'audit log' : `${runs.data.length} in the audit log`} status={runsStatus} width={width} height={runsHeight}>
				<Table columns={runCols} rows={runs.data} rowKey={r => r.runId} height={runsHeight - 2 - (runsStatus.error ? 1 : 0)} width={width - 2} emptyText="no runs recorded yet" />
			</Pane>
		</Box>
	);
}
