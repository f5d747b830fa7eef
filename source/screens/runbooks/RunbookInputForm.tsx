import {Box, Text} from 'ink';
import React, {useState} from 'react';
import {TextInput} from '../../components/TextInput.js';
import type {EnvironmentConfig} from '../../config/schema.js';
import {keyPriority, useKeypress} from '../../hooks/KeypressContext.js';
import {expectationOf, isSecretInput} from '../../runbooks/inputs.js';
import type {Runbook, RunbookInput} from '../../runbooks/schema.js';
import {useTheme} from '../../theme/ThemeContext.js';
import {fitCell} from '../../util/format.js';
import {useBackupChoices} from '../database/useBackupChoices.js';

export type RunbookInputFormProps = {
	runbook: Runbook;
	environment: EnvironmentConfig;
	/** What the form starts with: defaults, a preset service, or what was typed before a validation error. */
	values: Record<string, string>;
	/** The engine's validation errors ("input NAME: expected …"); the form stays open beside them. */
	errors: readonly string[];
	planning: boolean;
	width: number;
	height: number;
	onSubmit(values: Record<string, string>): void;
	onCancel(): void;
};

/** Values a field can cycle through with ←/→: its allowed values, the environment's services, or true/false. */
export function choicesFor(input: RunbookInput, environment: EnvironmentConfig, backups: readonly string[] = []): string[] {
	if (input.values) return input.values.map(String);
	if (input.type === 'backup') return [...backups];
	if (input.type === 'service') return environment.services.map(s => s.name);
	if (input.type === 'boolean') return ['true', 'false'];
	return [];
}

/** One field per input, typed with its default filled in; enter plans with all of them, errors show under their field. */
export function RunbookInputForm({runbook, environment, values: initial, errors, planning, width, height, onSubmit, onCancel}: RunbookInputFormProps) {
	const theme = useTheme();
	const [values, setValues] = useState(initial);
	const backups = useBackupChoices();
	const [focus, setFocus] = useState(() => {
		const firstError = runbook.inputs.findIndex(i => errors.some(e => e.startsWith(`input ${i.name}:`)));
		return Math.max(0, firstError);
	});
	const inputs = runbook.inputs;
	const focused = inputs[focus];

	useKeypress(
		name => {
			if (planning) return true;
			if (name === 'tab' || name === 'down') setFocus(i => (i + 1) % inputs.length);
			else if (name === 'shift-tab' || name === 'up') setFocus(i => (i - 1 + inputs.length) % inputs.length);
			else if ((name === 'left' || name === 'right') && focused) {
				const choices = choicesFor(focused, environment, backups);
				if (choices.length === 0) return false;
				const at = choices.indexOf(values[focused.name] ?? '');
				const next = choices[(at + (name === 'right' ? 1 : -1) + choices.length) % choices.length]!;
				setValues(v => ({...v, [focused.name]: next}));
			} else return false;
			return true;
		},
		{priority: keyPriority.modal + 1},
	);

	const labelWidth = Math.min(18, Math.max(...inputs.map(i => i.name.length)) + 2);
	const general = errors.filter(e => !inputs.some(i => e.startsWith(`input ${i.name}:`)));
	const lines: React.ReactNode[] = [];
	inputs.forEach((input, i) => {
		const active = i === focus && !planning;
		const error = errors.find(e => e.startsWith(`input ${input.name}:`));
		lines.push(
			<Box key={input.name} height={1}>
				<Text color={theme.color(active ? 'accent' : 'muted')}>{fitCell(`${active ? theme.glyph.pointer : ' '}${input.name}`, labelWidth, 'left', theme.glyph.ellipsis)} </Text>
				{active ? (
					<TextInput
						value={values[input.name] ?? ''}
						onChange={value => setValues(v => ({...v, [input.name]: value}))}
						onSubmit={value => onSubmit({...values, [input.name]: value})}
						onCancel={onCancel}
						placeholder={input.default === undefined ? 'required' : `default ${String(input.default)}`}
						width={Math.max(4, width - labelWidth - 1)}
					/>
				) : (
					<Text wrap="truncate">{isSecretInput(input) && values[input.name] ? '********' : values[input.name] ?? ''}</Text>
				)}
			</Box>,
		);
		if (active) {
			const choices = choicesFor(input, environment, backups);
			const about = theme.text([input.description, `${input.type}: ${expectationOf(input, environment)}`, choices.length > 0 ? `${theme.glyph.leftRight} choose` : ''].filter(Boolean).join(theme.glyph.separator));
			lines.push(
				<Text key={`${input.name}-about`} wrap="truncate" color={theme.color('muted')}>
					{fitCell(`${' '.repeat(labelWidth + 1)}${about}`, width, 'left', theme.glyph.ellipsis)}
				</Text>,
			);
		}
		if (error) {
			lines.push(
				<Text key={`${input.name}-error`} wrap="truncate" color={theme.color('crit')}>
					{fitCell(`${' '.repeat(labelWidth + 1)}${theme.glyph.status.crit} ${error}`, width, 'left', theme.glyph.ellipsis)}
				</Text>,
			);
		}
	});
	for (const error of general) {
		lines.push(
			<Text key={`general-${error}`} wrap="truncate" color={theme.color('crit')}>
				{fitCell(`${theme.glyph.status.crit} ${error}`, width, 'left', theme.glyph.ellipsis)}
			</Text>,
		);
	}
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Text wrap="truncate">{fitCell(theme.text(`${runbook.title} (${runbook.id}) on ${environment.name}`), width, 'left', theme.glyph.ellipsis)}</Text>
			<Text> </Text>
			{lines}
			{planning ? <Text color={theme.color('info')}>planning{theme.glyph.pending}</Text> : null}
		</Box>
	);
}
