import {Box, Text} from 'ink';
import React, {useMemo, useState} from 'react';
import {FilterLine} from '../../components/FilterLine.js';
import {Pane} from '../../components/Pane.js';
import {Table} from '../../components/Table.js';
import {wrapLines} from '../../components/wrapLines.js';
import {useAppContext, useAppState} from '../../hooks/AppContext.js';
import {useResourceStatus} from '../../hooks/useResourceStatus.js';
import {useKeymap} from '../../hooks/useKeymap.js';
import {filterRows, useListFilter} from '../../hooks/useListFilter.js';
import {useListSelection} from '../../hooks/useListSelection.js';
import {useOpenRunbooks} from '../../hooks/useRunbooks.js';
import {useServiceRows} from '../../hooks/useServiceRows.js';
import type {ServiceRow} from '../../store/selectors.js';
import {useTheme} from '../../theme/ThemeContext.js';
import {instanceNounText} from '../../store/slices/containers.js';
import type {ScreenProps} from '../registry.js';
import {fitServiceColumns, problemText, serviceColumns, serviceFilterFields, serviceRowStale, steadyServiceRows} from './columns.js';
import {useSteady} from '../../components/useSteady.js';
import {ContainerLines} from '../stats/ContainerDetail.js';
import {ServiceDetail} from './ServiceDetail.js';

const serviceKey = (row: ServiceRow) => row.name;


/** From this width on the detail shows the container's stats in a pane beside it. */
const wideDetailColumns = 160;

/** The most lines the selected row's reason may take under the table. */
const reasonLines = 3;

/** One row per configured service; enter opens the detail view (inspect fields, last health bodies). */
export function ServicesScreen({width, height, active}: ScreenProps) {
	const theme = useTheme();
	const {latencyTargetMs} = useAppContext();
	const filter = useListFilter('services');
	const allRows = useServiceRows();
	const steady = useSteady();
	const rows = useMemo(() => filterRows(steadyServiceRows(allRows, steady, latencyTargetMs), filter.text, serviceFilterFields), [allRows, filter.text, steady, latencyTargetMs]);
	const status = useResourceStatus('containers', 'health');
	const dockerError = status.error;
	const statsStatus = useResourceStatus('stats');
	const stats = useAppState(s => s.stats);
	const noun = useAppState(s => s.instanceNoun);
	// The detail follows its service by name, whatever the rows do meanwhile.
	const [detailOf, setDetailOf] = useState<string | undefined>(undefined);
	const columns = useMemo(() => fitServiceColumns(serviceColumns(latencyTargetMs, theme.glyph.status, noun), rows, width - 2), [latencyTargetMs, theme, rows, width, noun]);
	const selection = useListSelection(rows, serviceKey, height - 4, 'services');
	const selected = selection.selected;
	// A red row's reason, whole, under the table: the PROBLEMS cell may still be too narrow for it.
	const reason = selected && !selected.ok ? wrapLines([`${theme.glyph.status.crit} ${selected.name}: ${problemText(selected)}`], width - 2).slice(0, reasonLines) : [];
	const showLogs = useAppState(s => s.showLogs);
	const openRunbooks = useOpenRunbooks();
	const detailRow = detailOf === undefined ? undefined : allRows.find(row => row.name === detailOf);
	const target = detailRow ?? selected;
	const logsOfSelection = () => (target ? showLogs([target.name]) : undefined);
	const runbooksOfSelection = () => openRunbooks({service: target?.name});
	useKeymap(
		detailRow
			? {back: () => setDetailOf(undefined), serviceLogs: logsOfSelection, runbooks: runbooksOfSelection}
			: {
					...selection.handlers,
					...filter.handlers,
					select: () => selected && setDetailOf(selected.name),
					serviceLogs: logsOfSelection,
					runbooks: runbooksOfSelection,
				},
		{isActive: active},
	);
	if (detailRow) {
		const statsRow = detailRow.container && {container: detailRow.container, stats: stats.data[detailRow.container.id]};
		// A war-room screen puts the container's figures and CPU/memory history beside the service's lines.
		const sideWidth = width >= wideDetailColumns && statsRow ? Math.floor(width * 0.4) : 0;
		return (
			<Box flexDirection="row" width={width} height={height}>
				<Pane title={`Service ${detailRow.name}`} info="esc back  l logs" status={status} width={width - sideWidth} height={height} focused>
					<ServiceDetail row={detailRow} now={Date.now()} width={width - sideWidth - 2} height={height - 2} />
				</Pane>
				{sideWidth > 0 && statsRow ? (
					<Pane title={`${instanceNounText(noun)} ${detailRow.container!.name}`} info="cpu and memory history" status={statsStatus} width={sideWidth} height={height}>
						<ContainerLines row={statsRow} width={sideWidth - 2} height={height - 2 - (statsStatus.error ? 1 : 0)} />
					</Pane>
				) : null}
			</Box>
		);
	}
	const tableHeight = height - 2 - (dockerError ? 1 : 0) - reason.length - filter.lines;
	return (
		<Pane
			title="Services"
			info={allRows.some(r => r.unmonitored) ? undefined : `${rows.filter(r => r.ok).length}/${rows.length} ok${filter.text ? ` of ${allRows.length}` : ''}`}
			status={status}
			width={width}
			height={height}
			focused={active}
		>
			<Table
				columns={columns}
				rows={rows}
				rowKey={serviceKey}
				stale={serviceRowStale}
				selectedIndex={selection.index}
				height={tableHeight}
				width={width - 2}
				emptyText={filter.text ? `no service matches "${filter.text}"` : 'no services configured'}
			/>
			{reason.length > 0 ? (
				<Box flexDirection="column" height={reason.length}>
					{reason.map((line, i) => (
						<Text key={i} wrap="truncate" color={theme.color('crit')}>
							{line}
						</Text>
					))}
				</Box>
			) : null}
			<FilterLine filter={filter} width={width - 2} active={active} />
		</Pane>
	);
}
