import {Text} from 'ink';
import React, {useState} from 'react';
import {Modal} from '../../components/Modal.js';
import {paneContentSize} from '../../components/Pane.js';
import {useAppContext, useAppState} from '../../hooks/AppContext.js';
import {keyPriority} from '../../hooks/KeypressContext.js';
import {useKeymap} from '../../hooks/useKeymap.js';
import {useTheme} from '../../theme/ThemeContext.js';
import {truncate} from '../../util/format.js';

const hints = [
	{key: 'j/k', label: 'choose'},
	{key: 'enter', label: 'start the drill'},
	{key: 'esc', label: 'cancel'},
];

/**
 * The demo's drill picker (the drill key): the drills with what each breaks and the runbook that resolves it.
 * Enter starts the chosen one on the running world; the footer says which runbook will end it, or why it cannot
 * start (one is already under way).
 */
export function DrillModal({width, height}: {width: number; height: number}) {
	const theme = useTheme();
	const {drills, refreshNow} = useAppContext();
	const closeModal = useAppState(s => s.closeModal);
	const setFlash = useAppState(s => s.setFlash);
	const list = drills?.drills ?? [];
	const [index, setIndex] = useState(0);
	const current = drills?.current() ?? 'healthy';
	const start = () => {
		const chosen = list[index];
		closeModal();
		if (!drills || !chosen) return;
		try {
			drills.start(chosen.name);
			setFlash(`drill ${chosen.name} started${chosen.runbook ? `: resolve it with the ${chosen.runbook} runbook` : ''}`);
			refreshNow();
		} catch (error) {
			setFlash(error instanceof Error ? error.message : String(error), 'error');
		}
	};
	useKeymap(
		{
			up: () => setIndex(i => Math.max(0, i - 1)),
			down: () => setIndex(i => Math.min(list.length - 1, i + 1)),
			select: start,
			back: closeModal,
		},
		{priority: keyPriority.modal, onOther: () => true},
	);
	const boxWidth = Math.min(width, 110);
	const boxHeight = Math.min(height, list.length * 2 + 5);
	const content = paneContentSize(boxWidth, boxHeight);
	const fit = (text: string, room: number) => truncate(theme.text(text), Math.max(0, room), theme.glyph.ellipsis);
	return (
		<Modal title="Start a drill" info={current === 'healthy' ? 'no drill under way' : `under way: ${current}`} infoTone={current === 'healthy' ? undefined : 'warn'} hints={hints} width={boxWidth} height={boxHeight} areaWidth={width} areaHeight={height}>
			{list.length === 0 ? <Text color={theme.color('muted')}>this environment has no drills (only the embedded demo does)</Text> : null}
			{list.map((drill, i) => (
				<React.Fragment key={drill.name}>
					<Text wrap="truncate" bold={i === index} color={theme.color(i === index ? 'accent' : undefined)}>
						{fit(`${i === index ? '>' : ' '} ${drill.name.padEnd(24)}${drill.runbook ? `resolve: ${drill.runbook} runbook` : ''}`, content.width)}
					</Text>
					<Text wrap="truncate" color={theme.color('muted')}>
						{fit(`    ${drill.line}`, content.width)}
					</Text>
				</React.Fragment>
			))}
		</Modal>
	);
}
