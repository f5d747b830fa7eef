import React, {memo} from 'react';
import {Text} from 'ink';
import {useTheme} from '../theme/ThemeContext.js';
import {displayWidth} from '../util/format.js';

export type KeyHint = {key: string; label: string};

export type KeyHintsProps = {hints: readonly KeyHint[]; width: number};

const GAP = '  ';

/**
 * Hints that fit in `width`, whole: a hint is never cut mid-word; when some are dropped the line ends with
 * the ellipsis glyph (and `?` help lists them all).
 */
export function fitHints(hints: readonly KeyHint[], width: number, ellipsis: string): {shown: KeyHint[]; dropped: boolean} {
	const shown: KeyHint[] = [];
	let used = 0;
	const reserve = displayWidth(GAP) + displayWidth(ellipsis);
	for (let i = 0; i < hints.length; i++) {
		const hint = hints[i];
		const w = (i === 0 ? 0 : displayWidth(GAP)) + displayWidth(hint.key) + 1 + displayWidth(hint.label);
		const isLast = i === hints.length - 1;
		if (used + w + (isLast ? 0 : reserve) > width) return {shown, dropped: true};
		shown.push(hint);
		used += w;
	}
	return {shown, dropped: false};
}

function KeyHintsView({hints, width}: KeyHintsProps) {
	const theme = useTheme();
	const {shown, dropped} = fitHints(hints.map(hint => ({key: theme.text(hint.key), label: theme.text(hint.label)})), width, theme.glyph.ellipsis);
	return (
		<Text wrap="truncate">
			{shown.map((hint, i) => (
				<React.Fragment key={hint.key}>
					{i === 0 ? '' : GAP}
					<Text color={theme.color('accent')} bold={!theme.noColor}>
						{hint.key}
					</Text>
					{` ${hint.label}`}
				</React.Fragment>
			))}
			{dropped ? (shown.length > 0 ? GAP : '') + theme.glyph.ellipsis : ''}
		</Text>
	);
}

const signature = (hints: readonly KeyHint[]): string => hints.map(hint => `${hint.key}\u0000${hint.label}`).join('\u0001');

/** Compared by content: callers usually build the hints array inline on every render. */
export const KeyHints = memo(
	KeyHintsView,
	(previous, next) =>
		previous.width === next.width && (previous.hints === next.hints || signature(previous.hints) === signature(next.hints)),
);
