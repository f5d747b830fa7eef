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

	const exec = (id: string): Exec => {
		const found = execs.get(id);
		if (!found) throw new ApiError(404, `No such exec instance: ${id}`);
		return found;
	};

	const routes: Route[] = [
		route(['GET', 'HEAD'], '/_ping', ({req, res}) => {
			res.writeHead(200, {...commonHeaders, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache, no-store, must-revalidate', Pragma: 'no-cache', 'Content-Length': '2'});
			res.end(req.method === 'HEAD' ? undefined : 'OK');
		}),
		route('GET', '/version', ({res}) => sendJson(res, 200, versionBody())),
		route('GET', '/info', ({res}) => sendJson(res, 200, infoBody(world, world.now()))),
		route('GET', '/containers/json', ({res, query}) => sendJson(res, 200, listContainers(query))),
		route('GET', '/containers/{id}/json', ({res, params}) => sendJson(res, 200, inspectContainer(container(params.id), world))),
		route('GET', '/containers/{id}/stats', ({req, res, params, query}) => stats(container(params.id), query, req, res)),
		route('GET', '/containers/{id}/logs', ({req, res, params, query}) => logs(container(params.id), query, req, res)),
		route('POST', '/containers/{id}/stop', ({res, params}) => sendEmpty(res, world.stopContainer(container(params.id)) ? 204 : 304)),
		route('POST', '/containers/{id}/start', ({res, params}) => sendEmpty(res, world.startContainer(container(params.id)) ? 204 : 304)),
		route('POST', '/containers/{id}/restart', ({res, params}) => {
			world.restartContainer(container(params.id));
			sendEmpty(res, 204);
		}),
		route('POST', '/containers/{id}/kill', ({res, params}) => {
			const target = container(params.id);
			if (target.status !== 'running' && target.status !== 'restarting') throw new ApiError(409, `Cannot kill container: ${params.id}: Container ${target.id} is not running`);
			world.killContainer(target);
			sendEmpty(res, 204);
		}),
		route('POST', '/containers/{id}/exec', async ({req, res, params}) => createExec(container(params.id), await readJson(req), res)),
		route('GET', '/exec/{id}/json', ({res, params}) => sendJson(res, 200, execJson(exec(params.id)))),
		route('POST', '/exec/{id}/resize', ({res, params}) => {
			exec(params.id);
			sendEmpty(res, 201);
		}),
		route('POST', '/exec/{id}/start', async ({req, res, params}) => {
			const target = exec(params.id);
			const body = await readJson(req);
			if (body.Detach === true) {
				runExec(target, () => {});
				return sendEmpty(res, 200);
			}
			// Without an Upgrade header Docker still hijacks: a bare 200 with the raw stream, then close.
			res.writeHead(200, {...commonHeaders, 'Content-Type': 'application/vnd.docker.multiplexed-stream'});
			runExec(target, chunk => (chunk ? res.write(chunk) : res.end()));
		}, async ({req, socket, head, params}) => {
			const target = exec(params.id);
			await readUpgradeBody(req, socket, head);
			world.tick();
			socket.write(`HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n${headerLines()}\r\n`);
			runExec(target, chunk => {
				if (socket.destroyed) return;
				if (chunk) socket.write(chunk);
				else socket.end();
			});
		}),
	];

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://docker');
		world.tick();
		const found = findRoute(routes, req.method ?? 'GET', stripVersion(url.pathname));
		// The daemon answers an unknown path and a known path with the wrong method alike.
		if (!found) throw new ApiError(404, 'page not found');
		await found.route.handle({req, res, params: found.params, query: url.searchParams});
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
		const rawError = (status: number, reason: string, message: string) => {
			const body = JSON.stringify({message});
			socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\n${headerLines()}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
		};
		const found = findRoute(routes, req.method ?? 'GET', stripVersion(url.pathname));
		if (!found?.route.upgrade) return rawError(404, 'Not Found', 'page not found');
		try {
			await found.route.upgrade({req, socket, head, params: found.params});
		} catch (error) {
			if (error instanceof ApiError && error.status === 404) return rawError(404, 'Not Found', error.message);
			// After the 101 the stream is raw: an error is a JSON line, as the daemon writes it.
			socket.end(`${JSON.stringify({message: error instanceof Error ? error.message : String(error)})}\n`);
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

type RouteContext = {req: IncomingMessage; res: ServerResponse; params: Record<string, string>; query: URLSearchParams};

type UpgradeContext = {req: IncomingMessage; socket: Duplex; head: Buffer; params: Record<string, string>};

/** One endpoint: methods, a path with `{name}` segments, what answers it, and what answers a hijacked (`Upgrade: tcp`) request. */
type Route = {
	methods: readonly string[];
	pattern: RegExp;
	names: string[];
	handle(context: RouteContext): void | Promise<void>;
	upgrade?(context: UpgradeContext): Promise<void>;
};

function route(methods: string | readonly string[], path: string, handle: Route['handle'], upgrade?: Route['upgrade']): Route {
	const names: string[] = [];
	const source = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
		names.push(name);
		return '([^/]+)';
	});
	return {methods: typeof methods === 'string' ? [methods] : methods, pattern: new RegExp(`^${source}$`), names, handle, upgrade};
}

function findRoute(routes: readonly Route[], method: string, path: string): {route: Route; params: Record<string, string>} | undefined {
	for (const candidate of routes) {
		if (!candidate.methods.includes(method)) continue;
		const match = candidate.pattern.exec(path);
		if (!match) continue;
		return {route: candidate, params: Object.fromEntries(candidate.names.map((name, i) => [name, match[i + 1]]))};
	}
	return undefined;
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
