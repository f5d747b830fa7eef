import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {LineAssembler, cutLine, maxLineBytes, parseLine, prettyJson, type RawLine} from '../../source/logs/parse.js';
import type {LogRecord} from '../../source/logs/record.js';
import {sanitise} from '../../source/logs/sanitise.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/logs/${name}`, import.meta.url)), 'utf8').trimEnd().split('\n');

function assemble(lines: Array<string | RawLine>, key = 'a'): LogRecord[] {
	const assembler = new LineAssembler();
	const out: LogRecord[] = [];
	assembler.push(key, 'svc', lines.map(line => (typeof line === 'string' ? {stream: 'stdout' as const, text: line} : line)), 1000, out);
	return out;
}

describe('sanitise', () => {
	it('neutralises cursor movement, screen clearing and title setting', () => {
		const out = sanitise('ok\x1b[2J\x1b[H\x1b[10;5Hgone\x1b]0;pwned\x07 done');
		expect(out).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f-\x9f]/);
		expect(out).toBe('ok\\x1b[2J\\x1b[H\\x1b[10;5Hgone\\x1b]0;pwned\\x07 done');
	});

	it('drops colour sequences, keeps tabs and drops a trailing CR', () => {
		expect(sanitise('\x1b[32m INFO\x1b[0m\tready\r')).toBe(' INFO\tready');
	});

	it('escapes C1 controls, bidi overrides, backspace and invalid UTF-8', () => {
		expect(sanitise('a\u009bb')).toBe('a\\x9bb');
		expect(sanitise('user\u202Eexe.txt')).toBe('user\\u202eexe.txt');
		expect(sanitise('x\by')).toBe('x\\x08y');
		const invalid = Buffer.from([0x61, 0xff, 0xfe, 0x62]).toString('utf8');
		expect(sanitise(invalid)).toBe('a\\ufffd\\ufffdb');
	});

	it('returns clean lines unchanged', () => {
		const line = '2026-11-25T12:00:00Z  INFO bot: ünïcödé ✓ 価格';
		expect(sanitise(line)).toBe(line);
	});
});

describe('cutting long lines', () => {
	it('cuts lines over 16 KiB with a visible marker giving the bytes cut', () => {
		const record = parseLine({stream: 'stdout', text: 'x'.repeat(100_000)}, 'svc', 0);
		expect(record.truncated).toBe(true);
		expect(record.text).toBe('x'.repeat(maxLineBytes) + ` … [cut ${100_000 - maxLineBytes} bytes]`);
	});

	it('cuts at a character boundary', () => {
		const text = 'é'.repeat(10_000); // 20,000 bytes
		const {text: kept, cut} = cutLine(text);
		expect(Buffer.byteLength(kept)).toBe(maxLineBytes);
		expect(kept).toBe('é'.repeat(maxLineBytes / 2));
		expect(cut).toBe(20_000 - maxLineBytes);
	});

	it('leaves a line of exactly 16 KiB whole', () => {
		const record = parseLine({stream: 'stdout', text: 'y'.repeat(maxLineBytes)}, 'svc', 0);
		expect(record.truncated).toBe(false);
		expect(record.text.length).toBe(maxLineBytes);
	});

	it('still finds the level of a cut JSON line', () => {
		const record = parseLine({stream: 'stdout', text: `{"level":"error","msg":"${'z'.repeat(40_000)}"}`}, 'svc', 0);
		expect(record.truncated).toBe(true);
		expect(record.level).toBe('error');
		expect(record.json).toBe(false);
	});
});

describe('parseLine', () => {
	it('keeps the source timestamp, else the line’s own, else the receive time', () => {
		expect(parseLine({stream: 'stdout', time: 5, text: '2026-11-25T12:00:00Z INFO x'}, 's', 9).time).toBe(5);
		expect(parseLine({stream: 'stdout', text: '2026-11-25T12:00:00.250Z INFO x'}, 's', 9).time).toBe(Date.UTC(2026, 10, 25, 12, 0, 0, 250));
		expect(parseLine({stream: 'stdout', text: '[2026-11-25T12:00:00+02:00 INFO m] x'}, 's', 9).time).toBe(Date.UTC(2026, 10, 25, 10));
		expect(parseLine({stream: 'stdout', text: 'no time here'}, 's', 9).time).toBe(9);
	});

	it('detects JSON only for objects, and takes their time', () => {
		const mongo = parseLine({stream: 'stdout', text: '{"t":{"$date":"2026-11-25T12:00:00.123+00:00"},"s":"W","msg":"x"}'}, 'm', 0);
		expect(mongo).toMatchObject({json: true, level: 'warn', time: Date.UTC(2026, 10, 25, 12, 0, 0, 123)});
		expect(parseLine({stream: 'stdout', text: '{not json}'}, 'm', 0).json).toBe(false);
		expect(parseLine({stream: 'stdout', text: '[1,2]'}, 'm', 0).json).toBe(false);
		expect(parseLine({stream: 'stdout', text: '{"level":"info","ts":1764072000.5}'}, 'm', 0).time).toBe(1764072000500);
	});

	it('pretty-prints JSON lines and leaves others alone', () => {
		expect(prettyJson('{"level":"info","attr":{"n":1}}')).toBe('{\n  "level": "info",\n  "attr": {\n    "n": 1\n  }\n}');
		expect(prettyJson('plain')).toBe('plain');
		expect(prettyJson('{"msg":"\\u001b[2J\\u009b"}')).not.toMatch(/[\x1b\x9b]/);
	});
});

describe('continuation lines', () => {
	it('keeps a Python traceback with the ERROR record that logged it', () => {
		const records = assemble(fixture('python-traceback.log'));
		expect(records.map(record => record.level)).toEqual(['info', 'error', 'info']);
		expect(records[1]!.text.split('\n')).toEqual(fixture('python-traceback.log').slice(1, 8));
		expect(records[2]!.text).toContain('ETHUSDT');
	});

	it('keeps a Node stack and its error object with the Next.js error line', () => {
		const records = assemble(fixture('node-stack.log'));
		expect(records.map(record => record.level)).toEqual(['info', 'error', 'warn']);
		expect(records[1]!.text.split('\n')).toHaveLength(7);
		expect(records[1]!.text).toContain('callbackTrampoline');
	});

	it('keeps Next.js request lines, which start with a space, as records of their own', () => {
		const assembler = new LineAssembler();
		const out: LogRecord[] = [];
		assembler.push('ui', 'ui', [{stream: 'stdout', text: ' ✓ Ready in 1.2s'}, {stream: 'stdout', text: ' GET /api/health 200 in 4ms'}, {stream: 'stdout', text: ' POST /api/trades 500 in 31ms'}], 0, out);
		expect(out.map(record => record.text)).toEqual([' ✓ Ready in 1.2s', ' GET /api/health 200 in 4ms', ' POST /api/trades 500 in 31ms']);
	});

	it('keeps "Caused by:" chains with their record', () => {
		const records = assemble(fixture('rust-anyhow.log'));
		expect(records).toHaveLength(2);
		expect(records[0]!.text).toContain('Connection refused (os error 111)');
	});

	it('keeps streams apart: a continuation joins the open record of its own stream only', () => {
		const assembler = new LineAssembler();
		const out: LogRecord[] = [];
		assembler.push('a', 'a', [{stream: 'stdout', text: 'ERROR a failed'}], 0, out);
		assembler.push('b', 'b', [{stream: 'stdout', text: 'INFO b fine'}], 0, out);
		assembler.push('a', 'a', [{stream: 'stderr', text: '    at a.rs:1'}], 0, out);
		expect(out.map(record => record.text)).toEqual(['ERROR a failed\n    at a.rs:1', 'INFO b fine']);
	});

	it('starts a new record, with the previous level, once the open record is sealed', () => {
		const assembler = new LineAssembler();
		const out: LogRecord[] = [];
		assembler.push('a', 'a', [{stream: 'stdout', text: 'ERROR boom'}], 0, out);
		assembler.seal('a', out[0]!);
		assembler.push('a', 'a', [{stream: 'stdout', text: '    at frame'}], 0, out);
		expect(out).toHaveLength(2);
		expect(out[1]).toMatchObject({text: '    at frame', level: 'error'});
	});

	it('treats a traceback far from the previous line as a record of its own', () => {
		const records = assemble([
			{stream: 'stdout', time: 0, text: 'INFO started'},
			{stream: 'stderr', time: 60_000, text: 'Traceback (most recent call last):'},
			{stream: 'stderr', time: 60_000, text: '  File "x.py", line 1, in <module>'},
			{stream: 'stderr', time: 60_000, text: 'KeyError: \'price\''},
		]);
		expect(records).toHaveLength(2);
		expect(records[1]!.level).toBe('error');
		expect(records[1]!.text.split('\n')).toHaveLength(3);
	});
});

describe('isoTime', () => {
	it('gives what Date.parse gives, for RFC 3339 stamps and for everything near them', async () => {
		const {isoTime} = await import('../../source/logs/time.js');
		const stamps = ['2026-11-25T12:00:00Z', '2026-11-25T12:00:00.123456789Z', '2026-11-25T12:00:00.1234567891Z', '2026-11-25T12:00:00.5+05:30', '2026-11-25T12:00:00-11:00', '1969-12-31T23:59:59.999Z'];
		const near = ['2026-02-30T00:00:00Z', '2026-11-25T24:00:00Z', '2026-11-25T12:00:60Z', '2026-11-25T12:00:00+24:00', '2026-11-25T12:00:00.Z', '2026-11-25T12:00:00.000+0000', '2026-11-25T12:00:00', '2026-11-25 12:00:00Z', '2026-11-25T12:00Z', '2026-11-25T12:00:00Zx', '2026-11-25t12:00:00Z', 'yesterday'];
		for (const text of [...stamps, ...near]) expect(isoTime(text), text).toBe(Date.parse(text));
		expect(stamps.every(text => !Number.isNaN(isoTime(text)))).toBe(true);
	});
});
