/**
 * The Docker Engine API subset botops uses, served over a unix socket (or 127.0.0.1) from the demo world.
 * Shapes, status codes and stream framing follow the real engine (checked against a live daemon).
 */
import {randomBytes} from 'node:crypto';
import {rmSync} from 'node:fs';
import http, {type IncomingMessage, type ServerResponse} from 'node:http';
import type {Duplex} from 'node:stream';
import type {SimContainer} from './container.js';
import {apiVersion, cpuSnapshot, engineVersion, infoBody, inspectContainer, labelsOf, listEntry, statsSample, versionBody} from './docker-format.js';
import {planExec, type ExecPlan} from './exec-commands.js';
import type {LogEntry} from './log-ring.js';
import {frame} from './mux.js';
import {rfc3339NanoFixed} from './time-format.js';
import type {World} from './world.js';

export type DockerApiOptions = {/** Unix socket path; wins over `port`. */ socketPath?: string; /** TCP port on 127.0.0.1 (0 = any free). */ port?: number};

export type DockerApiServer = {socketPath?: string; port?: number; close(): Promise<void>};

const commonHeaders = {
	'Api-Version': apiVersion,
	'Docker-Experimental': 'false',
	Ostype: 'linux',
	Server: `Docker/${engineVersion} (linux)`,
};

class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
	) {
		super(message);
	}
}

type Exec = {
	id: string;
	container: SimContainer;
	argv: string[];
	attachStdout: boolean;
	attachStderr: boolean;
	running: boolean;
	exitCode: number | null;
	pid: number;
	started: boolean;
};

const maxExecs = 500;

export async function startDockerApi(world: World, options: DockerApiOptions = {}): Promise<DockerApiServer> {
	const execs = new Map<string, Exec>();
	const timers = new Set<NodeJS.Timeout>();
	const cleanups = new Set<() => void>();
	const hijacked = new Set<Duplex>();

	const later = (ms: number, run: () => void) => {
		const timer = setTimeout(() => {
			timers.delete(timer);
			run();
		}, ms);
		timers.add(timer);
	};

	const container = (idOrName: string): SimContainer => {
		const found = world.resolve(decodeURIComponent(idOrName));
		if (found === 'ambiguous') throw new ApiError(400, `multiple IDs found with provided prefix: ${idOrName}`);
		if (!found) throw new ApiError(404, `No such container: ${decodeURIComponent(idOrName)}`);
		return found;
	};

	const server = http.createServer((req, res) => {
		handle(req, res).catch((error: unknown) => {
			const status = error instanceof ApiError ? error.status : 500;
			const message = error instanceof Error ? error.message : String(error);
			if (!res.headersSent) sendJson(res, status, {message});
			else res.destroy();
		});
	});
	server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
		hijacked.add(socket);
		socket.on('close', () => hijacked.delete(socket));
		socket.on('error', () => socket.destroy());
		void handleUpgrade(req, socket, head);
	});

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://docker');
		const path = stripVersion(url.pathname);
		const method = req.method ?? 'GET';
		const q = url.searchParams;
		world.tick();

		if (path === '/_ping' && (method === 'GET' || method === 'HEAD')) {
			res.writeHead(200, {...commonHeaders, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache, no-store, must-revalidate', Pragma: 'no-cache', 'Content-Length': '2'});
			res.end(method === 'HEAD' ? undefined : 'OK');
			return;
		}
		if (path === '/version' && method === 'GET') return sendJson(res, 200, versionBody());
		if (path === '/info' && method === 'GET') return sendJson(res, 200, infoBody(world, world.now()));
		if (path === '/containers/json' && method === 'GET') return sendJson(res, 200, listContainers(q));

		const execMatch = /^\/exec\/([^/]+)\/(start|json|resize)$/.exec(path);
		if (execMatch) {
			const exec = execs.get(execMatch[1]);
			if (!exec) throw new ApiError(404, `No such exec instance: ${execMatch[1]}`);
			if (execMatch[2] === 'json' && method === 'GET') return sendJson(res, 200, execJson(exec));
			if (execMatch[2] === 'resize' && method === 'POST') return sendEmpty(res, 201);
			if (execMatch[2] === 'start' && method === 'POST') {
				const body = await readJson(req);
				if (body.Detach === true) {
					runExec(exec, () => {});
					return sendEmpty(res, 200);
				}
				// Without an Upgrade header Docker still hijacks: a bare 200 with the raw stream, then close.
				res.writeHead(200, {...commonHeaders, 'Content-Type': 'application/vnd.docker.multiplexed-stream'});
				runExec(exec, chunk => (chunk ? res.write(chunk) : res.end()));
				return;
			}
		}

		const match = /^\/containers\/([^/]+)\/([a-z]+)$/.exec(path);
		if (!match) throw new ApiError(404, 'page not found');
		const [, id, action] = match;
		const target = container(id);
		switch (`${method} ${action}`) {
			case 'GET json':
				return sendJson(res, 200, inspectContainer(target, world));
			case 'GET stats':
				return stats(target, q, req, res);
			case 'GET logs':
				return logs(target, q, req, res);
			case 'POST stop':
				return sendEmpty(res, world.stopContainer(target) ? 204 : 304);
			case 'POST start':
				return sendEmpty(res, world.startContainer(target) ? 204 : 304);
			case 'POST restart':
				world.restartContainer(target);
				return sendEmpty(res, 204);
			case 'POST kill':
				if (target.status !== 'running' && target.status !== 'restarting') throw new ApiError(409, `Cannot kill container: ${id}: Container ${target.id} is not running`);
				world.killContainer(target);
				return sendEmpty(res, 204);
			case 'POST exec':
				return createExec(target, await readJson(req), res);
			default:
				throw new ApiError(404, 'page not found');
		}
	}

	function listContainers(q: URLSearchParams) {
		const all = q.get('all') === '1' || q.get('all') === 'true';
		const filters = parseFilters(q.get('filters'));
		const now = world.now();
		let list = world.containers.filter(c => all || c.status === 'running' || c.status === 'restarting');
		for (const [key, values] of Object.entries(filters)) {
			if (values.length === 0) continue;
			if (key === 'label') list = list.filter(c => values.every(v => matchLabel(labelsOf(c), v)));
			else if (key === 'name') list = list.filter(c => values.some(v => new RegExp(v).test(`/${c.name}`)));
			else if (key === 'id') list = list.filter(c => values.some(v => c.id.startsWith(v)));
			else if (key === 'status') list = list.filter(c => values.includes(c.status));
			else if (key === 'health') list = list.filter(c => values.includes(c.health?.status ?? 'none'));
			else throw new ApiError(400, `invalid filter '${key}'`);
		}
		// The engine lists newest first.
		return [...list].sort((a, b) => b.createdAt - a.createdAt).map(c => listEntry(c, world, now));
	}

	function stats(target: SimContainer, q: URLSearchParams, req: IncomingMessage, res: ServerResponse): void {
		const stream = !(q.get('stream') === '0' || q.get('stream') === 'false');
		const oneShot = q.get('one-shot') === '1' || q.get('one-shot') === 'true';
		res.writeHead(200, {...commonHeaders, 'Content-Type': 'application/json'});
		if (!stream) {
			if (oneShot || target.status !== 'running') {
				res.end(`${JSON.stringify(statsSample(target, world, world.now()))}\n`);
				return;
			}
			// Like the daemon, wait a sampling period so precpu_stats holds a real previous reading.
			const at = world.now();
			const cpu = cpuSnapshot(target, world, at);
			later(1000, () => {
				world.tick();
				res.end(`${JSON.stringify(statsSample(target, world, world.now(), {at, cpu}))}\n`);
			});
			return;
		}
		// The daemon keeps a streamed connection open even after the container stops, sending empty samples.
		let previous: {at: number; cpu: ReturnType<typeof cpuSnapshot>} | undefined;
		const send = () => {
			world.tick();
			const at = world.now();
			res.write(`${JSON.stringify(statsSample(target, world, at, previous))}\n`);
			previous = target.status === 'running' ? {at, cpu: cpuSnapshot(target, world, at)} : undefined;
		};
		send();
		const interval = setInterval(send, 1000);
		const cleanup = () => {
			clearInterval(interval);
			cleanups.delete(cleanup);
		};
		cleanups.add(cleanup);
		req.socket.on('close', cleanup);
		res.on('close', cleanup);
	}

	function logs(target: SimContainer, q: URLSearchParams, req: IncomingMessage, res: ServerResponse): void {
		const stdout = flag(q, 'stdout');
		const stderr = flag(q, 'stderr');
		if (!stdout && !stderr) throw new ApiError(400, 'Bad parameters: you must choose at least one stream');
		const timestamps = flag(q, 'timestamps');
		const follow = flag(q, 'follow');
		const since = parseTime(q.get('since'));
		const until = parseTime(q.get('until'));
		const tailParam = q.get('tail');
		const tail = tailParam === null || tailParam === 'all' || tailParam === '' ? Infinity : Number(tailParam) < 0 ? Infinity : Number(tailParam);
		if (Number.isNaN(tail)) throw new ApiError(400, `invalid value for "tail": ${tailParam}`);

		const wanted = (entry: LogEntry) => (entry.stream === 'stdout' ? stdout : stderr) && (since === undefined || entry.time / 1000 >= since) && (until === undefined || entry.time / 1000 < until);
		const encode = (entry: LogEntry) => frame(entry.stream, `${timestamps ? `${rfc3339NanoFixed(entry.time, entry.nanos)} ` : ''}${entry.text}\n`);

		res.writeHead(200, {...commonHeaders, 'Content-Type': 'application/vnd.docker.multiplexed-stream'});
		// As in json-file, tail picks the last lines of the file and only then filters by stream.
		const all = target.logs.toArray();
		const backlog = (tail === Infinity ? all : tail === 0 ? [] : all.slice(-tail)).filter(wanted);
		if (backlog.length > 0) res.write(Buffer.concat(backlog.map(encode)));
		if (!follow || target.status !== 'running' || (until !== undefined && until * 1000 <= world.now())) {
			res.end();
			return;
		}
		const unsubscribeLogs = target.logs.subscribe(entry => {
			if (wanted(entry)) res.write(encode(entry));
		});
		const unsubscribeWorld = world.on(event => {
			if (event.type === 'die' && event.container === target) {
				cleanup();
				res.end();
			}
		});
		const cleanup = () => {
			unsubscribeLogs();
			unsubscribeWorld();
			cleanups.delete(cleanup);
		};
		cleanups.add(cleanup);
		req.socket.on('close', cleanup);
		res.on('close', cleanup);
	}

	function createExec(target: SimContainer, body: Record<string, unknown>, res: ServerResponse): void {
		if (target.status !== 'running') throw new ApiError(409, `Container ${target.id} is not running`);
		const cmd = body.Cmd;
		if (!Array.isArray(cmd) || cmd.length === 0 || !cmd.every(part => typeof part === 'string')) throw new ApiError(400, 'No exec command specified');
		const id = randomBytes(32).toString('hex');
		execs.set(id, {id, container: target, argv: cmd as string[], attachStdout: body.AttachStdout === true, attachStderr: body.AttachStderr === true, running: false, exitCode: null, pid: 0, started: false});
		if (execs.size > maxExecs) execs.delete(execs.keys().next().value!);
		sendJson(res, 201, {Id: id});
	}

	/** Runs an exec: frames to `write`, then `write(undefined)` at the end. */
	function runExec(exec: Exec, write: (chunk: Buffer | undefined) => void): void {
		if (exec.started) throw new ApiError(409, `Error: Exec command ${exec.id} is already running`);
		if (exec.container.status !== 'running') throw new ApiError(409, `Container ${exec.container.id} is not running`);
		exec.started = true;
		exec.running = true;
		const plan: ExecPlan = planExec(world, exec.container, exec.argv);
		exec.pid = plan.exitCode === 126 ? 0 : exec.container.pid + 100 + (execs.size % 900);
		let index = 0;
		const next = () => {
			if (index >= plan.output.length) {
				plan.effect?.();
				exec.running = false;
				exec.exitCode = plan.exitCode;
				write(undefined);
				return;
			}
			const item = plan.output[index++];
			if ((item.stream === 'stdout' && exec.attachStdout) || (item.stream === 'stderr' && exec.attachStderr)) write(frame(item.stream, item.text));
			later(plan.output[index]?.delayMs ?? 0, next);
		};
		later(plan.output[0]?.delayMs ?? 0, next);
	}

	function execJson(exec: Exec) {
		const [entrypoint, ...args] = exec.argv;
		return {
			CanRemove: false,
			ContainerID: exec.container.id,
			DetachKeys: '',
			ExitCode: exec.exitCode,
			ID: exec.id,
			OpenStderr: exec.attachStderr,
			OpenStdin: false,
			OpenStdout: exec.attachStdout,
			ProcessConfig: {arguments: args, entrypoint, privileged: false, tty: false},
			Running: exec.running,
			Pid: exec.running ? exec.pid : exec.pid,
		};
	}

	async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://docker');
		const path = stripVersion(url.pathname);
		const rawError = (status: number, reason: string, message: string) => {
			const body = JSON.stringify({message});
			socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\n${headerLines()}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
		};
		const match = /^\/exec\/([^/]+)\/start$/.exec(path);
		if (req.method !== 'POST' || !match) return rawError(404, 'Not Found', 'page not found');
		const exec = execs.get(match[1]);
		if (!exec) return rawError(404, 'Not Found', `No such exec instance: ${match[1]}`);
		await readUpgradeBody(req, socket, head);
		world.tick();
		try {
			socket.write(`HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n${headerLines()}\r\n`);
			runExec(exec, chunk => {
				if (socket.destroyed) return;
				if (chunk) socket.write(chunk);
				else socket.end();
			});
		} catch (error) {
			const status = error instanceof ApiError ? error.status : 500;
			const body = JSON.stringify({message: error instanceof Error ? error.message : String(error)});
			socket.end(`${body}\n`);
			void status;
		}
	}

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		if (options.socketPath) {
			rmSync(options.socketPath, {force: true});
			server.listen(options.socketPath, () => resolve());
		} else server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const address = server.address();
	return {
		socketPath: options.socketPath,
		port: typeof address === 'object' && address ? address.port : undefined,
		async close() {
			for (const cleanup of [...cleanups]) cleanup();
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
			for (const socket of hijacked) socket.destroy();
			server.closeAllConnections();
			await new Promise<void>(resolve => server.close(() => resolve()));
			if (options.socketPath) rmSync(options.socketPath, {force: true});
		},
	};
}

function headerLines(): string {
	return Object.entries(commonHeaders)
		.map(([k, v]) => `${k}: ${v}\r\n`)
		.join('');
}

function stripVersion(pathname: string): string {
	const match = /^\/v\d+\.\d+(\/.*)$/.exec(pathname);
	const path = match ? match[1] : pathname;
	return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

function flag(q: URLSearchParams, name: string): boolean {
	const value = q.get(name);
	return value === '1' || value === 'true' || value === 'True';
}

/** Docker's since/until: epoch seconds with optional fraction ("1700000000.5"), or an RFC 3339 time. */
function parseTime(value: string | null): number | undefined {
	if (value === null || value === '' || value === '0') return undefined;
	if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
	const parsed = Date.parse(value);
	if (Number.isNaN(parsed)) throw new ApiError(400, `invalid value for "since": failed to parse value as time or duration: "${value}"`);
	return parsed / 1000;
}

/** Both filter encodings Docker accepts: {"label":["a=b"]} and the legacy {"label":{"a=b":true}}. */
function parseFilters(raw: string | null): Record<string, string[]> {
	if (!raw) return {};
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch (error) {
		throw new ApiError(400, `invalid filter: ${error instanceof Error ? error.message : String(error)}`);
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ApiError(400, 'invalid filter: expected a JSON object');
	const out: Record<string, string[]> = {};
	for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
		if (Array.isArray(value)) out[key] = value.map(String);
		else if (value && typeof value === 'object') out[key] = Object.keys(value);
		else throw new ApiError(400, `invalid filter '${key}'`);
	}
	return out;
}

function matchLabel(labels: Record<string, string>, filter: string): boolean {
	const eq = filter.indexOf('=');
	if (eq === -1) return filter in labels;
	return labels[filter.slice(0, eq)] === filter.slice(eq + 1);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
	const text = `${JSON.stringify(body)}\n`;
	res.writeHead(status, {...commonHeaders, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text)});
	res.end(text);
}

function sendEmpty(res: ServerResponse, status: number): void {
	res.writeHead(status, commonHeaders);
	res.end();
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > 1_000_000) throw new ApiError(413, 'request body too large');
		chunks.push(chunk as Buffer);
	}
	const text = Buffer.concat(chunks).toString('utf8').trim();
	if (text === '') return {};
	try {
		const value = JSON.parse(text) as unknown;
		if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('expected a JSON object');
		return value as Record<string, unknown>;
	} catch (error) {
		throw new ApiError(400, `invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
	}
}

/** The exec-start body arrives after the upgrade headers; read what Content-Length promises (bounded wait). */
function readUpgradeBody(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
	const expected = Number(req.headers['content-length'] ?? 0);
	let received = head.length;
	if (!(expected > received)) return Promise.resolve();
	return new Promise(resolve => {
		const done = () => {
			clearTimeout(timer);
			socket.off('data', onData);
			resolve();
		};
		const onData = (chunk: Buffer) => {
			received += chunk.length;
			if (received >= expected) done();
		};
		const timer = setTimeout(done, 500);
		socket.on('data', onData);
	});
}
