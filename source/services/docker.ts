import type {IncomingMessage} from 'node:http';
import Docker from 'dockerode';
import {collectDemuxed, LogDemuxer, StatsReader} from './docker-frames.js';
import {computeStats, type CpuStatsJson, type DockerStatsJson} from './docker-stats.js';
import {projectLabel, toDetail, toSummary} from './docker-mapping.js';
import {describeError, ServiceError, TimeoutError, withTimeout} from './errors.js';
import type {DockerService, ExecResult, LogStreamOptions, Unsubscribe} from './types.js';

/**
 * The Docker client: the engine connection (dockerode), its calls and their timeouts, and streamed
 * subscriptions. The bytes of a stream are decoded in ./docker-frames.ts, the JSON mapped in ./docker-mapping.ts.
 */

export type DockerServiceOptions = {
	/** Unix socket of the engine; wins over `host` and DOCKER_HOST. */
	socketPath?: string;
	/** tcp://host:port; wins over DOCKER_HOST. */
	host?: string;
	/** Compose project whose containers botops shows (label com.docker.compose.project). */
	project: string;
	/** Per-call timeout; open streams are exempt once connected. */
	timeoutMs?: number;
	/** Exec runs operator commands (a dump, a migration) that outlast an API call. */
	execTimeoutMs?: number;
};

const defaultSocket = '/var/run/docker.sock';
/**
 * The most an API answer may be. A list of 400 containers is about 1 MB; a runaway or hostile engine must not
 * fill memory, so reading stops here instead of buffering whatever comes (docker-modem would buffer it all).
 */
export const maxResponseBytes = 16 * 1024 * 1024;
/** The engine's own default when `docker stop` is given no -t. */
const startAllowanceMs = 30_000;
/** A container's last CPU reading is forgotten once it was not sampled for this long (it left the project). */
const cpuReadingKeptMs = 10 * 60_000;
const defaultStopSeconds = 10;

export function createDockerService(options: DockerServiceOptions): DockerService {
	const docker = new Docker(connectionOptions(options));
	const timeoutMs = options.timeoutMs ?? 3000;
	const execTimeoutMs = options.execTimeoutMs ?? 60_000;
	const open = new Set<() => void>();
	/** Each container's CPU counters at its last one-shot sample: the next one's interval starts there. */
	const lastCpu = new Map<string, {cpu: CpuStatsJson; at: number}>();

	async function call<T>(work: (signal: AbortSignal) => Promise<T>, ms = timeoutMs): Promise<T> {
		try {
			return await withTimeout(ms, work);
		} catch (error) {
			throw toServiceError(error);
		}
	}

	/**
	 * A GET whose JSON answer is read with the size cap: the body is counted as it arrives and the connection
	 * dropped once it is over `maxResponseBytes`. Errors keep docker-modem's shape (statusCode, json) for describeError.
	 */
	function getJson(path: string, query: Record<string, unknown>, statusCodes: Record<number, true | string>, signal: AbortSignal): Promise<unknown> {
		return new Promise((resolve, reject) => {
			docker.modem.dial({path: `${path}?`, method: 'GET', options: query, abortSignal: signal, isStream: true, statusCodes}, (error: unknown, result: unknown) => {
				if (error) return reject(error);
				const res = result as IncomingMessage;
				const chunks: Buffer[] = [];
				let size = 0;
				res.on('data', (chunk: Buffer) => {
					size += chunk.length;
					if (size > maxResponseBytes) {
						res.destroy();
						reject(new ServiceError(`docker: answer from ${path} over ${maxResponseBytes / 1024 / 1024} MB, not read`));
						return;
					}
					chunks.push(chunk);
				});
				res.on('error', reject);
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					try {
						resolve(JSON.parse(text));
					} catch (parseError) {
						reject(new ServiceError(`docker: malformed JSON from ${path}: ${describeError(parseError)}`));
					}
				});
				// A connection closed before the end: node reports it as an 'aborted' error only to listeners it had.
				res.on('close', () => {
					if (!res.complete) reject(new ServiceError(`docker: connection dropped mid-response from ${path}`));
				});
			});
		});
	}

	/** Opens a streamed GET; the timeout covers only the wait for the response headers. */
	function openStream(path: string, query: Record<string, unknown>, onOpen: (res: IncomingMessage) => void, onFail: (error: Error) => void): () => void {
		const controller = new AbortController();
		let settled = false;
		const timer = setTimeout(() => {
			if (settled) return;
			settled = true;
			controller.abort();
			onFail(toServiceError(new TimeoutError(timeoutMs)));
		}, timeoutMs);
		timer.unref();
		docker.modem.dial(
			{
				path: `${path}?`,
				method: 'GET',
				options: query,
				abortSignal: controller.signal,
				isStream: true,
				statusCodes: {200: true, 404: 'no such container', 409: 'conflict', 500: 'server error'},
			},
			(error: unknown, result: unknown) => {
				const res = (result ?? undefined) as IncomingMessage | undefined;
				clearTimeout(timer);
				if (settled) {
					res?.destroy();
					return;
				}
				settled = true;
				if (error || !res) onFail(toServiceError(error ?? new Error('no response')));
				else onOpen(res);
			},
		);
		return () => {
			clearTimeout(timer);
			settled = true;
			controller.abort();
		};
	}

	/**
	 * Wires a response to the caller: at most one onEnd, none after unsubscribe, and close() ends everything.
	 * When onData returns a promise the response is paused until it settles: a slow reader holds the engine back.
	 */
	function subscribe(
		path: string,
		query: Record<string, unknown>,
		onData: (chunk: Buffer) => unknown,
		onFinish: () => void,
		onEnd: (error?: Error) => void,
	): Unsubscribe {
		let active = true;
		let response: IncomingMessage | undefined;
		const finish = (error?: Error) => {
			if (!active) return;
			stop();
			// What is left at the end (a last sample without its newline) may be as malformed as any chunk.
			if (!error) {
				try {
					onFinish();
				} catch (finishError) {
					error = toServiceError(finishError);
				}
			}
			onEnd(error);
		};
		const cancel = openStream(
			path,
			query,
			res => {
				response = res;
				const resume = () => {
					if (active) res.resume();
				};
				res.on('data', (chunk: Buffer) => {
					if (!active) return;
					let pending: unknown;
					try {
						pending = onData(chunk);
					} catch (error) {
						finish(toServiceError(error));
						return;
					}
					if (pending instanceof Promise) {
						res.pause();
						pending.then(resume, resume);
					}
				});
				res.once('end', () => finish());
				res.on('error', error => finish(toServiceError(error)));
				res.once('close', () => finish());
			},
			error => finish(error),
		);
		function stop() {
			active = false;
			open.delete(stop);
			cancel();
			response?.destroy();
		}
		open.add(stop);
		return stop;
	}

	return {
		async listContainers() {
			const list = await call(signal =>
				getJson('/containers/json', {all: true, filters: {label: [`${projectLabel}=${options.project}`]}}, {200: true, 400: 'bad parameter', 500: 'server error'}, signal),
			);
			if (!Array.isArray(list)) throw new ServiceError('docker: container list is not a JSON array');
			return (list as Docker.ContainerInfo[]).map(toSummary).sort((a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name));
		},

		async inspect(idOrName) {
			const info = await call(signal => getJson(`/containers/${encodeURIComponent(idOrName)}/json`, {}, {200: true, 404: 'no such container', 500: 'server error'}, signal));
			if (typeof info !== 'object' || info === null || Array.isArray(info)) throw new ServiceError(`docker: inspect of ${idOrName} is not a JSON object`);
			return toDetail(info as Docker.ContainerInspectInfo);
		},

		async restart(idOrName, timeoutSeconds) {
			const t = timeoutSeconds ?? defaultStopSeconds;
			await call(signal => notModifiedIsFine(docker.getContainer(idOrName).restart({t, abortSignal: signal})), timeoutMs + t * 1000);
		},

		async stop(idOrName, timeoutSeconds) {
			const t = timeoutSeconds ?? defaultStopSeconds;
			await call(signal => notModifiedIsFine(docker.getContainer(idOrName).stop({t, abortSignal: signal})), timeoutMs + t * 1000);
		},

		async start(idOrName) {
			// Starting waits for the engine to set up mounts and the process, seconds on a loaded host (vfs storage):
			// giving up at the read timeout would report a failure for a start that then happens anyway.
			await call(signal => notModifiedIsFine(docker.getContainer(idOrName).start({abortSignal: signal})), timeoutMs + startAllowanceMs);
		},

		async exec(idOrName, argv) {
			if (argv.length === 0) throw new ServiceError('docker: exec needs a command');
			return call(async signal => {
				const container = docker.getContainer(idOrName);
				const exec = await container.exec({Cmd: argv, AttachStdout: true, AttachStderr: true, abortSignal: signal});
				// Not hijacked: the engine answers with the multiplexed stream and closes it when the process exits.
				const stream = (await exec.start({hijack: false, stdin: false, abortSignal: signal})) as NodeJS.ReadableStream & {destroy(): void};
				// The same cap as any answer: a command that prints without end must not fill botops' memory.
				let read = 0;
				stream.on('data', (chunk: Buffer) => {
					read += chunk.length;
					if (read > maxResponseBytes) (stream as unknown as {destroy(error: Error): void}).destroy(new ServiceError(`docker: exec output of ${argv[0]} over ${maxResponseBytes / 1024 / 1024} MB, not read`));
				});
				const output = await collectDemuxed(stream, signal);
				const info = await exec.inspect({abortSignal: signal});
				return {exitCode: info.ExitCode ?? -1, ...output} satisfies ExecResult;
			}, execTimeoutMs);
		},

		streamStats(id, onSample, onEnd) {
			const samples = new StatsReader();
			return subscribe(
				`/containers/${encodeURIComponent(id)}/stats`,
				{stream: true},
				chunk => samples.push(chunk, onSample),
				() => samples.end(onSample),
				onEnd,
			);
		},

		async sampleStats(id, signal) {
			const previous = lastCpu.get(id);
			// The first sample waits for the engine's own second (stream=false without one-shot): its CPU is real at once.
			const query = previous ? {stream: false, 'one-shot': true} : {stream: false};
			const ms = previous ? timeoutMs : timeoutMs + 2000;
			const raw = await call(
				own => getJson(`/containers/${encodeURIComponent(id)}/stats`, query, {200: true, 404: 'no such container', 500: 'server error'}, signal ? AbortSignal.any([own, signal]) : own),
				ms,
			);
			if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ServiceError(`docker: stats of ${id} is not a JSON object`);
			const stats = raw as DockerStatsJson;
			const now = Date.now();
			const sample = computeStats(stats, now, previous?.cpu);
			if (stats.cpu_stats && finite(stats.cpu_stats.system_cpu_usage) > 0) lastCpu.set(id, {cpu: stats.cpu_stats, at: now});
			for (const [known, reading] of lastCpu) if (now - reading.at > cpuReadingKeptMs) lastCpu.delete(known);
			return sample;
		},

		streamLogs(id, logOptions, onLines, onEnd) {
			const demuxer = new LogDemuxer(logOptions.timestamps);
			return subscribe(
				`/containers/${encodeURIComponent(id)}/logs`,
				logQuery(logOptions),
				chunk => {
					const lines = demuxer.push(chunk);
					return lines.length > 0 ? onLines(lines) : undefined;
				},
				() => {
					const lines = demuxer.flush();
					if (lines.length > 0) onLines(lines);
				},
				onEnd,
			);
		},

		close() {
			for (const stop of [...open]) stop();
		},
	};
}

function finite(value: unknown): number {
	return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function connectionOptions(options: DockerServiceOptions): Docker.DockerOptions {
	// docker-modem merges DOCKER_HOST into whatever it is given, so the fields it would add are cleared explicitly.
	const cleared = {host: undefined, port: undefined, protocol: 'http' as const, ca: undefined, cert: undefined, key: undefined};
	if (options.socketPath) return {...cleared, socketPath: options.socketPath};
	if (options.host) return {...cleared, ...parseTcpHost(options.host)};
	// docker-modem understands DOCKER_HOST (tcp, unix, ssh, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH) itself.
	if (process.env['DOCKER_HOST']) return {};
	return {...cleared, socketPath: defaultSocket};
}

function parseTcpHost(host: string): {host: string; port: number} {
	const url = new URL(host.includes('://') ? host : `tcp://${host}`);
	if (url.protocol !== 'tcp:' && url.protocol !== 'http:') throw new ServiceError(`docker: unsupported host ${url.protocol}//${url.host} (use tcp://host:port)`);
	return {host: url.hostname, port: Number(url.port || 2375)};
}

function toServiceError(error: unknown): ServiceError {
	if (error instanceof ServiceError) return error;
	const status = typeof error === 'object' && error !== null ? (error as {statusCode?: unknown}).statusCode : undefined;
	return new ServiceError(describeError(error, 'docker'), typeof status === 'number' ? status : undefined);
}

/** Start on a running, or stop on a stopped, container answers 304: the wanted state holds, which is success. */
async function notModifiedIsFine(promise: Promise<unknown>): Promise<void> {
	try {
		await promise;
	} catch (error) {
		if ((error as {statusCode?: unknown})?.statusCode === 304) return;
		throw error;
	}
}

function logQuery(options: LogStreamOptions): Record<string, unknown> {
	const query: Record<string, unknown> = {stdout: true, stderr: true, follow: options.follow, timestamps: options.timestamps};
	if (options.since !== undefined) query['since'] = options.since;
	query['tail'] = options.tail === undefined ? 'all' : Math.max(0, Math.floor(options.tail));
	return query;
}
