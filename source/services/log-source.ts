import {basename} from 'node:path';
import {readLineBatches} from '../logs/lines.js';
import {LineAssembler, type RawLine} from '../logs/parse.js';
import {LogPipeline} from '../logs/pipeline.js';
import {backoffMs} from '../util/backoff.js';
import type {LogRecord} from '../logs/record.js';
import {clockTime} from '../logs/time.js';
import {describeError} from './errors.js';
import type {ContainerSummary, DockerService, RawLogLine, Unsubscribe} from './types.js';

export type LogSubscribeOptions = {
	/** Epoch ms: only lines from then on. */
	since?: number;
	/** Last N lines of each stream (container, pod) to start with. */
	tail?: number;
	follow: boolean;
};

export type LogStreamState = 'connecting' | 'streaming' | 'waiting' | 'reconnecting' | 'ended' | 'error';

/** Per service; `service` is "*" with state "ended" once every stream of a subscription without follow has ended. */
export type LogSourceStatus = {
	service: string;
	state: LogStreamState;
	/** One line for the status bar: "docker: connect ENOENT /var/run/docker.sock", "no container for service x". */
	message?: string;
	/** Epoch ms of the next attempt, for "reconnecting in 4 s". */
	retryAt?: number;
	at: number;
};

/**
 * Where log lines come from. Records arrive merged across services and ordered by time, in batches (one
 * callback per chunk or flush, never per line). Docker today; Kubernetes pod logs implement the same.
 */
export interface LogSource {
	subscribe(
		services: readonly string[],
		options: LogSubscribeOptions,
		onRecords: (batch: LogRecord[]) => void,
		onStatus: (status: LogSourceStatus) => void,
	): Unsubscribe;
}

export type Backoff = {initialMs: number; maxMs: number};

export type DockerLogSourceOptions = {
	docker: DockerService;
	/** Reconnect delays: doubled per failed attempt, capped (default 500 ms … 30 s). */
	backoff?: Backoff;
	/** How long live lines wait for late lines of other services (default 250 ms). */
	holdMs?: number;
	/** How often held lines are released in follow mode (default 100 ms). */
	flushEveryMs?: number;
	now?: () => number;
};

type ContainerStream = {
	service: string;
	id: string;
	/** Epoch ms of the last line delivered, and the lines seen at exactly that ms: a reconnect asks from there and drops these. */
	lastTime: number;
	boundary: Map<string, number>;
	startedAt?: number;
	attempt: number;
	/** The last marker kind written, so that a dead engine writes "stream lost" once, not at every retry. */
	lastMarker?: 'lost' | 'stopped' | 'removed';
	openedAt: number;
	unsubscribe?: Unsubscribe;
	timer?: NodeJS.Timeout;
	ended: boolean;
};

/**
 * Docker container logs. Each compose service maps to its containers by the compose service label. In follow
 * mode streams never stop silently: a closed stream, a restarted container or a restarted engine reconnects
 * with backoff, asks only for lines since the last one seen (nothing duplicated) and writes a marker record.
 */
export function createDockerLogSource(options: DockerLogSourceOptions): LogSource {
	const {docker} = options;
	const backoff = options.backoff ?? {initialMs: 500, maxMs: 30_000};
	const now = options.now ?? Date.now;
	const flushEveryMs = options.flushEveryMs ?? 100;

	return {
		subscribe(services, subscribeOptions, onRecords, onStatus) {
			const {follow} = subscribeOptions;
			const pipeline = new LogPipeline({follow, holdMs: options.holdMs, since: subscribeOptions.since});
			const streams = new Map<string, ContainerStream>();
			const waitingServices = new Set<string>();
			let closed = false;
			let done = false;

			const emit = (all = false) => {
				if (closed) return;
				const records = pipeline.flush(now(), all);
				if (records.length > 0) onRecords(records);
			};
			const status = (service: string, state: LogStreamState, message?: string, retryAt?: number) => {
				if (!closed) onStatus({service, state, message, retryAt, at: now()});
			};
			const delay = (attempt: number, capMs = backoff.maxMs) => backoffMs(attempt + 1, backoff.initialMs, capMs);
			const later = (fn: () => void, ms: number): NodeJS.Timeout => {
				const timer = setTimeout(fn, ms);
				timer.unref();
				return timer;
			};
			const marker = (stream: ContainerStream, text: string, time = now()) => {
				pipeline.marker(stream.id, stream.service, `— ${text} —`, time);
				emit();
			};

			const flusher = follow ? setInterval(() => emit(), flushEveryMs) : undefined;
			flusher?.unref();

			const checkDone = () => {
				if (follow || done || closed) return;
				if (waitingServices.size > 0) return;
				for (const stream of streams.values()) if (!stream.ended) return;
				done = true;
				emit(true);
				status('*', 'ended');
			};

			const accept = (stream: ContainerStream, lines: RawLogLine[]): RawLine[] => {
				// Drop what a reconnect sent again: everything before the last line seen, and the lines seen at its exact ms.
				const kept: RawLine[] = [];
				for (const line of lines) {
					const time = line.time ?? now();
					if (time < stream.lastTime) continue;
					if (time === stream.lastTime) {
						const key = line.stream + line.text;
						const seen = stream.boundary.get(key) ?? 0;
						if (seen > 0) {
							stream.boundary.set(key, seen - 1);
							continue;
						}
					} else {
						stream.boundary.clear();
						stream.lastTime = time;
					}
					kept.push(line);
				}
				// Count the kept lines at the boundary ms, for the next reconnect.
				for (let i = kept.length - 1; i >= 0 && (kept[i]!.time ?? -1) === stream.lastTime; i--) {
					const key = kept[i]!.stream + kept[i]!.text;
					stream.boundary.set(key, (stream.boundary.get(key) ?? 0) + 1);
				}
				return kept;
			};

			const open = (stream: ContainerStream, first: boolean) => {
				if (closed) return;
				stream.timer = undefined;
				status(stream.service, first ? 'connecting' : 'reconnecting');
				pipeline.open(stream.id, now());
				const sinceMs = Number.isFinite(stream.lastTime) ? stream.lastTime : first ? subscribeOptions.since : (subscribeOptions.since ?? stream.openedAt);
				let delivered = false;
				stream.unsubscribe = docker.streamLogs(
					stream.id,
					{
						follow,
						timestamps: true,
						since: sinceMs === undefined ? undefined : Math.floor(sinceMs / 1000),
						tail: first ? subscribeOptions.tail : undefined,
					},
					lines => {
						if (closed) return;
						if (!delivered) {
							delivered = true;
							stream.attempt = 0;
							stream.lastMarker = undefined;
							status(stream.service, 'streaming');
						}
						const kept = accept(stream, lines);
						if (kept.length > 0) pipeline.ingest(stream.id, stream.service, kept, now());
						if (!follow) emit();
					},
					error => {
						stream.unsubscribe = undefined;
						if (closed) return;
						if (!follow) {
							stream.ended = true;
							if (error) {
								marker(stream, `${stream.service}: ${describeError(error, 'docker')}`);
								status(stream.service, 'error', describeError(error, 'docker'));
							} else status(stream.service, 'ended');
							pipeline.end(stream.id);
							emit();
							checkDone();
							return;
						}
						void recover(stream, error);
					},
				);
			};

			const retry = (stream: ContainerStream, capMs?: number): number => {
				const ms = delay(stream.attempt++, capMs);
				stream.timer = later(() => void recover(stream), ms);
				return ms;
			};

			/** After a stream ended in follow mode: find out why, say so, and reopen when the container runs. */
			const recover = async (stream: ContainerStream, error?: Error) => {
				stream.timer = undefined;
				if (closed) return;
				let detail;
				try {
					detail = await docker.inspect(stream.id);
				} catch (inspectError) {
					if (closed) return;
					if ((inspectError as {status?: number}).status === 404) return replaceRemoved(stream);
					const message = describeError(inspectError, 'docker');
					const ms = retry(stream);
					if (stream.lastMarker !== 'lost') marker(stream, `${stream.service} stream lost (${message}), reconnecting in ${seconds(ms)}`);
					stream.lastMarker = 'lost';
					status(stream.service, 'reconnecting', message, now() + ms);
					return;
				}
				if (closed) return;
				const restarted = detail.startedAt !== undefined && stream.startedAt !== undefined && detail.startedAt > stream.startedAt;
				if (detail.state === 'running') {
					if (restarted) {
						stream.startedAt = detail.startedAt;
						marker(stream, `${stream.service} restarted ${clockTime(detail.startedAt!)}`, detail.startedAt);
						stream.attempt = 0;
						open(stream, false);
						return;
					}
					stream.startedAt ??= detail.startedAt;
					if (error === undefined && stream.attempt === 0 && stream.lastMarker === undefined) {
						// A clean end while running (the daemon closed an idle connection): reopen at once, quietly.
						stream.attempt = 1;
						open(stream, false);
						return;
					}
					const ms = delay(stream.attempt++);
					const reason = error ? ` (${describeError(error, 'docker')})` : '';
					if (stream.lastMarker !== 'lost') marker(stream, `${stream.service} stream lost${reason}, reconnecting in ${seconds(ms)}`);
					stream.lastMarker = 'lost';
					status(stream.service, 'reconnecting', error ? describeError(error, 'docker') : 'stream closed', now() + ms);
					stream.timer = later(() => open(stream, false), ms);
					return;
				}
				// Not running: stopped, restarting, paused. Watch it (at most every 5 s) until it runs again.
				if (stream.lastMarker !== 'stopped') {
					const exit = detail.exitCode !== undefined && detail.state !== 'paused' ? ` (exit ${detail.exitCode})` : '';
					marker(stream, `${stream.service} ${detail.state}${exit} ${clockTime(detail.finishedAt ?? now())}`, detail.finishedAt ?? now());
					stream.lastMarker = 'stopped';
				}
				stream.startedAt ??= detail.startedAt;
				const ms = retry(stream, 5000);
				status(stream.service, 'waiting', `container ${detail.state}`, now() + ms);
			};

			/** The container is gone (compose recreated it, or it was removed): follow its successor, if any. */
			const replaceRemoved = async (stream: ContainerStream) => {
				let containers: ContainerSummary[] = [];
				try {
					containers = await docker.listContainers();
				} catch {
					// Listing failing too means the engine is going away: keep retrying as for a lost stream.
				}
				if (closed) return;
				const successor = containers.find(c => c.service === stream.service && c.id !== stream.id && !streams.has(c.id));
				if (successor) {
					streams.delete(stream.id);
					pipeline.end(stream.id);
					marker(stream, `${stream.service} container recreated (${successor.name})`);
					const next = newStream(stream.service, successor.id);
					next.lastTime = stream.lastTime;
					streams.set(next.id, next);
					void begin(next, false);
					return;
				}
				if (stream.lastMarker !== 'removed') marker(stream, `${stream.service} container removed, waiting for it to come back`);
				stream.lastMarker = 'removed';
				const ms = retry(stream, 5000);
				status(stream.service, 'waiting', 'container removed', now() + ms);
			};

			const newStream = (service: string, id: string): ContainerStream => ({
				service,
				id,
				lastTime: -Infinity,
				boundary: new Map(),
				attempt: 0,
				openedAt: now(),
				ended: false,
			});

			/** Learns when the container started (to tell a restart from a lost connection), then opens. */
			const begin = async (stream: ContainerStream, first: boolean) => {
				if (follow) {
					try {
						stream.startedAt = (await docker.inspect(stream.id)).startedAt;
					} catch {
						// Unknown start time: the first recover() learns it; opening still says what is wrong.
					}
				}
				open(stream, first);
			};

			const discover = async (attempt: number) => {
				let containers: ContainerSummary[];
				try {
					containers = await docker.listContainers();
				} catch (error) {
					if (closed) return;
					const message = describeError(error, 'docker');
					if (!follow) {
						for (const service of services) status(service, 'error', message);
						waitingServices.clear();
						done = true;
						status('*', 'error', message);
						return;
					}
					const ms = delay(attempt);
					for (const service of services) status(service, 'reconnecting', message, now() + ms);
					later(() => void discover(attempt + 1), ms);
					return;
				}
				if (closed) return;
				const missing: string[] = [];
				for (const service of services) {
					if (!waitingServices.has(service)) continue;
					const matching = containers.filter(c => c.service === service);
					if (matching.length === 0) {
						missing.push(service);
						continue;
					}
					waitingServices.delete(service);
					for (const container of matching) {
						if (streams.has(container.id)) continue;
						const stream = newStream(service, container.id);
						streams.set(container.id, stream);
						pipeline.open(stream.id, now());
						void begin(stream, true);
					}
				}
				for (const service of missing) {
					status(service, follow ? 'waiting' : 'error', `no container for service ${service}`);
				}
				if (!follow) {
					waitingServices.clear();
					checkDone();
				} else if (missing.length > 0) {
					const ms = delay(attempt, 5000);
					later(() => void discover(attempt + 1), ms);
				}
			};

			for (const service of services) waitingServices.add(service);
			void discover(0);

			return () => {
				if (closed) return;
				closed = true;
				if (flusher) clearInterval(flusher);
				for (const stream of streams.values()) {
					stream.unsubscribe?.();
					if (stream.timer) clearTimeout(stream.timer);
				}
			};
		},
	};
}

function seconds(ms: number): string {
	return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

export type StreamLogSourceOptions = {
	/** The service name records get ("stdin", or the file's name). */
	service: string;
	/** Opens the input: a file read stream, process.stdin. */
	open: () => AsyncIterable<Buffer | string>;
	now?: () => number;
};

/**
 * Records from a byte stream (a saved log file, a pipe), through the same parser as container logs, in the
 * stream's own order. One record is held back at a time: the next chunk may still continue it.
 */
export async function* readRecordBatches(
	input: AsyncIterable<Buffer | string>,
	options: {service: string; since?: number; now?: () => number},
): AsyncGenerator<LogRecord[]> {
	const now = options.now ?? Date.now;
	const assembler = new LineAssembler();
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
		for (let i = 0; i < batch.length; i++) lines[i] = {stream: 'stdout', text: batch[i]!};
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
					for await (const batch of readRecordBatches(options.open(), {service: options.service, since: subscribeOptions.since, now})) {
						if (closed) return;
						onRecords(batch);
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
