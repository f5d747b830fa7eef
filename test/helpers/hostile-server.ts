import {rmSync} from 'node:fs';
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';

/**
 * A local HTTP peer that misbehaves on demand, for the fault matrix (test/faults/backends.test.ts). It serves
 * one backend's good answers (the adapter's `healthy` handler) until told to fail in one of the ways below,
 * and serves them again once set back to 'healthy', on the same address: the client recovers without a restart.
 *
 * The kinds are the matrix's columns; a backend (Docker, health URLs, and later Kubernetes, Prometheus,
 * Alertmanager, MongoDB's HTTP-speaking parts) is a row, brought in by its adapter. Nothing here knows a backend.
 */
export const faultKinds = ['refused', 'dropped', 'slow', 'http500', 'malformed', 'huge'] as const;
export type FaultKind = (typeof faultKinds)[number];
export type HostileMode = FaultKind | 'healthy';

/** The body of a 'huge' answer: far over any cap a client should have. */
export const hugeBodyBytes = 50 * 1024 * 1024;

export type HostileServer = {
	/** http://127.0.0.1:PORT, or the socket path for a unix-socket server. */
	url: string;
	port: number;
	socketPath?: string;
	readonly mode: HostileMode;
	/** Switches behaviour; 'refused' stops listening (a connect is refused), any other mode listens again. */
	setMode(mode: HostileMode): Promise<void>;
	/** Requests seen, by the mode they met. */
	readonly requests: Record<HostileMode, number>;
	/** Of the 'huge' answers: the most bytes written to one, and the request paths the client hung up on or read to the end. */
	readonly huge: {maxWritten: number; cut: string[]; completed: string[]};
	close(): Promise<void>;
};

export type HostileServerOptions = {
	/** The backend's good answer (an adapter provides it). */
	healthy: (req: IncomingMessage, res: ServerResponse) => void;
	/** Listen on this unix socket instead of a random 127.0.0.1 port. */
	socketPath?: string;
};

const json = (res: ServerResponse, status: number, body: string) => {
	res.writeHead(status, {'content-type': 'application/json'});
	res.end(body);
};

export async function startHostileServer(options: HostileServerOptions): Promise<HostileServer> {
	const sockets = new Set<Socket>();
	const requests: Record<HostileMode, number> = {healthy: 0, refused: 0, dropped: 0, slow: 0, http500: 0, malformed: 0, huge: 0};
	const huge = {maxWritten: 0, cut: [] as string[], completed: [] as string[]};
	let mode: HostileMode = 'healthy';
	let server: Server | undefined;
	let port = 0;

	function handle(req: IncomingMessage, res: ServerResponse): void {
		requests[mode]++;
		switch (mode) {
			case 'healthy':
			case 'refused': {
				options.healthy(req, res);
				return;
			}
			case 'dropped': {
				// Headers and half a body, then the connection goes: the client sees an answer that never ends.
				res.writeHead(200, {'content-type': 'application/json', 'content-length': '4096'});
				res.write('{"status": "ok", "padding": "');
				setImmediate(() => req.socket.destroy());
				return;
			}
			case 'slow': {
				// Never answers while slow; the connection is cut when the mode changes or the server closes.
				return;
			}
			case 'http500': {
				json(res, 500, '{"message": "hostile: internal server error"}');
				return;
			}
			case 'malformed': {
				json(res, 200, '{"status": "ok", "containers": [ {"Id": ');
				return;
			}
			case 'huge': {
				sendHuge(req, res);
				return;
			}
		}
	}

	/** 50 MB of one JSON string, written as fast as the client reads, stopped when the client hangs up. */
	function sendHuge(req: IncomingMessage, res: ServerResponse): void {
		res.writeHead(200, {'content-type': 'application/json', 'content-length': String(hugeBodyBytes)});
		const chunk = Buffer.alloc(64 * 1024, 'a');
		const head = Buffer.from('{"padding": "');
		const tail = Buffer.from('"}');
		const requestPath = new URL(req.url ?? '/', 'http://hostile').pathname;
		let written = 0;
		let closed = false;
		const record = () => (huge.maxWritten = Math.max(huge.maxWritten, written));
		res.once('close', () => {
			closed = true;
			record();
			if (written < hugeBodyBytes) huge.cut.push(requestPath);
		});
		const pump = () => {
			while (!closed && written < hugeBodyBytes) {
				const bodyEnd = hugeBodyBytes - tail.length;
				const piece = written === 0 ? head : written < bodyEnd ? chunk.subarray(0, Math.min(chunk.length, bodyEnd - written)) : tail;
				written += piece.length;
				if (!res.write(piece)) {
					res.once('drain', pump);
					return;
				}
			}
			if (!closed && written >= hugeBodyBytes) {
				huge.completed.push(requestPath);
				record();
				res.end();
			}
		};
		req.socket.setNoDelay(true);
		pump();
	}

	function dropConnections(): void {
		for (const socket of sockets) socket.destroy();
	}

	async function listen(): Promise<void> {
		const next = createServer(handle);
		next.on('connection', socket => {
			sockets.add(socket);
			socket.once('close', () => sockets.delete(socket));
		});
		if (options.socketPath) rmSync(options.socketPath, {force: true});
		await new Promise<void>((resolve, reject) => {
			next.once('error', reject);
			if (options.socketPath) next.listen(options.socketPath, resolve);
			else next.listen(port, '127.0.0.1', resolve);
		});
		if (!options.socketPath) port = (next.address() as AddressInfo).port;
		server = next;
	}

	async function stopListening(): Promise<void> {
		const current = server;
		server = undefined;
		dropConnections();
		if (current) await new Promise<void>(resolve => current.close(() => resolve()));
		if (options.socketPath) rmSync(options.socketPath, {force: true});
	}

	await listen();
	return {
		url: options.socketPath ?? `http://127.0.0.1:${port}`,
		port,
		socketPath: options.socketPath,
		get mode() {
			return mode;
		},
		requests,
		huge,
		async setMode(next) {
			const was = mode;
			mode = next;
			// Held ('slow') answers and half-sent ones belong to the old behaviour.
			if (was === 'slow' || was === 'huge') dropConnections();
			if (next === 'refused' && server) await stopListening();
			else if (next !== 'refused' && !server) await listen();
		},
		async close() {
			await stopListening();
		},
	};
}
