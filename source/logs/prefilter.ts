import {Buffer} from 'node:buffer';
import {LineAssembler, ownTimeOf, parseLine, type ParseOptions, type RawLine} from './parse.js';
import type {LogRecord} from './record.js';
import {LineSplitter} from './lines.js';
import {leadingTime} from './time.js';

/**
 * `--grep` on saved logs at grep's speed: the bytes are searched before anything is decoded, and only the
 * records around a hit are split, decoded and parsed. A record can span lines (a stack trace under its log line),
 * so a hit is widened to the whole record it may belong to: back to the line that starts it, forward over its
 * continuation lines. The widening errs on the side of more lines; the filter then decides on the parsed
 * records exactly as without the prefilter, so the output is the same — only the lines that cannot take part
 * in a matching record are never parsed.
 */
export type ByteSearch = {
	/** Byte offset of the first possible hit in buffer[from, to), or -1. */
	find(buffer: Buffer, from: number, to: number): number;
};

const regexSyntax = /[\\^$.|?*+()[\]{}]/;
/** Printable ASCII only: the bytes of a line hold such a pattern wherever its text does. */
const bytesCanStandIn = /^[\x20-\x7e]+$/;

/**
 * The byte search for an operator's `--grep` pattern (compiled with smart case, as the filter compiles it), or
 * undefined when the raw bytes may not hold a match that the record's text holds: non-ASCII or control characters
 * (escaped in a json-file line), quotes and backslashes (escaped there too), and anchors (a peeled prefix moves
 * where a line starts; a CRLF line ends after its CR). A case-sensitive literal is a plain byte search; anything
 * else runs the regex over the bytes read as Latin-1, where every byte is one character, over the whole chunk
 * (so that a match across the lines of one record is found too).
 */
export function byteSearchFor(regex: RegExp): ByteSearch | undefined {
	const source = regex.source;
	if (!bytesCanStandIn.test(source) || /[\^$"\t]|\\[\\"tux]/.test(source)) return undefined;
	if (!regex.flags.includes('i') && !regexSyntax.test(source)) {
		const needle = Buffer.from(source, 'latin1');
		if (needle.length === 0) return undefined;
		return {find: (buffer, from, to) => {
			const at = buffer.indexOf(needle, from);
			return at === -1 || at >= to ? -1 : at;
		}};
	}
	// Multiline, so that ^ and $ may match at every line of the block: more hits than in one record's text, never fewer.
	return regexByteSearch(new RegExp(source, regex.flags.replace(/[gym]/g, '') + 'gm'));
}

/**
 * The bytes of one chunk read as Latin-1 (every byte one character), decoded once: later calls on the same chunk
 * go on in the text already decoded. `fresh` says the text was decoded anew (what was found in the old one is void).
 */
export function latin1Window(): (buffer: Buffer, from: number, to: number) => {text: string; start: number; fresh: boolean} {
	let decodedOf: Buffer | undefined;
	let decodedFrom = 0;
	let decodedTo = 0;
	let text = '';
	return (buffer, from, to) => {
		const fresh = buffer !== decodedOf || to !== decodedTo || from < decodedFrom;
		if (fresh) {
			decodedOf = buffer;
			decodedFrom = from;
			decodedTo = to;
			text = buffer.toString('latin1', from, to);
		}
		return {text, start: decodedFrom, fresh};
	};
}

/** A search that runs `scan` (global and multiline) over the bytes read as Latin-1, where every byte is one character. */
export function regexByteSearch(scan: RegExp): ByteSearch {
	const window = latin1Window();
	return {find: (buffer, from, to) => {
		const {text, start} = window(buffer, from, to);
		scan.lastIndex = from - start;
		const m = scan.exec(text);
		return m ? start + m.index : -1;
	}};
}

const newline = 0x0a;
/** How far a hit is widened, in lines each way: the assembler folds at most this many lines into one record. */
const maxWiden = 500;

const exceptionName = /^(?:[\w$]+\.)*[A-Z][\w$]*(?:Error|Exception|Exit|Interrupt)(?::|$)/;
const goFrame = /^[\w./*()[\]{}-]+\(.*\)$/;
const continuationStarts = ['Caused by:', 'at ', 'Traceback', 'During handling', 'The above exception', 'goroutine ', 'exit status', 'created by ', '[signal ', 'Suppressed:', '}', ']'];
/** The source prefixes that interleave several sources in one file (compose, foreman, kubectl --prefix). */
const sourcePrefix = /^(?:\d\d:\d\d:\d\d )?([A-Za-z0-9][\w.@-]*) +\| ?|^\[pod\/([^\]\s]+)\] /;

/** The source a line's prefix names ('' for none) and where the application's text starts. */
const noSource = {source: '', head: ''};

function sourceOf(buffer: Buffer, start: number, end: number): {source: string; head: string} {
	// A line led by a space, or by a digit that is no foreman clock, has no source prefix: no decoding for those.
	const first = buffer[start];
	if (first === undefined || first === 32 || first === 9 || (first >= 48 && first <= 57 && buffer[start + 2] !== 58)) return noSource;
	const head = buffer.toString('latin1', start, Math.min(end, start + 200));
	const prefix = head.charCodeAt(0) === 32 ? null : sourcePrefix.exec(head);
	return prefix ? {source: prefix[1] ?? prefix[2]!, head: head.slice(prefix[0].length)} : {source: '', head};
}

/**
 * Whether the line buffer[start, end) may continue a record of `source` above it (when unsure: yes). A line of
 * another source is passed over: the record of `source` may go on below it (two services interleaved).
 */
function mayContinue(buffer: Buffer, start: number, end: number, source = ''): boolean {
	if (start >= end) return true;
	const first = buffer[start]!;
	if (first === 32 || first === 9 || first === 13) return true;
	// The common case, decided on two bytes: a line that starts with a digit (a timestamp) and is no foreman line
	// starts a record; walking a prefixed source's record, such an unprefixed line is passed over.
	if (first >= 48 && first <= 57 && buffer[start + 2] !== 58) return source !== '';
	// Also on bytes: a line led by a word and "=" (logfmt's "ts=…", "level=…") has no source prefix (that needs a space
	// or "|" after the word) and starts no continuation (none of the forms has "=" after its first word; "Traceback"
	// is looked for without one, so T is left to the full test).
	if ((first >= 65 && first <= 90 && first !== 84) || (first >= 97 && first <= 122)) {
		let at = start + 1;
		for (let c = buffer[at]; at < end && c !== undefined && ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95); c = buffer[++at]);
		if (at < end && buffer[at] === 61 /* = */) return source !== '';
	}
	const line = sourceOf(buffer, start, end);
	// A line of another source, prefixed or not, is passed over either way: two sources interleave, and the record of
	// `source` may go on below it (an unprefixed traceback with a compose line in the middle).
	if (line.source !== source) return true;
	const head = line.head;
	if (head.length === 0 || head.charCodeAt(0) === 32 || head.charCodeAt(0) === 9) return true;
	for (const start of continuationStarts) if (head.startsWith(start)) return true;
	return exceptionName.test(head) || goFrame.test(head.trimEnd());
}

/** Start of the line that contains `at`. */
function lineStart(buffer: Buffer, at: number, floor: number): number {
	if (at <= floor) return floor;
	const previous = buffer.lastIndexOf(newline, at - 1);
	return previous < floor ? floor : previous + 1;
}

/** The start of the record the line at `start` belongs to, as far back as `floor`. */
function recordStart(buffer: Buffer, start: number, floor: number): number {
	const source = sourceOf(buffer, start, endOfLine(buffer, start, buffer.length)).source;
	let lineBegin = start;
	for (let n = 0; n < maxWiden && lineBegin > floor; n++) {
		if (!mayContinue(buffer, lineBegin, endOfLine(buffer, lineBegin, buffer.length), source)) return lineBegin;
		lineBegin = lineStart(buffer, lineBegin - 1, floor);
	}
	return lineBegin;
}

/**
 * Where the carry into the next chunk starts: the start of the last record, which the next chunk's first lines may
 * continue. Lines of interleaved sources are all passed over (each source may have a record open above), up to the
 * widening bound.
 */
function carryStart(buffer: Buffer, complete: number, floor: number): number {
	if (complete <= floor) return Math.max(complete, floor);
	let begin = lineStart(buffer, complete - 1, floor);
	for (let n = 0; n < maxWiden && begin > floor; n++) {
		const end = endOfLine(buffer, begin, complete);
		if (sourceOf(buffer, begin, end).source === '' && !mayContinue(buffer, begin, end)) return begin;
		begin = lineStart(buffer, begin - 1, floor);
	}
	return begin;
}

function endOfLine(buffer: Buffer, start: number, limit: number): number {
	const at = buffer.indexOf(newline, start);
	return at === -1 || at > limit ? limit : at;
}

/**
 * Feeds a byte stream to a line assembler, but only the records that may contain a hit of `search`. Records come
 * out in input order and complete: a region ends at a line that cannot continue its last record, or is carried
 * into the next chunk whole, and the assembler's open records are closed before the next region.
 */
export class PrefilteredReader {
	private carry: Buffer | undefined;
	/** The carry starts a region that must be parsed (its record ran past the end of the previous chunk). */
	private carryForced = false;
	/** With carryForced: where in the carry the hit is (the region is widened forward from its line). */
	private carryHit = 0;
	/** Time of the last line with a time of its own before the carry (the time an untimed line at the carry's start takes). */
	private earlierTime: number | undefined;
	private readonly assembler: LineAssembler;
	private readonly parsed: LogRecord[] = [];
	private readonly lines: RawLine[] = [];
	private readonly splitter: LineSplitter;
	private readonly take = (text: string, cut: number) => {
		this.lines.push(cut > 0 ? {stream: 'stdout', text, cut} : {stream: 'stdout', text});
	};

	constructor(
		private readonly search: ByteSearch,
		private readonly service: string,
		private readonly limit: number,
		options: ParseOptions,
	) {
		this.assembler = new LineAssembler(limit, options);
		this.splitter = new LineSplitter(limit);
	}

	/** Takes the next chunk; returns the records completed by it. */
	push(chunk: Buffer, receivedAt: number): LogRecord[] {
		const block = this.carry ? this.joined(this.carry, chunk) : chunk;
		this.carry = undefined;
		const lastNewline = block.lastIndexOf(newline);
		return this.scan(block, lastNewline + 1, false, receivedAt);
	}

	/**
	 * The carry and the next chunk as one block, in a scratch buffer that is reused from chunk to chunk (a fresh
	 * megabyte per chunk costs more in page faults than the copy). Nothing refers into a block after its scan (lines
	 * are decoded, the carry is copied out), and each block is a new view, so a search that caches by buffer sees a
	 * new one.
	 */
	private scratch: Buffer | undefined;

	private joined(carry: Buffer, chunk: Buffer): Buffer {
		const length = carry.length + chunk.length;
		if (!this.scratch || this.scratch.length < length) this.scratch = Buffer.allocUnsafe(Math.max(length, (this.scratch?.length ?? 0) * 2));
		carry.copy(this.scratch, 0);
		chunk.copy(this.scratch, carry.length);
		return this.scratch.subarray(0, length);
	}

	/** Whether a line of the carry has a peeled source (an instance): decoded and parsed apart, the reader is left as it is. */
	carriesInstance(receivedAt: number): boolean {
		const carry = this.carry;
		if (!carry) return false;
		for (let start = 0; start < carry.length; ) {
			const end = endOfLine(carry, start, carry.length);
			if (parseLine({stream: 'stdout', text: carry.toString('utf8', start, end)}, this.service, receivedAt).instance !== undefined) return true;
			start = end + 1;
		}
		return false;
	}

	/** The input ended: the rest, including a last line without a newline. */
	end(receivedAt: number): LogRecord[] {
		const block = this.carry ?? Buffer.alloc(0);
		this.carry = undefined;
		return this.scan(block, block.length, true, receivedAt);
	}

	private scan(block: Buffer, complete: number, final: boolean, receivedAt: number): LogRecord[] {
		const out: LogRecord[] = [];
		let position = 0;
		let forced = this.carryForced;
		this.carryForced = false;
		for (;;) {
			const hit = forced ? this.carryHit : this.search.find(block, position, complete);
			if (hit === -1) break;
			const head = forced ? 0 : recordStart(block, lineStart(block, hit, position), position);
			forced = false;
			let tail = endOfLine(block, hit, complete);
			const source = sourceOf(block, lineStart(block, hit, position), tail).source;
			let lines = 0;
			while (tail < complete && lines < maxWiden) {
				const next = tail + 1;
				const nextEnd = endOfLine(block, next, complete);
				if (next >= complete || !mayContinue(block, next, nextEnd, source)) break;
				tail = nextEnd;
				lines++;
			}
			if (tail < complete) tail++;
			if (tail >= complete && !final) {
				// The record may go on in the next chunk: keep it whole for then.
				this.keep(block, head, true, receivedAt);
				this.carryHit = hit - head;
				return out;
			}
			this.feed(block, head, tail, receivedAt, out);
			position = tail;
			if (position >= complete) break;
		}
		if (!final) this.keep(block, carryStart(block, complete, position), false, receivedAt);
		return out;
	}

	/** Own time of the nearest line above `head` that has one; beyond the block, the one remembered from earlier chunks. */
	private timeAbove(block: Buffer, head: number, receivedAt: number): number | undefined {
		let probe = head;
		for (let n = 0; n < maxWiden && probe > 0; n++) {
			const start = lineStart(block, probe - 1, 0);
			const time = ownTimeOf(block.toString('utf8', start, probe - 1), receivedAt);
			if (time !== undefined) return time;
			probe = start;
		}
		return this.earlierTime;
	}

	private keep(block: Buffer, from: number, forced: boolean, receivedAt: number): void {
		this.earlierTime = this.timeAbove(block, from, receivedAt);
		this.carry = Buffer.from(block.subarray(from));
		this.carryForced = forced;
	}

	private feed(block: Buffer, head: number, tail: number, receivedAt: number, out: LogRecord[]): void {
		// A line without a time of its own takes the time of the record before it, which is the time of the nearest line
		// above that has one (a line with a time always starts a record): look it up, as the full read would have it.
		this.assembler.close(this.service);
		// Most regions start with a stamped line: only a region that does not looks further up.
		const first = block[head];
		const mayBeStamped = first === 91 /* [ */ || (first !== undefined && first >= 48 && first <= 57);
		if (!mayBeStamped || leadingTime(block.toString('latin1', head, Math.min(tail, head + 40))) === undefined) {
			const time = this.timeAbove(block, head, receivedAt);
			if (time !== undefined) this.assembler.setLastTime(this.service, time);
		}
		const lines = this.lines;
		lines.length = 0;
		this.splitter.pushWhole(block, head, tail, this.take);
		this.parsed.length = 0;
		this.assembler.push(this.service, this.service, lines, receivedAt, this.parsed);
		for (let i = 0; i < this.parsed.length; i++) out.push(this.parsed[i]!);
	}
}
