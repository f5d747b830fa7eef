/**
 * Pure formatters for fixed-width cells. Each returns a short string whose width depends only on the value's
 * magnitude, so a refreshed row keeps its layout and incremental rendering rewrites only what changed.
 */
import stringWidth from 'string-width';

const DASH = '-';

const byteUnits = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/**
 * "0 B", "512 B", "1.5 KiB", "180 MiB", "1.9 GiB" (binary units, as docker stats prints), to three significant
 * figures: a live memory or traffic figure moves by a tenth of a MiB every refresh, which nobody reads and which
 * would rewrite the cell each time.
 */
export function formatBytes(n: number): string {
	if (!Number.isFinite(n)) return DASH;
	if (n < 0) return `-${formatBytes(-n)}`;
	if (n < 1024) return `${Math.round(n)} B`;
	let value = n / 1024;
	let unit = 0;
	// Round first so 1023.96 KiB becomes "1.0 MiB", not "1024 KiB".
	while (Math.round(value) >= 1024 && unit < byteUnits.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${threeFigures(value)} ${byteUnits[unit]}`;
}

/** One decimal below 100 ("99.5"), whole numbers from there ("100", "512"). */
function threeFigures(value: number): string {
	return Number(value.toFixed(1)) >= 100 ? value.toFixed(0) : value.toFixed(1);
}

/**
 * A value already in percent, as a person reads a load: "0.4%", "9.5%", then whole percents from 10 ("12%",
 * "100%"): a tenth of a percent of a busy container's CPU is noise that would rewrite the cell every refresh.
 */
export function formatPercent(n: number): string {
	if (!Number.isFinite(n)) return DASH;
	return `${displayedPercent(n)}%`;
}

/** The number formatPercent shows, for ordering rows by what the reader sees rather than by the noise under it. */
export function displayedPercent(n: number): string {
	return Math.abs(Number(n.toFixed(1))) >= 10 ? n.toFixed(0) : n.toFixed(1);
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Compact duration, two units at most: "45s", "3m12s", "2h05m", "4d03h". Negative counts as zero. */
export function formatDuration(ms: number): string {
	if (!Number.isFinite(ms)) return DASH;
	const totalSeconds = Math.floor(Math.max(0, ms) / 1000);
	if (totalSeconds < 60) return `${totalSeconds}s`;
	const totalMinutes = Math.floor(totalSeconds / 60);
	if (totalMinutes < 60) return `${totalMinutes}m${pad2(totalSeconds % 60)}s`;
	const totalHours = Math.floor(totalMinutes / 60);
	if (totalHours < 24) return `${totalHours}h${pad2(totalMinutes % 60)}m`;
	return `${Math.floor(totalHours / 24)}d${pad2(totalHours % 24)}h`;
}

/**
 * Time on a clock that keeps running (an uptime, an age) at the resolution a reader wants of it: ten seconds in
 * the first minute ("just restarted"), then minutes, then hours and minutes, then days and hours ("40s", "12m",
 * "2h05m", "4d03h"). The figure changes once a minute at most after the first one, not at every refresh.
 */
export function formatElapsed(ms: number): string {
	if (!Number.isFinite(ms)) return DASH;
	const totalSeconds = Math.floor(Math.max(0, ms) / 1000);
	if (totalSeconds < 60) return `${totalSeconds - (totalSeconds % 10)}s`;
	if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)}m`;
	return formatDuration(ms);
}

/** Staleness of data fetched `ms` ago: "now", "12 s old", then at formatElapsed's resolution ("3m old", "2h05m old"). */
export function formatAge(ms: number): string {
	if (!Number.isFinite(ms)) return DASH;
	if (ms < 1000) return 'now';
	if (ms < 60_000) return `${Math.floor(ms / 1000)} s old`;
	return `${formatElapsed(ms)} old`;
}

/** How far a live figure must move from the one shown before the shown one follows: a share of it, or at least an amount. */
export type Steadiness = {relative: number; absolute: number};

/**
 * What a person reads of a figure that wobbles on every sample: a container's CPU at 15 % that reads 13, 17, 14 %
 * says "about 15 %"; a 27 ms probe that reads 25 or 31 ms says "about 27 ms". Within these bands the shown figure
 * stays put, so its cell (and the rows sorted by it) are not rewritten every refresh.
 */
export const steadiness = {
	percent: {relative: 0.3, absolute: 0.5},
	latency: {relative: 0.25, absolute: 3},
	/** One probe's answer time, noisier than a percentile of many: only its order of magnitude reads. */
	sample: {relative: 0.5, absolute: 5},
	/** A running clock (an operation's age, in seconds) shown by how long, not to the second. */
	runningSeconds: {relative: 0.5, absolute: 5},
	bytes: {relative: 0.1, absolute: 0},
	/** Memory as a share of its limit moves with the bytes (a tenth), not with CPU's wide band. */
	memoryPercent: {relative: 0.1, absolute: 0.2},
	count: {relative: 0.1, absolute: 2},
	lagSeconds: {relative: 0.2, absolute: 0.3},
	/** How much higher a row's figure must be before it goes above the row over it (steadyOrder). */
	rank: {relative: 0.5, absolute: 2},
} satisfies Record<string, Steadiness>;

/**
 * The figure to show now, given the one shown and the one just measured (hysteresis): the shown one while the new
 * one is within `band` of it, the new one otherwise, and always the new one across a bound (a limit that changes
 * a colour or a verdict), so a figure over its limit never reads as under it.
 */
export function steadyValue(shown: number | undefined, raw: number, band: Steadiness, bounds: readonly number[] = []): number {
	if (shown === undefined || !Number.isFinite(shown) || !Number.isFinite(raw)) return raw;
	if (bounds.some(bound => raw > bound !== shown > bound)) return raw;
	return Math.abs(raw - shown) <= Math.max(band.absolute, band.relative * Math.abs(shown)) ? shown : raw;
}

/** "23 ms", "1.52 s", "12.3 s", "2m05s". */
export function formatLatency(ms: number): string {
	if (!Number.isFinite(ms) || ms < 0) return DASH;
	if (ms < 1000) return `${Math.round(ms)} ms`;
	if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
	if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
	return formatDuration(ms);
}

const printableAscii = /^[\x20-\x7e]*$/;

/** Display width in terminal columns; wide (CJK, emoji) characters count two. */
export function displayWidth(text: string): number {
	return printableAscii.test(text) ? text.length : stringWidth(text);
}

let segmenter: Intl.Segmenter | undefined;
/** The user-perceived characters of `text` (a flag, a family emoji or a letter with its accents is one). */
export function graphemes(text: string): Iterable<string> {
	segmenter ??= new Intl.Segmenter(undefined, {granularity: 'grapheme'});
	const segments = segmenter.segment(text);
	return {
		*[Symbol.iterator]() {
			for (const {segment} of segments) yield segment;
		},
	};
}

/** The longest prefix of `text` that fits `width` columns, and its width. */
function fitPrefix(text: string, width: number): {text: string; width: number} {
	let out = '';
	let used = 0;
	for (const g of graphemes(text)) {
		const w = stringWidth(g);
		if (used + w > width) break;
		out += g;
		used += w;
	}
	return {text: out, width: used};
}

/**
 * Cut `text` to at most `width` columns, ending with `ellipsis` when something was cut. A wide character is
 * never split, so the result may be one column narrower than `width`; padCell fills that.
 */
export function truncate(text: string, width: number, ellipsis = '…'): string {
	if (width <= 0) return '';
	if (printableAscii.test(text) && printableAscii.test(ellipsis)) {
		if (text.length <= width) return text;
		if (ellipsis.length >= width) return text.slice(0, width);
		return text.slice(0, width - ellipsis.length) + ellipsis;
	}
	if (stringWidth(text) <= width) return text;
	const ellipsisWidth = stringWidth(ellipsis);
	if (ellipsisWidth >= width) return fitPrefix(text, width).text;
	return fitPrefix(text, width - ellipsisWidth).text + ellipsis;
}

/** Keep the end of `text` within `width` columns, starting with `ellipsis` when cut: an input line shows what is being typed. */
export function truncateStart(text: string, width: number, ellipsis = '…'): string {
	if (width <= 0) return '';
	if (displayWidth(text) <= width) return text;
	const ellipsisWidth = displayWidth(ellipsis);
	const room = width - ellipsisWidth;
	if (room <= 0) return truncateStart(text, width, '');
	const parts = Array.from(graphemes(text));
	let out = '';
	let used = 0;
	for (let i = parts.length - 1; i >= 0; i--) {
		const w = stringWidth(parts[i]);
		if (used + w > room) break;
		out = parts[i] + out;
		used += w;
	}
	return ellipsis + out;
}

/** Pad (or cut, without ellipsis) to exactly `width` columns. */
export function padCell(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	if (width <= 0) return '';
	let fitted = text;
	let w = displayWidth(text);
	if (w > width) {
		const prefix = fitPrefix(text, width);
		fitted = prefix.text;
		w = prefix.width;
	}
	const fill = ' '.repeat(width - w);
	return align === 'right' ? fill + fitted : fitted + fill;
}

/** Where a terminal puts tab stops unless told otherwise. */
export const TAB_WIDTH = 8;

/**
 * Tabs replaced by the spaces that reach the next tab stop, as a terminal would move the cursor: a tab left in
 * drawn text is measured as nothing and then moves the cursor anyway, so the line overruns its box (mongodump
 * output, `docker ps`-style tables). Stops count from the start of each line of `text`, in display columns.
 */
export function expandTabs(text: string, tabWidth = TAB_WIDTH): string {
	if (!text.includes('\t')) return text;
	let out = '';
	let column = 0;
	let start = 0;
	for (let i = 0; i < text.length; i++) {
		const char = text.charCodeAt(i);
		if (char !== 9 && char !== 10) continue;
		const piece = text.slice(start, i);
		out += piece;
		start = i + 1;
		if (char === 10) {
			out += '\n';
			column = 0;
			continue;
		}
		column += displayWidth(piece);
		const fill = tabWidth - (column % tabWidth);
		out += ' '.repeat(fill);
		column += fill;
	}
	return out + text.slice(start);
}

// C0 controls, DEL and C1 controls: a tab, newline or escape sequence inside a cell would break the row's layout.
const controlChars = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/** One line, no control characters: tabs are expanded to their stops, line breaks become a space, other controls are dropped. */
export function singleLine(text: string): string {
	if (printableAscii.test(text)) return text;
	return expandTabs(text.replace(controlChars, c => (c === '\n' || c === '\r' ? ' ' : '')));
}

/** A table cell: single line, truncated with `ellipsis`, padded to exactly `width` columns. */
export function fitCell(text: string, width: number, align: 'left' | 'right' = 'left', ellipsis = '…'): string {
	return padCell(truncate(singleLine(text), width, ellipsis), width, align);
}
