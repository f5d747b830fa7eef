import {Box, Text} from 'ink';
import React, {useMemo} from 'react';
import {Table, type TableColumn} from '../../components/Table.js';
import type {Runbook} from '../../runbooks/schema.js';
import {useTheme} from '../../theme/ThemeContext.js';
import {fitCell} from '../../util/format.js';
import {wrapLines} from '../../components/wrapLines.js';
import {appliesToText} from './catalog.js';

const columns: ReadonlyArray<TableColumn<Runbook>> = [
	{key: 'key', header: 'KEY', width: 3, render: r => r.key ?? '-'},
	{key: 'id', header: 'ID', width: 18, render: r => r.id},
	{key: 'title', header: 'TITLE', width: 30, render: r => r.title},
	{key: 'applies', header: 'FOR', width: 10, render: r => appliesToText(r)},
];

export type RunbookPickerProps = {
	runbooks: readonly Runbook[];
	/** Load problems (user runbook files); shown, never thrown. */
	errors: readonly string[];
	selectedIndex: number;
	loading: boolean;
	width: number;
	height: number;
};

/** The runbook list: key, id, title; the selected one's description; load errors last. */
export function RunbookPicker({runbooks, errors, selectedIndex, loading, width, height}: RunbookPickerProps) {
	const theme = useTheme();
	const selected = runbooks[selectedIndex];
	const room = Math.max(1, Math.floor(height / 4));
	// More problems than fit: the last line says how many more (the Runbooks screen lists them all).
	const errorLines = errors.length <= room ? errors : [...errors.slice(0, room - 1), `${errors.length - room + 1} more runbook file problems`];
	// The selected runbook's description whole, wrapped; the table keeps at least its header and three rows.
	const description = useMemo(() => (selected ? wrapLines([selected.description || selected.title], width) : []), [selected, width]);
	const descriptionLines = Math.max(0, Math.min(description.length, height - errorLines.length - 4));
	const tableHeight = Math.max(2, height - descriptionLines - errorLines.length);
	if (loading) return <Text color={theme.color('muted')}>loading runbooks{theme.glyph.pending}</Text>;
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Table columns={columns} rows={runbooks} rowKey={r => r.id} selectedIndex={selectedIndex} height={tableHeight} width={width} emptyText="no runbooks" />
			<Box flexDirection="column" height={descriptionLines} overflow="hidden">
				{description.slice(0, descriptionLines).map((line, i) => (
					<Text key={i} wrap="truncate" color={theme.color('muted')}>
						{theme.text(line)}
					</Text>
				))}
			</Box>
			{errorLines.map(error => (
				<Text key={error} wrap="truncate" color={theme.color('crit')}>
					{fitCell(`${theme.glyph.status.crit} ${theme.text(error)}`, width, 'left', theme.glyph.ellipsis)}
				</Text>
			))}
		</Box>
	);
}
