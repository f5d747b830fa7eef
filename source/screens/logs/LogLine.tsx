import {Text} from 'ink';
import React, {memo} from 'react';
import {useTheme} from '../../theme/ThemeContext.js';
import type {DisplayLine} from './lines.js';

export type LogLineProps = {
	line: DisplayLine;
	/** Identifies the content: the record's buffer index, the piece and the layout (width, toggles, search). */
	id: string;
	selected: boolean;
};

function LogLineView({line, selected}: LogLineProps) {
	const theme = useTheme();
	return (
		<Text wrap="truncate">
			{line.spans.map((span, i) =>
				i === 0 ? (
					<Text key={i} color={theme.color('accent')} bold={selected && !theme.noColor}>
						{selected ? theme.glyph.pointer : ' '}
					</Text>
				) : span.highlight ? (
					// Inverse reads without colour too (NO_COLOR): matches stay visible.
					<Text key={i} inverse color={theme.color('warn')}>
						{theme.text(span.text)}
					</Text>
				) : (
					<Text key={i} color={span.colour ?? theme.color(span.tone)} bold={(span.bold || (selected && i > 0)) && !theme.noColor}>
						{theme.text(span.text)}
					</Text>
				),
			)}
		</Text>
	);
}

/** Re-renders only when its content or selection changes: a new line at the bottom rewrites that line only. */
export const LogLine = memo(LogLineView, (previous, next) => previous.id === next.id && previous.selected === next.selected);
