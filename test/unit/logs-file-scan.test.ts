import {mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';
import {scanFile, type ScanOutcome, type ScanSpec} from '../../source/logs/file-scan.js';
import {compileFilter} from '../../source/logs/filter.js';
import {formatPlain, toJsonObject} from '../../source/logs/format.js';
import type {Level} from '../../source/logs/record.js';
import {readRecordBatches} from '../../source/services/stream-log-source.js';
import {registerSecrets} from '../../source/util/secrets.js';

const fixtures = fileURLToPath(new URL('../fixtures/logs/', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'botops-file-scan-'));
afterAll(() => rmSync(directory, {recursive: true, force: true}));

/** Every fixture of real lines (the level samples without their expected-level column): compose, syslog, kubectl prefixes among them. */
function corpus(): Buffer {
	const parts: string[] = [];
	for (const file of readdirSync(fixtures).filter(name => name.endsWith('.log'))) parts.push(readFileSync(fixtures + file, 'utf8'));
	for (const file of readdirSync(fixtures + 'levels')) parts.push(readFileSync(fixtures + 'levels/' + file, 'utf8').split('\n').map(line => line.slice(line.indexOf('\t') + 1)).join('\n'));
	return Buffer.from(parts.join('\n'));
}

const secret = 'sup3r-s3cret-admin-token';

/**
 * A mixed file with no source prefixes (so that a split holds): timestamped lines of several formats, Java and Python
 * traces under their lines, untimed lines, blank lines, a known secret and a password pair, control sequences,
 * invalid UTF-8, a 1 MB line.
 */
function generated(): Buffer {
	const parts: Buffer[] = [];
	const start = Date.UTC(2026, 10, 25, 12);
	for (let i = 0; i < 6000; i++) {
		const iso = new Date(start + i * 7).toISOString();
		const lines: string[] = [];
		switch (i % 12) {
			case 0: lines.push(`${iso}  INFO bot_core::engine: processed tick symbol="BTCUSDT" latency_us=${i % 911}`); break;
			case 1: lines.push(`${iso} ERROR bot_core::executor: order rejected error=InsufficientBalance order=${i}`, '    at processTicksAndRejections (node:internal/process/task_queues:95:5)', '    at Executor.run (executor.js:12:3)'); break;
			case 2: lines.push(`2026-11-25 12:00:00,${String(i % 1000).padStart(3, '0')} - ai_service - ERROR - analysis failed`, 'Traceback (most recent call last):', '  File "app.py", line 3, in <module>', 'ZeroDivisionError: division by zero'); break;
			case 3: lines.push(`{"t":{"$date":"${iso}"},"s":"E","c":"NETWORK","id":22943,"ctx":"listener","msg":"Connection failed ERROR","attr":{"n":${i}}}`); break;
			case 4: lines.push(`${iso} WARN login admin token=${secret} password=hunter2hunter ERROR`); break;
			case 5: lines.push(`${iso} ERROR screen \x1b[2J cleared \x1b]0;title\x07 and \u202e reversed`); break;
			case 6: lines.push('INFO:     127.0.0.1:5000 - "GET /health HTTP/1.1" 200 OK', ''); break;
			case 7: lines.push(`ts=${iso} level=error msg="scrape failed ERROR" target=http://engine:8080/metrics`); break;
			case 8: lines.push(`${iso} DEBUG flushed ${i % 4096} bytes`, '', ''); break;
			case 9: lines.push(`${iso} INFO bytes \udcff`.replace('\udcff', 'INVALID')); break;
			case 10: lines.push(`${iso} ERROR java.lang.IllegalStateException: boom`, 'Caused by: java.io.IOException: ERROR pipe', '\t... 3 more'); break;
			default: lines.push(`172.18.0.1 - - [25/Nov/2026:12:00:00 +0000] "GET /api/x HTTP/1.1" ${i % 50 === 11 ? 502 : 200} ${i} "-" "axios/1.7"`);
		}
		let text = lines.join('\n') + '\n';
		if (i % 12 === 9) {
			// Invalid UTF-8 where the marker is: a lone continuation byte and a truncated sequence.
			const [before, after] = text.split('INVALID');
			parts.push(Buffer.from(before!), Buffer.from([0x80, 0xe2, 0x82]), Buffer.from(after!));
			continue;
		}
		parts.push(Buffer.from(text));
		if (i === 3100) parts.push(Buffer.from(`${iso} ERROR huge ${'x'.repeat(1 << 20)}\n`));
	}
	return Buffer.concat(parts);
}

type Case = {grep?: string; minLevel?: Level; json?: boolean};

/** The one-pass read (the stream reader every other source uses), filtered and formatted as the command prints. */
async function reference(bytes: Buffer, test: Case): Promise<string> {
	const filter = compileFilter({minLevel: test.minLevel, include: test.grep ? [test.grep] : []});
	let out = '';
	for await (const batch of readRecordBatches(Readable.from([bytes]), {service: 'f', adoptService: true, now: () => 0})) {
		for (const record of batch) if (filter.matchesContent(record)) out += (test.json ? JSON.stringify(toJsonObject(record)) : formatPlain(record, 0)) + '\n';
	}
	return out;
}

async function scanned(file: string, test: Case, threads: number, chunkBytes?: number): Promise<{text: string; outcome: ScanOutcome}> {
	const spec: ScanSpec = {file, service: 'f', adoptService: true, grep: test.grep, minLevel: test.minLevel, json: test.json ?? false, color: false, width: 0, receivedAt: 0};
	const pieces: Buffer[] = [];
	const outcome = await scanFile(spec, piece => void pieces.push(Buffer.from(piece)), () => false, {threads, chunkBytes});
	return {text: Buffer.concat(pieces).toString('utf8'), outcome};
}

const cases: Case[] = [{grep: 'ERROR'}, {grep: 'error'}, {grep: 'latency_us=[0-9]*7\\b'}, {grep: 'Caused by'}, {minLevel: 'error'}, {minLevel: 'warn', json: true}, {}];

describe('logs --file read by the file scanner', () => {
	registerSecrets([secret]);
	const mixed = join(directory, 'mixed.log');
	const mixedBytes = generated();
	writeFileSync(mixed, mixedBytes);
	const prefixed = join(directory, 'prefixed.log');
	const corpusBytes = corpus();
	// Repeated so that the middle of the file, where a split is looked for, holds prefixed lines too.
	const prefixedBytes = Buffer.concat([corpusBytes, Buffer.from('\n'), corpusBytes]);
	writeFileSync(prefixed, prefixedBytes);

	for (const test of cases) {
		const name = JSON.stringify(test);
		it(`gives the one-pass output for ${name}, on one thread and split across two, whatever the read size`, async () => {
			const expected = await reference(mixedBytes, test);
			expect(expected.length).toBeGreaterThan(0);
			for (const chunkBytes of [undefined, 4093]) {
				expect((await scanned(mixed, test, 1, chunkBytes)).text).toEqual(expected);
				const two = await scanned(mixed, test, 2, chunkBytes);
				// The split held: the worker's half was printed after this thread's.
				expect(two.outcome.split).toBeGreaterThan(0);
				expect(two.outcome.voided).toBe(false);
				expect(two.text).toEqual(expected);
			}
		});

		it(`gives the one-pass output for ${name} on a file with source prefixes throughout (read by one thread)`, async () => {
			const expected = await reference(prefixedBytes, test);
			expect((await scanned(prefixed, test, 1, 977)).text).toEqual(expected);
			const two = await scanned(prefixed, test, 2, 977);
			expect(two.outcome.split).toBeUndefined();
			expect(two.text).toEqual(expected);
		});
	}

	it('masks secrets, escapes control sequences and invalid UTF-8, and cuts the 1 MB line, in both halves', async () => {
		const {text, outcome} = await scanned(mixed, {}, 2);
		const split = outcome.split!;
		const halves = [mixedBytes.subarray(0, split).toString('latin1'), mixedBytes.subarray(split).toString('latin1')];
		for (const half of halves) expect(half).toContain(secret);
		expect(text).not.toContain(secret);
		expect(text).not.toContain('hunter2hunter');
		expect(text).toContain('token=***');
		expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
		expect(text).toContain('\\x1b[2J');
		expect(text).toContain('\\u202e');
		expect(text).toContain('\\ufffd');
		expect(text).toMatch(/ERROR huge x+ … \[cut \d+ bytes\]/);
	});

	it('reads the second half on this thread when the worker would hold more output than its limit', async () => {
		const expected = await reference(mixedBytes, {minLevel: 'debug'});
		const pieces: Buffer[] = [];
		const spec: ScanSpec = {file: mixed, service: 'f', adoptService: true, minLevel: 'debug', json: false, color: false, width: 0, receivedAt: 0};
		const outcome = await scanFile(spec, piece => void pieces.push(Buffer.from(piece)), () => false, {threads: 2, chunkBytes: 4093, maxHeld: 10_000});
		expect(outcome).toEqual({split: expect.any(Number), voided: true});
		expect(Buffer.concat(pieces).toString('utf8')).toEqual(expected);
	});

	it('does not split an unfiltered read whose second half would print more than the limit', async () => {
		const expected = await reference(mixedBytes, {});
		const pieces: Buffer[] = [];
		const spec: ScanSpec = {file: mixed, service: 'f', adoptService: true, json: false, color: false, width: 0, receivedAt: 0};
		const outcome = await scanFile(spec, piece => void pieces.push(Buffer.from(piece)), () => false, {threads: 2, maxHeld: 100_000});
		expect(outcome).toEqual({voided: false});
		expect(Buffer.concat(pieces).toString('utf8')).toEqual(expected);
	});

	for (const at of [0.1, 0.9]) {
		it(`voids a split when a half holds a prefixed source (at ${at * 100} % of the file), and prints the one-pass output`, async () => {
			const cut = mixedBytes.indexOf('\n', Math.floor(mixedBytes.length * at)) + 1;
			const record = 'web-1  | 2026-11-25T12:00:00.000Z ERROR upstream failed\nweb-1  |     at handler (server.js:10:5)\n';
			const bytes = Buffer.concat([mixedBytes.subarray(0, cut), Buffer.from(record), mixedBytes.subarray(cut)]);
			const file = join(directory, `prefixed-at-${at}.log`);
			writeFileSync(file, bytes);
			for (const test of [{grep: 'ERROR'}, {minLevel: 'error' as const}, {}]) {
				const expected = await reference(bytes, test);
				expect(expected).toMatch(/ web ERROR .*upstream failed\n +at handler/);
				expect((await scanned(file, test, 1, 4093)).text).toEqual(expected);
				const two = await scanned(file, test, 2, 4093);
				expect(two.outcome.split).toBeGreaterThan(0);
				expect(two.outcome.voided).toBe(true);
				expect(two.text).toEqual(expected);
			}
		});
	}
});
