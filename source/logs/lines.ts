import {Buffer} from 'node:buffer';
import {maxLineBytes} from './parse.js';

/** A line without its newline; `cut` is how many bytes of it were dropped beyond the splitter's limit. */
export type SplitLine = {text: string; cut?: number};

const newline = 0x0a;
const carriageReturn = 0x0d;

/**
 * The line splitter: every byte stream that botops reads line by line (container logs, stats, files, stdin,
 * command output) goes through this. Lines end at LF; a CR before it is dropped. Bytes are decoded per whole
 * line, so a UTF-8 character split across chunks stays whole and invalid bytes become U+FFFD.
 *
 * Linear in the input: a partial line is kept as the list of its pieces and joined once, at its newline. A
 * line longer than `limit` bytes is cut as it streams: its first `limit` bytes (to a character boundary) are
 * kept and the rest is only counted, never held, so one 300 MB line without a newline costs `limit` bytes.
 */
export class LineSplitter {
	private pieces: Buffer[] = [];
	private pending = 0;
	/** The kept head of a line that went over the limit; defined while the rest of that line is being dropped. */
	private head: Buffer | undefined;
	private dropped = 0;

	constructor(private readonly limit = maxLineBytes) {}

	/** Whether bytes of an unfinished line are held (the next chunk continues a line). */
	get inLine(): boolean {
		return this.pending > 0 || this.head !== undefined;
	}

	/** Calls `onLine` for each line this chunk completes, in order. */
	push(chunk: Buffer, onLine: (text: string, cut: number) => void): void {
		let start = 0;
		for (let end = chunk.indexOf(newline); end !== -1; end = chunk.indexOf(newline, start)) {
			this.take(chunk, start, end, false);
			this.emit(onLine);
			start = end + 1;
		}
		this.take(chunk, start, chunk.length, true);
	}

	/**
	 * Calls `onLine` for each line of chunk[start, end), a region of whole lines (the prefilter's regions): the same
	 * lines push and end would give, decoded in place, without a piece per line. Only between lines (`inLine` false).
	 */
	pushWhole(chunk: Buffer, start: number, end: number, onLine: (text: string, cut: number) => void): void {
		if (this.inLine) throw new Error('pushWhole inside a line');
		while (start < end) {
			const newlineAt = chunk.indexOf(newline, start);
			const lineEnd = newlineAt === -1 || newlineAt >= end ? end : newlineAt;
			const length = lineEnd - start;
			if (length > this.limit) {
				this.take(chunk, start, lineEnd, false);
				this.emit(onLine);
			} else {
				onLine(chunk.toString('utf8', start, length > 0 && chunk[lineEnd - 1] === carriageReturn ? lineEnd - 1 : lineEnd), 0);
			}
			start = lineEnd + 1;
		}
	}

	/** The last line, when the input ended without a newline. */
	end(onLine: (text: string, cut: number) => void): void {
		if (this.inLine) this.emit(onLine);
	}

	/** Adds chunk[start, end) to the current line; `tail` when the line goes on in a later chunk. */
	private take(chunk: Buffer, start: number, end: number, tail: boolean): void {
		if (start === end) return;
		if (this.head !== undefined) {
			this.dropped += end - start;
			return;
		}
		// A tail outlives this chunk: copied, so that it does not pin all of it.
		this.pieces.push(tail ? Buffer.from(chunk.subarray(start, end)) : chunk.subarray(start, end));
		this.pending += end - start;
		if (this.pending > this.limit) this.cut();
	}

	/** The line went over the limit: keep its head up to a character boundary, count the rest from now on. */
	private cut(): void {
		const bytes = Buffer.concat(this.pieces, this.pending);
		let keep = this.limit;
		while (keep > 0 && (bytes[keep]! & 0xc0) === 0x80) keep--;
		this.head = Buffer.from(bytes.subarray(0, keep));
		this.dropped = this.pending - keep;
		this.pieces = [];
		this.pending = 0;
	}

	private emit(onLine: (text: string, cut: number) => void): void {
		if (this.head !== undefined) {
			const head = this.head;
			const cut = this.dropped;
			this.head = undefined;
			this.dropped = 0;
			onLine(head.toString('utf8'), cut);
			return;
		}
		const pieces = this.pieces;
		let length = this.pending;
		this.pieces = [];
		this.pending = 0;
		const bytes = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, length);
		if (length > 0 && bytes[length - 1] === carriageReturn) length--;
		onLine(bytes.toString('utf8', 0, length), 0);
	}
}

/** Yields the lines of a byte stream, one array per chunk, so that consumers handle batches, never single lines. */
export async function* readLineBatches(input: AsyncIterable<Buffer | string>, limit = maxLineBytes): AsyncGenerator<SplitLine[]> {
	const splitter = new LineSplitter(limit);
	let lines: SplitLine[] = [];
	const collect = (text: string, cut: number) => {
		lines.push(cut > 0 ? {text, cut} : {text});
	};
	for await (const piece of input) {
		splitter.push(typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece, collect);
		if (lines.length > 0) {
			yield lines;
			lines = [];
		}
	}
	splitter.end(collect);
	if (lines.length > 0) yield lines;
}
