import React, {type ReactNode} from 'react';
import {Box} from 'ink';
import {useTheme} from '../theme/ThemeContext.js';
import type {ThemeToken} from '../theme/theme.js';
import {KeyHints, type KeyHint} from './KeyHints.js';
import {Pane, paneContentSize} from './Pane.js';

export type ModalProps = {
	title: string;
	/** Outer size of the dialog, border included. */
	width: number;
	height: number;
	/** Size of the area it is centred in (the screen body it replaces); defaults to its own size. */
	areaWidth?: number;
	areaHeight?: number;
	/** Footer line, e.g. [{key: 'y', label: 'confirm'}, {key: 'esc', label: 'cancel'}]. */
	hints?: readonly KeyHint[];
	/** Shown in the top edge, e.g. the target environment. */
	info?: string;
	infoTone?: ThemeToken;
	children?: ReactNode;
};

/**
 * A focused dialog, centred in the area of the screen body. The app renders it instead of the body (not on top:
 * ink has no layers), so the frame keeps the body's size.
 */
export function Modal({title, width, height, areaWidth = width, areaHeight = height, hints, info, infoTone, children}: ModalProps) {
	const theme = useTheme();
	const boxWidth = Math.min(width, areaWidth);
	const boxHeight = Math.min(height, areaHeight);
	const content = paneContentSize(boxWidth, boxHeight);
	const bodyHeight = Math.max(0, content.height - (hints && hints.length > 0 ? 1 : 0));
	return (
		<Box width={areaWidth} height={areaHeight} justifyContent="center" alignItems="center" overflow="hidden">
			<Pane title={theme.text(title)} info={info === undefined ? undefined : theme.text(info)} infoTone={infoTone} width={boxWidth} height={boxHeight} focused>
				<Box flexDirection="column" height={bodyHeight} overflow="hidden" flexShrink={0}>
					{children}
				</Box>
				{hints && hints.length > 0 ? <KeyHints hints={hints} width={content.width} /> : null}
			</Pane>
		</Box>
	);
}
