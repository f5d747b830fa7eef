import {Buffer} from 'node:buffer';
import {detectJsonLevel, detectTextLevel, leadingGlyphCode, levelFromWord} from './level.js';
import {type Level, type LogRecord, makeRecord} from './record.js';
import {peelPrefix} from './prefix.js';
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

export type ParseOptions = {
	/** The source has no service of its own for its lines (a file, stdin): a service named by a peeled prefix becomes the record's. */
	adoptService?: boolean;
};

/** What the last parseLine call found, for the assembler's continuation rules (no allocation per line). */
const lastParse = {ownTime: false, peeled: false, peeledInstance: undefined as string | undefined};

/**
 * Parses one raw line into a record (seq 0: the merge assigns it). `fallbackTime` stands in for a missing
 * timestamp (the assembler passes the time of the line before from the same source); `receivedAt` dates headers
 * without a year or day (syslog, foreman). Prefixes that a
 * collector wrote in front of the line (syslog, compose, kubectl …) are peeled first: the level is the
 * application's, and the prefix's source goes into `instance` (and into `service` with `adoptService`).
 */
export function parseLine(raw: RawLine, service: string, receivedAt: number, limit = maxLineBytes, options: ParseOptions = {}, fallbackTime = receivedAt): LogRecord {
	let text = raw.text;
	let cut = raw.cut ?? 0;
	if (text.length * 3 > limit) {
		const result = cutLine(text, limit);
		text = result.text;
		cut += result.cut;
	}
	text = sanitise(text);
	const truncated = cut > 0;
	let time = raw.time;
	let level: Level = 'unknown';
	let json = false;
	let stream: LogRecord['stream'] = raw.stream;
	let instance: string | undefined;
	let prefixLevel: Level | undefined;
	let finalLevel = false;
	const peeled = peelPrefix(text, receivedAt);
	lastParse.peeled = peeled !== undefined;
	lastParse.ownTime = false;
	if (peeled) {
		text = peeled.text;
		instance = peeled.instance;
		if (peeled.service !== undefined && options.adoptService) service = peeled.service;
		if (peeled.time !== undefined && !Number.isNaN(peeled.time)) {
			time ??= peeled.time;
			lastParse.ownTime = true;
		}
		if (peeled.stream) stream = peeled.stream;
		prefixLevel = peeled.level;
		finalLevel = peeled.levelIsFinal === true;
	}
	lastParse.peeledInstance = instance;
	if (truncated) text += cutNote(cut);
	if (finalLevel) {
		level = prefixLevel ?? 'unknown';
	} else if (text.charCodeAt(0) === 123 /* { */) {
		if (!truncated && text.charCodeAt(text.length - 1) === 125 /* } */) {
			const object = tryParseObject(text);
			if (object) {
				json = true;
				level = detectJsonLevel(object);
				const own = jsonTime(object);
				if (own !== undefined) lastParse.ownTime = true;
				time ??= own;
			}
		}
		if (!json) {
			// A cut or malformed JSON line still usually names its level near the start.
			const m = jsonLevelText.exec(text.length > 400 ? text.slice(0, 400) : text);
			if (m) level = m[1]!.length <= 2 && /^[FEWID]\d?$/.test(m[1]!) ? mongoLetter(m[1]!) : levelFromWord(m[1]!);
		}
	} else {
		level = detectTextLevel(text);
		const own = leadingTime(text);
		if (own !== undefined) lastParse.ownTime = true;
		time ??= own;
	}
	if (level === 'unknown' && prefixLevel !== undefined) level = prefixLevel;
	return makeRecord(time ?? fallbackTime, service, stream, level, text, json, truncated, instance);
}

/** The time a line carries itself (a prefix's, a JSON field, a leading timestamp), or undefined. */
export function ownTimeOf(text: string, receivedAt: number): number | undefined {
	const record = parseLine({stream: 'stdout', text}, '', receivedAt);
	return lastParse.ownTime ? record.time : undefined;
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

/** Whether a line has the shape of a continuation (indented, "Caused by:", a frame, a closing brace). Whether it is one decides `LineAssembler`. */
export function isContinuationLine(text: string): boolean {
	const first = text.charCodeAt(0);
	if (first === 32 || first === 9) {
		// Next.js request lines (" GET /api/x 200 in 24ms") and status lines (a space and a glyph) are records of their own.
		if (nextRequestLine.test(text)) return false;
		const glyph = leadingGlyphCode(text);
		// ⚠ ⨯ ✓ ○ ▲ ✗ ℹ ⚡
		return !(glyph === 0x26a0 || glyph === 0x2a2f || glyph === 0x2713 || glyph === 0x25cb || glyph === 0x25b2 || glyph === 0x2717 || glyph === 0x2139 || glyph === 0x26a1);
	}
	// Node prints an error's own properties after its stack as an object literal that ends with a bare "}".
	if (first === 125 /* } */ || first === 93 /* ] */) return text.length <= 2;
	return text.startsWith('Caused by:') || text.startsWith('at ');
}

/** Lines that belong to the record above whatever they contain: stack frames and cause chains. */
const frameLine = /^\s*(?:at [^\s]|\.\.\. \d+ (?:more|common frames omitted)|Caused by:|Suppressed:)/;
/** A Go panic's trace: "goroutine 1 [running]:", "main.main()", "\t/app/main.go:8 +0x1d", "created by …", "exit status 2". */
const goPanicBody = /^(?:goroutine \d+ \[|created by |\[signal |exit status \d+$|[\w./*()\[\]{}-]+\(.*\)$|\t)/;
/** A Java/Kotlin exception line printed under the log line that reports it ("java.lang.IllegalStateException: boom"). */
const javaException = /^(?:[a-z][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error)(?::|$)/;

/**
 * A source's open record. `startLevel`: its level when it started, before a traceback below it raised it (what
 * "the level before" means to the next record). `sealed`: it left the merge window while blank lines after it were
 * still undecided; it takes no more lines, and the slot stays only to emit those blanks before the next record.
 * `hadTraceback`: a Python traceback is or was in it, so that "The above exception was the direct cause …" and
 * the traceback after it stay in the same record.
 */
type OpenRecord = {record: LogRecord; lines: number; inTraceback: boolean; hadTraceback: boolean; inPanic: boolean; blanks: number; startLevel: Level; sealed: boolean};

/**
 * Turns the lines of each stream into records, folding continuation lines (stack traces, tracebacks,
 * "Caused by:") into the open record of the same source. A line with a level or a leading timestamp of its own
 * always starts a record, however indented; frames and cause chains always continue one. The source is the
 * stream, and within a stream the replica a peeled prefix names (two compose services interleaved in one file
 * keep their traces apart). A record stays open — and may still grow — until it is sealed, which the pipeline
 * does when the record leaves the merge window.
 *
 * Blank lines are kept as the source wrote them: inside the record when the line after them continues it (a
 * traceback, anyhow's "Error: x", blank, "Caused by:"), else as blank records of their own in front of the next
 * record, also when their record was sealed meanwhile (a live stream that paused after it). Only blank lines at
 * the very end of a stream, with no line after them, are dropped: nothing says where they would go.
 */
export class LineAssembler {
	private readonly open = new Map<string, OpenRecord>();
	/** Level of the last record of each source whose slot is gone (sealed, closed); an open slot holds its own. */
	private readonly lastLevel = new Map<string, Level>();
	/** Time of the last line of each source: a line without a time of its own takes it (uvicorn's "INFO:", Next.js). */
	private readonly lastTime = new Map<string, number>();
	/** The sources within each stream, instance → key: a peeled line's key is looked up, not built and hashed anew per line. */
	private readonly subKeys = new Map<string, Map<string, string>>();
	private readonly keyOf = new WeakMap<LogRecord, string>();

	constructor(
		private readonly limit = maxLineBytes,
		private readonly options: ParseOptions = {},
	) {}

	/** Appends the new records from `lines` of stream `key` (one container, one file) to `out`. */
	push(key: string, service: string, lines: readonly RawLine[], receivedAt: number, out: LogRecord[]): void {
		let previousTime = this.lastTime.get(key);
		// The slot of the line before: consecutive lines are mostly of one source, and nothing removes a slot during push.
		let cachedSub: string | undefined;
		let cachedOpen: OpenRecord | undefined;
		for (const raw of lines) {
			const text = raw.text;
			const piece = parseLine(raw, service, receivedAt, this.limit, this.options, previousTime ?? receivedAt);
			const sub = lastParse.peeledInstance === undefined ? key : this.subKey(key, lastParse.peeledInstance);
			const open = sub === cachedSub ? cachedOpen : this.open.get(sub);
			cachedSub = sub;
			cachedOpen = open;
			const body = piece.text;
			if (open && body.length === 0 && !lastParse.peeled) {
				// A blank line joins the record only if the next line continues it too (anyhow's "Error: x", blank, "Caused by:").
				open.blanks++;
				continue;
			}
			if (open && !open.sealed && open.lines < maxContinuationLines && this.continues(open, piece, lastParse.ownTime)) {
				open.record.text += '\n'.repeat(open.blanks + 1) + piece.text;
				open.lines += open.blanks + 1;
				open.blanks = 0;
				if (piece.truncated) open.record.truncated = true;
				if (body.startsWith(tracebackStart)) {
					open.inTraceback = true;
					open.hadTraceback = true;
					if (open.record.level === 'unknown' || open.record.level === 'info') open.record.level = 'error';
				} else if (open.inTraceback && tracebackEnd.test(body) && !chainedTraceback.test(body)) {
					open.inTraceback = false;
				}
				continue;
			}
			if (open && open.blanks > 0) {
				for (let i = 0; i < open.blanks; i++) out.push(makeRecord(open.record.time, open.record.service, open.record.stream, 'unknown', '', false, false, open.record.instance));
				open.blanks = 0;
			}
			const record = piece;
			if (record.level === 'unknown' && isContinuationLine(text)) {
				// The record this continues has already left the window: keep its level so "next error" still finds the trace.
				record.level = (open ? open.startLevel : this.lastLevel.get(sub)) ?? 'unknown';
			}
			// Decided on the first character, so that the usual record costs no substring tests here.
			const head = body.charCodeAt(0);
			const inTraceback = head === 84 /* T */ && body.startsWith(tracebackStart);
			if (inTraceback) record.level = 'error';
			const inPanic = (head === 112 /* p */ && body.startsWith('panic: ')) || (head === 102 /* f */ && body.startsWith('fatal error: '));
			// The source's slot is reused (the record it held is done with): no object and no map insert per record.
			if (open) {
				open.record = record;
				open.lines = 1;
				open.inTraceback = inTraceback;
				open.hadTraceback = inTraceback;
				open.inPanic = inPanic;
				open.blanks = 0;
				open.startLevel = record.level;
				open.sealed = false;
			} else {
				cachedOpen = {record, lines: 1, inTraceback, hadTraceback: inTraceback, inPanic, blanks: 0, startLevel: record.level, sealed: false};
				this.open.set(sub, cachedOpen);
			}
			if (sub !== key) this.keyOf.set(record, sub);
			out.push(record);
			previousTime = record.time;
		}
		if (previousTime !== undefined) this.lastTime.set(key, previousTime);
	}

	private subKey(key: string, instance: string): string {
		let subs = this.subKeys.get(key);
		if (!subs) this.subKeys.set(key, (subs = new Map()));
		let sub = subs.get(instance);
		if (sub === undefined) subs.set(instance, (sub = key + '\u0000' + instance));
		return sub;
	}

	private continues(open: OpenRecord, piece: LogRecord, ownTime: boolean): boolean {
		const text = piece.text;
		const first = text.charCodeAt(0);
		// Each test only where its first character can be: most lines start with a digit, a capital or a brace.
		if ((first === 32 || first === 9 || first === 97 /* a */ || first === 46 /* . */ || first === 67 /* C */ || first === 83 /* S */ || first > 127) /* other spaces */ && frameLine.test(text)) return true;
		if (open.inTraceback) {
			if (text.length === 0 || chainedTraceback.test(text) || tracebackEnd.test(text)) return true;
			if (first === 32 || first === 9) return true;
		}
		// A chained exception: the traceback above ended with its exception line, the next one follows.
		if (open.hadTraceback && (first === 84 || first === 68) /* T D */ && chainedTraceback.test(text)) return true;
		if (open.inPanic && !ownTime && (text.length === 0 || goPanicBody.test(text))) return true;
		if (first === 84 /* T */ && text.startsWith(tracebackStart)) return Math.abs(piece.time - open.record.time) <= tracebackJoinMs;
		// A line with a level or a time of its own starts a record, whatever its indentation.
		if (ownTime || lastParse.peeled && piece.level !== 'unknown') return false;
		if (first >= 97 && first <= 122 && javaException.test(text)) return open.record.level === 'error' || open.record.level === 'warn' || open.record.level === 'fatal';
		if (piece.level !== 'unknown') return false;
		return isContinuationLine(text);
	}

	/**
	 * Closes the open record of `key` if it is `record` (it left the merge window: later lines start new records).
	 * Blank lines read after it are not lost: they come out as blank records in front of the source's next record.
	 */
	seal(key: string, record: LogRecord): void {
		const sub = this.keyOf.get(record) ?? key;
		const open = this.open.get(sub);
		if (open && open.record === record) {
			if (open.blanks > 0) {
				open.sealed = true;
				open.startLevel = record.level;
				return;
			}
			this.lastLevel.set(sub, record.level);
			this.open.delete(sub);
		}
	}

	/** Closes every open record of stream `key` (the prefilter skipped lines: what follows continues none of them). */
	close(key: string): void {
		this.forget(key);
		const subs = this.subKeys.get(key);
		if (subs) for (const sub of subs.values()) this.forget(sub);
	}

	/** Drops a source's open slot, keeping the level its record started with for a continuation that comes later. */
	private forget(sub: string): void {
		const open = this.open.get(sub);
		if (!open) return;
		this.lastLevel.set(sub, open.startLevel);
		this.open.delete(sub);
	}

	/** The time a line of `key` without its own takes, until a line brings one (the prefilter read it above a region). */
	setLastTime(key: string, time: number): void {
		this.lastTime.set(key, time);
	}

	/** Forgets a stream (it ended). */
	end(key: string): void {
		this.open.delete(key);
		this.lastLevel.delete(key);
		this.lastTime.delete(key);
		for (const sub of this.subKeys.get(key)?.values() ?? []) {
			this.open.delete(sub);
			this.lastLevel.delete(sub);
		}
		this.subKeys.delete(key);
	}
}
