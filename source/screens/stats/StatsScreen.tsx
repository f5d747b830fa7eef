import {Box, Text} from 'ink';
import React, {useMemo, useState} from 'react';
import {Pane} from '../../components/Pane.js';
import {Table} from '../../components/Table.js';
import {TextInput} from '../../components/TextInput.js';
import {useAppState} from '../../hooks/AppContext.js';
import {useResourceStatus} from '../../hooks/useResourceStatus.js';
import {useKeymap} from '../../hooks/useKeymap.js';
import {useListSelection} from '../../hooks/useListSelection.js';
import {selectStatsRows, type StatsSortKey} from '../../store/selectors.js';
import {useTheme} from '../../theme/ThemeContext.js';
import type {ScreenProps} from '../registry.js';
import {fitColumns, statsColumns} from './columns.js';

const sortOrder: StatsSortKey[] = ['cpu', 'mem', 'net', 'block', 'pids', 'name'];

/** CPU, memory, network and block I/O per container with ~5 minutes of history; `s` sorts, `/` filters. */
export function StatsScreen({width, height, active}: ScreenProps) {
	const theme = useTheme();
	const containers = useAppState(s => s.containers);
	const stats = useAppState(s => s.stats);
	const [sortKey, setSortKey] = useState<StatsSortKey>('cpu');
	const [descending, setDescending] = useState(true);
	const [filter, setFilter] = useState('');
	const [editingFilter, setEditingFilter] = useState(false);
	const rows = useMemo(() => selectStatsRows({containers, stats}, sortKey, descending, filter), [containers, stats, sortKey, descending, filter]);
	const columns = useMemo(() => fitColumns(statsColumns(theme.glyph.spark), width - 2), [theme, width]);
	const status = useResourceStatus('containers', 'stats');
	const error = status.error;
	const footerLines = editingFilter || filter ? 1 : 0;
	const errorLines = error ? 1 : 0;
	const tableHeight = height - 2 - footerLines - errorLines;
	const selection = useListSelection(rows.length, tableHeight - 2);
	useKeymap(
		{
			...selection.handlers,
			sort: () => setSortKey(key => sortOrder[(sortOrder.indexOf(key) + 1) % sortOrder.length]!),
			reverseSort: () => setDescending(d => !d),
			filter: () => setEditingFilter(true),
			back: () => setFilter(''),
		},
		{isActive: active && !editingFilter},
	);
	const arrow = descending ? theme.glyph.down : theme.glyph.up;
	const header = columns.map(c => (c.sortKey === sortKey ? {...c, header: `${c.header}${arrow}`} : c));
	return (
		<Pane
			title="Stats"
			info={`${rows.length} containers, sort ${sortKey}${arrow}`}
			status={status}
			width={width}
			height={height}
			focused={active}
		>
			<Table columns={header} rows={rows} rowKey={row => row.container.id} selectedIndex={selection.index} height={tableHeight} width={width - 2} emptyText={filter ? `no container matches "${filter}"` : 'no containers'} />
			{editingFilter ? (
				<TextInput
					prompt="/"
					value={filter}
					width={width - 2}
					onSubmit={value => {
						setFilter(value);
						setEditingFilter(false);
					}}
					onCancel={() => setEditingFilter(false)}
					onChange={setFilter}
				/>
			) : filter ? (
				<Box height={1}>
					<Text color={theme.color('muted')}>filter "{filter}" (esc clears)</Text>
				</Box>
			) : null}
		</Pane>
	);
}
