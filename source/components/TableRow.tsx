import React, {memo} from 'react';
import {Text} from 'ink';
import {useTheme} from '../theme/ThemeContext.js';
import type {ThemeToken} from '../theme/theme.js';

export type TableRowProps = {
	/** The gutter and every cell, already fitted to their widths. */
	cells: readonly string[];
	/** Colour token per cell (same indexes as cells). */
	tones: readonly (ThemeToken | undefined)[];
	selected: boolean;
	/** The row shows old data: every cell in the muted tone, and without colour a mark in the gutter. */
	stale?: boolean;
};

/** Marks a stale row where colour cannot: in the gutter, which the selection pointer takes on the selected row. */
export const staleMark = '?';

function TableRowView({cells, tones, selected, stale = false}: TableRowProps) {
	const theme = useTheme();
	if (stale && !selected) {
		const line = theme.noColor && cells[0] === ' ' ? staleMark + cells.slice(1).join('') : cells.join('');
		return (
			<Text wrap="truncate" color={theme.color('muted')}>
				{line}
			</Text>
		);
	}
	if (selected) {
		// One colour for the whole selected line: inverse over mixed cell colours reads as noise.
		return (
			<Text wrap="truncate" inverse color={theme.color('selection')}>
				{cells.join('')}
			</Text>
		);
	}

	// Merge neighbouring cells of the same colour: fewer ink nodes per row.
	const segments: Array<{text: string; color: string | undefined}> = [];
	for (let i = 0; i < cells.length; i++) {
		const color = theme.color(tones[i]);
		const last = segments[segments.length - 1];
		if (last && last.color === color) last.text += cells[i];
		else segments.push({text: cells[i], color});
	}

	return (
		<Text wrap="truncate">
			{segments.map((segment, i) => (
				<Text key={i} color={segment.color}>
					{segment.text}
				</Text>
			))}
		</Text>
	);
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
	if (a === b) return true;
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

/** Re-renders only when a rendered string, a colour token or the selection changes. */
export const TableRow = memo(
	TableRowView,
	(previous, next) =>
		previous.selected === next.selected && previous.stale === next.stale && sameItems(previous.cells, next.cells) && sameItems(previous.tones, next.tones),
);
