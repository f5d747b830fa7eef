import {Box, Text} from 'ink';
import React, {useMemo} from 'react';
import {FilterLine} from '../../components/FilterLine.js';
import {Pane} from '../../components/Pane.js';
import {fitColumns, Table} from '../../components/Table.js';
import {useAppContext, useAppState} from '../../hooks/AppContext.js';
import {useKeymap} from '../../hooks/useKeymap.js';
import {filterRows, useListFilter} from '../../hooks/useListFilter.js';
import {useListSelection} from '../../hooks/useListSelection.js';
import {useNow} from '../../hooks/useNow.js';
import {useResourceStatus} from '../../hooks/useResourceStatus.js';
import {prometheusSettings} from '../../services/prometheus.js';
import {useTheme} from '../../theme/ThemeContext.js';
import {truncate} from '../../util/format.js';
import type {ScreenProps} from '../screen.js';
import {metricColumns, sortTargets, targetColumns, type MetricRow} from './columns.js';

const metricKey = (row: MetricRow) => row.service;

/** Per service: request rate, error rate and p95 against the target, each with its last hour; then the targets, down first. */
export function MetricsScreen({width, height, active}: ScreenProps) {
	const theme = useTheme();
	const {environment, latencyTargetMs} = useAppContext();
	const configured = prometheusSettings(environment) !== undefined;
	const prometheus = useAppState(s => s.prometheus);
	const series = useAppState(s => s.metricSeries);
	const status = useResourceStatus('prometheus', 'metricSeries');
	const targetsStatus = useResourceStatus('prometheus');
	const filter = useListFilter('metrics');
	const now = useNow(active ? 5000 : 0);
	const allRows = useMemo<MetricRow[]>(
		() => environment.services.map(s => ({service: s.name, now: prometheus.data?.services.find(m => m.service === s.name), history: series.data[s.name]})),
		[environment, prometheus.data, series.data],
	);
	const rows = useMemo(() => filterRows(allRows, filter.text, row => [row.service]), [allRows, filter.text]);
	const targets = useMemo(() => filterRows(sortTargets(prometheus.data?.targets ?? []), filter.text, t => [t.job, t.instance, t.health]), [prometheus.data, filter.text]);
	const bodyHeight = height - filter.lines;
	const servicesHeight = Math.min(rows.length + 3 + (status.error ? 1 : 0), Math.floor(bodyHeight / 2));
	const targetsHeight = bodyHeight - servicesHeight;
	const selection = useListSelection(rows, metricKey, servicesHeight - 3, 'metrics');
	const columns = useMemo(() => fitColumns(metricColumns(latencyTargetMs, theme.glyph.spark, theme.glyph.status.warn), width - 2), [latencyTargetMs, theme, width]);
	const tColumns = useMemo(() => fitColumns(targetColumns(now), width - 2), [now, width]);
	useKeymap({...selection.handlers, ...filter.handlers}, {isActive: active && configured});

	if (!configured) {
		return (
			<Pane title="Metrics" width={width} height={height} focused={active}>
				<Text>{truncate(theme.text(`no Prometheus configured for ${environment.name} (prometheusUrl or prometheus.url in its config)`), width - 2, theme.glyph.ellipsis)}</Text>
			</Pane>
		);
	}
	const down = targets.filter(t => t.health === 'down').length;
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Pane title="Metrics" info={`p95 target ${latencyTargetMs} ms, last hour`} status={status} width={width} height={servicesHeight} focused={active}>
				<Table columns={columns} rows={rows} rowKey={metricKey} selectedIndex={selection.index} height={servicesHeight - 2 - (status.error ? 1 : 0)} width={width - 2} emptyText={filter.text ? `no service matches "${filter.text}"` : 'no services configured'} />
			</Pane>
			<Pane title="Targets" info={`${down} down of ${targets.length}`} status={targetsStatus} width={width} height={targetsHeight}>
				<Table columns={tColumns} rows={targets} rowKey={t => `${t.job}\u0000${t.instance}`} height={targetsHeight - 2 - (targetsStatus.error ? 1 : 0)} width={width - 2} emptyText={prometheus.updatedAt === 0 ? 'waiting for Prometheus' : 'no targets'} />
			</Pane>
			<FilterLine filter={filter} width={width} active={active} />
		</Box>
	);
}
