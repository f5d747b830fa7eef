import React, {memo} from 'react';
import {Text} from 'ink';
import {useTheme} from '../theme/ThemeContext.js';
import type {ThemeToken} from '../theme/theme.js';

/**
 * The last `width` values as one glyph each, scaled to `max` (default: the largest value shown), left-padded
 * with spaces to exactly `width` columns. Missing (non-finite) values are blanks; zero and below is the
 * lowest glyph, so "no data" and "idle" look different.
 */
export function sparkline(values: readonly number[], width: number, max: number | undefined, glyphs: readonly string[]): string {
	if (width <= 0 || glyphs.length === 0) return '';
	const shown = values.slice(-width);
	let top = max;
	if (top === undefined || !(top > 0)) {
		top = 0;
		for (const value of shown) if (Number.isFinite(value) && value > top) top = value;
	}
	const steps = glyphs.length - 1;
	let out = ' '.repeat(width - shown.length);
	for (const value of shown) {
		if (!Number.isFinite(value)) {
			out += ' ';
			continue;
		}
		const ratio = top > 0 ? Math.min(1, Math.max(0, value / top)) : 0;
		out += glyphs[Math.round(ratio * steps)];
	}
	return out;
}

export type SparklineProps = {values: readonly number[]; width: number; max?: number; tone?: ThemeToken};

function SparklineView({values, width, max, tone}: SparklineProps) {
	const theme = useTheme();
	return (
		<Text wrap="truncate" color={theme.color(tone)}>
			{sparkline(values, width, max, theme.glyph.spark)}
		</Text>
	);
}

/**
 * Memoised on the rendered string's inputs: pass the same array while no sample arrived (a store selector
 * returning the stored array does), and the line is not rewritten.
 */
export const Sparkline = memo(SparklineView);
