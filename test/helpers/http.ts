import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';

export type TestServer = {
	/** http://127.0.0.1:PORT (no trailing slash), or the socket path for a unix-socket server. */
	url: string;
	port: number;
	socketPath?: string;
	server: Server;
	/** Closes the listener and every open connection, including hanging ones. */
	close(): Promise<void>;
};

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A throwaway HTTP server on 127.0.0.1 (random port) or on a unix socket, for tests that need a real peer. */
export async function startHttpServer(handler: Handler, options: {socketPath?: string} = {}): Promise<TestServer> {
	const sockets = new Set<Socket>();
	const server = createServer(handler);
	server.on('connection', socket => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		if (options.socketPath) server.listen(options.socketPath, resolve);
		else server.listen(0, '127.0.0.1', resolve);
	});
	const port = options.socketPath ? 0 : (server.address() as AddressInfo).port;
	return {
		url: options.socketPath ?? `http://127.0.0.1:${port}`,
		port,
		socketPath: options.socketPath,
		server,
		close: () =>
			new Promise<void>(resolve => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}

/** A port that was free a moment ago and has nothing listening: connecting to it is refused. */
export async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	await new Promise<void>(resolve => server.close(() => resolve()));
	return port;
}

/** Answers with a fixed status, content type and body. */
export function reply(status: number, contentType: string | undefined, body: string): Handler {
	return (_req, res) => {
		res.statusCode = status;
		if (contentType) res.setHeader('content-type', contentType);
		res.end(body);
	};
}
