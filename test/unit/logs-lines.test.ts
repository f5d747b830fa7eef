import {Buffer} from 'node:buffer';
import {Readable} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {LineSplitter, readLineBatches, type SplitLine} from '../../source/logs/lines.js';
import {maxLineBytes, parseLine} from '../../source/logs/parse.js';

function split(chunks: Array<Buffer | string>, limit?: number): SplitLine[] {
	const splitter = new LineSplitter(limit);
	const out: SplitLine[] = [];
	const take = (text: string, cut: number) => out.push(cut > 0 ? {text, cut} : {text});
	for (const chunk of chunks) splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, take);
	splitter.end(take);
	return out;
}

describe('the line splitter', () => {
	it('gives the same lines for every split point of the input, CRLF and LF alike', () => {
		const text = 'alpha\r\nbeta\n\ngamma é ✓ 価格\r\ndelta';
		const bytes = Buffer.from(text);
		const expected = [{text: 'alpha'}, {text: 'beta'}, {text: ''}, {text: 'gamma é ✓ 価格'}, {text: 'delta'}];
		expect(split([bytes])).toEqual(expected);
		for (let at = 1; at < bytes.length; at++) expect(split([bytes.subarray(0, at), bytes.subarray(at)])).toEqual(expected);
		expect(split([...bytes].map(byte => Buffer.from([byte])))).toEqual(expected);
	});

	it('decodes invalid UTF-8 as U+FFFD and keeps a lone CR inside a line', () => {
		expect(split([Buffer.from([0x61, 0xff, 0x0d, 0x62, 0x0a])])).toEqual([{text: 'a\ufffd\rb'}]);
	});

	it('gives no line for input that ends with its newline, and none for no input', () => {
		expect(split(['one\n'])).toEqual([{text: 'one'}]);
		expect(split([])).toEqual([]);
	});

	it('keeps the unfinished tail by copy: a reused read buffer does not change a held line', () => {
		const splitter = new LineSplitter();
		const out: string[] = [];
		const chunk = Buffer.from('abc');
		splitter.push(chunk, text => out.push(text));
		chunk.write('xyz');
		splitter.push(Buffer.from('def\n'), text => out.push(text));
		expect(out).toEqual(['abcdef']);
	});

	it('cuts an over-long line as it streams: the first 16 KiB, and the count of the bytes dropped', () => {
		const piece = Buffer.alloc(64 * 1024, 'x');
		const chunks = [...Array.from({length: 50}, () => piece), Buffer.from('\nnext\n')];
		expect(split(chunks)).toEqual([{text: 'x'.repeat(maxLineBytes), cut: 50 * piece.length - maxLineBytes}, {text: 'next'}]);
	});

	it('cuts at a character boundary, also when the cut falls on a chunk boundary', () => {
		// 16,383 ASCII bytes, then "é" (2 bytes) straddles the limit: it goes entirely.
		const bytes = Buffer.from('a'.repeat(maxLineBytes - 1) + 'é' + 'b'.repeat(10));
		const expected = [{text: 'a'.repeat(maxLineBytes - 1), cut: 12}];
		expect(split([bytes])).toEqual(expected);
		for (const at of [maxLineBytes - 1, maxLineBytes, maxLineBytes + 1]) expect(split([bytes.subarray(0, at), bytes.subarray(at)])).toEqual(expected);
	});

	it('leaves a line of exactly the limit whole, and cuts at a limit of its own', () => {
		expect(split([Buffer.alloc(maxLineBytes, 'y')])).toEqual([{text: 'y'.repeat(maxLineBytes)}]);
		expect(split(['0123456789\n'], 4)).toEqual([{text: '0123', cut: 6}]);
	});

	it('reads a stream in one batch per chunk, and the cut reaches the parser as its marker', async () => {
		const batches: SplitLine[][] = [];
		for await (const batch of readLineBatches(Readable.from([Buffer.from('a\nb'), Buffer.from('c\n'), Buffer.from('d'.repeat(20_000))]))) batches.push(batch);
		expect(batches).toEqual([[{text: 'a'}], [{text: 'bc'}], [{text: 'd'.repeat(maxLineBytes), cut: 20_000 - maxLineBytes}]]);
		const record = parseLine({stream: 'stdout', ...batches[2]![0]!}, 'svc', 0);
		expect(record.truncated).toBe(true);
		expect(record.text).toBe('d'.repeat(maxLineBytes) + ` … [cut ${20_000 - maxLineBytes} bytes]`);
	});
});

describe('the line splitter on a region of whole lines (the prefilter)', () => {
	it('gives the lines push and end give, for every region of the input: CRLF, blank, cut and unfinished lines', () => {
		const long = 'x'.repeat(40) + 'é'.repeat(10);
		const bytes = Buffer.from(`alpha\r\nbeta\n\n${long}\r\ngamma é ✓\n\r\n${long}\ndelta`);
		const limit = 32;
		const whole = (start: number, end: number) => {
			const out: SplitLine[] = [];
			new LineSplitter(limit).pushWhole(bytes, start, end, (text, cut) => out.push(cut > 0 ? {text, cut} : {text}));
			return out;
		};
		const starts = [0, ...[...bytes.keys()].filter(i => bytes[i] === 0x0a).map(i => i + 1)];
		for (const start of starts) {
			for (const end of [...starts.filter(e => e > start), bytes.length]) {
				expect(whole(start, end)).toEqual(split([bytes.subarray(start, end)], limit));
			}
		}
		expect(whole(0, bytes.length).some(line => (line.cut ?? 0) > 0)).toBe(true);
	});
});
