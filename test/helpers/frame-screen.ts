/**
 * A small terminal screen emulator for the output layer's tests: it applies the bytes a program writes (printable
 * characters of width 1 or 2, CR, LF, tab, cursor moves, erases, SGR) to a grid of cells, as xterm does, including the
 * pending wrap at the right margin and a wide character erased whole when either half is overwritten. Anything it
 * does not know throws, so a test fails on an unexpected escape instead of passing over it; a benchmark reading a
 * whole program's output (`lenient`) skips the modes and queries that do not change the cells instead.
 */
import stringWidth from 'string-width';

type Cell = {char: string; style: string};

const blank = (): Cell => ({char: ' ', style: ''});
const TAIL = '';

export class FrameScreen {
	readonly grid: Cell[][];
	row = 0;
	col = 0;
	private pendingWrap = false;
	private attributes = new Map<string, string>();
	private carry = '';

	constructor(
		readonly columns: number,
		readonly rows: number,
		private readonly lenient = false,
	) {
		this.grid = Array.from({length: rows}, () => Array.from({length: columns}, blank));
	}

	write(chunk: string): void {
		// A program's output arrives in reads that may cut an escape sequence in two: the start waits for the rest.
		let bytes = this.carry + chunk;
		this.carry = '';
		const lastEscape = bytes.lastIndexOf('\u001B');
		if (this.lenient && lastEscape >= 0 && bytes.length - lastEscape < 64 && !/^\u001B(\[[0-?]*[ -\/]*[@-~]|[^[\]P_])/.test(bytes.slice(lastEscape))) {
			this.carry = bytes.slice(lastEscape);
			bytes = bytes.slice(0, lastEscape);
		}
		const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
		let at = 0;
		while (at < bytes.length) {
			const char = bytes[at];
			if (char === '\u001B') {
				at = this.escape(bytes, at);
				continue;
			}
			if (char === '\r') {
				this.col = 0;
				this.pendingWrap = false;
				at++;
				continue;
			}
			if (char === '\n') {
				this.lineFeed();
				at++;
				continue;
			}
			if (char === '\t') {
				this.col = Math.min(this.columns - 1, (Math.floor(this.col / 8) + 1) * 8);
				this.pendingWrap = false;
				at++;
				continue;
			}
			if (char.charCodeAt(0) < 0x20 && this.lenient) {
				at++;
				continue;
			}
			if (char.charCodeAt(0) < 0x20) throw new Error(`unexpected control character ${char.charCodeAt(0)} at ${at}`);
			const next = bytes.indexOf('\u001B', at);
			const text = bytes.slice(at, next < 0 ? bytes.length : next).split(/[\u0000-\u001f]/)[0];
			for (const {segment} of segmenter.segment(text)) this.print(segment);
			at += text.length;
		}
	}

	/** The screen's rows as text (wide characters once), trailing blanks cut. */
	text(): string[] {
		return this.grid.map(line => line.map(cell => cell.char).join('').trimEnd());
	}

	/** Each row's cells as "char/style" for comparing colours too. */
	cells(): string[] {
		return this.grid.map(line => line.map(cell => (cell.char === ' ' && cell.style === '' ? '.' : `${cell.char}/${cell.style}`)).join('|'));
	}

	private style(): string {
		return [...this.attributes.entries()]
			.sort(([a], [b]) => a.localeCompare(b))
			.map(([key, value]) => `${key}=${value}`)
			.join(',');
	}

	private print(grapheme: string): void {
		const width = stringWidth(grapheme);
		if (width === 0) {
			const cell = this.grid[this.row][Math.max(0, this.col - 1)];
			cell.char += grapheme;
			return;
		}
		if (this.pendingWrap || this.col + width > this.columns) {
			this.col = 0;
			this.lineFeed();
			this.pendingWrap = false;
		}
		const line = this.grid[this.row];
		for (let i = 0; i < width; i++) this.breakWide(this.col + i);
		line[this.col] = {char: grapheme, style: this.style()};
		if (width === 2) line[this.col + 1] = {char: TAIL, style: this.style()};
		this.col += width;
		if (this.col >= this.columns) {
			this.col = this.columns - 1;
			this.pendingWrap = true;
		}
	}

	/** Overwriting one half of a wide character leaves a blank in the other half. */
	private breakWide(col: number): void {
		const line = this.grid[this.row];
		if (line[col]?.char === TAIL && col > 0) line[col - 1] = blank();
		if (line[col + 1]?.char === TAIL) line[col + 1] = blank();
	}

	private lineFeed(): void {
		if (this.row < this.rows - 1) {
			this.row++;
			return;
		}
		this.grid.shift();
		this.grid.push(Array.from({length: this.columns}, blank));
	}

	private escape(bytes: string, at: number): number {
		const csi = /^\u001B\[([?<>=]?)([0-9;]*)([A-Za-z])/.exec(bytes.slice(at, at + 40));
		if (!csi && this.lenient) return this.skipEscape(bytes, at);
		if (!csi) throw new Error(`unknown escape at ${at}: ${JSON.stringify(bytes.slice(at, at + 12))}`);
		const [whole, privateMarker, parameters, final] = csi;
		const numbers = parameters === '' ? [] : parameters.split(';').map(Number);
		const n = numbers[0] || 1;
		if (privateMarker && this.lenient && parameters === '1049') {
			this.clearAll();
			return at + whole.length;
		}
		if (privateMarker && this.lenient) return at + whole.length;
		if (privateMarker) {
			// Cursor visibility (25) and synchronized output (2026) do not change the cells.
			if (!['25', '2026'].includes(parameters) || !'hl'.includes(final)) throw new Error(`unknown private mode ${whole}`);
			return at + whole.length;
		}
		this.pendingWrap = final === 'm' ? this.pendingWrap : false;
		switch (final) {
			case 'A':
				this.row = Math.max(0, this.row - n);
				break;
			case 'B':
				this.row = Math.min(this.rows - 1, this.row + n);
				break;
			case 'C':
				this.col = Math.min(this.columns - 1, this.col + n);
				break;
			case 'D':
				this.col = Math.max(0, this.col - n);
				break;
			case 'G':
				this.col = Math.min(this.columns - 1, n - 1);
				break;
			case 'H':
				this.row = Math.min(this.rows - 1, (numbers[0] || 1) - 1);
				this.col = Math.min(this.columns - 1, (numbers[1] || 1) - 1);
				break;
			case 'K':
				this.requireDefaultStyle(whole);
				if (numbers[0]) throw new Error(`unsupported ${whole}`);
				this.breakWide(this.col);
				for (let col = this.col; col < this.columns; col++) this.grid[this.row][col] = blank();
				break;
			case 'J':
				this.requireDefaultStyle(whole);
				if (numbers[0] === 2 || (numbers[0] === 3 && this.lenient)) {
					this.clearAll();
				} else if (!numbers[0]) {
					this.breakWide(this.col);
					for (let col = this.col; col < this.columns; col++) this.grid[this.row][col] = blank();
					for (let row = this.row + 1; row < this.rows; row++) this.grid[row] = Array.from({length: this.columns}, blank);
				} else {
					throw new Error(`unsupported ${whole}`);
				}
				break;
			case 'm':
				this.sgr(numbers.length === 0 ? [0] : numbers);
				break;
			default:
				if (!this.lenient) throw new Error(`unknown escape ${JSON.stringify(whole)}`);
		}
		return at + whole.length;
	}

	private clearAll(): void {
		for (let row = 0; row < this.rows; row++) this.grid[row] = Array.from({length: this.columns}, blank);
	}

	/** An escape other than CSI (OSC, a charset choice, keypad mode): passed over, to its terminator. */
	private skipEscape(bytes: string, at: number): number {
		const kind = bytes[at + 1];
		if (kind === ']' || kind === 'P' || kind === '_') {
			const end = bytes.slice(at).search(/\u0007|\u001B\\/);
			return end < 0 ? bytes.length : at + end + (bytes[at + end] === '\u0007' ? 1 : 2);
		}
		if (kind === '(' || kind === ')') return at + 3;
		return at + 2;
	}

	// Terminals erase with the current background colour: an erase under a colour would paint the cleared cells.
	private requireDefaultStyle(code: string): void {
		if (this.attributes.size > 0 && !this.lenient) throw new Error(`${JSON.stringify(code)} written with attributes set: ${this.style()}`);
	}

	private sgr(codes: number[]): void {
		const flags: Record<number, string> = {1: 'bold', 2: 'faint', 3: 'italic', 4: 'underline', 5: 'blink', 7: 'inverse', 8: 'hidden', 9: 'strike', 53: 'overline'};
		const off: Record<number, string[]> = {22: ['bold', 'faint'], 23: ['italic'], 24: ['underline'], 25: ['blink'], 27: ['inverse'], 28: ['hidden'], 29: ['strike'], 55: ['overline']};
		for (let i = 0; i < codes.length; i++) {
			const code = codes[i];
			if (code === 0) this.attributes.clear();
			else if (flags[code]) this.attributes.set(flags[code], 'on');
			else if (off[code]) for (const name of off[code]) this.attributes.delete(name);
			else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) this.attributes.set('fg', String(code));
			else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) this.attributes.set('bg', String(code));
			else if (code === 39) this.attributes.delete('fg');
			else if (code === 49) this.attributes.delete('bg');
			else if (code === 38 || code === 48) {
				const length = codes[i + 1] === 5 ? 2 : 4;
				this.attributes.set(code === 38 ? 'fg' : 'bg', codes.slice(i + 1, i + 1 + length).join(':'));
				i += length;
			} else if (!this.lenient) throw new Error(`unknown SGR ${code}`);
		}
	}
}

/** What a frame looks like drawn on a blank screen from the top-left corner, lines ended by CR LF. */
export function screenOf(frame: string, columns: number, rows: number): FrameScreen {
	const screen = new FrameScreen(columns, rows);
	const lines = frame.endsWith('\n') ? frame.slice(0, -1).split('\n') : frame.split('\n');
	screen.write(lines.join('\r\n'));
	return screen;
}
