import React, {useMemo, useState} from 'react';
import {FilterLine} from '../../components/FilterLine.js';
import {Pane} from '../../components/Pane.js';
import {fitColumns, Table} from '../../components/Table.js';
import {useAppState} from '../../hooks/AppContext.js';
import {useResourceStatus} from '../../hooks/useResourceStatus.js';
import {useKeymap} from '../../hooks/useKeymap.js';
import {filterRows, useListFilter} from '../../hooks/useListFilter.js';
import {useListSelection} from '../../hooks/useListSelection.js';
import {useServiceRows} from '../../hooks/useServiceRows.js';
import {selectStatsRows, type StatsRow, type StatsSortKey} from '../../store/selectors.js';
import {useTheme} from '../../theme/ThemeContext.js';
import {instanceNounText} from '../../store/slices/containers.js';
import type {ScreenProps} from '../registry.js';
import {shortContainerName, statsColumns, statsFilterFields, statsRowStale, steadyStats} from './columns.js';
import {useSteady} from '../../components/useSteady.js';
import {ContainerDetail} from './ContainerDetail.js';

export const sortOrder: readonly StatsSortKey[] = ['cpu', 'mem', 'net', 'block', 'pids', 'name'];

const containerKey = (row: StatsRow) => row.container.id;


/** CPU, memory, network and block I/O per container with ~5 minutes of history; `s` sorts, `/` filters, enter opens one. */
export function StatsScreen({width, height, active}: ScreenProps) {
	const theme = useTheme();
	const containers = useAppState(s => s.containers);
	const stats = useAppState(s => s.stats);
	const noun = useAppState(s => s.instanceNoun);
	const serviceRows = useServiceRows();
	const [sortKey, setSortKey] = useState<StatsSortKey>('cpu');
	const [descending, setDescending] = useState(true);
	const filter = useListFilter('stats');
	// The detail follows its container by id: rows re-sort on every sample.
	const [detailOf, setDetailOf] = useState<string | undefined>(undefined);
	const steady = useSteady();
	// Figures as a person reads them (steadyStats): rows sorted by CPU do not swap at every sample's wobble.
	const sorted = useMemo(() => selectStatsRows({containers, stats: {...stats, data: steadyStats(stats.data, steady)}}, sortKey, descending), [containers, stats, sortKey, descending, steady]);
	const rows = useMemo(() => filterRows(sorted, filter.text, statsFilterFields), [sorted, filter.text]);
	const columns = useMemo(() => fitColumns(statsColumns(theme.glyph.spark, noun), width - 2), [theme, width, noun]);
	const status = useResourceStatus('containers', 'stats');
	const error = status.error;
	const tableHeight = height - 2 - filter.lines - (error ? 1 : 0);
	const selection = useListSelection(rows, containerKey, tableHeight - 2, 'stats');
	// The detail reads one container closely: its figures as measured, not steadied.
	const detailContainer = detailOf === undefined ? undefined : sorted.find(row => row.container.id === detailOf)?.container;
	const detailRow = detailContainer ? {container: detailContainer, stats: stats.data[detailContainer.id]} : undefined;
	useKeymap(
		detailRow
			? {back: () => setDetailOf(undefined)}
			: {
					...selection.handlers,
					...filter.handlers,
					select: () => selection.selected && setDetailOf(containerKey(selection.selected)),
					sort: () => setSortKey(key => sortOrder[(sortOrder.indexOf(key) + 1) % sortOrder.length]!),
					reverseSort: () => setDescending(d => !d),
				},
		{isActive: active},
	);
	if (detailRow) {
		const service = serviceRows.find(row => row.container?.id === detailRow.container.id);
		return (
			<Pane title={`${instanceNounText(noun)} ${shortContainerName(detailRow.container)}`} info="esc back" status={status} width={width} height={height} focused>
				<ContainerDetail row={detailRow} service={service} width={width - 2} height={height - 2 - (error ? 1 : 0)} />
			</Pane>
		);
	}
	const arrow = descending ? theme.glyph.down : theme.glyph.up;
	const header = columns.map(c => (c.sortKey === sortKey ? {...c, header: `${c.header}${arrow}`} : c));
	return (
		<Pane
			title="Stats"
			info={`${rows.length}${filter.text ? ` of ${sorted.length}` : ''} containers, sort ${sortKey}${arrow}`}
			status={status}
			width={width}
			height={height}
			focused={active}
		>
			<Table
				columns={header}
				rows={rows}
				rowKey={containerKey}
				stale={status.stale ? statsRowStale : undefined}
				selectedIndex={selection.index}
				height={tableHeight}
				width={width - 2}
				emptyText={filter.text ? `no ${noun} matches "${filter.text}"` : `no ${noun}s`}
			/>
			<FilterLine filter={filter} width={width - 2} active={active} />
		</Pane>
	);
}
