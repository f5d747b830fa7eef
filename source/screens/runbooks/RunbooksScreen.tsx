import {Box, Text} from 'ink';
import React from 'react';
import {Pane} from '../../components/Pane.js';
import {Table, type TableColumn} from '../../components/Table.js';
import {useAppContext, useAppState} from '../../hooks/AppContext.js';
import {useKeymap} from '../../hooks/useKeymap.js';
import {useListSelection} from '../../hooks/useListSelection.js';
import {useResourceStatus} from '../../hooks/useResourceStatus.js';
import {useOpenRunbooks, useRunbookCatalog} from '../../hooks/useRunbooks.js';
import {formatMs} from '../../runbooks/render.js';
import type {Runbook} from '../../runbooks/schema.js';
import type {RecentRun} from '../../services/audit.js';
import {useTheme} from '../../theme/ThemeContext.js';
import type {ThemeToken} from '../../theme/theme.js';
import {fitCell} from '../../util/format.js';
import type {ScreenProps} from '../registry.js';
import {appliesToText} from './catalog.js';

const runbookColumns: ReadonlyArray<TableColumn<Runbook>> = [
	{key: 'key', header: 'KEY', width: 3, render: r => r.key ?? '-'},
	{key: 'id', header: 'ID', width: 18, render: r => r.id},
	{key: 'title', header: 'TITLE', width: 30, render: r => r.title},
	{key: 'for', header: 'FOR', width: 18, render: r => appliesToText(r)},
	{key: 'description', header: 'DESCRIPTION', width: 20, render: r => (r.source === 'builtin' ? r.description : `${r.description} (${r.source})`)},
];

const outcomeTone = (run: RecentRun): ThemeToken => (run.outcome === 'ok' ? 'ok' : run.outcome === 'aborted' || run.outcome === 'interrupted' ? 'warn' : 'crit');

const runColumns: ReadonlyArray<TableColumn<RecentRun>> = [
	{key: 'time', header: 'TIME (UTC)', width: 19, render: r => r.time.slice(0, 19).replace('T', ' ')},
	{key: 'user', header: 'USER', width: 10, render: r => r.user},
	{key: 'env', header: 'ENV', width: 10, render: r => r.environment},
	{key: 'runbook', header: 'RUNBOOK', width: 18, render: r => r.runbook},
	{key: 'outcome', header: 'OUTCOME', width: 11, render: r => r.outcome, color: outcomeTone},
	{key: 'duration', header: 'DURATION', width: 9, align: 'right', render: r => (r.durationMs === undefined ? '-' : formatMs(r.durationMs))},
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
	const list = catalog.data?.runbooks ?? [];
	const errors = [...(catalog.error ? [catalog.error] : []), ...(catalog.data?.errors ?? [])];
	const errorLines = Math.min(errors.length, 3);
	const listHeight = Math.min(list.length + 3 + errorLines, Math.max(6, Math.ceil(height * 0.55)));
	const runsHeight = height - listHeight;
	const selection = useListSelection(list.length, listHeight - 4 - errorLines);

	useKeymap(
		{
			...selection.handlers,
			select: () => list[selection.index] && open({runbookId: list[selection.index]!.id}),
			refresh: () => runner.refreshRecent(),
		},
		{
			isActive: active,
			onOther: name => {
				const byKey = name.length === 1 ? list.find(r => r.key === name) : undefined;
				if (!byKey) return false;
				open({runbookId: byKey.id});
				return true;
			},
		},
	);

	return (
		<Box flexDirection="column" width={width} height={height}>
			<Pane title="Runbooks" info={catalog.data ? `${list.length} · enter or key runs` : 'loading…'} status={catalogStatus} width={width} height={listHeight} focused={active}>
				<Table columns={runbookColumns} rows={list} rowKey={r => r.id} selectedIndex={selection.index} height={listHeight - 2 - errorLines} width={width - 2} emptyText={catalog.data ? 'no runbooks' : 'loading…'} />
				{errors.slice(0, errorLines).map(error => (
					<Text key={error} wrap="truncate" color={theme.color('crit')}>
						{fitCell(`${theme.glyph.status.crit} ${error}`, width - 2, 'left', theme.glyph.ellipsis)}
					</Text>
				))}
			</Pane>
			<Pane title="Recent runs" info={recent.updatedAt === 0 ? 'audit log' : `${recent.data.length} in the audit log`} status={recentStatus} width={width} height={runsHeight}>
				<Table columns={runColumns} rows={recent.data} rowKey={r => r.runId} height={runsHeight - 2 - (recent.error ? 1 : 0)} width={width - 2} emptyText="no runs recorded yet" />
			</Pane>
		</Box>
	);
}
