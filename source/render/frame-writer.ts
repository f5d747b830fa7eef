/**
 * Turns each new frame into the fewest bytes that make the screen show it: the frame is compared with the last one
 * cell by cell, and only the changed runs are written, each reached by the shortest cursor move (or by rewriting a
 * short unchanged gap when that is shorter). The cursor is left where the last write ended: no moves back.
 *
 * The frame is drawn from the top-left corner of the screen (botops draws in the alternate screen, from home), so
 * an absolute move is always right; when the screen's content is not known (the first frame, after a clear, after
 * a resize) it is erased and drawn whole.
 */
import {BLANK, contentWidth, parseLine, type ScreenLine, WIDE_TAIL} from './screen-line.js';
import {DEFAULT_STYLE, type Style, transition} from './sgr.js';

const ESC = '\u001B[';
const eraseLineEnd = `${ESC}K`;
const eraseBelow = `${ESC}J`;
const homeAndEraseScreen = `${ESC}H${ESC}2J`;

/** Where the terminal's cursor is; -1 for a coordinate not known (after an opaque line, or past the right margin). */
type Cursor = {row: number; col: number};

export class FrameWriter {
	/** What the screen shows, row by row from the top; null when not known. Rows past the end are blank. */
	private screen: ScreenLine[] | null = null;
	private cursor: Cursor = {row: -1, col: -1};
	private style: Style | undefined;
	private columns = 0;
	private rows = 0;

	/** The screen is not known any more (something else wrote to it, or it was resized): the next frame is drawn whole. */
	forget(): void {
		this.screen = null;
		this.cursor = {row: -1, col: -1};
		this.style = undefined;
	}

	knowsScreen(): boolean {
		return this.screen !== null;
	}

	/** Bytes to erase the screen, after which it is known to be blank. */
	clear(): string {
		const out = transition(this.style, DEFAULT_STYLE) + homeAndEraseScreen;
		this.screen = [];
		this.cursor = {row: 0, col: 0};
		this.style = DEFAULT_STYLE;
		return out;
	}

	/** Someone else wrote `lines` from the top-left corner: remember them as the screen, the cursor as unknown. */
	assume(lines: readonly string[], columns: number, rows: number): void {
		this.screen = lines.map(line => parseLine(line, columns));
		this.columns = columns;
		this.rows = rows;
		this.cursor = {row: -1, col: -1};
		this.style = undefined;
	}

	/** Bytes that turn the screen into `lines` on a `columns` x `rows` terminal. */
	frame(lines: readonly string[], columns: number, rows: number): string {
		let out = '';
		if (this.screen === null || columns !== this.columns || rows !== this.rows) {
			this.columns = columns;
			this.rows = rows;
			out += this.clear();
		}
		if (lines.length > rows) return out + this.tooTall(lines);
		const screen = this.screen!;
		const next: ScreenLine[] = [];
		for (let row = 0; row < lines.length; row++) {
			const previous = screen[row];
			if (previous && previous.raw === lines[row]) {
				next.push(previous);
				continue;
			}
			const line = parseLine(lines[row], columns);
			next.push(line);
			out += this.row(row, previous, line);
		}
		if (screen.slice(lines.length).some(line => line.opaque || contentWidth(line) > 0)) {
			out += this.moveTo(lines.length, 0) + this.setStyle(DEFAULT_STYLE) + eraseBelow;
		}
		this.screen = next;
		return out;
	}

	/** Bytes that put the cursor at a cell of the frame (where ink shows a text cursor). */
	moveTo(row: number, col: number): string {
		const move = shortestMove(this.cursor, row, col);
		this.cursor = {row, col};
		return move;
	}

	private row(row: number, previous: ScreenLine | undefined, next: ScreenLine): string {
		if (next.opaque || previous?.opaque) return this.wholeRow(row, next);
		const changed = changedColumns(previous, next);
		if (changed.length === 0) return '';
		const end = contentWidth(next);
		let out = '';
		let runStart = -1;
		for (let col = 0; col <= end; col++) {
			const isChanged = col < end && changed[col] === true;
			if (isChanged && runStart < 0) runStart = col;
			if (!isChanged && runStart >= 0) {
				out += this.reach(row, runStart, next) + this.cells(next, runStart, col);
				runStart = -1;
			}
		}
		if (changed.length > end) out += this.eraseFrom(row, end);
		return out;
	}

	/** Reaches (row, col) by a cursor move or, when shorter, by rewriting the unchanged cells in between. */
	private reach(row: number, col: number, line: ScreenLine): string {
		const move = shortestMove(this.cursor, row, col);
		const {row: atRow, col: atCol} = this.cursor;
		if (atRow === row && atCol >= 0 && atCol < col && line.chars[atCol] !== WIDE_TAIL && move.length > 0) {
			const style = this.style;
			const gap = this.cells(line, this.cursor.col, col);
			if (gap.length <= move.length) return gap;
			this.style = style;
		}
		this.cursor = {row, col};
		return move;
	}

	/** Writes line's cells [from, to), the cursor already at `from`. */
	private cells(line: ScreenLine, from: number, to: number): string {
		let out = '';
		for (let col = from; col < to; col++) {
			if (line.chars[col] === WIDE_TAIL) continue;
			out += this.setStyle(line.styles[col]) + line.chars[col];
		}
		// Past the right margin the terminal holds the cursor on the last column until the next character: not a
		// place a relative move can start from.
		this.cursor = {row: this.cursor.row, col: to >= this.columns ? -1 : to};
		return out;
	}

	private wholeRow(row: number, next: ScreenLine): string {
		let out = this.moveTo(row, 0) + this.setStyle(DEFAULT_STYLE);
		if (!next.opaque) return out + this.cells(next, 0, contentWidth(next)) + this.eraseFrom(row, contentWidth(next));
		// Erased first: a tab moves over cells without overwriting them.
		out += eraseLineEnd + next.raw;
		this.style = undefined;
		this.cursor = {row: -1, col: -1};
		return out;
	}

	private eraseFrom(row: number, col: number): string {
		if (col >= this.columns) return '';
		return this.moveTo(row, col) + this.setStyle(DEFAULT_STYLE) + eraseLineEnd;
	}

	private setStyle(style: Style): string {
		const out = transition(this.style, style);
		this.style = style;
		return out;
	}

	/** A frame taller than the terminal cannot be addressed: written as ink would, then nothing is known. */
	private tooTall(lines: readonly string[]): string {
		const out = lines.join('\r\n');
		this.forget();
		return out;
	}
}

/**
 * The columns of `next` whose cell differs from `previous` (undefined: a blank row). A run of them never starts on
 * the tail of a wide character (a tail differs only where its character does) and, widened below, never ends
 * before one: a wide character is always written whole.
 */
function changedColumns(previous: ScreenLine | undefined, next: ScreenLine): boolean[] {
	const before = previous ?? {chars: [], styles: []};
	const width = Math.max(before.chars.length, next.chars.length);
	const charAt = (line: {chars: readonly string[]}, col: number) => (col < line.chars.length ? line.chars[col] : BLANK);
	const styleAt = (line: {styles: readonly Style[]}, col: number) => (col < line.styles.length ? line.styles[col] : DEFAULT_STYLE);
	const changed: boolean[] = [];
	let any = false;
	for (let col = 0; col < width; col++) {
		if (charAt(before, col) !== charAt(next, col) || styleAt(before, col) !== styleAt(next, col)) {
			changed[col] = true;
			any = true;
		}
	}
	if (!any) return [];
	// A changed wide character over an unchanged-looking tail (one wide character for another) is written whole.
	for (let col = 0; col < width - 1; col++) {
		if (changed[col] && (charAt(before, col + 1) === WIDE_TAIL || charAt(next, col + 1) === WIDE_TAIL)) changed[col + 1] = true;
	}
	changed.length = width;
	// Trailing unchanged columns do not count: the length says how far changes reach.
	while (changed.length > 0 && !changed[changed.length - 1]) changed.length--;
	return changed;
}

const countOf = (n: number) => (n === 1 ? '' : String(n));

/** The shortest bytes that move the cursor from `from` to (row, col), which are both on the screen. */
export function shortestMove(from: Cursor, row: number, col: number): string {
	if (from.row === row && from.col === col) return '';
	let best = col === 0 ? (row === 0 ? `${ESC}H` : `${ESC}${row + 1}H`) : `${ESC}${row + 1};${col + 1}H`;
	const consider = (candidate: string) => {
		if (candidate.length < best.length) best = candidate;
	};
	if (from.row >= 0) {
		const down = row - from.row;
		const vertical = down > 0 ? `${ESC}${countOf(down)}B` : down < 0 ? `${ESC}${countOf(-down)}A` : '';
		consider(vertical + horizontal(from.col, col));
		// CR LF is a line down to column 0 whether or not the terminal adds the CR to a LF itself (ONLCR).
		if (down > 0 && down <= 2) consider('\r\n'.repeat(down) + horizontal(0, col));
	}
	return best;
}

function horizontal(from: number, col: number): string {
	if (from === col) return '';
	let best = `${ESC}${col + 1}G`;
	const consider = (candidate: string) => {
		if (candidate.length < best.length) best = candidate;
	};
	consider(col === 0 ? '\r' : `\r${ESC}${countOf(col)}C`);
	if (from >= 0) consider(col > from ? `${ESC}${countOf(col - from)}C` : `${ESC}${countOf(from - col)}D`);
	return best;
}
