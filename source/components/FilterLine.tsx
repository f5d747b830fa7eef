import {Box, Text} from 'ink';
import React from 'react';
import type {ListFilter} from '../hooks/useListFilter.js';
import {useTheme} from '../theme/ThemeContext.js';
import {fitCell} from '../util/format.js';
import {TextInput} from './TextInput.js';

/** The filter's line under a list: the `/` input while typing, then what the list is filtered by. */
export function FilterLine({filter, width, active}: {filter: ListFilter; width: number; active: boolean}) {
	const theme = useTheme();
	if (filter.editing) return <TextInput prompt="/" placeholder="filter (enter keeps, esc cancels)" width={width} active={active} {...filter.input} />;
	if (!filter.text) return null;
	return (
		<Box height={1}>
			<Text color={theme.color('muted')}>{fitCell(`filter "${filter.text}" (/ edits, esc clears)`, width, 'left', theme.glyph.ellipsis)}</Text>
		</Box>
	);
}
