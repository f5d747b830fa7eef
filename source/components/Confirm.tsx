import React, {useRef, useState} from 'react';
import {Box, Text} from 'ink';
import {keyPriority, useKeypress} from '../hooks/KeypressContext.js';
import {useTheme} from '../theme/ThemeContext.js';
import {truncateStart} from '../util/format.js';
import {editLine} from './textEditing.js';
import {useLatest} from './useLatest.js';

export type ConfirmProps = {
	/** The question, e.g. "Restart rust-core-engine on production?" Wraps; the Modal around it clips. */
	message: string;
	onConfirm: () => void;
	onCancel: () => void;
	/**
	 * Text the user must type exactly (e.g. the environment name) before enter confirms. Without it, `y` confirms.
	 */
	typeToConfirm?: string;
	width: number;
	active?: boolean;
};

/**
 * A y/N question whose default is Cancel: enter, esc and n cancel; only `y` confirms (or, with
 * `typeToConfirm`, enter after typing the exact text). It answers once: keys after the decision are ignored,
 * so a repeated or pasted key cannot run an action twice. Give each question its own `key` to ask again.
 */
export function Confirm({message, onConfirm, onCancel, typeToConfirm, width, active = true}: ConfirmProps) {
	const theme = useTheme();
	const [typed, setTyped] = useState('');
	const [mismatch, setMismatch] = useState(false);
	const decided = useRef(false);
	const latest = useLatest({typed, onConfirm, onCancel, typeToConfirm});

	const decide = (confirmed: boolean) => {
		if (decided.current) return;
		decided.current = true;
		if (confirmed) latest.current.onConfirm();
		else latest.current.onCancel();
	};

	useKeypress(
		name => {
			if (decided.current) return false;
			const current = latest.current;
			if (name === 'escape') {
				decide(false);
				return true;
			}
			if (current.typeToConfirm === undefined) {
				if (name === 'y' || name === 'Y') decide(true);
				else if (name === 'enter' || name === 'n' || name === 'N') decide(false);
				else return false;
				return true;
			}
			if (name === 'enter') {
				if (current.typed === current.typeToConfirm) decide(true);
				// An empty answer is the default, Cancel; a wrong one stays open so a typo costs a retry, not the whole plan.
				else if (current.typed === '') decide(false);
				else setMismatch(true);
				return true;
			}
			const next = editLine(current.typed, name);
			if (next === undefined) return false;
			latest.current = {...current, typed: next};
			setTyped(next);
			setMismatch(false);
			return true;
		},
		{isActive: active, priority: keyPriority.input},
	);

	const accent = theme.color('accent');
	return (
		<Box flexDirection="column" width={width}>
			<Text>{theme.text(message)}</Text>
			{typeToConfirm === undefined ? (
				<Text wrap="truncate">
					<Text color={accent}>y</Text> confirm <Text color={accent}>N</Text>/enter/esc cancel [y/<Text bold={!theme.noColor}>N</Text>]
				</Text>
			) : (
				<>
					<Text wrap="truncate">
						Type <Text color={theme.color('prod')} bold={!theme.noColor}>{typeToConfirm}</Text> and press enter to confirm; esc cancels
					</Text>
					<Text wrap="truncate">
						<Text color={accent}>{'> '}</Text>
						{truncateStart(typed, Math.max(0, width - 3), theme.glyph.ellipsis)}
						{theme.glyph.cursor}
					</Text>
					{mismatch ? (
						<Text wrap="truncate" color={theme.color('crit')}>
							{`${theme.glyph.status.crit} does not match "${typeToConfirm}"`}
						</Text>
					) : null}
				</>
			)}
		</Box>
	);
}
