import React from 'react';
import {Text, useInput, useStdin} from 'ink';
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
	const {isRawModeSupported} = useStdin();
	const latest = useLatest({value, onChange, onSubmit, onCancel});

	useInput(
		(input, key) => {
			const current = latest.current;
			if (key.escape) {
				current.onCancel();
				return;
			}
			if (key.return) {
				current.onSubmit(current.value);
				return;
			}
			const next = editLine(current.value, input, key);
			if (next !== undefined && next !== current.value) {
				// Seen by the next key even if no render happens in between.
				latest.current = {...current, value: next};
				current.onChange(next);
			}
		},
		{isActive: Boolean(isRawModeSupported) && active},
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
