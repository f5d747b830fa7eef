/**
 * One line of an ink frame as the terminal cells it covers: what each column shows and with which Style. A wide
 * character (CJK, most emoji) takes its column and the next, which holds WIDE_TAIL.
 */
import {displayWidth, graphemes} from '../util/format.js';
import {applySgr, DEFAULT_STYLE, type Style} from './sgr.js';

export const WIDE_TAIL = '';
export const BLANK = ' ';

export type ScreenLine = {
	readonly raw: string;
	/** Per column; a line may be shorter than the terminal, the rest is blank in the default style. */
	readonly chars: readonly string[];
	readonly styles: readonly Style[];
	/**
	 * The line holds something the cell model cannot place (a tab, a control character, a non-SGR escape, more
	 * columns than the terminal): it is written as it is, whole, and the cursor is not known after it.
	 */
	readonly opaque: boolean;
};

const sgrSequence = /\u001B\[([0-9;:]*)m/y;
const plainRun = /[\u0020-\u007e]+/y;
// Everything up to the next escape or control character: measured grapheme by grapheme.
const otherRun = /[^\u0000-\u001f\u007f-\u009f]+/y;

// A frame holds few distinct wide or non-ASCII graphemes (box drawing, sparkline blocks, status glyphs), and
// string-width tests each against an emoji pattern: once per grapheme is enough.
const widths = new Map<string, number>();
function widthOf(grapheme: string): number {
	let width = widths.get(grapheme);
	if (width === undefined) {
		width = displayWidth(grapheme);
		if (widths.size < 4096) widths.set(grapheme, width);
	}
	return width;
}

export function parseLine(raw: string, columns: number): ScreenLine {
	const chars: string[] = [];
	const styles: Style[] = [];
	const opaque = (): ScreenLine => ({raw, chars: [], styles: [], opaque: true});
	let style: Style = DEFAULT_STYLE;
	let at = 0;
	while (at < raw.length) {
		sgrSequence.lastIndex = at;
		const sgr = sgrSequence.exec(raw);
		if (sgr) {
			const next = applySgr(style, sgr[1]);
			if (!next) return opaque();
			style = next;
			at = sgrSequence.lastIndex;
			continue;
		}
		plainRun.lastIndex = at;
		const plain = plainRun.exec(raw);
		if (plain) {
			for (const char of plain[0]) {
				chars.push(char);
				styles.push(style);
			}
			at = plainRun.lastIndex;
			continue;
		}
		otherRun.lastIndex = at;
		const other = otherRun.exec(raw);
		if (!other) return opaque();
		for (const grapheme of graphemes(other[0])) {
			const width = widthOf(grapheme);
			if (width === 0) {
				// A combining mark or joiner drawn with the character before it.
				if (chars.length === 0 || chars[chars.length - 1] === WIDE_TAIL) return opaque();
				chars[chars.length - 1] += grapheme;
			} else if (width === 1) {
				chars.push(grapheme);
				styles.push(style);
			} else if (width === 2) {
				chars.push(grapheme, WIDE_TAIL);
				styles.push(style, style);
			} else {
				return opaque();
			}
		}
		at = otherRun.lastIndex;
	}
	if (chars.length > columns) return opaque();
	return {raw, chars, styles, opaque: false};
}

/** Columns up to the last one that is not a blank in the default style: past it, erasing the line is enough. */
export function contentWidth(line: ScreenLine): number {
	let end = line.chars.length;
	while (end > 0 && line.chars[end - 1] === BLANK && line.styles[end - 1] === DEFAULT_STYLE) end--;
	return end;
}
