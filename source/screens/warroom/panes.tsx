/**
 * The War room's detail panes. Each is a pure view of the store through hooks, sized by the layout, and shows
 * the age of its data in its frame: "as of 12:03:11" always (the time of the data it draws, so a wall screen
 * never needs a ticking clock to say it), plus the stale age and the error when there is one.
 */
import {Text} from 'ink';
import React, {useEffect, useMemo} from 'react';
import {useShallow} from 'zustand/react/shallow';
import {severityOrder} from '../../alerts/grouping.js';
import type {MergedAlert} from '../../alerts/types.js';
import {Pane, paneContentSize} from '../../components/Pane.js';
import {fitColumns, Table, type TableColumn} from '../../components/Table.js';
import {useAppContext, useAppState} from '../../hooks/AppContext.js';
import {useResourceStatus} from '../../hooks/useResourceStatus.js';
import {useServiceRows} from '../../hooks/useServiceRows.js';
import {levelRank, type LogRecord} from '../../logs/record.js';
import {FilteredView, type RingBuffer} from '../../logs/ring-buffer.js';
import type {DeploymentRow} from '../../services/kubernetes/view.js';
import {selectResourceStatus, selectStatsRows, type ResourceKey} from '../../store/selectors.js';
import {instanceNounText} from '../../store/slices/containers.js';
import {useTheme} from '../../theme/ThemeContext.js';
import {formatDuration, singleLine} from '../../util/format.js';
import {summaryParts} from '../alerts/AlertSummary.js';
import {alertmanagerUrls} from '../../services/alertmanager.js';
import {prometheusSettings} from '../../services/prometheus.js';
import {severityTone} from '../alerts/rows.js';
import {metricColumns, type MetricRow} from '../metrics/columns.js';
import {fitServiceColumns, serviceColumns, serviceRowStale} from '../services/columns.js';
import {statsColumns, statsRowStale} from '../stats/columns.js';
import type {DetailPaneId} from './layout.js';

export type PaneSize = {width: number; height: number};

/** The wall clock time of a data update, as the frame shows it (UTC, like every time in botops's tables). */
export function clockText(at: number): string {
	return new Date(at).toISOString().slice(11, 19);
}

/** "as of 12:03:11" for the oldest of the sources a pane draws; "no data yet" before the first update. */
export function useAsOf(...keys: ResourceKey[]): string {
	const {refreshMs} = useAppContext();
	const {updatedAt} = useAppState(useShallow(state => selectResourceStatus(state, keys, refreshMs)));
	return updatedAt > 0 ? `as of ${clockText(updatedAt)}` : 'no data yet';
}

const infoOf = (...parts: Array<string | undefined>) => parts.filter(Boolean).join('  ');

/** Lines left for a table inside a pane: the frame and the error line come off. */
const tableHeight = (height: number, error?: string, extra = 0) => Math.max(0, paneContentSize(0, height, error).height - extra);

export function ServicesPane({width, height, page}: PaneSize & {page?: string}) {
	const theme = useTheme();
	const {latencyTargetMs} = useAppContext();
	const noun = useAppState(s => s.instanceNoun);
	const rows = useServiceRows();
	const status = useResourceStatus('containers', 'health');
	const asOf = useAsOf('containers', 'health');
	const columns = useMemo(() => fitServiceColumns(serviceColumns(latencyTargetMs, theme.glyph.status, noun), rows, width - 2), [latencyTargetMs, theme, noun, rows, width]);
	const ok = rows.filter(r => r.ok).length;
	return (
		<Pane title="Services" info={infoOf(page, `${ok}/${rows.length} ok`, asOf)} status={status} width={width} height={height}>
			<Table columns={columns} rows={rows} rowKey={r => r.name} stale={serviceRowStale} height={tableHeight(height, status.error)} width={width - 2} emptyText="no services configured" />
		</Pane>
	);
}

export function StatsPane({width, height, page}: PaneSize & {page?: string}) {
	const theme = useTheme();
	const noun = useAppState(s => s.instanceNoun);
	const containers = useAppState(s => s.containers);
	const stats = useAppState(s => s.stats);
	const rows = useMemo(() => selectStatsRows({containers, stats}, 'cpu', true), [containers, stats]);
	const status = useResourceStatus('containers', 'stats');
	const asOf = useAsOf('containers', 'stats');
	const columns = useMemo(() => fitColumns(statsColumns(theme.glyph.spark, noun), width - 2), [theme, noun, width]);
	return (
		<Pane title={`${instanceNounText(noun)}s by CPU`} info={infoOf(page, instanceNounText(noun, rows.length), asOf)} status={status} width={width} height={height}>
			<Table columns={columns} rows={rows} rowKey={r => r.container.id} stale={status.stale ? statsRowStale : undefined} height={tableHeight(height, status.error)} width={width - 2} emptyText={`no ${noun}s`} />
		</Pane>
	);
}

/** Active (not silenced) alerts, most severe and then oldest first. */
export function firingAlerts(alerts: readonly MergedAlert[]): MergedAlert[] {
	return alerts
		.filter(a => a.state === 'active')
		.sort((a, b) => severityOrder(a.labels['severity'] ?? 'none') - severityOrder(b.labels['severity'] ?? 'none') || a.startsAt.localeCompare(b.startsAt) || a.fingerprint.localeCompare(b.fingerprint));
}

const alertColumns = (at: number): ReadonlyArray<TableColumn<MergedAlert>> => [
	{key: 'severity', header: 'SEVERITY', width: 9, render: a => a.labels['severity'] ?? '-', color: a => severityTone(a.labels['severity'] ?? 'none'), priority: 0},
	{key: 'name', header: 'ALERT', width: 20, render: a => a.labels['alertname'] ?? '-', priority: 0},
	{key: 'service', header: 'SERVICE', width: 20, render: a => a.labels['service'] ?? a.labels['instance'] ?? '-', priority: 1},
	// Counted to the poll that reported it: the age moves with the data, not with a clock of its own.
	{key: 'for', header: 'FOR', width: 8, align: 'right', render: a => formatDuration(Math.max(0, at - Date.parse(a.startsAt))), priority: 2},
	{key: 'summary', header: 'SUMMARY', width: 20, render: a => singleLine(a.annotations['summary'] ?? ''), priority: 3},
];

export function AlertsPane({width, height, page}: PaneSize & {page?: string}) {
	const theme = useTheme();
	const {environment, latencyTargetMs} = useAppContext();
	const alerts = useAppState(s => s.alerts);
	const prometheus = useAppState(s => s.prometheus);
	const status = useResourceStatus('alerts', 'prometheus');
	const asOf = useAsOf('alerts', 'prometheus');
	const withAlerts = alertmanagerUrls(environment).length > 0;
	const withPrometheus = prometheusSettings(environment) !== undefined;
	const rows = useMemo(() => firingAlerts(alerts.data?.alerts ?? []), [alerts.data]);
	const columns = useMemo(() => fitColumns(alertColumns(alerts.updatedAt), width - 2), [alerts.updatedAt, width]);
	const summary = summaryParts(alerts.data, prometheus.data, latencyTargetMs, withAlerts, withPrometheus, theme.glyph.status.warn);
	if (!withAlerts && !withPrometheus)
		return (
			<Pane title="Alerts" info={page} width={width} height={height}>
				<Text color={theme.color('muted')}>no Alertmanager or Prometheus configured for this environment</Text>
			</Pane>
		);
	return (
		<Pane title="Alerts" info={infoOf(page, `${rows.length} firing`, asOf)} status={status} width={width} height={height}>
			<Text wrap="truncate">
				{summary.map((part, i) => (
					<Text key={i} color={theme.color(part.tone)}>
						{i > 0 ? theme.glyph.separator : ''}
						{theme.text(part.text)}
					</Text>
				))}
			</Text>
			<Table columns={columns} rows={rows} rowKey={a => a.fingerprint} height={tableHeight(height, status.error, 1)} width={width - 2} emptyText={alerts.updatedAt === 0 ? 'waiting for Alertmanager' : 'no alerts firing'} />
		</Pane>
	);
}

export function MetricsPane({width, height, page}: PaneSize & {page?: string}) {
	const theme = useTheme();
	const {environment, latencyTargetMs} = useAppContext();
	const prometheus = useAppState(s => s.prometheus);
	const series = useAppState(s => s.metricSeries);
	const status = useResourceStatus('prometheus', 'metricSeries');
	const asOf = useAsOf('prometheus');
	const rows = useMemo<MetricRow[]>(
		() => environment.services.map(s => ({service: s.name, now: prometheus.data?.services.find(m => m.service === s.name), history: series.data[s.name]})),
		[environment, prometheus.data, series.data],
	);
	const columns = useMemo(() => fitColumns(metricColumns(latencyTargetMs, theme.glyph.spark, theme.glyph.status.warn), width - 2), [latencyTargetMs, theme, width]);
	if (prometheusSettings(environment) === undefined)
		return (
			<Pane title="Metrics" info={page} width={width} height={height}>
				<Text color={theme.color('muted')}>no Prometheus configured for this environment</Text>
			</Pane>
		);
	return (
		<Pane title="Metrics" info={infoOf(page, asOf)} status={status} width={width} height={height}>
			<Table columns={columns} rows={rows} rowKey={r => r.service} height={tableHeight(height, status.error)} width={width - 2} emptyText="no services configured" />
		</Pane>
	);
}

const isError = (record: LogRecord) => levelRank[record.level] >= levelRank.error;

/** One view of the errors per log buffer, kept up to date incrementally (it only looks at records new since). */
const errorViews = new WeakMap<RingBuffer<LogRecord>, FilteredView<LogRecord>>();

function errorView(buffer: RingBuffer<LogRecord>): FilteredView<LogRecord> {
	let view = errorViews.get(buffer);
	if (!view) {
		view = new FilteredView(buffer, isError);
		errorViews.set(buffer, view);
	}
	return view;
}

/** The newest error's sequence number (-1: none), for a selector: syncing is idempotent, so it may run any number of times. */
function newestError(buffer: RingBuffer<LogRecord>): number {
	const view = errorView(buffer);
	view.sync();
	return view.length === 0 ? -1 : view.at(view.length - 1)!.seq;
}

/** The newest `count` error and fatal records of a filtered view, newest last (as a log tail reads). */
export function lastRecords(view: FilteredView<LogRecord>, count: number): LogRecord[] {
	const out: LogRecord[] = [];
	for (let i = Math.max(0, view.length - count); i < view.length; i++) out.push(view.at(i)!);
	return out;
}

export function ErrorsPane({width, height, page}: PaneSize & {page?: string}) {
	const theme = useTheme();
	const {startLogs} = useAppContext();
	// The wall shows errors from the start: the log stream is opened with the screen, as the Logs screen does.
	useEffect(() => startLogs(), [startLogs]);
	const errors = errorView(useAppState(s => s.logs.buffer));
	// Re-rendered when an error arrives, not on every log commit (each one re-lays out the whole wall otherwise).
	const newestSeq = useAppState(s => newestError(s.logs.buffer));
	const anyLines = useAppState(s => s.logs.version > 0);
	const status = useResourceStatus('logs');
	const inner = paneContentSize(width, height, status.error);
	const records = useMemo(() => lastRecords(errors, inner.height), [errors, newestSeq, inner.height]);
	const newest = records.at(-1);
	return (
		<Pane title="Errors in the logs" info={infoOf(page, `${errors.length} errors`, newest ? `newest ${clockText(newest.time)}` : undefined)} status={status} width={width} height={height}>
			{records.length === 0 ? (
				<Text color={theme.color('muted')}>{anyLines ? 'no errors in the buffered lines' : 'waiting for log lines'}</Text>
			) : (
				records.map(record => (
					<Text key={record.seq} wrap="truncate" color={theme.color(record.level === 'fatal' ? 'crit' : undefined)}>
						<Text color={theme.color('muted')}>{clockText(record.time)} </Text>
						<Text color={theme.color('accent')}>{record.service.padEnd(18).slice(0, 18)} </Text>
						{theme.text(singleLine(record.text))}
					</Text>
				))
			)}
		</Pane>
	);
}

const deploymentColumns: ReadonlyArray<TableColumn<DeploymentRow>> = [
	{key: 'name', header: 'DEPLOYMENT', width: 20, render: d => d.name, priority: 0},
	{key: 'ready', header: 'READY', width: 7, align: 'right', render: d => `${d.ready}/${d.desired}`, color: d => (d.ready < d.desired ? 'warn' : 'ok'), priority: 0},
	{key: 'updated', header: 'UP-TO-DATE', width: 10, align: 'right', render: d => String(d.updated), priority: 2},
	{key: 'rev', header: 'REV', width: 4, align: 'right', render: d => String(d.revision), priority: 3},
	{key: 'state', header: 'STATE', width: 26, render: d => (d.stalled ? 'stalled: ProgressDeadlineExceeded' : d.paused ? 'paused' : d.ready < d.desired ? 'rolling out' : 'available'), color: d => (d.stalled ? 'crit' : d.ready < d.desired ? 'warn' : 'ok'), priority: 0},
	{key: 'image', header: 'IMAGE', width: 24, render: d => d.image, priority: 4},
];

export function KubernetesPane({width, height, page}: PaneSize & {page?: string}) {
	const cluster = useAppState(s => s.cluster);
	const status = useResourceStatus('cluster');
	const asOf = useAsOf('cluster');
	const rows = cluster.data?.deployments ?? [];
	const columns = useMemo(() => fitColumns(deploymentColumns, width - 2), [width]);
	return (
		<Pane title={`Kubernetes${cluster.data ? ` ${cluster.data.namespace}` : ''}`} info={infoOf(page, `${rows.length} deployments`, asOf)} status={status} width={width} height={height}>
			<Table columns={columns} rows={rows} rowKey={d => d.name} height={tableHeight(height, status.error)} width={width - 2} emptyText={cluster.updatedAt === 0 ? 'waiting for the cluster' : 'no deployments'} />
		</Pane>
	);
}

export const detailPanes: Record<DetailPaneId, (props: PaneSize & {page?: string}) => React.ReactNode> = {
	services: ServicesPane,
	stats: StatsPane,
	alerts: AlertsPane,
	metrics: MetricsPane,
	errors: ErrorsPane,
	kubernetes: KubernetesPane,
};
