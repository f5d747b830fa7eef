/**
 * `pods/{name}/exec` as the API server streams it: an HTTP upgrade to a WebSocket speaking `v5.channel.k8s.io` or
 * `v4.channel.k8s.io`, where every binary message starts with its channel (0 stdin, 1 stdout, 2 stderr, 3 the
 * final Status, 255 v5's close signal). The commands are the demo's simulated ones (../exec-commands.ts), so a
 * pod runs the same mongodump as its compose container. The framing is RFC 6455's minimum: server frames are
 * unmasked, client frames must be masked; ping is answered, close is returned.
 */
import {createHash} from 'node:crypto';
import type {IncomingMessage} from 'node:http';
import type {Duplex} from 'node:stream';
import {planExec, type ExecPlan, type ExecTarget} from '../exec-commands.js';
import type {World} from '../world.js';

/** The subprotocols served, in the server's order of preference; the client's order decides among those it offers. */
export const execSubprotocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;

export const execChannel = {stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255} as const;

const websocketGuid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

const opcode = {continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa} as const;

/** Why an upgrade request cannot become a WebSocket; the caller answers it with a 400 Status. */
export class UpgradeError extends Error {}

/** The subprotocol to speak: the first one the client offers that the demo serves. */
export function chooseSubprotocol(req: IncomingMessage): string {
	if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
		throw new UpgradeError(`unable to upgrade: "${req.headers.upgrade ?? ''}" is not served here; exec speaks WebSocket (${execSubprotocols.join(', ')})`);
	}
	if (req.method !== 'GET') throw new UpgradeError(`unable to upgrade: a WebSocket handshake is a GET, not ${req.method}`);
	if (!req.headers['sec-websocket-key']) throw new UpgradeError('unable to upgrade: missing Sec-WebSocket-Key');
	if (req.headers['sec-websocket-version'] !== '13') throw new UpgradeError(`unable to upgrade: Sec-WebSocket-Version ${req.headers['sec-websocket-version'] ?? '(none)'} is not 13`);
	const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map(p => p.trim()).filter(Boolean);
	const chosen = offered.find(p => (execSubprotocols as readonly string[]).includes(p));
	if (!chosen) throw new UpgradeError(`unable to upgrade: none of the subprotocols offered (${offered.join(', ') || 'none'}) is served; expected one of ${execSubprotocols.join(', ')}`);
	return chosen;
}

/** One server-side WebSocket on an upgraded socket: binary channel messages out, client frames parsed. */
export class ChannelSocket {
	private pending: Buffer = Buffer.alloc(0);
	private closeSent = false;

	constructor(
		private readonly socket: Duplex,
		/** A message from the client (unmasked, reassembled): stdin, a resize, v5's close signal. */
		private readonly onMessage: (data: Buffer) => void = () => {},
		private readonly onClosed: () => void = () => {},
	) {
		socket.on('data', (chunk: Buffer) => this.receive(chunk));
		socket.on('close', () => this.onClosed());
		socket.on('error', () => socket.destroy());
	}

	/** Answers the handshake with the chosen subprotocol; `head` is what the client sent after its request. */
	accept(req: IncomingMessage, protocol: string, head: Buffer): void {
		const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}${websocketGuid}`).digest('base64');
		this.socket.write(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`, `Sec-WebSocket-Protocol: ${protocol}`, '', ''].join('\r\n'));
		if (head.length > 0) this.receive(head);
	}

	get open(): boolean {
		return !this.closeSent && !this.socket.destroyed;
	}

	send(channel: number, data: Buffer | string): void {
		if (!this.open) return;
		this.writeFrame(opcode.binary, Buffer.concat([Buffer.from([channel]), Buffer.isBuffer(data) ? data : Buffer.from(data)]));
	}

	/** Sends a close frame and ends the socket (the client's close frame is not awaited: there is nothing after it). */
	close(code = 1000): void {
		if (!this.open) return;
		const payload = Buffer.alloc(2);
		payload.writeUInt16BE(code);
		this.writeFrame(opcode.close, payload);
		this.closeSent = true;
		this.socket.end();
	}

	private writeFrame(op: number, payload: Buffer): void {
		const length = payload.length;
		const header = length < 126 ? Buffer.from([0x80 | op, length]) : length < 65_536 ? Buffer.alloc(4) : Buffer.alloc(10);
		if (length >= 126 && length < 65_536) {
			header[0] = 0x80 | op;
			header[1] = 126;
			header.writeUInt16BE(length, 2);
		} else if (length >= 65_536) {
			header[0] = 0x80 | op;
			header[1] = 127;
			header.writeBigUInt64BE(BigInt(length), 2);
		}
		this.socket.write(Buffer.concat([header, payload]));
	}

	private fragments: Buffer[] = [];

	private receive(chunk: Buffer): void {
		this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
		for (;;) {
			const frame = readFrame(this.pending);
			if (frame === undefined) return;
			if (frame === 'unmasked') {
				// RFC 6455 §5.1: a server must close the connection on an unmasked client frame.
				this.close(1002);
				return;
			}
			this.pending = this.pending.subarray(frame.size);
			if (frame.op === opcode.ping) this.writeFrame(opcode.pong, frame.payload);
			else if (frame.op === opcode.close) {
				if (!this.closeSent) this.close(frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1000);
				return;
			} else if (frame.op === opcode.binary || frame.op === opcode.text || frame.op === opcode.continuation) {
				this.fragments.push(frame.payload);
				if (frame.fin) {
					const message = Buffer.concat(this.fragments);
					this.fragments = [];
					this.onMessage(message);
				}
			}
		}
	}
}

type Frame = {fin: boolean; op: number; payload: Buffer; size: number};

/** One complete client frame at the start of `buffer`, unmasked; undefined while it has not all arrived. */
function readFrame(buffer: Buffer): Frame | 'unmasked' | undefined {
	if (buffer.length < 2) return undefined;
	const fin = (buffer[0]! & 0x80) !== 0;
	const op = buffer[0]! & 0x0f;
	if ((buffer[1]! & 0x80) === 0) return 'unmasked';
	let length = buffer[1]! & 0x7f;
	let offset = 2;
	if (length === 126) {
		if (buffer.length < 4) return undefined;
		length = buffer.readUInt16BE(2);
		offset = 4;
	} else if (length === 127) {
		if (buffer.length < 10) return undefined;
		length = Number(buffer.readBigUInt64BE(2));
		offset = 10;
	}
	if (buffer.length < offset + 4 + length) return undefined;
	const mask = buffer.subarray(offset, offset + 4);
	const payload = Buffer.from(buffer.subarray(offset + 4, offset + 4 + length));
	for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
	return {fin, op, payload, size: offset + 4 + length};
}

export type ExecRequest = {argv: string[]; container: string; stdout: boolean; stderr: boolean};

/** The Status the kubelet writes on the error channel when the process ended (or could not start). */
export function execStatus(plan: Pick<ExecPlan, 'exitCode' | 'unstartable'>, argv: readonly string[], execId: string): Record<string, unknown> {
	if (plan.unstartable) {
		const cause = `error executing command in container: failed to exec in container: failed to start exec "${execId}": ${plan.unstartable}`;
		return {metadata: {}, status: 'Failure', message: `Internal error occurred: ${cause}`, reason: 'InternalError', details: {causes: [{message: cause}]}, code: 500};
	}
	if (plan.exitCode === 0) return {metadata: {}, status: 'Success'};
	return {
		metadata: {},
		status: 'Failure',
		message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${plan.exitCode}`,
		reason: 'NonZeroExitCode',
		details: {causes: [{reason: 'ExitCode', message: String(plan.exitCode)}]},
	};
}

/**
 * Runs the command in the pod's container and streams it: its output on channels 1 and 2 as the simulated
 * process writes it, then the Status on channel 3, then close. A client that goes away stops the rest.
 */
export function streamExec(socket: ChannelSocket, world: World, target: ExecTarget, request: ExecRequest, execId: string): {cancel(): void} {
	const plan = planExec(world, target, request.argv);
	let timer: NodeJS.Timeout | undefined;
	let index = 0;
	const finish = () => {
		plan.effect?.();
		socket.send(execChannel.error, JSON.stringify(execStatus(plan, request.argv, execId)));
		socket.close();
	};
	// The kubelet reports a process that never started on the error channel only: runc's message is not output.
	const output = plan.unstartable ? [] : plan.output;
	const next = () => {
		timer = undefined;
		if (!socket.open) return;
		if (index >= output.length) return finish();
		const item = output[index++]!;
		if (item.stream === 'stdout' && request.stdout) socket.send(execChannel.stdout, item.text);
		if (item.stream === 'stderr' && request.stderr) socket.send(execChannel.stderr, item.text);
		timer = setTimeout(next, output[index]?.delayMs ?? 0);
	};
	timer = setTimeout(next, output[0]?.delayMs ?? 0);
	return {
		cancel() {
			clearTimeout(timer);
			timer = undefined;
		},
	};
}
