import React from 'react';
import {Text} from 'ink';
import {useTheme} from '../theme/ThemeContext.js';
import {truncate} from '../util/format.js';

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

export type TooSmallProps = {columns: number; rows: number; minColumns?: number; minRows?: number};

/** Shown instead of the app below the minimum size: a garbled frame is worse than a clear sentence. */
export function TooSmall({columns, rows, minColumns = MIN_COLUMNS, minRows = MIN_ROWS}: TooSmallProps) {
	const theme = useTheme();
	const text = `terminal too small (need ${minColumns}x${minRows}, have ${columns}x${rows})`;
	return (
		<Text wrap="truncate" color={theme.color('warn')}>
			{truncate(text, Math.max(1, columns), theme.glyph.ellipsis)}
		</Text>
	);
}

export const isTooSmall = (columns: number, rows: number, minColumns = MIN_COLUMNS, minRows = MIN_ROWS): boolean =>
	columns < minColumns || rows < minRows;
