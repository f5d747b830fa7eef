import {createReadStream} from 'node:fs';
import {type CompiledFilter, InvalidRegexError, compileFilter, compileRegex} from '../logs/filter.js';
import {levelSearchFor} from '../logs/level-search.js';
import {byteSearchFor} from '../logs/prefilter.js';
import {formatColour, formatPlain, toJsonObject} from '../logs/format.js';
import {levelFromWord} from '../logs/level.js';
import type {Level, LogRecord} from '../logs/record.js';
import {RingBuffer} from '../logs/ring-buffer.js';
import {parseSince, sinceProblem} from '../logs/time.js';
import type {LogSource, LogSourceStatus} from '../services/log-source.js';
import {readPrefilteredRecordBatches, readRecordBatches, serviceNameForFile} from '../services/stream-log-source.js';
import {describeError} from '../services/errors.js';
import type {DockerService} from '../services/types.js';
import {isReaderGone} from './output.js';

export type LogsCommandOptions = {
	services: string[];
	grep?: string;
	exclude?: string;
	level?: string;
	since?: string;
	tail?: number;
	follow: boolean;
	/** Each instance's previous run (`kubectl logs --previous`). */
	previous?: boolean;
	json: boolean;
	file?: string;
	stdin: boolean;
	color: boolean;
};

export type LogsCommandContext = {
	stdout: NodeJS.WritableStream;
	stderr: NodeJS.WritableStream;
	stdin: NodeJS.ReadableStream;
	knownServices: string[];
	openDocker?: () => Promise<DockerService>;
	/** The environment's platform log source (containers or pods); wins over openDocker. */
	openLogSource?: () => Promise<LogSource>;
	/** Ends the command (a stop signal in the CLI): a follow, a read of stdin; it then returns 0. */
	signal?: AbortSignal;
	now?: () => number;
};

class UsageError extends Error {}

type Plan = {filter: CompiledFilter; since?: number; tail?: number};

function plan(options: LogsCommandOptions, now: number): Plan {
	if (options.file !== undefined && options.stdin) throw new UsageError('--file and --stdin cannot be used together');
	if ((options.file !== undefined || options.stdin) && options.follow) throw new UsageError('--follow reads container logs; it cannot follow --file or --stdin');
	if ((options.file !== undefined || options.stdin) && options.previous) throw new UsageError('--previous reads container logs; it cannot be used with --file or --stdin');
	if (options.previous && options.follow) throw new UsageError("--previous prints a container's finished run; it cannot --follow");
	let minLevel: Level | undefined;
	if (options.level !== undefined) {
		minLevel = levelFromWord(options.level);
		if (minLevel === 'unknown') throw new UsageError(`unknown level "${options.level}" (one of trace, debug, info, warn, error, fatal)`);
	}
	let since: number | undefined;
	if (options.since !== undefined) {
		const problem = sinceProblem(options.since);
		if (problem) throw new UsageError(`--since: ${problem}`);
		since = parseSince(options.since, now);
	}
	if (options.tail !== undefined && (!Number.isInteger(options.tail) || options.tail < 0)) throw new UsageError(`--tail must be a whole number of lines, got ${options.tail}`);
	try {
		const filter = compileFilter({
			minLevel,
			include: options.grep === undefined ? [] : [options.grep],
			exclude: options.exclude === undefined ? [] : [options.exclude],
		});
		return {filter, since, tail: options.tail};
	} catch (error) {
		if (error instanceof InvalidRegexError) {
			const flag = error.field === 'include' ? '--grep' : '--exclude';
			throw new UsageError(`invalid ${flag} regex ${JSON.stringify(error.pattern)}: ${error.reason}`);
		}
		throw error;
	}
}

/** Writes to stdout with backpressure, and notices a closed pipe (`| head`) so the command ends quietly. */
class Output {
	closed = false;
	private readonly closedListeners: Array<() => void> = [];

	constructor(private readonly stream: NodeJS.WritableStream) {
		stream.on('error', (error: NodeJS.ErrnoException) => {
			// A reader that went away ends the output; any other error too, there is no one to tell.
			this.close();
			if (!isReaderGone(error)) this.failure = error;
		});
	}

	failure?: Error;

	onClosed(listener: () => void): void {
		if (this.closed) listener();
		else this.closedListeners.push(listener);
	}

	private close(): void {
		if (this.closed) return;
		this.closed = true;
		for (const listener of this.closedListeners.splice(0)) listener();
	}

	/** Resolves when the stream can take more (or is closed). */
	write(text: string | Uint8Array): Promise<void> | undefined {
		if (this.closed || text.length === 0) return undefined;
		let ok: boolean;
		try {
			ok = this.stream.write(text);
		} catch {
			this.close();
			return undefined;
		}
		if (ok) return undefined;
		return new Promise(resolve => {
			const done = () => {
				this.stream.off('drain', done);
				resolve();
			};
			this.stream.on('drain', done);
			this.onClosed(done);
		});
	}
}

/**
 * `botops logs`: container logs (or a file, or stdin) merged across services and ordered by time, filtered
 * like the Logs screen, printed as text (coloured only with `color`) or one JSON object per line.
 * Exit code 0, 1 when a source failed, 2 for bad usage (unknown service, invalid regex, bad --since).
 */
export async function runLogsCommand(options: LogsCommandOptions, context: LogsCommandContext): Promise<number> {
	const now = context.now ?? Date.now;
	const error = (message: string) => {
		context.stderr.write(`botops logs: ${message}\n`);
	};
	let settings: Plan;
	try {
		settings = plan(options, now());
	} catch (failure) {
		if (failure instanceof UsageError) {
			error(failure.message);
			return 2;
		}
		throw failure;
	}
	const output = new Output(context.stdout);
	const readsBytes = options.file !== undefined || options.stdin;
	let services = options.services;
	if (!readsBytes) {
		const unknown = services.filter(service => !context.knownServices.includes(service));
		if (unknown.length > 0) {
			error(`unknown service${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; known services: ${context.knownServices.join(', ')}`);
			return 2;
		}
		if (services.length === 0) services = context.knownServices;
	}
	const width = Math.max(0, ...services.map(service => service.length));
	const format = (record: LogRecord): string =>
		options.json ? JSON.stringify(toJsonObject(record)) : options.color ? formatColour(record, width) : formatPlain(record, width);

	/** Formats a batch into one write (never a write per line); markers go to stderr unless --json. */
	const print = (records: readonly LogRecord[]): Promise<void> | undefined => {
		let text = '';
		for (const record of records) {
			if (!settings.filter.matchesContent(record)) continue;
			if (record.stream === 'marker' && !options.json) {
				context.stderr.write(format(record) + '\n');
				continue;
			}
			text += format(record) + '\n';
		}
		return output.write(text);
	};

	if (options.file !== undefined && settings.tail === undefined) return runOnFile(options, context, settings, width, output, error);
	if (readsBytes) return runOnBytes(options, context, settings, print, output, error);
	return runOnDocker(services, options, context, settings, print, output, error);
}

/** A file without --tail: read in large synchronous reads, by two threads when it is large (logs/file-scan.ts). */
async function runOnFile(options: LogsCommandOptions, context: LogsCommandContext, settings: Plan, width: number, output: Output, error: (message: string) => void): Promise<number> {
	const file = options.file!;
	const {scanFile} = await import('../logs/file-scan.js');
	try {
		await scanFile(
			{
				file,
				service: options.services.length === 1 ? options.services[0]! : serviceNameForFile(file),
				adoptService: options.services.length !== 1,
				grep: options.grep === '' ? undefined : options.grep,
				exclude: options.exclude === '' ? undefined : options.exclude,
				minLevel: settings.filter.query.minLevel,
				since: settings.since,
				json: options.json,
				color: options.color,
				width,
				receivedAt: (context.now ?? Date.now)(),
			},
			piece => output.write(piece),
			() => output.closed || context.signal?.aborted === true,
		);
	} catch (failure) {
		if (context.signal?.aborted) return output.failure ? 1 : 0;
		error(`cannot read ${file}: ${describeError(failure)}`);
		return (failure as NodeJS.ErrnoException).code === 'ENOENT' ? 2 : 1;
	}
	return output.failure ? 1 : 0;
}

async function runOnBytes(
	options: LogsCommandOptions,
	context: LogsCommandContext,
	settings: Plan,
	print: (records: readonly LogRecord[]) => Promise<void> | undefined,
	output: Output,
	error: (message: string) => void,
): Promise<number> {
	const service = options.services.length === 1 ? options.services[0]! : options.file !== undefined ? serviceNameForFile(options.file) : 'stdin';
	// Large reads: a 1M-line file is a few hundred chunks, not thousands.
	const input: AsyncIterable<Buffer | string> = options.file !== undefined ? createReadStream(options.file, {highWaterMark: 1 << 20}) : (context.stdin as AsyncIterable<Buffer | string>);
	const tail = settings.tail === undefined ? undefined : new RingBuffer<LogRecord>(Math.max(1, settings.tail));
	// A stop signal while stdin is idle (nothing piped yet) must still end the read: closing the input ends the loop.
	const stopReading = () => (input as {destroy?: () => void}).destroy?.();
	context.signal?.addEventListener('abort', stopReading, {once: true});
	try {
		const adoptService = options.services.length !== 1;
		// --grep: search the bytes first and parse only the records around a hit (--level error: around an error spelling).
		const search = (options.grep === undefined || options.grep === '' ? undefined : byteSearchFor(compileRegex(options.grep, 'include'))) ?? levelSearchFor(settings.filter.query.minLevel);
		const batches = search
			? readPrefilteredRecordBatches(input, {service, search, since: settings.since, now: context.now, adoptService})
			: readRecordBatches(input, {service, since: settings.since, now: context.now, adoptService});
		for await (const batch of batches) {
			if (output.closed || context.signal?.aborted) break;
			if (tail) {
				for (const record of batch) if (settings.filter.matchesContent(record)) tail.push(record);
				continue;
			}
			await print(batch);
		}
	} catch (failure) {
		if (context.signal?.aborted) return output.failure ? 1 : 0;
		error(`cannot read ${options.file ?? 'stdin'}: ${describeError(failure)}`);
		return options.file !== undefined && (failure as NodeJS.ErrnoException).code === 'ENOENT' ? 2 : 1;
	} finally {
		context.signal?.removeEventListener('abort', stopReading);
		if (options.file !== undefined) (input as {destroy?: () => void}).destroy?.();
	}
	if (tail && settings.tail! > 0) await print([...tail]);
	return output.failure ? 1 : 0;
}

async function runOnDocker(
	services: string[],
	options: LogsCommandOptions,
	context: LogsCommandContext,
	settings: Plan,
	print: (records: readonly LogRecord[]) => Promise<void> | undefined,
	output: Output,
	error: (message: string) => void,
): Promise<number> {
	let source: LogSource;
	let closeClient = () => {};
	try {
		if (context.openLogSource) source = await context.openLogSource();
		else if (context.openDocker) {
			const docker = await context.openDocker();
			closeClient = () => docker.close();
			// Loaded here: a saved file's read does not load the container streams (the merge, the markers).
			const {createDockerLogSource} = await import('../services/log-source.js');
			source = createDockerLogSource({docker});
		}
		else throw new Error('no log source for this environment');
	} catch (failure) {
		error(describeError(failure, context.openLogSource ? undefined : 'docker'));
		return 1;
	}
	let failed = false;
	try {
		await new Promise<void>(resolve => {
			let finished = false;
			const finish = () => {
				if (finished) return;
				finished = true;
				unsubscribe();
				context.signal?.removeEventListener('abort', finish);
				resolve();
			};
			const onStatus = (status: LogSourceStatus) => {
				if (status.state === 'error') {
					failed = true;
					error(status.service === '*' ? (status.message ?? 'log source failed') : `${status.service}: ${status.message ?? 'failed'}`);
				}
				if (status.service === '*' && (status.state === 'ended' || status.state === 'error')) finish();
			};
			const unsubscribe = source.subscribe(services, {since: settings.since, tail: settings.tail, follow: options.follow, ...(options.previous ? {previous: true} : {})}, records => print(records), onStatus);
			output.onClosed(finish);
			if (context.signal?.aborted) finish();
			else context.signal?.addEventListener('abort', finish, {once: true});
		});
	} finally {
		closeClient();
	}
	return failed || output.failure ? 1 : 0;
}
