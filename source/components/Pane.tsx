import React, {memo, type ReactNode} from 'react';
import {Box, Text} from 'ink';
import {useTheme} from '../theme/ThemeContext.js';
import type {ThemeToken} from '../theme/theme.js';
import {displayWidth, singleLine, truncate} from '../util/format.js';

/** What a pane's data source says about itself (from useResourceStatus): its age once stale, its error. */
export type PaneStatus = {
	/** "12 s old", "waiting for data"; undefined while fresh. */
	age?: string;
	stale: boolean;
	/** "docker: connect ENOENT /var/run/docker.sock — retrying in 8 s". */
	error?: string;
};

export type PaneProps = {
	title: string;
	/** Right side of the top edge: staleness ("12 s old"), "paused", a count. */
	info?: string;
	infoTone?: ThemeToken;
	/** Shown on the first inner line in the crit tone, above the (still rendered) last good content. */
	error?: string;
	/** The data's age (after `info`, in the warn tone once stale) and error (when `error` is not given). */
	status?: PaneStatus;
	/** Exact outer size, border included. */
	width: number;
	height: number;
	focused?: boolean;
	children?: ReactNode;
};

/** Room left for children: the border takes two columns and two lines, an error (`status.error` too) one more line. */
export function paneContentSize(width: number, height: number, error?: string): {width: number; height: number} {
	return {width: Math.max(0, width - 2), height: Math.max(0, height - 2 - (error ? 1 : 0))};
}

/** Title and info fitted into the top edge; the info keeps up to half, because staleness matters more than a long title. */
function topEdge(title: string, info: string | undefined, width: number, focusMarks: boolean, focused: boolean, ellipsis: string) {
	const room = Math.max(0, width - 4);
	const infoRoom = info ? Math.min(displayWidth(info) + 2, Math.floor(room / 2)) : 0;
	const infoText = infoRoom > 2 ? ` ${truncate(info ?? '', infoRoom - 2, ellipsis)} ` : '';
	const titleRoom = room - displayWidth(infoText);
	// Without colour, focus shows as brackets in place of the spaces around the title: same width either way.
	const [open, close] = focusMarks && focused ? ['[', ']'] : [' ', ' '];
	const titleText = titleRoom > 2 ? `${open}${truncate(title, titleRoom - 2, ellipsis)}${close}` : '';
	const fill = Math.max(0, room - displayWidth(titleText) - displayWidth(infoText));
	return {titleText, infoText, fill};
}

function PaneView({title, info: ownInfo, infoTone: ownTone = 'muted', error: ownError, status, width, height, focused = false, children}: PaneProps) {
	const theme = useTheme();
	if (width < 2 || height < 2) return null;
	const error = ownError ?? status?.error;
	const info = [ownInfo, status?.age].filter(Boolean).join('  ') || undefined;
	const infoTone = status?.stale ? 'warn' : ownTone;

	const {box, border} = theme.glyph;
	const borderColor = theme.color(focused ? 'accent' : 'muted');
	const {titleText, infoText, fill} = topEdge(title, info, width, theme.noColor, focused, theme.glyph.ellipsis);
	const content = paneContentSize(width, height, error);
	const edge = width >= 4 ? box.top : '';

	return (
		<Box flexDirection="column" width={width} height={height} flexShrink={0} overflow="hidden">
			<Text wrap="truncate">
				<Text color={borderColor}>{box.topLeft + edge}</Text>
				<Text bold={!theme.noColor}>{titleText}</Text>
				<Text color={borderColor}>{box.top.repeat(fill)}</Text>
				<Text color={theme.color(infoTone)}>{infoText}</Text>
				<Text color={borderColor}>{edge + box.topRight}</Text>
			</Text>
			<Box
				flexDirection="column"
				width={width}
				height={height - 1}
				borderStyle={border}
				borderTop={false}
				borderColor={borderColor}
				overflow="hidden"
			>
				{error ? (
					<Text wrap="truncate" color={theme.color('crit')}>
						{truncate(singleLine(`${theme.glyph.status.crit} ${error}`), content.width, theme.glyph.ellipsis)}
					</Text>
				) : null}
				<Box flexDirection="column" height={content.height} overflow="hidden" flexShrink={0}>
					{/* Natural height inside a clipped parent: without it yoga shrinks the children and keeps the wrong lines. */}
					<Box flexDirection="column" flexShrink={0}>
						{children}
					</Box>
				</Box>
			</Box>
		</Box>
	);
}

/**
 * A bordered, titled box of an exact size. Children are clipped, never grow the frame; give them
 * `paneContentSize(...)` so lists can virtualise to the lines they really have.
 */
export const Pane = memo(PaneView);
