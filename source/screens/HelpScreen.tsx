import {Box, Text} from 'ink';
import React, {useMemo} from 'react';
import {Pane} from '../components/Pane.js';
import {keysFor, type KeyBinding} from '../config/keymap.js';
import {useAppContext} from '../hooks/AppContext.js';
import {useKeymap} from '../hooks/useKeymap.js';
import {useListSelection} from '../hooks/useListSelection.js';
import {useRunbookCatalog} from '../hooks/useRunbooks.js';
import type {Runbook} from '../runbooks/schema.js';
import {useTheme} from '../theme/ThemeContext.js';
import {fitCell} from '../util/format.js';
import {paletteCommands} from '../app/palette.js';
import type {ScreenProps} from './registry.js';

const groupTitles: Record<KeyBinding['group'], string> = {global: 'Everywhere', navigation: 'Lists', screen: 'Screens'};

/** Generated from the keymap (with the config's overrides) and the palette's commands: never out of date. */
export function helpLines(
	bindings: readonly KeyBinding[],
	runbooks: ReadonlyArray<Pick<Runbook, 'key' | 'id' | 'title'>> = [],
): Array<{key: string; text: string; heading?: boolean}> {
	const lines: Array<{key: string; text: string; heading?: boolean}> = [];
	for (const group of ['global', 'navigation', 'screen'] as const) {
		lines.push({key: '', text: groupTitles[group], heading: true});
		for (const binding of bindings.filter(b => b.group === group)) lines.push({key: binding.keys.join(' '), text: binding.label});
	}
	const keyed = runbooks.filter(r => r.key);
	if (keyed.length > 0) {
		// Runbook keys are live only in the runbook list (r, or the Runbooks screen), never on their own.
		lines.push({key: '', text: `Runbooks (${keysFor(bindings, 'runbooks')}, then the key)`, heading: true});
		for (const runbook of keyed) lines.push({key: runbook.key!, text: `${runbook.title} (${runbook.id})`});
	}
	lines.push({key: '', text: 'Commands (after :)', heading: true});
	for (const command of paletteCommands) lines.push({key: `:${command.usage}`, text: command.description});
	return lines;
}

export function HelpScreen({width, height, active}: ScreenProps) {
	const theme = useTheme();
	const {keymap} = useAppContext();
	const catalog = useRunbookCatalog();
	const lines = useMemo(() => helpLines(keymap.bindings, catalog.data?.runbooks), [keymap.bindings, catalog.data]);
	const visible = Math.max(1, height - 2);
	const scroll = useListSelection(Math.max(1, lines.length - visible + 1), visible);
	useKeymap(scroll.handlers, {isActive: active});
	return (
		<Pane title="Help" info="esc back  j/k scroll" width={width} height={height} focused={active}>
			<Box flexDirection="column">
				{lines.slice(scroll.index, scroll.index + visible).map(line =>
					line.heading ? (
						<Text key={`h-${line.text}`} bold color={theme.color('accent')}>
							{line.text}
						</Text>
					) : (
						<Box key={`${line.key}-${line.text}`} height={1}>
							<Text color={theme.color('accent')}>{fitCell(theme.text(line.key), 26, 'left', theme.glyph.ellipsis)} </Text>
							<Text>{fitCell(theme.text(line.text), Math.max(0, width - 30), 'left', theme.glyph.ellipsis)}</Text>
						</Box>
					),
				)}
			</Box>
		</Pane>
	);
}
