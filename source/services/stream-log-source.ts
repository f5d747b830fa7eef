import {basename} from 'node:path';
import {readLineBatches} from '../logs/lines.js';
import {LineAssembler, maxLineBytes, type RawLine} from '../logs/parse.js';
import {type ByteSearch, PrefilteredReader} from '../logs/prefilter.js';
import type {LogRecord} from '../logs/record.js';
import {describeError} from './errors.js';
import type {LogSource, LogStreamState} from './log-source.js';

export type StreamLogSourceOptions = {
	/** The service name records get ("stdin", or the file's name). */
	service: string;
	/** Opens the input: a file read stream, process.stdin. */
	open: () => AsyncIterable<Buffer | string>;
	now?: () => number;
	/** Lines whose prefix names a service (compose, syslog, a botops export) get that service instead of `service`. */
	adoptService?: boolean;
};

/**
 * Records from a byte stream (a saved log file, a pipe), through the same parser as container logs, in the
 * stream's own order. One record is held back at a time: the next chunk may still continue it.
 */
export async function* readRecordBatches(
	input: AsyncIterable<Buffer | string>,
	options: {service: string; since?: number; now?: () => number; adoptService?: boolean},
): AsyncGenerator<LogRecord[]> {
	const now = options.now ?? Date.now;
	const assembler = new LineAssembler(undefined, {adoptService: options.adoptService});
	const {service, since} = options;
	let pending: LogRecord | undefined;
	let seq = 1;
	const parsed: LogRecord[] = [];
	const take = (record: LogRecord, out: LogRecord[]) => {
		if (since !== undefined && record.time < since) return;
		record.seq = seq++;
		out.push(record);
	};
	for await (const batch of readLineBatches(input)) {
		const lines: RawLine[] = new Array(batch.length);
		for (let i = 0; i < batch.length; i++) {
			const line = batch[i]!;
			lines[i] = line.cut === undefined ? {stream: 'stdout', text: line.text} : {stream: 'stdout', text: line.text, cut: line.cut};
		}
		parsed.length = 0;
		assembler.push(service, service, lines, now(), parsed);
		if (parsed.length === 0) continue;
		const out: LogRecord[] = [];
		if (pending) take(pending, out);
		for (let i = 0; i < parsed.length - 1; i++) take(parsed[i]!, out);
		pending = parsed[parsed.length - 1];
		if (out.length > 0) yield out;
	}
	if (pending) {
		const out: LogRecord[] = [];
		take(pending, out);
		if (out.length > 0) yield out;
	}
}

/**
 * Like readRecordBatches, but only the records that may contain a hit of `search` are decoded and parsed (`--grep`
 * on a file or stdin): the caller's filter still decides, on the same records the full read would give.
 */
export async function* readPrefilteredRecordBatches(
	input: AsyncIterable<Buffer | string>,
	options: {service: string; search: ByteSearch; since?: number; now?: () => number; adoptService?: boolean},
): AsyncGenerator<LogRecord[]> {
	const now = options.now ?? Date.now;
	const reader = new PrefilteredReader(options.search, options.service, maxLineBytes, {adoptService: options.adoptService});
	const {since} = options;
	let seq = 1;
	const number = (records: LogRecord[]): LogRecord[] => {
		let kept = 0;
		for (const record of records) {
			if (since !== undefined && record.time < since) continue;
			record.seq = seq++;
			records[kept++] = record;
		}
		records.length = kept;
		return records;
	};
	for await (const piece of input) {
		const out = number(reader.push(typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece, now()));
		if (out.length > 0) yield out;
	}
	const out = number(reader.end(now()));
	if (out.length > 0) yield out;
}

/** A LogSource over a byte stream (file or stdin); `services` and `tail`/`follow` beyond end of input are not applicable. */
export function createStreamLogSource(options: StreamLogSourceOptions): LogSource {
	return {
		subscribe(_services, subscribeOptions, onRecords, onStatus) {
			let closed = false;
			const now = options.now ?? Date.now;
			const status = (state: LogStreamState, message?: string) => {
				if (!closed) onStatus({service: options.service, state, message, at: now()});
			};
			void (async () => {
				status('streaming');
				try {
					for await (const batch of readRecordBatches(options.open(), {service: options.service, since: subscribeOptions.since, now, adoptService: options.adoptService})) {
						if (closed) return;
						// A busy reader (its promise pending) is waited for: the input is read no further meanwhile.
						const pending = onRecords(batch);
						if (pending instanceof Promise) await pending;
					}
					status('ended');
					if (!closed) onStatus({service: '*', state: 'ended', at: now()});
				} catch (error) {
					status('error', describeError(error));
				}
			})();
			return () => {
				closed = true;
			};
		},
	};
}

/** Service name for a log file: its name without extension ("rust-core-engine-logs-20261125-120311"). */
export function serviceNameForFile(path: string): string {
	return basename(path).replace(/\.(log|txt|json|jsonl)$/i, '') || 'file';
}
