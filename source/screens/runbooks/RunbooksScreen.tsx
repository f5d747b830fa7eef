import {Box, Text} from 'ink';
import React, {useMemo} from 'react';
import {FilterLine} from '../../components/FilterLine.js';
import {Pane} from '../../components/Pane.js';
import {Table, type TableColumn} from '../../components/Table.js';
import {wrapLines} from '../../components/wrapLines.js';
import {useAppContext, useAppState} from '../../hooks/AppContext.js';
import {useKeymap} from '../../hooks/useKeymap.js';
import {filterRows, useListFilter} from '../../hooks/useListFilter.js';
import {useListSelection} from '../../hooks/useListSelection.js';
import {useResourceStatus} from '../../hooks/useResourceStatus.js';
import {useOpenRunbooks, useRunbookCatalog} from '../../hooks/useRunbooks.js';
import type {Runbook} from '../../runbooks/schema.js';
import {useTheme} from '../../theme/ThemeContext.js';
import {fitCell} from '../../util/format.js';
import type {ScreenProps} from '../registry.js';
import {appliesToText, runbookFilterFields, runbookId} from './catalog.js';
import {runColumns} from './runColumns.js';

const runbookColumns: ReadonlyArray<TableColumn<Runbook>> = [
	{key: 'key', header: 'KEY', width: 3, render: r => r.key ?? '-'},
	{key: 'id', header: 'ID', width: 18, render: r => r.id},
	{key: 'title', header: 'TITLE', width: 30, render: r => r.title},
	{key: 'for', header: 'FOR', width: 18, render: r => appliesToText(r)},
	{key: 'description', header: 'DESCRIPTION', width: 20, render: r => (r.source === 'builtin' ? r.description : `${r.description} (${r.source})`)},
];

/** The runbook catalogue (with load errors) and the recent runs from the audit log; enter or a runbook's key starts one. */
export function RunbooksScreen({width, height, active}: ScreenProps) {
	const theme = useTheme();
	const {runbooks: runner} = useAppContext();
	const catalog = useRunbookCatalog();
	const recent = useAppState(s => s.recentRuns);
	const catalogStatus = useResourceStatus('runbookCatalog');
	const recentStatus = useResourceStatus('recentRuns');
	const open = useOpenRunbooks();
	const filter = useListFilter('runbooks');
	const all = catalog.data?.runbooks ?? [];
	const list = useMemo(() => filterRows(all, filter.text, runbookFilterFields), [all, filter.text]);
	const errors = [...(catalog.error ? [catalog.error] : []), ...(catalog.data?.errors ?? [])];
	const errorLines = Math.min(errors.length, 3);
	const maxListHeight = Math.max(6, Math.ceil(height * 0.55));
	// Selected before its description is measured: the description is the selected runbook's.
	const selection = useListSelection(list, runbookId, maxListHeight - 4 - errorLines, 'runbooks');
	const selected = selection.selected;
	const description = useMemo(() => (selected?.description ? wrapLines([selected.description], width - 2) : []), [selected, width]);
	const descriptionLines = Math.min(description.length, Math.max(0, maxListHeight - 6 - errorLines - filter.lines));
	const hiddenNote = catalog.data?.hidden?.reason;
	const extraLines = errorLines + descriptionLines + filter.lines + (hiddenNote ? 1 : 0);
	const listHeight = Math.min(all.length + 3 + extraLines, maxListHeight);
	const runsHeight = height - listHeight;

	useKeymap(
		{
			...selection.handlers,
			...filter.handlers,
			select: () => selected && open({runbookId: selected.id}),
			refresh: () => runner.refreshRecent(),
		},
		{
			isActive: active,
			onOther: name => {
				const byKey = name.length === 1 ? all.find(r => r.key === name) : undefined;
				if (!byKey) return false;
				open({runbookId: byKey.id});
				return true;
			},
		},
	);

	return (
		<Box flexDirection="column" width={width} height={height}>
			<Pane title="Runbooks" info={catalog.data ? `${list.length}${theme.glyph.separator}enter or key runs` : `loading${theme.glyph.pending}`} width={width} height={listHeight} status={catalogStatus} focused={active}>
				<Table
					columns={runbookColumns}
					rows={list}
					rowKey={runbookId}
					selectedIndex={selection.index}
					height={listHeight - 2 - extraLines}
					width={width - 2}
					emptyText={!catalog.data ? `loading${theme.glyph.pending}` : filter.text ? `no runbook matches "${filter.text}"` : 'no runbooks'}
				/>
				{description.slice(0, descriptionLines).map((line, i) => (
					<Text key={`d-${i}`} wrap="truncate" color={theme.color('muted')}>
						{theme.text(line)}
					</Text>
				))}
				{hiddenNote ? (
					<Text wrap="truncate" color={theme.color('muted')}>
						{fitCell(theme.text(hiddenNote), width - 2, 'left', theme.glyph.ellipsis)}
					</Text>
				) : null}
				{errors.slice(0, errorLines).map(error => (
					<Text key={error} wrap="truncate" color={theme.color('crit')}>
						{fitCell(`${theme.glyph.status.crit} ${theme.text(error)}`, width - 2, 'left', theme.glyph.ellipsis)}
					</Text>
				))}
				<FilterLine filter={filter} width={width - 2} active={active} />
			</Pane>
			<Pane title="Recent runs" info={recent.updatedAt === 0 ? 'audit log' : `${recent.data.length} in the audit log`} status={recentStatus} width={width} height={runsHeight}>
				<Table columns={runColumns} rows={recent.data} rowKey={r => r.runId} height={runsHeight - 2 - (recent.error ? 1 : 0)} width={width - 2} emptyText="no runs recorded yet" />
			</Pane>
		</Box>
	);
}
