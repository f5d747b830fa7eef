import {Text} from 'ink';
import React from 'react';
import {useTheme} from '../../theme/ThemeContext.js';
import {displayWidth, truncateStart} from '../../util/format.js';

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
