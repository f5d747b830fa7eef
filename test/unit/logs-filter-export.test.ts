import {mkdtemp, readFile, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {exportFileName, exportRecords} from '../../source/logs/export.js';
import {InvalidRegexError, compileFilter, compileSearch, matchRanges, nextError, nextMatch, tryCompileFilter} from '../../source/logs/filter.js';
import {type Level, type LogRecord, makeRecord} from '../../source/logs/record.js';

const at = Date.UTC(2026, 10, 25, 12, 0, 0);
const rec = (service: string, level: Level, text: string, time = at): LogRecord => makeRecord(time, service, 'stdout', level, text);

const records = [
	rec('rust-core-engine', 'info', 'engine started'),
	rec('python-ai-service', 'error', 'analysis failed for BTCUSDT'),
	rec('rust-core-engine', 'warn', 'websocket reconnecting'),
	rec('rust-core-engine', 'debug', 'heartbeat'),
	rec('python-ai-service', 'info', 'analysis done for ETHUSDT'),
	rec('rust-core-engine', 'fatal', 'order book corrupted'),
	makeRecord(at, 'rust-core-engine', 'marker', 'info', '— rust-core-engine restarted 12:03:11 —'),
];

describe('compileFilter', () => {
	const shown = (query: Parameters<typeof compileFilter>[0]) => records.filter(r => compileFilter(query).matches(r, at)).map(r => r.text);

	it('filters by service and minimum level, always keeping markers', () => {
		expect(shown({services: ['python-ai-service']})).toEqual(['analysis failed for BTCUSDT', 'analysis done for ETHUSDT']);
		expect(shown({minLevel: 'warn'})).toEqual(['analysis failed for BTCUSDT', 'websocket reconnecting', 'order book corrupted', '— rust-core-engine restarted 12:03:11 —']);
	});

	it('includes on any include regex and drops on any exclude regex (stern -i/-e), with smart case', () => {
		expect(shown({include: ['analysis'], exclude: ['ETH']})).toEqual(['analysis failed for BTCUSDT', '— rust-core-engine restarted 12:03:11 —']);
		expect(shown({include: ['ENGINE']})).toEqual(['— rust-core-engine restarted 12:03:11 —']);
		expect(shown({include: ['engine'], services: ['python-ai-service']})).toEqual([]);
		expect(shown({include: ['heartbeat', 'corrupt']}).slice(0, 2)).toEqual(['heartbeat', 'order book corrupted']);
	});

	it('applies time window presets relative to now', () => {
		const old = rec('a', 'info', 'old', at - 10 * 60_000);
		const recent = rec('a', 'info', 'recent', at - 2 * 60_000);
		const filter = compileFilter({window: '5m'});
		expect([old, recent].filter(r => filter.matches(r, at)).map(r => r.text)).toEqual(['recent']);
		expect(compileFilter({window: 'all'}).matches(old, at)).toBe(true);
		expect(compileFilter({window: '1m'}).matches(recent, at)).toBe(false);
	});

	it('reports an invalid regex as a typed error with the parse message', () => {
		const result = tryCompileFilter({include: ['ok'], exclude: ['(unclosed']});
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.error).toBeInstanceOf(InvalidRegexError);
		expect(result.error.field).toBe('exclude');
		expect(result.error.pattern).toBe('(unclosed');
		expect(result.error.reason).toMatch(/Unterminated group/);
		expect(() => compileSearch('[a-')).toThrow(InvalidRegexError);
	});
});

describe('search and navigation', () => {
	it('gives match ranges for highlighting', () => {
		expect(matchRanges('BTCUSDT then btcusdt', compileSearch('btc'))).toEqual([
			[0, 3],
			[13, 16],
		]);
		expect(matchRanges('aaa', compileSearch('x*'))).toEqual([]);
	});

	it('finds next and previous matches, wrapping around', () => {
		const search = compileSearch('analysis');
		expect(nextMatch(records, 0, 1, search)).toEqual({index: 1, wrapped: false});
		expect(nextMatch(records, 1, 1, search)).toEqual({index: 4, wrapped: false});
		expect(nextMatch(records, 4, 1, search)).toEqual({index: 1, wrapped: true});
		expect(nextMatch(records, 4, -1, search)).toEqual({index: 1, wrapped: false});
		expect(nextMatch(records, 0, 1, compileSearch('nowhere'))).toEqual({index: -1, wrapped: false});
	});

	it('jumps to next and previous errors (error and fatal, not markers)', () => {
		expect(nextError(records, 0, 1).index).toBe(1);
		expect(nextError(records, 1, 1).index).toBe(5);
		expect(nextError(records, 5, 1)).toEqual({index: 1, wrapped: true});
		expect(nextError(records, 5, -1).index).toBe(1);
	});
});

describe('export', () => {
	let directory: string | undefined;
	afterEach(async () => {
		if (directory) await rm(directory, {recursive: true, force: true});
	});

	it('names the file after the one service shown, or "all" for several', () => {
		const now = new Date(2026, 10, 25, 9, 5, 7).getTime();
		expect(exportFileName(['rust-core-engine'], now)).toBe('rust-core-engine-logs-20261125-090507.log');
		expect(exportFileName(['rust-core-engine', 'python-ai-service'], now)).toBe('all-logs-20261125-090507.log');
	});

	it('writes timestamp, service and level per line, atomically, never overwriting', async () => {
		directory = await mkdtemp(join(tmpdir(), 'botops-export-'));
		const now = new Date(2026, 10, 25, 9, 5, 7).getTime();
		const lines = [rec('rust-core-engine', 'error', 'failed\n    at frame'), rec('rust-core-engine', 'info', 'ok', at + 1500)];
		const path = await exportRecords(lines, {directory, now});
		expect(path).toBe(join(directory, 'rust-core-engine-logs-20261125-090507.log'));
		expect(await readFile(path, 'utf8')).toBe(
			'2026-11-25T12:00:00.000Z rust-core-engine ERROR failed\n    at frame\n2026-11-25T12:00:01.500Z rust-core-engine INFO  ok\n',
		);
		const second = await exportRecords(lines, {directory, now});
		expect(second).toBe(join(directory, 'rust-core-engine-logs-20261125-090507-2.log'));
		expect((await readdir(directory)).sort()).toEqual(['rust-core-engine-logs-20261125-090507-2.log', 'rust-core-engine-logs-20261125-090507.log']);
	});
});

describe('ISO times without a Date per record', () => {
	it('is toISOString for every time: within one second, across seconds, before 1970, fractional, beyond year 9999', async () => {
		const {isoTime} = await import('../../source/logs/format.js');
		const times = [0, 999, 1000, -1, -1000, -1001, 1.5, -0.5, 1764072000123, 1764072000999, 1764072001000, 253402300799999, 253402300800000, -62167219200000, -62167219200001];
		for (let i = 0; i < 2000; i++) times.push(1764072000000 + i * 7, 1764072000000 - i * 13);
		for (const time of times) expect(isoTime(time)).toBe(new Date(time).toISOString());
		expect(() => isoTime(Number.NaN)).toThrow(RangeError);
	});
});
