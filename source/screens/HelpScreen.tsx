import {Box, Text} from 'ink';
import React, {useMemo} from 'react';
import {FilterLine} from '../components/FilterLine.js';
import {Pane} from '../components/Pane.js';
import {keysFor, type KeyAction, type KeyBinding} from '../config/keymap.js';
import {useAppContext} from '../hooks/AppContext.js';
import {useHelpSources, type HelpSources} from '../hooks/HelpContext.js';
import {useKeymap} from '../hooks/useKeymap.js';
import {matchesFilter, useListFilter} from '../hooks/useListFilter.js';
import {useScroll} from '../hooks/useListSelection.js';
import {useRunbookCatalog} from '../hooks/useRunbooks.js';
import type {Runbook} from '../runbooks/schema.js';
import {useTheme} from '../theme/ThemeContext.js';
import {fitCell} from '../util/format.js';
import type {ScreenProps} from './registry.js';

export type HelpLine = {key: string; text: string; heading?: boolean};

const keyWidth = 24;
/** A help column is as wide as an 80-column help screen's text; wider terminals get more columns. */
const columnWidth = 76;

/**
 * Generated from the keymap (with the config's overrides), the screen registry's sections and the palette's
 * commands: never out of date. Sections: keys everywhere, the screens, list keys, each screen's own keys,
 * other keys, runbook keys, `:` commands.
 */
export function helpLines(
	bindings: readonly KeyBinding[],
	sources: HelpSources,
	runbooks: ReadonlyArray<Pick<Runbook, 'key' | 'id' | 'title'>> = [],
): HelpLine[] {
	const lines: HelpLine[] = [];
	const byAction = new Map(bindings.map(b => [b.action, b]));
	const keysOf = (action: KeyAction) => byAction.get(action)?.keys.join(' ') ?? '';
	const screenJumps = new Set(sources.screens.map(s => s.action).filter(Boolean));
	const heading = (text: string) => lines.push({key: '', text, heading: true});

	heading('Everywhere');
	for (const binding of bindings.filter(b => b.group === 'global' && !screenJumps.has(b.action))) lines.push({key: binding.keys.join(' '), text: binding.label});

	heading(`Screens (${keysOf('nextScreen') || 'tab'} cycles, : jumps)`);
	for (const screen of sources.screens) {
		const jump = screen.action ? keysOf(screen.action) : screen.id === 'help' ? keysOf('help') : '';
		lines.push({key: [jump, `:${screen.id}`].filter(Boolean).join(' '), text: `${screen.title}: ${screen.description}`});
	}

	heading('Lists');
	for (const binding of bindings.filter(b => b.group === 'navigation')) lines.push({key: binding.keys.join(' '), text: binding.label});

	const claimed = new Set<KeyAction>();
	for (const screen of sources.screens) {
		const own = screen.keys.map(action => byAction.get(action)).filter((b): b is KeyBinding => b !== undefined);
		if (own.length === 0) continue;
		heading(screen.title);
		for (const binding of own) {
			claimed.add(binding.action);
			lines.push({key: binding.keys.join(' '), text: binding.label});
		}
	}
	const others = bindings.filter(b => b.group === 'screen' && !claimed.has(b.action));
	if (others.length > 0) {
		heading('Dialogs');
		for (const binding of others) lines.push({key: binding.keys.join(' '), text: binding.label});
	}

	const keyed = runbooks.filter(r => r.key);
	if (keyed.length > 0) {
		// Runbook keys are live only in the runbook list (r, or the Runbooks screen), never on their own.
		heading(`Runbooks (${keysFor(bindings, 'runbooks')}, then the key)`);
		for (const runbook of keyed) lines.push({key: runbook.key!, text: `${runbook.title} (${runbook.id})`});
	}
	heading('Commands (after :)');
	for (const command of sources.commands) lines.push({key: `:${command.usage}`, text: command.description});
	return lines;
}

/** The lines that match the filter, each under its section's heading (sections with no match are left out). */
export function filterHelpLines(lines: readonly HelpLine[], text: string): HelpLine[] {
	if (!text.trim()) return [...lines];
	const out: HelpLine[] = [];
	let section: HelpLine | undefined;
	for (const line of lines) {
		if (line.heading) section = line;
		else if (matchesFilter(text, [line.key, line.text, section?.text ?? ''])) {
			if (section && !out.includes(section)) out.push(section);
			out.push(line);
		}
	}
	return out;
}

/** Columns of `height` lines that fit `width`: one at 80 columns, two or more on a war-room screen. */
export function helpColumns(width: number): number {
	return Math.max(1, Math.min(3, Math.floor(width / columnWidth)));
}

export function HelpScreen({width, height, active}: ScreenProps) {
	const theme = useTheme();
	const {keymap} = useAppContext();
	const sources = useHelpSources();
	const catalog = useRunbookCatalog();
	const filter = useListFilter('help');
	const all = useMemo(() => helpLines(keymap.bindings, sources, catalog.data?.runbooks), [keymap.bindings, sources, catalog.data]);
	const lines = useMemo(() => filterHelpLines(all, filter.text), [all, filter.text]);
	const visible = Math.max(1, height - 2 - filter.lines);
	const columns = helpColumns(width - 2);
	const perColumn = visible;
	// The flow scrolls as one text: column c shows lines offset + c*visible onwards.
	const scroll = useScroll(Math.max(1, lines.length - perColumn * columns + 1), visible);
	useKeymap({...scroll.handlers, ...filter.handlers}, {isActive: active});
	const cellWidth = Math.floor((width - 2) / columns);
	const textWidth = Math.max(0, cellWidth - keyWidth - 2);
	return (
		<Pane title="Help" info={filter.text ? `${lines.length} lines match` : `esc back  j/k scroll  / filter`} width={width} height={height} focused={active}>
			<Box flexDirection="row" height={visible}>
				{lines.length === 0 ? <Text color={theme.color('muted')}>no key or command matches "{filter.text}"</Text> : null}
				{Array.from({length: columns}, (_, column) => (
					<Box key={column} flexDirection="column" width={cellWidth}>
						{lines.slice(scroll.offset + column * perColumn, scroll.offset + (column + 1) * perColumn).map((line, i) =>
							// Keyed by position: the same key and label can sit in several sections ("/ filter").
							line.heading ? (
								<Text key={i} bold color={theme.color('accent')}>
									{fitCell(theme.text(line.text), cellWidth - 1, 'left', theme.glyph.ellipsis)}
								</Text>
							) : (
								<Box key={i} height={1}>
									<Text color={theme.color('accent')}>{fitCell(theme.text(line.key), keyWidth, 'left', theme.glyph.ellipsis)} </Text>
									<Text>{fitCell(theme.text(line.text), textWidth, 'left', theme.glyph.ellipsis)}</Text>
								</Box>
							),
						)}
					</Box>
				))}
			</Box>
			<FilterLine filter={filter} width={width - 2} active={active} />
		</Pane>
	);
}
