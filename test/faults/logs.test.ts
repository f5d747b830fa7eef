import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {Readable} from 'node:stream';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {createLogStream} from '../../source/controllers/log-stream.js';
import {maxLineBytes} from '../../source/logs/parse.js';
import {createStreamLogSource} from '../../source/services/stream-log-source.js';
import {createAppStore} from '../../source/store/store.js';
import {storeReaches} from './matrix.js';

/**
 * Hostile log input, end to end: generated streams into `botops logs --stdin` (the built CLI, as an operator
 * pipes it) and into the dashboard's log pipeline. Memory is measured, never time.
 */

const bin = fileURLToPath(new URL('../../bin/botops.js', import.meta.url));
const MiB = 1024 * 1024;

type Run = {stdout: Buffer; stderr: string; code: number | null; peakRssBytes: number; stdoutLines: number};

/** Peak RSS so far of a live process (VmHWM), from /proc: read before its input ends, while it still runs. */
function peakRss(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = /^VmHWM:\s+(\d+) kB/m.exec(status);
	if (!kb) throw new Error(`no VmHWM in /proc/${pid}/status`);
	return Number(kb[1]) * 1024;
}

/** Runs `botops logs --stdin`, writing `input` as it is read (backpressure), and reports what it printed. */
function logsStdin(input: AsyncIterable<Buffer>, {keepOutput = true} = {}): Promise<Run> {
	const child = spawn(process.execPath, [bin, 'logs', '--stdin', '--no-color'], {stdio: ['pipe', 'pipe', 'pipe'], env: {...process.env, NO_COLOR: '1'}});
	const stdout: Buffer[] = [];
	let stdoutLines = 0;
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => {
		for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) stdoutLines++;
		if (keepOutput) stdout.push(chunk);
	});
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const exited = new Promise<number | null>(resolve => child.once('close', code => resolve(code)));
	return (async () => {
		for await (const chunk of input) {
			if (!child.stdin.write(chunk)) await new Promise(resolve => child.stdin.once('drain', resolve));
		}
		// Everything but the pipe's buffer is read by now: the peak covers the whole input.
		const peakRssBytes = peakRss(child.pid!);
		child.stdin.end();
		const code = await exited;
		return {stdout: Buffer.concat(stdout), stderr, code, peakRssBytes, stdoutLines};
	})();
}

/** `bytes` of one line with no newline, in 1 MiB chunks, then a newline and a short line after it. */
async function* oneLongLine(bytes: number): AsyncGenerator<Buffer> {
	const chunk = Buffer.alloc(MiB, 'x');
	for (let sent = 0; sent < bytes; sent += MiB) yield chunk.subarray(0, Math.min(MiB, bytes - sent));
	yield Buffer.from('\nthe line after\n');
}

async function* bytes(...parts: Buffer[]): AsyncGenerator<Buffer> {
	for (const part of parts) yield part;
}

/** A modest process: node and the bundle, the 16 KiB of a cut line, output buffers. Far under the input. */
const modestRssBytes = 200 * MiB;

/** A full collection, without starting node with --expose-gc. */
function collectGarbage(): void {
	setFlagsFromString('--expose-gc');
	(runInNewContext('gc') as () => void)();
}

describe('logs faults: huge lines', () => {
	for (const size of [1 * MiB, 300 * MiB]) {
		it(`a ${size / MiB} MB line with no newline is cut at ${maxLineBytes / 1024} KiB as it streams, in modest memory`, async () => {
			const run = await logsStdin(oneLongLine(size));
			expect(run.stderr).toBe('');
			expect(run.code).toBe(0);
			const lines = run.stdout.toString('utf8').split('\n').filter(Boolean);
			expect(lines).toHaveLength(2);
			expect(lines[0]).toContain(`[cut ${size - maxLineBytes} bytes]`);
			expect(lines[0]!.match(/x+/)![0]).toHaveLength(maxLineBytes);
			expect(lines[1]).toContain('the line after');
			expect(run.peakRssBytes).toBeLessThan(modestRssBytes);
		}, 180_000);
	}
});

describe('logs faults: terminal escapes and bad bytes', () => {
	it('never passes an escape sequence, bell or C1 control to the terminal: each is shown escaped', async () => {
		const hostile = [
			'clear \x1b[2J\x1b[H the screen',
			'clipboard \x1b]52;c;cm0gLXJmIH4=\x07 write',
			'cursor \x1b[10;10H\x1b[1A moves',
			'bell \x07\x07 rings',
			'title \x1b]0;owned\x1b\\ set',
			'c1 \u009b2J csi',
			'colour \x1b[31mred\x1b[0m text',
		];
		const run = await logsStdin(bytes(Buffer.from(`${hostile.join('\n')}\n`)));
		expect(run.code).toBe(0);
		const text = run.stdout.toString('utf8');
		expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f\u0080-\u009f]/);
		const lines = text.split('\n').filter(Boolean);
		expect(lines).toHaveLength(hostile.length);
		expect(lines[0]).toContain('clear \\x1b[2J\\x1b[H the screen');
		expect(lines[1]).toContain('clipboard \\x1b]52;c;cm0gLXJmIH4=\\x07 write');
		expect(lines[2]).toContain('cursor \\x1b[10;10H\\x1b[1A moves');
		expect(lines[3]).toContain('bell \\x07\\x07 rings');
		expect(lines[4]).toContain('title \\x1b]0;owned\\x1b\\ set');
		expect(lines[5]).toContain('c1 \\x9b2J csi');
		// Colour is dropped, not escaped: the words stay readable.
		expect(lines[6]).toContain('colour red text');
	});

	it('shows invalid UTF-8 as escaped U+FFFD and goes on', async () => {
		const run = await logsStdin(
			bytes(
				Buffer.from('before\n'),
				Buffer.from([0x62, 0x61, 0x64, 0x20, 0xff, 0xfe, 0x20, 0xc3, 0x0a]),
				// Overlong "/", a lone surrogate, and a character split across two chunks.
				Buffer.from([0x6f, 0x76, 0x20, 0xc0, 0xaf, 0x20, 0xed, 0xa0, 0x80, 0x20, 0xe2, 0x82]),
				Buffer.from([0xac, 0x0a]),
				Buffer.from('after\n'),
			),
		);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		const lines = run.stdout.toString('utf8').split('\n').filter(Boolean);
		expect(lines).toHaveLength(4);
		expect(lines[0]).toContain('before');
		expect(lines[1]).toMatch(/bad (\\ufffd)+ \\ufffd$/);
		expect(lines[2]).toMatch(/ov (\\ufffd)+ (\\ufffd)+ €$/);
		expect(lines[3]).toContain('after');
		expect(run.stdout.toString('utf8')).not.toContain('\ufffd');
	});
});

describe('logs faults: bursts', () => {
	it('prints a 100 MB burst piped into `botops logs --stdin` line for line, in modest memory', async () => {
		const lineCount = MiB;
		async function* burst(): AsyncGenerator<Buffer> {
			const perChunk = 10_000;
			for (let start = 0; start < lineCount; start += perChunk) {
				let text = '';
				for (let i = start; i < Math.min(lineCount, start + perChunk); i++) text += `2026-11-25T12:00:00.000Z INFO tick ${String(i).padStart(9, '0')} `.padEnd(99, '.') + '\n';
				yield Buffer.from(text);
			}
		}
		const run = await logsStdin(burst(), {keepOutput: false});
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdoutLines).toBe(lineCount);
		expect(run.peakRssBytes).toBeLessThan(modestRssBytes);
	}, 180_000);

	it('takes a 100 MB burst into the dashboard log buffer: full ring, every evicted line counted as dropped, bounded heap', async () => {
		const capacity = 10_000;
		const lineBytes = 100;
		const lineCount = (100 * MiB) / lineBytes;
		const store = createAppStore();
		store.getState().setLogCapacity(capacity);
		const line = (i: number) => `2026-11-25T12:00:00.000Z INFO order ${String(i).padStart(9, '0')} filled `.padEnd(lineBytes - 1, '.') + '\n';
		expect(Buffer.byteLength(line(0))).toBe(lineBytes);
		// Generated as it is read: the burst itself is never held.
		function* burst(): Generator<Buffer> {
			const perChunk = 10_000;
			for (let start = 0; start < lineCount; start += perChunk) {
				let text = '';
				for (let i = start; i < Math.min(lineCount, start + perChunk); i++) text += line(i);
				yield Buffer.from(text);
			}
		}
		const source = createStreamLogSource({service: 'burst', open: () => Readable.from(burst())});
		const stream = createLogStream(store, async () => source, {services: ['burst'], follow: false});
		// What the buffer keeps, measured after a full collection: a peak of heapUsed counts garbage not yet
		// collected, which depends on how busy the machine is, not on what botops holds.
		collectGarbage();
		const heapBefore = process.memoryUsage().heapUsed;
		stream.start();
		try {
			const state = await storeReaches(store, s => s.logs.total === lineCount, `all ${lineCount} lines to arrive`, 170_000);
			expect(state.logs.buffer.size).toBe(capacity);
			expect(state.logs.dropped).toBe(lineCount - capacity);
			// The newest lines are the ones kept.
			expect(state.logs.buffer.atAbsolute(state.logs.buffer.endIndex - 1)?.text).toContain(`order ${String(lineCount - 1).padStart(9, '0')} filled`);
			// 10,000 records are kept; the 100 MB read through them are not.
			collectGarbage();
			expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(20 * MiB);
		} finally {
			stream.stop();
		}
	}, 180_000);
});
