import {Text} from 'ink';
import React, {memo} from 'react';
import {Pane} from '../../components/Pane.js';
import {useTheme} from '../../theme/ThemeContext.js';
import type {ThemeToken} from '../../theme/theme.js';

export type TileState = {
	/** What the tile is about: a service, or "Alerts". */
	title: string;
	/** One word in capitals that reads from across the room: OK, DOWN, DEGRADED, 2 FIRING. */
	word: string;
	tone: ThemeToken;
	/** Why, in a few words ("container exited (101)", "p95 2.1 s > 500 ms"). */
	detail?: string;
	/** The data's age: "as of 12:03:11". */
	asOf: string;
};

/**
 * A large status tile: the state word in bold colour, with its glyph so it reads without colour too. Five lines
 * (frame, word, detail, age) on a large screen, three (frame with the age, word and detail) on a small one.
 */
function StatusTileView({tile, width, height}: {tile: TileState; width: number; height: number}) {
	const theme = useTheme();
	const large = height >= 5;
	const glyph = theme.glyph.status[tile.tone === 'ok' ? 'ok' : tile.tone === 'crit' ? 'crit' : tile.tone === 'warn' ? 'warn' : 'muted'];
	const word = `${glyph} ${tile.word}`;
	return (
		<Pane title={theme.text(tile.title)} info={large ? undefined : tile.asOf} width={width} height={height}>
			<Text wrap="truncate" bold color={theme.color(tile.tone)} inverse={!theme.noColor && tile.tone === 'crit'}>
				{` ${word} `}
				{large ? '' : <Text bold={false} inverse={false} color={theme.color('muted')}>{tile.detail ? ` ${theme.text(tile.detail)}` : ''}</Text>}
			</Text>
			{large ? (
				<>
					<Text wrap="truncate" color={theme.color(tile.tone === 'ok' ? 'muted' : tile.tone)}>
						{` ${theme.text(tile.detail ?? '')}`}
					</Text>
					<Text wrap="truncate" color={theme.color('muted')}>
						{` ${tile.asOf}`}
					</Text>
				</>
			) : null}
		</Pane>
	);
}

export const StatusTile = memo(StatusTileView, (a, b) => a.width === b.width && a.height === b.height && a.tile.title === b.tile.title && a.tile.word === b.tile.word && a.tile.tone === b.tile.tone && a.tile.detail === b.tile.detail && a.tile.asOf === b.tile.asOf);
