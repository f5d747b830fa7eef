import {Text} from 'ink';
import React from 'react';
import {useTheme} from '../../theme/ThemeContext.js';
import {displayWidth, truncateStart} from '../../util/format.js';

/** What one key does to the line: the new value, or undefined when the key is not an edit. */
export function editPattern(value: string, name: string): string | undefined {
	if (name === 'backspace') return Array.from(value).slice(0, -1).join('');
	if (name === 'ctrl-u') return '';
	if (name === 'ctrl-w') return value.replace(/\S*\s*$/, '');
	// Key names of one character are typed text; longer ones are keys (up, tab, ctrl-x) and are ignored.
	return Array.from(name).length === 1 && !/[\u0000-\u001f\u007f-\u009f]/.test(name) ? value + name : undefined;
}

/** The regex line of the Logs screen (search, include, exclude); useLogKeys edits it, this draws it. */
export function PatternInput({prompt, value, width}: {prompt: string; value: string; width: number}) {
	const theme = useTheme();
	const room = Math.max(0, width - displayWidth(prompt) - 1);
	return (
		<Text wrap="truncate">
			<Text color={theme.color('accent')}>{prompt}</Text>
			{truncateStart(value, room, theme.glyph.ellipsis)}
			{theme.glyph.cursor}
		</Text>
	);
}
