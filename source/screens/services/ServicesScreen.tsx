import {Box, Text} from 'ink';
import React, {useMemo, useState} from 'react';
import {FilterLine} from '../../components/FilterLine.js';
import {Pane} from '../../components/Pane.js';
import {Table} from '../../components/Table.js';
import {wrapLines} from '../../components/wrapLines.js';
import {useAppContext, useAppState} from '../../hooks/AppContext.js';
import {useErrorText} from '../../hooks/useErrorText.js';
import {useKeymap} from '../../hooks/useKeymap.js';
import {filterRows, useListFilter} from '../../hooks/useListFilter.js';
import {useListSelection} from '../../hooks/useListSelection.js';
import {useOpenRunbooks} from '../../hooks/useRunbooks.js';
import {useServiceRows} from '../../hooks/useServiceRows.js';
import type {ServiceRow} from '../../store/selectors.js';
import {useTheme} from '../../theme/ThemeContext.js';
import type {ScreenProps} from '../registry.js';
import {fitServiceColumns, problemText, serviceColumns, serviceFilterFields} from './columns.js';
import {ServiceDetail} from './ServiceDetail.js';

const serviceKey = (row: ServiceRow) => row.name;


/** The most lines the selected row's reason may take under the table. */
const reasonLines = 3;

/** One row per configured service; enter opens the detail view (inspect fields, last health bodies). */
export function ServicesScreen({width, height, active}: ScreenProps) {
	const theme = useTheme();
	const {latencyTargetMs} = useAppContext();
	const filter = useListFilter('services');
	const allRows = useServiceRows();
	const rows = useMemo(() => filterRows(allRows, filter.text, serviceFilterFields), [allRows, filter.text]);
	const dockerError = useErrorText(useAppState(s => s.containers));
	// The detail follows its service by name, whatever the rows do meanwhile.
	const [detailOf, setDetailOf] = useState<string | undefined>(undefined);
	const columns = useMemo(() => fitServiceColumns(serviceColumns(latencyTargetMs, theme.glyph.status), rows, width - 2), [latencyTargetMs, theme, rows, width]);
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
		return (
			<Pane title={`Service ${detailRow.name}`} info="esc back  l logs" width={width} height={height} focused>
				<ServiceDetail row={detailRow} now={Date.now()} width={width - 2} height={height - 2} />
			</Pane>
		);
	}
	const tableHeight = height - 2 - (dockerError ? 1 : 0) - reason.length - filter.lines;
	return (
		<Pane
			title="Services"
			info={`${rows.filter(r => r.ok).length}/${rows.length} ok${filter.text ? ` of ${allRows.length}` : ''}`}
			error={dockerError}
			width={width}
			height={height}
			focused={active}
		>
			<Table
				columns={columns}
				rows={rows}
				rowKey={serviceKey}
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
