import React, {memo, useMemo, useRef, type ReactElement} from 'react';
import {Box, Text} from 'ink';
import {useTheme} from '../theme/ThemeContext.js';
import type {ThemeToken} from '../theme/theme.js';
import {fitCell, padCell} from '../util/format.js';
import {scrollWindow} from './scrollWindow.js';
import {TableRow} from './TableRow.js';

export type TableColumn<Row> = {
	key: string;
	header: string;
	/** Columns (terminal cells). With a table `width`, the last column grows to fill the rest (never shrinks). */
	width: number;
	align?: 'left' | 'right';
	render: (row: Row) => string;
	color?: (row: Row) => ThemeToken | undefined;
	/** For fitColumns: lower numbers are kept first when the terminal is too narrow for all columns. */
	priority?: number;
};

export type TableProps<Row> = {
	columns: ReadonlyArray<TableColumn<Row>>;
	rows: readonly Row[];
	rowKey: (row: Row) => string;
	/** Index into rows; the window scrolls to keep it visible. Undefined: no selection. */
	selectedIndex?: number;
	/** Lines available, header and scroll hint included. The table never renders more. */
	height: number;
	/** Line width: the last column fills up to it, and anything past it is cut. */
	width?: number;
	emptyText?: string;
	/** Rows that show old data, drawn greyed (TableRow `stale`). */
	stale?: (row: Row) => boolean;
};

/** Visible slice of one column: where it starts on the line and how wide it is after clipping to the width. */
type Slot = {index: number; width: number; align: 'left' | 'right'};

const GUTTER = 1;
const SEPARATOR = ' ';

function layout<Row>(columns: ReadonlyArray<TableColumn<Row>>, width: number | undefined) {
	const widths = columns.map(column => Math.max(0, column.width));
	if (width !== undefined && widths.length > 0) {
		const fixed = GUTTER + widths.slice(0, -1).reduce((sum, w) => sum + w + SEPARATOR.length, 0);
		widths[widths.length - 1] = Math.max(widths[widths.length - 1], width - fixed);
	}

	const slots: Slot[] = [];
	let used = GUTTER;
	const limit = width ?? Number.POSITIVE_INFINITY;
	for (let i = 0; i < columns.length; i++) {
		const separator = i === 0 ? 0 : SEPARATOR.length;
		const room = limit - used - separator;
		if (room <= 0) break;
		const w = Math.min(widths[i], room);
		slots.push({index: i, width: w, align: columns[i].align ?? 'left'});
		used += separator + w;
	}
	return {slots, lineWidth: Math.min(used, limit)};
}

/**
 * Fixed-width, virtualised table: only the rows that fit are rendered, each as a memoised line of fixed-width
 * cells, so a refresh that changes one value rewrites one terminal line. Layout of a line: a one-column gutter
 * (the selection pointer), then the cells separated by one space.
 */
function TableView<Row>({columns, rows, rowKey, selectedIndex, height, width, emptyText = 'no rows', stale}: TableProps<Row>) {
	const theme = useTheme();
	const {slots, lineWidth} = useMemo(() => layout(columns, width), [columns, width]);
	const ellipsis = theme.glyph.ellipsis;

	const overflowing = rows.length > height - 1;
	const capacity = Math.max(0, overflowing ? height - 2 : height - 1);
	// Remembered across renders so the window stays put until the selection leaves it; writing a ref during
	// render is safe here because ink renders synchronously and the value is a pure function of its inputs.
	const startRef = useRef(0);
	const start = scrollWindow(rows.length, capacity, selectedIndex, startRef.current);
	startRef.current = start;
	const end = Math.min(rows.length, start + capacity);

	if (height <= 0) return null;

	const headerCells = [' '.repeat(GUTTER)];
	for (const slot of slots) {
		headerCells.push((slot.index === 0 ? '' : SEPARATOR) + fitCell(theme.text(columns[slot.index].header), slot.width, slot.align, ellipsis));
	}

	const body: ReactElement[] = [];
	for (let i = start; i < end; i++) {
		const row = rows[i];
		const selected = i === selectedIndex;
		const cells = [selected ? theme.glyph.pointer : ' '];
		const tones: Array<ThemeToken | undefined> = [undefined];
		for (const slot of slots) {
			const column = columns[slot.index];
			// The separator belongs to the uncoloured gutter side so coloured runs stay exactly the cell.
			if (slot.index > 0) {
				cells.push(SEPARATOR);
				tones.push(undefined);
			}
			cells.push(fitCell(theme.text(column.render(row)), slot.width, slot.align, ellipsis));
			tones.push(column.color?.(row));
		}
		body.push(<TableRow key={rowKey(row)} cells={cells} tones={tones} selected={selected} stale={stale?.(row)} />);
	}

	return (
		<Box flexDirection="column" flexShrink={0}>
			<Text wrap="truncate" bold={!theme.noColor} color={theme.color('muted')}>
				{headerCells.join('')}
			</Text>
			{body}
			{rows.length === 0 && height > 1 ? (
				<Text wrap="truncate" color={theme.color('muted')}>
					{padCell(' '.repeat(GUTTER) + emptyText, lineWidth)}
				</Text>
			) : null}
			{overflowing && height > 1 ? (
				<Text wrap="truncate" color={theme.color('muted')}>
					{padCell(`${rows.length === 0 ? 0 : start + 1}-${end} of ${rows.length}`, lineWidth, 'right')}
				</Text>
			) : null}
		</Box>
	);
}

export const Table = memo(TableView) as <Row>(props: TableProps<Row>) => ReactElement | null;

/**
 * The columns that fit `width` (gutter and one-space separators included), dropping the least important first.
 * Columns whose priority is below `droppableFrom` are never dropped (the last column is cut instead).
 */
export function fitColumns<C extends {width: number; priority?: number}>(columns: readonly C[], width: number, droppableFrom = Number.NEGATIVE_INFINITY): C[] {
	const kept = [...columns];
	const used = () => 1 + kept.reduce((sum, c) => sum + c.width, 0) + Math.max(0, kept.length - 1);
	while (used() > width && kept.length > 1) {
		const worst = kept.reduce((a, b) => ((b.priority ?? 0) >= (a.priority ?? 0) ? b : a));
		if ((worst.priority ?? 0) < droppableFrom) break;
		kept.splice(kept.indexOf(worst), 1);
	}
	return kept;
}
