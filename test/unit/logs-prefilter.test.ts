import {readFileSync, readdirSync} from 'node:fs';
import {Readable} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {compileFilter, compileRegex} from '../../source/logs/filter.js';
import {byteSearchFor} from '../../source/logs/prefilter.js';
import type {LogRecord} from '../../source/logs/record.js';
import {readPrefilteredRecordBatches, readRecordBatches} from '../../source/services/stream-log-source.js';

const directory = fileURLToPath(new URL('../fixtures/logs/', import.meta.url));

/** Every fixture of real lines, the level samples without their expected-level column, as one saved log. */
function corpus(): Buffer {
	const parts: string[] = [];
	for (const file of readdirSync(directory).filter(name => name.endsWith('.log'))) parts.push(readFileSync(directory + file, 'utf8'));
	for (const file of readdirSync(directory + 'levels')) {
		parts.push(
			readFileSync(directory + 'levels/' + file, 'utf8')
				.split('\n')
				.map(line => line.slice(line.indexOf('\t') + 1))
				.join('\n'),
		);
	}
	return Buffer.from(parts.join('\n'));
}

function chunks(bytes: Buffer, size: number): Buffer[] {
	const out: Buffer[] = [];
	for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
	return out;
}

const shape = (record: LogRecord) => `${record.time} ${record.service} ${record.level} ${record.instance ?? ''} ${record.text}`;

async function full(bytes: Buffer, pattern: string): Promise<string[]> {
	const filter = compileFilter({include: [pattern]});
	const out: string[] = [];
	for await (const batch of readRecordBatches(Readable.from([bytes]), {service: 'f', adoptService: true, now: () => 0})) for (const record of batch) if (filter.matchesContent(record)) out.push(shape(record));
	return out;
}

async function prefiltered(input: Buffer[], pattern: string): Promise<string[]> {
	const filter = compileFilter({include: [pattern]});
	const search = byteSearchFor(compileRegex(pattern, 'include'))!;
	const out: string[] = [];
	for await (const batch of readPrefilteredRecordBatches(Readable.from(input), {service: 'f', search, adoptService: true, now: () => 0})) for (const record of batch) if (filter.matchesContent(record)) out.push(shape(record));
	return out;
}

describe('the --grep prefilter', () => {
	const bytes = corpus();

	for (const pattern of ['ERROR', 'Error', 'error', 'at java', 'ValueError', 'Caused by', 'kubelet', 'stocks', 'goroutine', 'conn\\d+', 'WARN|WARNING', 'caller=', 'component=']) {
		it(`gives the same records as the full read for ${JSON.stringify(pattern)}, however the input is chunked`, async () => {
			const expected = await full(bytes, pattern);
			expect(expected.length).toBeGreaterThan(0);
			for (const size of [bytes.length, 4096, 977, 64]) expect(await prefiltered(chunks(bytes, size), pattern)).toEqual(expected);
		});
	}

	it('uses a byte search for a case-sensitive literal and the regex otherwise, and none for non-ASCII patterns', () => {
		const literal = byteSearchFor(compileRegex('ERROR', 'include'))!;
		const buffer = Buffer.from('INFO ok\nERROR bad\n');
		expect(literal.find(buffer, 0, buffer.length)).toBe(8);
		expect(literal.find(buffer, 9, buffer.length)).toBe(-1);
		const insensitive = byteSearchFor(compileRegex('error', 'include'))!;
		expect(insensitive.find(buffer, 0, buffer.length)).toBe(8);
		expect(byteSearchFor(compileRegex('価格', 'include'))).toBeUndefined();
		// A peeled prefix or a json-file escape puts what these match elsewhere in the text than in the bytes.
		for (const pattern of ['^172\\.17', 'stocks$', '"GET /', 'a\\tb', 'C:\\\\Users']) expect(byteSearchFor(compileRegex(pattern, 'include'))).toBeUndefined();
	});
});
