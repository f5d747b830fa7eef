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

/**
 * A long history folded into `width` cells of `perCell` samples each, every cell the peak of its samples (a
 * missing value where none is finite). Cells are aligned on the count of samples ever taken (`total`, the last
 * value being the total-th): each cell keeps its samples as new ones arrive, so only the last cell changes, and
 * the line moves by one cell every `perCell` samples instead of at every sample. The oldest cell is left out
 * while the history no longer holds all of its samples.
 */
export function peaksPerCell(values: readonly number[], total: number, perCell: number, width: number): number[] {
	if (perCell <= 1 || width <= 0) return values.slice(-Math.max(0, width));
	const first = total - values.length;
	const last = Math.floor((total - 1) / perCell);
	const from = Math.max(last - width + 1, Math.ceil(first / perCell));
	const out: number[] = [];
	for (let cell = from; cell <= last; cell++) {
		let peak = Number.NaN;
		for (let at = cell * perCell; at < Math.min((cell + 1) * perCell, total); at++) {
			const value = values[at - first];
			if (Number.isFinite(value) && !(value <= peak)) peak = value;
		}
		out.push(peak);
	}
	return out;
}

/**
 * The top of a scale for values up to `peak`, in steps of 1, 2 and 5 times a power of ten: a line scaled to it is
 * redrawn whole only when the peak crosses a step, not whenever the largest value shown moves a little.
 */
export function steppedScale(peak: number): number | undefined {
	if (!(peak > 0) || !Number.isFinite(peak)) return undefined;
	const power = 10 ** Math.floor(Math.log10(peak));
	for (const step of [1, 2, 5, 10]) if (peak <= step * power) return step * power;
	return 10 * power;
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
