import {LineSplitter} from '../logs/lines.js';
import {computeStats, type DockerStatsJson} from './docker-stats.js';
import {ServiceError} from './errors.js';
import type {RawLogLine, StatsSample} from './types.js';

/** The bytes of the Engine API's streams: multiplexed attach/logs/exec frames, and newline-delimited stats JSON. */

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

const timestampPrefix = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) /;

/** Frames become lines: frames do not line up with lines, so each stream has its own line splitter. */
export class LogDemuxer {
	private readonly frames = new FrameReader();
	private readonly splitters = {stdout: new LineSplitter(), stderr: new LineSplitter()};

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
		for (const stream of ['stdout', 'stderr'] as const) this.splitters[stream].end((text, cut) => out.push(this.line(stream, text, cut)));
		return out;
	}

	private payload(stream: StreamName, payload: Buffer, out: RawLogLine[]): void {
		const splitter = this.splitters[stream];
		// The engine splits lines over 16 KiB into partial messages and stamps each one; only the first stamp counts.
		const bytes = this.timestamps && splitter.inLine ? withoutStamp(payload) : payload;
		splitter.push(bytes, (text, cut) => out.push(this.line(stream, text, cut)));
	}

	private line(stream: StreamName, text: string, cut: number): RawLogLine {
		return stampedLine(stream, text, cut, this.timestamps);
	}
}

/** A split line as a log line: with `timestamps`, its RFC3339Nano prefix (Docker's and the kubelet's) becomes `time`. */
export function stampedLine(stream: StreamName, text: string, cut: number, timestamps: boolean): RawLogLine {
	const line: RawLogLine = {stream, text};
	if (cut > 0) line.cut = cut;
	if (!timestamps) return line;
	const match = timestampPrefix.exec(text);
	if (!match) return line;
	const time = Date.parse(match[1]);
	if (!Number.isFinite(time)) return line;
	line.time = time;
	line.text = text.slice(match[0].length);
	return line;
}

function withoutStamp(bytes: Buffer): Buffer {
	const head = bytes.subarray(0, 40).toString('latin1');
	const match = timestampPrefix.exec(head);
	return match ? bytes.subarray(match[0].length) : bytes;
}

/** A stats sample is a few KB; a line this long is not one, and cutting it would only make it invalid JSON. */
const maxStatsLineBytes = 1024 * 1024;

/** The stats stream: one JSON object per line, in arbitrary chunks. */
export class StatsReader {
	private readonly lines = new LineSplitter(maxStatsLineBytes);

	push(chunk: Buffer, onSample: (sample: StatsSample) => void): void {
		this.lines.push(chunk, (text, cut) => emitSample(text, cut, onSample));
	}

	end(onSample: (sample: StatsSample) => void): void {
		this.lines.end((text, cut) => emitSample(text, cut, onSample));
	}
}

function emitSample(line: string, cut: number, onSample: (sample: StatsSample) => void): void {
	if (cut > 0) throw new ServiceError(`docker: a stats sample over ${maxStatsLineBytes} bytes`);
	if (line.trim() === '') return;
	onSample(computeStats(JSON.parse(line) as DockerStatsJson));
}

/** Exec output is returned byte for byte (no line splitting), each stream on its own. */
export async function collectDemuxed(stream: NodeJS.ReadableStream & {destroy(): void}, signal: AbortSignal): Promise<{stdout: string; stderr: string}> {
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
