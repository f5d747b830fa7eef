import type {IncomingMessage} from 'node:http';
import {StringDecoder} from 'node:string_decoder';
import Docker from 'dockerode';
import {computeStats, type DockerStatsJson} from './docker-stats.js';
import {humanDuration} from '../util/human-duration.js';
import {describeError, ServiceError, TimeoutError, withTimeout} from './errors.js';
import type {
	ContainerDetail,
	ContainerHealth,
	ContainerState,
	ContainerSummary,
	DockerService,
	ExecResult,
	LogStreamOptions,
	RawLogLine,
	StatsSample,
	Unsubscribe,
} from './types.js';

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

const projectLabel = 'com.docker.compose.project';
const serviceLabel = 'com.docker.compose.service';
const defaultSocket = '/var/run/docker.sock';
/** The engine's own default when `docker stop` is given no -t. */
const defaultStopSeconds = 10;

export function createDockerService(options: DockerServiceOptions): DockerService {
	const docker = new Docker(connectionOptions(options));
	const timeoutMs = options.timeoutMs ?? 3000;
	const execTimeoutMs = options.execTimeoutMs ?? 60_000;
	const open = new Set<() => void>();

	async function call<T>(work: (signal: AbortSignal) => Promise<T>, ms = timeoutMs): Promise<T> {
		try {
			return await withTimeout(ms, work);
		} catch (error) {
			throw toServiceError(error);
		}
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

	/** Wires a response to the caller: at most one onEnd, none after unsubscribe, and close() ends everything. */
	function subscribe(
		path: string,
		query: Record<string, unknown>,
		onData: (chunk: Buffer) => void,
		onFinish: () => void,
		onEnd: (error?: Error) => void,
	): Unsubscribe {
		let active = true;
		let response: IncomingMessage | undefined;
		const finish = (error?: Error) => {
			if (!active) return;
			stop();
			if (!error) onFinish();
			onEnd(error);
		};
		const cancel = openStream(
			path,
			query,
			res => {
				response = res;
				res.on('data', (chunk: Buffer) => {
					if (!active) return;
					try {
						onData(chunk);
					} catch (error) {
						finish(toServiceError(error));
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
				docker.listContainers({all: true, filters: {label: [`${projectLabel}=${options.project}`]}, abortSignal: signal}),
			);
			return list.map(toSummary).sort((a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name));
		},

		async inspect(idOrName) {
			const info = await call(signal => docker.getContainer(idOrName).inspect({abortSignal: signal}));
			return toDetail(info);
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
			await call(signal => notModifiedIsFine(docker.getContainer(idOrName).start({abortSignal: signal})));
		},

		async exec(idOrName, argv) {
			if (argv.length === 0) throw new ServiceError('docker: exec needs a command');
			return call(async signal => {
				const container = docker.getContainer(idOrName);
				const exec = await container.exec({Cmd: argv, AttachStdout: true, AttachStderr: true, abortSignal: signal});
				// Not hijacked: the engine answers with the multiplexed stream and closes it when the process exits.
				const stream = (await exec.start({hijack: false, stdin: false, abortSignal: signal})) as NodeJS.ReadableStream & {destroy(): void};
				const output = await collectDemuxed(stream, signal);
				const info = await exec.inspect({abortSignal: signal});
				return {exitCode: info.ExitCode ?? -1, ...output} satisfies ExecResult;
			}, execTimeoutMs);
		},

		streamStats(id, onSample, onEnd) {
			const lines = new LineSplitter();
			return subscribe(
				`/containers/${encodeURIComponent(id)}/stats`,
				{stream: true},
				chunk => {
					for (const line of lines.push(chunk)) emitSample(line, onSample);
				},
				() => {
					const rest = lines.flush();
					if (rest) emitSample(rest, onSample);
				},
				onEnd,
			);
		},

		streamLogs(id, logOptions, onLines, onEnd) {
			const demuxer = new LogDemuxer(logOptions.timestamps);
			return subscribe(
				`/containers/${encodeURIComponent(id)}/logs`,
				logQuery(logOptions),
				chunk => {
					const lines = demuxer.push(chunk);
					if (lines.length > 0) onLines(lines);
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

function emitSample(line: string, onSample: (sample: StatsSample) => void): void {
	if (line.trim() === '') return;
	onSample(computeStats(JSON.parse(line) as DockerStatsJson));
}

function logQuery(options: LogStreamOptions): Record<string, unknown> {
	const query: Record<string, unknown> = {stdout: true, stderr: true, follow: options.follow, timestamps: options.timestamps};
	if (options.since !== undefined) query['since'] = options.since;
	query['tail'] = options.tail === undefined ? 'all' : Math.max(0, Math.floor(options.tail));
	return query;
}

/** Exec output is returned byte for byte (no line splitting), each stream on its own. */
async function collectDemuxed(stream: NodeJS.ReadableStream & {destroy(): void}, signal: AbortSignal): Promise<{stdout: string; stderr: string}> {
	const frames = new FrameReader();
	const chunks = {stdout: [] as Buffer[], stderr: [] as Buffer[]};
	const take = (name: StreamName, payload: Buffer) => chunks[name].push(Buffer.from(payload));
	await new Promise<void>((resolve, reject) => {
		const abort = () => {
			stream.destroy();
			reject(signal.reason);
		};
		signal.addEventListener('abort', abort, {once: true});
		stream.on('data', (chunk: Buffer) => frames.push(chunk, take));
		stream.on('error', error => {
			signal.removeEventListener('abort', abort);
			reject(error);
		});
		stream.once('end', () => {
			signal.removeEventListener('abort', abort);
			resolve();
		});
	});
	return {stdout: Buffer.concat(chunks.stdout).toString('utf8'), stderr: Buffer.concat(chunks.stderr).toString('utf8')};
}

/** Newline-delimited JSON arrives in arbitrary chunks; this yields whole lines only. */
class LineSplitter {
	private rest = '';
	private readonly decoder = new StringDecoder('utf8');

	push(chunk: Buffer): string[] {
		const text = this.rest + this.decoder.write(chunk);
		const lines = text.split('\n');
		this.rest = lines.pop() ?? '';
		return lines;
	}

	flush(): string {
		const rest = this.rest + this.decoder.end();
		this.rest = '';
		return rest;
	}
}

const timestampPrefix = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) /;

type StreamName = 'stdout' | 'stderr';

/**
 * Docker's attach/logs stream framing: an 8-byte header (stream type, 3 zero bytes, big-endian payload size), then the
 * payload. Headers and payloads may be cut anywhere by the transport, so bytes are held until a frame is whole. A TTY
 * container's stream has no framing at all; its first bytes tell which kind this is.
 */
export class FrameReader {
	private pending: Buffer = Buffer.alloc(0);
	private framed: boolean | undefined;

	push(chunk: Buffer, emit: (stream: StreamName, payload: Buffer) => void): void {
		let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
		if (this.framed === undefined) {
			if (data.length < 4) {
				this.pending = data;
				return;
			}
			this.framed = data[0] <= 3 && data[1] === 0 && data[2] === 0 && data[3] === 0;
		}
		if (!this.framed) {
			this.pending = Buffer.alloc(0);
			emit('stdout', data);
			return;
		}
		let offset = 0;
		while (data.length - offset >= 8) {
			const size = data.readUInt32BE(offset + 4);
			if (data.length - offset - 8 < size) break;
			const kind = data[offset];
			// 0 is stdin (echoed on attach), 3 is the engine's own error text for exec (API >= 1.42).
			emit(kind === 2 || kind === 3 ? 'stderr' : 'stdout', data.subarray(offset + 8, offset + 8 + size));
			offset += 8 + size;
		}
		data = data.subarray(offset);
		// Copied, so a retained remainder does not pin a whole large chunk.
		this.pending = data.length > 0 ? Buffer.from(data) : Buffer.alloc(0);
	}
}

/**
 * Frames become lines: frames do not line up with lines, so partial lines are kept per stream, as bytes, until their
 * newline (a UTF-8 character may straddle two frames).
 */
export class LogDemuxer {
	private readonly frames = new FrameReader();
	private readonly partial = {stdout: [] as Buffer[], stderr: [] as Buffer[]};

	constructor(private readonly timestamps: boolean) {}

	/** All lines completed by this chunk, in arrival order. */
	push(chunk: Buffer): RawLogLine[] {
		const out: RawLogLine[] = [];
		this.frames.push(chunk, (stream, payload) => this.payload(stream, payload, out));
		return out;
	}

	/** Lines left without a final newline when the stream ended. */
	flush(): RawLogLine[] {
		const out: RawLogLine[] = [];
		for (const stream of ['stdout', 'stderr'] as const) {
			const parts = this.partial[stream];
			if (parts.length > 0) out.push(this.line(stream, Buffer.concat(parts)));
			this.partial[stream] = [];
		}
		return out;
	}

	private payload(stream: StreamName, payload: Buffer, out: RawLogLine[]): void {
		if (payload.length === 0) return;
		let start = 0;
		let newline = payload.indexOf(0x0a, start);
		while (newline !== -1) {
			const parts = this.partial[stream];
			const piece = payload.subarray(start, newline);
			const bytes = parts.length > 0 ? Buffer.concat([...parts, piece]) : piece;
			this.partial[stream] = [];
			out.push(this.line(stream, bytes));
			start = newline + 1;
			newline = payload.indexOf(0x0a, start);
		}
		if (start < payload.length) {
			let rest = payload.subarray(start);
			// The engine splits lines over 16 KiB into partial messages and stamps each one; only the first stamp counts.
			if (this.timestamps && this.partial[stream].length > 0) rest = stripContinuationStamp(rest);
			this.partial[stream].push(Buffer.from(rest));
		}
	}

	private line(stream: StreamName, bytes: Buffer): RawLogLine {
		let text = bytes.toString('utf8');
		if (text.endsWith('\r')) text = text.slice(0, -1);
		if (!this.timestamps) return {stream, text};
		const match = timestampPrefix.exec(text);
		if (!match) return {stream, text};
		const time = Date.parse(match[1]);
		return Number.isFinite(time) ? {stream, time, text: text.slice(match[0].length)} : {stream, text};
	}
}

function stripContinuationStamp(bytes: Buffer): Buffer {
	const head = bytes.subarray(0, 40).toString('latin1');
	const match = timestampPrefix.exec(head);
	return match ? bytes.subarray(match[0].length) : bytes;
}

function toSummary(info: Docker.ContainerInfo): ContainerSummary {
	const labels = info.Labels ?? {};
	const name = (info.Names?.[0] ?? info.Id.slice(0, 12)).replace(/^\//, '');
	return {
		id: info.Id,
		name,
		service: labels[serviceLabel] ?? name,
		project: labels[projectLabel],
		image: info.Image,
		state: toState(info.State),
		status: info.Status ?? '',
		health: healthFromStatus(info.Status ?? ''),
		createdAt: (info.Created ?? 0) * 1000,
	};
}

const states = new Set<ContainerState>(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']);

function toState(state: unknown): ContainerState {
	const lower = typeof state === 'string' ? state.toLowerCase() : '';
	return states.has(lower as ContainerState) ? (lower as ContainerState) : 'dead';
}

/** The list endpoint only reports health inside the status text: "Up 3 minutes (healthy)", "(health: starting)". */
export function healthFromStatus(status: string): ContainerHealth {
	if (/\(unhealthy\)/.test(status)) return 'unhealthy';
	if (/\(healthy\)/.test(status)) return 'healthy';
	if (/\(health: starting\)/.test(status)) return 'starting';
	return 'none';
}

function toHealth(status: unknown): ContainerHealth {
	return status === 'healthy' || status === 'unhealthy' || status === 'starting' ? status : 'none';
}

function toDetail(info: Docker.ContainerInspectInfo): ContainerDetail {
	const labels = info.Config?.Labels ?? {};
	const name = (info.Name ?? '').replace(/^\//, '') || info.Id.slice(0, 12);
	const state = toState(info.State?.Status);
	const health = toHealth(info.State?.Health?.Status);
	const startedAt = goTime(info.State?.StartedAt);
	const finishedAt = goTime(info.State?.FinishedAt);
	const policy = info.HostConfig?.RestartPolicy;
	return {
		id: info.Id,
		name,
		service: labels[serviceLabel] ?? name,
		project: labels[projectLabel],
		image: info.Config?.Image ?? info.Image,
		state,
		status: statusText({state, health, startedAt, finishedAt, exitCode: info.State?.ExitCode ?? 0}, Date.now()),
		health,
		createdAt: goTime(info.Created) ?? 0,
		startedAt,
		finishedAt,
		restartCount: info.RestartCount ?? 0,
		exitCode: state === 'exited' || state === 'dead' || state === 'restarting' ? (info.State?.ExitCode ?? 0) : undefined,
		oomKilled: Boolean(info.State?.OOMKilled),
		command: [info.Path, ...(info.Args ?? [])].filter((part): part is string => typeof part === 'string' && part !== ''),
		ports: portList(info.NetworkSettings?.Ports),
		envNames: (info.Config?.Env ?? []).map(entry => entry.split('=', 1)[0]).filter(Boolean),
		mounts: (info.Mounts ?? []).map(m => `${m.Name ?? m.Source}:${m.Destination}${m.RW === false ? ':ro' : ''}`),
		networks: Object.keys(info.NetworkSettings?.Networks ?? {}),
		labels,
		restartPolicy: policy?.Name ? (policy.Name === 'on-failure' && policy.MaximumRetryCount ? `on-failure:${policy.MaximumRetryCount}` : policy.Name) : undefined,
		healthLog: (info.State?.Health?.Log ?? []).map(entry => ({
			start: Date.parse(entry.Start) || 0,
			exitCode: entry.ExitCode,
			output: entry.Output.trim().slice(0, 500),
		})),
	};
}

/** Go's zero time ("0001-01-01T00:00:00Z") means "never". */
function goTime(text: string | undefined): number | undefined {
	if (!text) return undefined;
	const ms = Date.parse(text);
	return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

function portList(ports: Record<string, Array<{HostIp: string; HostPort: string}> | null> | undefined): string[] {
	const out: string[] = [];
	for (const [containerPort, bindings] of Object.entries(ports ?? {})) {
		if (!bindings || bindings.length === 0) out.push(containerPort);
		else for (const b of bindings) out.push(`${b.HostIp || '0.0.0.0'}:${b.HostPort}->${containerPort}`);
	}
	return out;
}

/** The status text `docker ps` shows (moby container/state.go), rebuilt for inspect, which has no such field. */
export function statusText(
	s: {state: ContainerState; health: ContainerHealth; startedAt?: number; finishedAt?: number; exitCode: number},
	now: number,
): string {
	const since = (at: number | undefined) => humanDuration(now - (at ?? now));
	switch (s.state) {
		case 'running':
			return `Up ${since(s.startedAt)}${s.health === 'none' ? '' : s.health === 'starting' ? ' (health: starting)' : ` (${s.health})`}`;
		case 'paused':
			return `Up ${since(s.startedAt)} (Paused)`;
		case 'restarting':
			return `Restarting (${s.exitCode}) ${since(s.finishedAt)} ago`;
		case 'removing':
			return 'Removal In Progress';
		case 'dead':
			return 'Dead';
		case 'created':
			return 'Created';
		case 'exited':
			return s.startedAt === undefined ? 'Created' : s.finishedAt === undefined ? '' : `Exited (${s.exitCode}) ${since(s.finishedAt)} ago`;
	}
}

