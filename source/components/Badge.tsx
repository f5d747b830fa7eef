import React, {memo} from 'react';
import {Text} from 'ink';
import {useTheme} from '../theme/ThemeContext.js';
import {fitCell} from '../util/format.js';
import {badgeText, stateTone, type StateTone} from './badgeState.js';

export type BadgeProps = {
	/** The state word shown, e.g. "running", "unhealthy". */
	state: string;
	/** Overrides the tone derived from the word. */
	tone?: StateTone;
	/** Pads or truncates to a fixed width, for use in a row. */
	width?: number;
};

function BadgeView({state, tone, width}: BadgeProps) {
	const theme = useTheme();
	const resolved = tone ?? stateTone(state);
	const text = badgeText(state, theme, resolved);
	return (
		<Text wrap="truncate" color={theme.color(resolved)}>
			{width === undefined ? text : fitCell(text, width, 'left', theme.glyph.ellipsis)}
		</Text>
	);
}

export const Badge = memo(BadgeView);
