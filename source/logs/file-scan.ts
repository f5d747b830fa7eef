import {Buffer} from 'node:buffer';
import {closeSync, fstatSync, openSync, readSync} from 'node:fs';
import {createRequire} from 'node:module';
import {availableParallelism} from 'node:os';
import {pathToFileURL} from 'node:url';
import {isMainThread, parentPort, Worker, workerData} from 'node:worker_threads';
import {compileFilter, compileRegex} from './filter.js';
import {formatColour, formatPlain, toJsonObject} from './format.js';
import {LineSplitter} from './lines.js';
import {LineAssembler, maxLineBytes, ownTimeOf, parseLine, type RawLine} from './parse.js';
import {levelSearchFor} from './level-search.js';
import {type ByteSearch, byteSearchFor, PrefilteredReader} from './prefilter.js';
import type {Level, LogRecord} from './record.js';
import {logMasking, setLogMasking} from './sanitise.js';
import {registeredSecrets, registerSecrets} from '../util/secrets.js';

/**
 * `botops logs --file F` without --tail: the file read in large synchronous reads into one reused buffer, filtered
 * and formatted chunk by chunk, and — for a file of splitThreshold or more, on two cores — split in two at a record boundary,
 * the second half scanned by a worker thread while this thread prints the first; the worker's output is printed
 * after it, so the order is the one-pass order. Each part gives the records one pass would give (see splitPoint),
 * and a part that meets a line with a peeled source prefix (compose, kubectl, syslog: records of one source can
 * continue across lines of another, far apart) makes the split void: the rest is read on by this thread.
 */
export type ScanSpec = {
	file: string;
	service: string;
	adoptService: boolean;
	grep?: string;
	exclude?: string;
	minLevel?: Level;
	since?: number;
	json: boolean;
	color: boolean;
	/** The service column's width. */
	width: number;
	/** When the read started (dates headers without a year or day). */
	receivedAt: number;
};

/** Bytes read at once: a 100 MB file is a hundred reads. */
const readSize = 1 << 20;

/** Reads byte ranges of a file and hands the formatted output of each chunk to `sink`, in order. */
export class RangeScanner {
	/** A record with a peeled source (an instance) was parsed: a split of this file is not exact. */
	sawInstance = false;
	private readonly buffer: Buffer;
	private readonly matches: (record: LogRecord) => boolean;
	private readonly format: (record: LogRecord) => string;
	private readonly reader: PrefilteredReader | undefined;
	private readonly splitter = new LineSplitter(maxLineBytes);
	private readonly assembler: LineAssembler;
	private readonly lines: RawLine[] = [];
	private readonly parsed: LogRecord[] = [];
	/** The full read's last record: the next chunk's lines may still fold into it. */
	private pending: LogRecord | undefined;
	private readonly take = (text: string, cut: number) => {
		this.lines.push(cut > 0 ? {stream: 'stdout', text, cut} : {stream: 'stdout', text});
	};

	constructor(
		private readonly spec: ScanSpec,
		private readonly fd: number,
		private readonly sink: (text: string) => Promise<void> | undefined,
		private readonly stopped: () => boolean = () => false,
		chunkBytes = readSize,
	) {
		this.buffer = Buffer.allocUnsafe(chunkBytes);
		const filter = compileFilter({minLevel: spec.minLevel, include: spec.grep ? [spec.grep] : [], exclude: spec.exclude ? [spec.exclude] : []});
		this.matches = filter.matchesContent;
		const width = spec.width;
		this.format = spec.json ? record => JSON.stringify(toJsonObject(record)) : spec.color ? record => formatColour(record, width) : record => formatPlain(record, width);
		// Only records around a hit of the pattern (or of an error spelling, for --level error) are parsed.
		const search: ByteSearch | undefined = (spec.grep ? byteSearchFor(compileRegex(spec.grep, 'include')) : undefined) ?? levelSearchFor(spec.minLevel);
		const options = {adoptService: spec.adoptService};
		this.reader = search ? new PrefilteredReader(search, spec.service, maxLineBytes, options) : undefined;
		this.assembler = new LineAssembler(maxLineBytes, options);
	}

	/** Reads [from, to) of the file; the next call goes on where this one ended. */
	async read(from: number, to: number): Promise<void> {
		for (let position = from; position < to && !this.stopped(); ) {
			const size = readSync(this.fd, this.buffer, 0, Math.min(this.buffer.length, to - position), position);
			if (size === 0) break;
			position += size;
			const pending = this.sink(this.chunk(this.buffer.subarray(0, size)));
			if (pending) await pending;
		}
	}

	/** Whether the lines held for the next read (the prefilter's carry) hold a line with a peeled source. */
	carriesInstance(): boolean {
		return this.reader?.carriesInstance(this.spec.receivedAt) ?? false;
	}

	/** The input ended (or the part did): the last line and the last record. */
	async finish(): Promise<void> {
		if (this.stopped()) return;
		let records: LogRecord[];
		if (this.reader) {
			records = this.reader.end(this.spec.receivedAt);
		} else {
			this.lines.length = 0;
			this.splitter.end(this.take);
			records = this.assemble();
			if (this.pending) records.push(this.pending);
			this.pending = undefined;
		}
		const pending = this.sink(this.print(records));
		if (pending) await pending;
	}

	private chunk(bytes: Buffer): string {
		if (this.reader) return this.print(this.reader.push(bytes, this.spec.receivedAt));
		this.lines.length = 0;
		this.splitter.push(bytes, this.take);
		const records = this.assemble();
		// The last record may still grow: it is printed once a later one starts.
		const last = records.pop();
		if (last) {
			if (this.pending) records.unshift(this.pending);
			this.pending = last;
		}
		return this.print(records);
	}

	private assemble(): LogRecord[] {
		const parsed = this.parsed;
		parsed.length = 0;
		if (this.lines.length > 0) this.assembler.push(this.spec.service, this.spec.service, this.lines, this.spec.receivedAt, parsed);
		// Noted here, not when printed: the last record is held back, and the split is judged before it is printed.
		for (let i = 0; i < parsed.length; i++) if (parsed[i]!.instance !== undefined) this.sawInstance = true;
		return parsed.slice();
	}

	private print(records: readonly LogRecord[]): string {
		const since = this.spec.since;
		let text = '';
		for (let i = 0; i < records.length; i++) {
			const record = records[i]!;
			if (record.instance !== undefined) this.sawInstance = true;
			if (since !== undefined && record.time < since) continue;
			if (!this.matches(record)) continue;
			text += this.format(record) + '\n';
		}
		return text;
	}
}

/**
 * Files smaller than this are read by one thread. A worker costs about 0.1 s of CPU to start and load its modules
 * (measured on a 9 KB file), and the JIT warms up again in it: the split pays when half the scan takes longer than
 * that. --grep on a literal scans ~80 MB per CPU second, --level error ~45, a regex with few hits ~200, an
 * unfiltered read ~15 (bench/logs.ts).
 */
export const splitThreshold = 32 << 20;

/**
 * Where the file may be cut into [0, S) and [S, end) so that both parts read alone give the records one pass gives:
 * the start of a line that starts with a digit and has a time of its own (it starts a record whatever came before,
 * and every untimed line after it takes its time), whose text is not changed by a peeled prefix, after a line that
 * is no blank (a blank line is held until the next record starts). Searched forward from `near`; undefined when
 * none is found within a megabyte.
 */
export function splitPoint(fd: number, near: number, end: number, receivedAt: number): number | undefined {
	const window = Buffer.allocUnsafe(Math.min(readSize, end - near));
	const size = readSync(fd, window, 0, window.length, near);
	// The window starts inside a line: the first whole line is only the one before a candidate.
	let start = window.indexOf(0x0a) + 1;
	if (start === 0) return undefined;
	let previous: string | undefined;
	for (let n = 0; n < 2000; n++) {
		const newline = window.indexOf(0x0a, start);
		if (newline === -1 || newline >= size) return undefined;
		const first = window[start]!;
		const text = window.toString('utf8', start, newline);
		// A file whose lines carry source prefixes (compose, kubectl, syslog) is not split: its split would be void.
		if (parseLine({stream: 'stdout', text}, '', receivedAt).instance !== undefined) return undefined;
		if (previous !== undefined && first >= 48 && first <= 57 && isSplitLine(previous, text, receivedAt)) return near + start;
		previous = text;
		start = newline + 1;
	}
	return undefined;
}

function isSplitLine(previous: string, text: string, receivedAt: number): boolean {
	const before = parseLine({stream: 'stdout', text: previous}, '', receivedAt);
	if (before.text.length === 0 || before.instance !== undefined) return false;
	if (ownTimeOf(text, receivedAt) === undefined) return false;
	const record = parseLine({stream: 'stdout', text}, '', receivedAt);
	const first = record.text.charCodeAt(0);
	return record.instance === undefined && first >= 48 && first <= 57;
}

/** How many threads scan a file of `size` bytes: 2 on a machine with two cores or more for a large file. */
export function threadsFor(size: number): number {
	const override = process.env['BOTOPS_LOG_THREADS'];
	if (override !== undefined) return Math.max(1, Number(override) || 1);
	return size >= splitThreshold && availableParallelism() >= 2 ? 2 : 1;
}

type WorkerJob = {botopsLogScan: true; spec: ScanSpec; from: number; to: number; chunkBytes: number; maxHeld: number; secrets: readonly string[]; mask: boolean};

/**
 * The most output the worker's half may hold (it is printed only after the first half): beyond it the worker stops,
 * and this thread reads the second half itself. A filtered read holds a fraction of this; an unfiltered read of a
 * file past ~128 MB (~64 MB as JSON) is not split (scanFile).
 */
const maxHeldOutput = 96 << 20;

export type ScanOptions = {
	/** 1: this thread only; 2: a worker for the second half (default: by size, threadsFor). */
	threads?: number;
	/** Bytes per read (tests make it small, so that records straddle reads). */
	chunkBytes?: number;
	/** The worker's output limit (default maxHeldOutput). */
	maxHeld?: number;
};

/** How the file was read: `split` is where the worker's part began; `voided` when the split did not hold and one thread read on. */
export type ScanOutcome = {split?: number; voided: boolean};
type WorkerMessage = {kind: 'chunk'; bytes: Uint8Array} | {kind: 'done'; sawInstance: boolean} | {kind: 'error'; message: string};

/**
 * Prints the file's records that pass the spec's filter: `write` takes each piece of output in order (it may ask
 * to wait). `stopped` ends the read early (a closed pipe, a stop signal). Errors of the read (no such file) throw.
 */
export async function scanFile(spec: ScanSpec, write: (piece: string | Uint8Array) => Promise<void> | undefined, stopped: () => boolean, options: ScanOptions = {}): Promise<ScanOutcome> {
	const fd = openSync(spec.file, 'r');
	const chunkBytes = options.chunkBytes ?? readSize;
	try {
		const size = fstatSync(fd).size;
		const maxHeld = options.maxHeld ?? maxHeldOutput;
		let split = (options.threads ?? threadsFor(size)) >= 2 && size > 0 ? splitPoint(fd, Math.floor(size / 2), size, spec.receivedAt) : undefined;
		// Unfiltered, the output is about the input's size (twice it as JSON): a second half whose output would go over
		// the limit is not split off, rather than scanned by a worker that stops at the limit, its work lost.
		const unfiltered = !spec.grep && !spec.exclude && spec.minLevel === undefined && spec.since === undefined;
		if (split !== undefined && unfiltered && (size - split) * (spec.json ? 2 : 1.5) > maxHeld) split = undefined;
		if (split === undefined) {
			const scanner = new RangeScanner(spec, fd, write, stopped, chunkBytes);
			await scanner.read(0, size);
			await scanner.finish();
			return {voided: false};
		}
		const second = startWorker({botopsLogScan: true, spec, from: split, to: size, chunkBytes, maxHeld, secrets: registeredSecrets(), mask: logMasking()});
		try {
			const scanner = new RangeScanner(spec, fd, write, stopped, chunkBytes);
			await scanner.read(0, split);
			const result = stopped() ? undefined : await second.result;
			if (stopped()) return {split, voided: false};
			if (!result || result.sawInstance || scanner.sawInstance || scanner.carriesInstance()) {
				// The split is void (or the worker failed, or held too much): this thread reads on, as one pass would.
				await scanner.read(split, size);
				await scanner.finish();
				return {split, voided: true};
			}
			await scanner.finish();
			for (const bytes of result.chunks) {
				if (stopped()) break;
				const pending = write(bytes);
				if (pending) await pending;
			}
			return {split, voided: false};
		} finally {
			void second.worker.terminate();
		}
	} finally {
		closeSync(fd);
	}
}

function startWorker(job: WorkerJob): {worker: Worker; result: Promise<{chunks: Uint8Array[]; sawInstance: boolean} | undefined>} {
	const url = new URL(import.meta.url);
	// Under tsx (tests, benches) this module is TypeScript: the worker registers tsx's loader before it loads it.
	const worker = url.pathname.endsWith('.ts')
		? new Worker(`import(${JSON.stringify(new URL('dist/esm/api/index.mjs', pathToFileURL(createRequire(url).resolve('tsx/package.json'))).href)}).then(tsx => { tsx.register(); return import(${JSON.stringify(url.href)}); })`, {eval: true, workerData: job})
		: new Worker(url, {workerData: job});
	const chunks: Uint8Array[] = [];
	const result = new Promise<{chunks: Uint8Array[]; sawInstance: boolean} | undefined>(resolve => {
		worker.on('message', (message: WorkerMessage) => {
			if (message.kind === 'chunk') chunks.push(message.bytes);
			else resolve(message.kind === 'done' ? {chunks, sawInstance: message.sawInstance} : undefined);
		});
		worker.on('error', () => resolve(undefined));
		worker.on('exit', () => resolve(undefined));
	});
	return {worker, result};
}

/** In the worker: scan the job's range and post its output, a chunk at a time, encoded here (off the main thread). */
async function runWorker(job: WorkerJob): Promise<void> {
	registerSecrets(job.secrets);
	setLogMasking(job.mask);
	const fd = openSync(job.spec.file, 'r');
	let held = 0;
	const post = (text: string) => {
		if (text === '' || held > job.maxHeld) return undefined;
		const bytes = Buffer.from(text, 'utf8');
		// A fresh buffer of its own (not a slice of Node's pool): it is moved to the main thread, not copied.
		const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : Uint8Array.prototype.slice.call(bytes);
		held += own.length;
		parentPort!.postMessage({kind: 'chunk', bytes: own} satisfies WorkerMessage, [own.buffer as ArrayBuffer]);
		return undefined;
	};
	try {
		const scanner = new RangeScanner(job.spec, fd, post, () => held > job.maxHeld, job.chunkBytes);
		await scanner.read(job.from, job.to);
		await scanner.finish();
		parentPort!.postMessage((held > job.maxHeld ? {kind: 'error', message: 'output over the limit'} : {kind: 'done', sawInstance: scanner.sawInstance}) satisfies WorkerMessage);
	} catch (error) {
		parentPort!.postMessage({kind: 'error', message: error instanceof Error ? error.message : String(error)} satisfies WorkerMessage);
	} finally {
		closeSync(fd);
	}
}

if (!isMainThread && (workerData as Partial<WorkerJob> | null)?.botopsLogScan === true) void runWorker(workerData as WorkerJob);
