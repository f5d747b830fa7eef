import {Box, Text} from 'ink';
import React, {memo, useEffect, useMemo, useState} from 'react';
import {KeyHints} from '../components/KeyHints.js';
import {TextInput} from '../components/TextInput.js';
import {keysFor, type KeyAction, type KeyBinding} from '../config/keymap.js';
import {useAppState} from '../hooks/AppContext.js';
import {useTheme} from '../theme/ThemeContext.js';
import {fitCell} from '../util/format.js';

const flashMs = 8000;

const hintActions: KeyAction[] = ['help', 'palette', 'nextScreen', 'select', 'filter', 'pause', 'quit'];

/** Key hints, or the last message, or the command palette's input line. */
export const Footer = memo(function Footer({
	width,
	bindings,
	paletteOpen,
	onPaletteSubmit,
	onPaletteCancel,
}: {
	width: number;
	bindings: readonly KeyBinding[];
	paletteOpen: boolean;
	onPaletteSubmit(line: string): void;
	onPaletteCancel(): void;
}) {
	const theme = useTheme();
	const flash = useAppState(s => s.flash);
	const clearFlash = useAppState(s => s.clearFlash);
	useEffect(() => {
		if (!flash) return;
		const timer = setTimeout(clearFlash, flashMs);
		return () => clearTimeout(timer);
	}, [flash, clearFlash]);
	const hints = useMemo(
		() => hintActions.map(action => ({key: keysFor(bindings, action), label: bindings.find(b => b.action === action)!.label})),
		[bindings],
	);
	if (paletteOpen) {
		return <PaletteInput width={width} onSubmit={onPaletteSubmit} onCancel={onPaletteCancel} />;
	}
	if (flash) {
		return (
			<Box height={1} width={width}>
				<Text color={theme.color(flash.level === 'error' ? 'crit' : 'info')}>{fitCell(theme.text(flash.text), width, 'left', theme.glyph.ellipsis)}</Text>
			</Box>
		);
	}
	return <KeyHints hints={hints} width={width} />;
});

function PaletteInput({width, onSubmit, onCancel}: {width: number; onSubmit(line: string): void; onCancel(): void}) {
	const [line, setLine] = useState('');
	return <TextInput prompt=":" placeholder="command, e.g. stats (help lists them)" value={line} onChange={setLine} width={width} onSubmit={onSubmit} onCancel={onCancel} />;
}
