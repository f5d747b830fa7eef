import {Buffer} from 'node:buffer';
import {detectJsonLevel, detectTextLevel, leadingGlyph, levelFromWord} from './level.js';
import {type Level, type LogRecord, makeRecord} from './record.js';
import {sanitise} from './sanitise.js';
import {jsonTime, leadingTime} from './time.js';

/** A line as a source delivers it (Docker's RawLogLine is one); `cut` counts bytes the line splitter already dropped. */
export type RawLine = {stream: 'stdout' | 'stderr'; time?: number; text: string; cut?: number};

/** Lines longer than this many UTF-8 bytes are cut: a 5 MB JSON blob must not freeze the view (lazydocker#221). */
export const maxLineBytes = 16 * 1024;

/** Cuts `text` to at most `limit` UTF-8 bytes at a character boundary; returns the kept text and the bytes cut. */
export function cutLine(text: string, limit = maxLineBytes): {text: string; cut: number} {
	// Cheap exit: a UTF-16 unit is at most 3 UTF-8 bytes.
	if (text.length * 3 <= limit) return {text, cut: 0};
	const bytes = Buffer.from(text, 'utf8');
	if (bytes.length <= limit) return {text, cut: 0};
	let end = limit;
	while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
	return {text: bytes.toString('utf8', 0, end), cut: bytes.length - end};
}

/** What a cut line ends with: how many bytes are missing. */
export function cutNote(cut: number): string {
	return ` … [cut ${cut} bytes]`;
}

const jsonLevelText = /"(?:level|severity|lvl|s)"\s*:\s*"?([A-Za-z]+\d?)/;

/** Parses one raw line into a record (seq 0: the merge assigns it). `receivedAt` stands in for a missing timestamp. */
export function parseLine(raw: RawLine, service: string, receivedAt: number, limit = maxLineBytes): LogRecord {
	let text = raw.text;
	let cut = raw.cut ?? 0;
	if (text.length * 3 > limit) {
		const result = cutLine(text, limit);
		text = result.text;
		cut += result.cut;
	}
	text = sanitise(text);
	const truncated = cut > 0;
	if (truncated) text += cutNote(cut);
	let time = raw.time;
	let level: Level = 'unknown';
	let json = false;
	if (text.charCodeAt(0) === 123 /* { */) {
		if (!truncated && text.charCodeAt(text.length - 1) === 125 /* } */) {
			const object = tryParseObject(text);
			if (object) {
				json = true;
				level = detectJsonLevel(object);
				time ??= jsonTime(object);
			}
		}
		if (!json) {
			// A cut or malformed JSON line still usually names its level near the start.
			const m = jsonLevelText.exec(text.length > 400 ? text.slice(0, 400) : text);
			if (m) level = m[1]!.length <= 2 && /^[FEWID]\d?$/.test(m[1]!) ? mongoLetter(m[1]!) : levelFromWord(m[1]!);
		}
	} else {
		level = detectTextLevel(text);
		time ??= leadingTime(text);
	}
	return makeRecord(time ?? receivedAt, service, raw.stream, level, text, json, truncated);
}

function mongoLetter(s: string): Level {
	return s[0] === 'F' ? 'fatal' : s[0] === 'E' ? 'error' : s[0] === 'W' ? 'warn' : s[0] === 'I' ? 'info' : 'debug';
}

function tryParseObject(text: string): Record<string, unknown> | undefined {
	try {
		const value: unknown = JSON.parse(text);
		return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

/** The JSON line indented for reading (the pretty-print toggle); the text unchanged when it is not JSON. */
export function prettyJson(text: string): string {
	if (text.charCodeAt(0) !== 123) return text;
	const object = tryParseObject(text);
	// JSON.stringify escapes C0 controls but not C1 or bidi overrides: sanitise each line of the result too.
	return object ? JSON.stringify(object, null, 2).split('\n').map(sanitise).join('\n') : text;
}

const tracebackStart = 'Traceback (most recent call last):';
const chainedTraceback = /^(During handling of the above exception|The above exception was the direct cause)/;
/** The line that ends a Python traceback: "ZeroDivisionError: division by zero", "KeyboardInterrupt". */
const tracebackEnd = /^[A-Za-z_][\w.]*(?::|$)/;
/** A traceback that is this close to the previous line of its service belongs to it (logging.exception). */
const tracebackJoinMs = 1000;
/** A record stops collecting continuation lines beyond this, so that one endless trace cannot grow without bound. */
const maxContinuationLines = 500;

const nextRequestLine = /^ (?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \//;

/** Whether a line continues the previous record rather than starting one. `Traceback` is decided by the caller. */
export function isContinuationLine(text: string): boolean {
	const first = text.charCodeAt(0);
	if (first === 32 || first === 9) {
		// Next.js request lines (" GET /api/x 200 in 24ms") and status lines (a space and a glyph) are records of their own.
		if (nextRequestLine.test(text)) return false;
		const glyph = leadingGlyph(text);
		return !(glyph === '⚠' || glyph === '⨯' || glyph === '✓' || glyph === '○' || glyph === '▲' || glyph === '✗' || glyph === 'ℹ' || glyph === '⚡');
	}
	// Node prints an error's own properties after its stack as an object literal that ends with a bare "}".
	if (first === 125 /* } */ || first === 93 /* ] */) return text.length <= 2;
	return text.startsWith('Caused by:') || text.startsWith('at ');
}

type OpenRecord = {record: LogRecord; lines: number; inTraceback: boolean};

/**
 * Turns the lines of each stream into records, folding continuation lines (stack traces, tracebacks,
 * "Caused by:") into the open record of the same stream. A record stays open — and may still grow — until
 * it is sealed, which the pipeline does when the record leaves the merge window.
 */
export class LineAssembler {
	private readonly open = new Map<string, OpenRecord>();
	private readonly lastLevel = new Map<string, Level>();

	constructor(private readonly limit = maxLineBytes) {}

	/** Appends the new records from `lines` of stream `key` (one container, one file) to `out`. */
	push(key: string, service: string, lines: readonly RawLine[], receivedAt: number, out: LogRecord[]): void {
		let open = this.open.get(key);
		for (const raw of lines) {
			const text = raw.text;
			if (open && open.lines < maxContinuationLines && this.continues(open, raw)) {
				const piece = parseLine(raw, service, receivedAt, this.limit);
				open.record.text += '\n' + piece.text;
				open.lines++;
				if (piece.truncated) open.record.truncated = true;
				if (text.startsWith(tracebackStart)) {
					open.inTraceback = true;
					if (open.record.level === 'unknown' || open.record.level === 'info') open.record.level = 'error';
				} else if (open.inTraceback && tracebackEnd.test(text) && !chainedTraceback.test(text)) {
					open.inTraceback = false;
				}
				continue;
			}
			const record = parseLine(raw, service, receivedAt, this.limit);
			if (isContinuationLine(text) && record.level === 'unknown') {
				// The record this continues has already left the window: keep its level so "next error" still finds the trace.
				record.level = this.lastLevel.get(key) ?? 'unknown';
			}
			const inTraceback = text.startsWith(tracebackStart);
			if (inTraceback) record.level = 'error';
			open = {record, lines: 1, inTraceback};
			this.open.set(key, open);
			this.lastLevel.set(key, record.level);
			out.push(record);
		}
	}

	private continues(open: OpenRecord, raw: RawLine): boolean {
		const text = raw.text;
		if (isContinuationLine(text)) return true;
		if (open.inTraceback) return text.length === 0 || chainedTraceback.test(text) || tracebackEnd.test(text);
		if (text.startsWith(tracebackStart)) return raw.time === undefined || Math.abs(raw.time - open.record.time) <= tracebackJoinMs;
		return false;
	}

	/** Closes the open record of `key` if it is `record` (it left the merge window: later lines start new records). */
	seal(key: string, record: LogRecord): void {
		const open = this.open.get(key);
		if (open && open.record === record) {
			this.lastLevel.set(key, record.level);
			this.open.delete(key);
		}
	}

	/** Forgets a stream (it ended). */
	end(key: string): void {
		this.open.delete(key);
		this.lastLevel.delete(key);
	}
}
