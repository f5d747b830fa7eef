import {readFileSync, readdirSync} from 'node:fs';
import {Readable} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {compileFilter} from '../../source/logs/filter.js';
import {levelSearchFor} from '../../source/logs/level-search.js';
import {parseLine} from '../../source/logs/parse.js';
import type {Level, LogRecord} from '../../source/logs/record.js';
import {readPrefilteredRecordBatches, readRecordBatches} from '../../source/services/stream-log-source.js';

const directory = fileURLToPath(new URL('../fixtures/logs/', import.meta.url));

/** The level samples: real lines of every family, each with the level a careful reader gives it. */
function samples(): Array<{level: string; line: string}> {
	const out: Array<{level: string; line: string}> = [];
	for (const file of readdirSync(directory + 'levels')) {
		for (const row of readFileSync(directory + 'levels/' + file, 'utf8').split('\n')) {
			const tab = row.indexOf('\t');
			if (tab > 0) out.push({level: row.slice(0, tab), line: row.slice(tab + 1)});
		}
	}
	return out;
}

function corpus(): Buffer {
	const parts: string[] = [];
	for (const file of readdirSync(directory).filter(name => name.endsWith('.log'))) parts.push(readFileSync(directory + file, 'utf8'));
	parts.push(samples().map(sample => sample.line).join('\n'));
	return Buffer.from(parts.join('\n'));
}

const shape = (record: LogRecord) => `${record.time} ${record.service} ${record.level} ${record.instance ?? ''} ${record.text}`;

describe('the --level error byte search', () => {
	it('finds every sample line that the detector reads as error or fatal, as the detector does in context, in every spelling of the samples', () => {
		const search = levelSearchFor('error')!;
		const checked: string[] = [];
		for (const {line} of samples()) {
			const level = parseLine({stream: 'stdout', text: line}, 'f', 0).level;
			if (level !== 'error' && level !== 'fatal') continue;
			const bytes = Buffer.from(line);
			checked.push(line);
			expect(search.find(bytes, 0, bytes.length), line).toBeGreaterThanOrEqual(0);
		}
		expect(checked.length).toBeGreaterThan(40);
	});

	it('is not used below error, where most lines are candidates', () => {
		for (const level of ['trace', 'debug', 'info', 'warn', undefined] as const) expect(levelSearchFor(level)).toBeUndefined();
	});

	for (const minLevel of ['error', 'fatal'] as Level[]) {
		it(`gives the records of the full read for --level ${minLevel}, however the input is chunked`, async () => {
			const bytes = corpus();
			const filter = compileFilter({minLevel});
			const expected: string[] = [];
			for await (const batch of readRecordBatches(Readable.from([bytes]), {service: 'f', adoptService: true, now: () => 0})) for (const record of batch) if (filter.matchesContent(record)) expected.push(shape(record));
			expect(expected.length).toBeGreaterThan(5);
			for (const size of [bytes.length, 4096, 977, 64]) {
				const input: Buffer[] = [];
				for (let at = 0; at < bytes.length; at += size) input.push(bytes.subarray(at, at + size));
				const got: string[] = [];
				for await (const batch of readPrefilteredRecordBatches(Readable.from(input), {service: 'f', search: levelSearchFor(minLevel)!, adoptService: true, now: () => 0})) for (const record of batch) if (filter.matchesContent(record)) got.push(shape(record));
				expect(got).toEqual(expected);
			}
		});
	}
});
