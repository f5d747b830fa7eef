import React from 'react';
import {Text} from 'ink';
import {keyPriority, useKeypress} from '../hooks/KeypressContext.js';
import {useTheme} from '../theme/ThemeContext.js';
import {displayWidth, truncate, truncateStart} from '../util/format.js';
import {editLine} from './textEditing.js';
import {useLatest} from './useLatest.js';

export type TextInputProps = {
	/** Controlled: the owner keeps the value (a live filter reads it on every key). */
	value: string;
	onChange: (value: string) => void;
	onSubmit: (value: string) => void;
	onCancel: () => void;
	/** Drawn before the value, e.g. ":" or "/". */
	prompt?: string;
	placeholder?: string;
	/** Line width; a long value shows its end. */
	width: number;
	/** Only the active input listens to keys. */
	active?: boolean;
};

/**
 * Single-line input with the cursor at the end: typing appends, backspace deletes, ctrl-u clears, ctrl-w
 * deletes a word, enter submits, esc cancels.
 */
export function TextInput({value, onChange, onSubmit, onCancel, prompt = '', placeholder = '', width, active = true}: TextInputProps) {
	const theme = useTheme();
	const latest = useLatest({value, onChange, onSubmit, onCancel});

	useKeypress(
		name => {
			const current = latest.current;
			if (name === 'escape') {
				current.onCancel();
				return true;
			}
			if (name === 'enter') {
				current.onSubmit(current.value);
				return true;
			}
			const next = editLine(current.value, name);
			if (next === undefined) return false;
			if (next !== current.value) {
				// Seen by the next key even if no render happens in between.
				latest.current = {...current, value: next};
				current.onChange(next);
			}
			return true;
		},
		{isActive: active, priority: keyPriority.input},
	);

	const room = Math.max(0, width - displayWidth(prompt) - 1);
	const shown = truncateStart(value, room, theme.glyph.ellipsis);
	return (
		<Text wrap="truncate">
			<Text color={theme.color('accent')}>{prompt}</Text>
			{shown}
			{active ? theme.glyph.cursor : ' '}
			{value === '' && placeholder ? <Text color={theme.color('muted')}>{truncate(placeholder, Math.max(0, room - 1), theme.glyph.ellipsis)}</Text> : null}
		</Text>
	);
}
