import {describe, expect, it} from 'vitest';
import {ReorderWindow, mergeByTime} from '../../source/logs/merge.js';
import {LogPipeline} from '../../source/logs/pipeline.js';
import {type LogRecord, makeRecord} from '../../source/logs/record.js';
import {FilteredView, RingBuffer} from '../../source/logs/ring-buffer.js';

const rec = (service: string, time: number, text = `${service}@${time}`): LogRecord => makeRecord(time, service, 'stdout', 'info', text);
const texts = (records: readonly LogRecord[]) => records.map(record => record.text);

describe('RingBuffer', () => {
	it('evicts the oldest items when full and counts them as dropped', () => {
		const buffer = new RingBuffer<number>(3);
		for (let i = 0; i < 5; i++) buffer.push(i);
		expect([...buffer]).toEqual([2, 3, 4]);
		expect(buffer.size).toBe(3);
		expect(buffer.dropped).toBe(2);
		expect(buffer.firstIndex).toBe(2);
		expect(buffer.atAbsolute(1)).toBeUndefined();
		expect(buffer.atAbsolute(4)).toBe(4);
		expect(buffer.at(0)).toBe(2);
		expect(buffer.at(3)).toBeUndefined();
	});

	it('wraps many times and stays in order', () => {
		const buffer = new RingBuffer<number>(7);
		for (let i = 0; i < 1000; i++) buffer.push(i);
		expect([...buffer]).toEqual([993, 994, 995, 996, 997, 998, 999]);
		expect(buffer.dropped).toBe(993);
	});

	it('rejects a capacity that is not a positive integer', () => {
		expect(() => new RingBuffer(0)).toThrow(RangeError);
	});
});

describe('FilteredView', () => {
	it('updates incrementally and forgets evicted items', () => {
		const buffer = new RingBuffer<number>(10);
		const view = new FilteredView(buffer, n => n % 2 === 0);
		for (let i = 0; i < 6; i++) buffer.push(i);
		expect(view.sync()).toBe(3);
		expect([...view]).toEqual([0, 2, 4]);
		for (let i = 6; i < 15; i++) buffer.push(i);
		expect(view.sync()).toBe(5);
		expect([...view]).toEqual([6, 8, 10, 12, 14]);
		expect(view.length).toBe(5);
	});

	it('rebuilds on a predicate change and finds the nearest position of an absolute index', () => {
		const buffer = new RingBuffer<number>(100);
		for (let i = 0; i < 20; i++) buffer.push(i);
		const view = new FilteredView(buffer);
		expect(view.length).toBe(20);
		view.setPredicate(n => n % 5 === 0);
		expect([...view]).toEqual([0, 5, 10, 15]);
		expect(view.positionOf(11)).toBe(3);
		expect(view.absoluteIndex(2)).toBe(10);
	});

	it('stays correct across compaction after long eviction', () => {
		const buffer = new RingBuffer<number>(1000);
		const view = new FilteredView(buffer, () => true);
		for (let i = 0; i < 20_000; i++) {
			buffer.push(i);
			if (i % 100 === 0) view.sync();
		}
		view.sync();
		expect(view.length).toBe(1000);
		expect(view.at(0)).toBe(19_000);
		expect(view.at(999)).toBe(19_999);
	});
});

describe('mergeByTime', () => {
	it('orders lines of several services by time, stable for equal times', () => {
		const merged = mergeByTime([
			[rec('a', 1), rec('a', 3, 'a3-first'), rec('a', 3, 'a3-second')],
			[rec('b', 2), rec('b', 3, 'b3'), rec('b', 9)],
			[],
		]);
		expect(texts(merged)).toEqual(['a@1', 'b@2', 'a3-first', 'a3-second', 'b3', 'b@9']);
	});

	it('keeps a stream’s own order when one of its lines is stamped earlier', () => {
		const merged = mergeByTime([[rec('a', 5), rec('a', 1, 'late')], [rec('b', 3)]]);
		expect(texts(merged)).toEqual(['b@3', 'a@5', 'late']);
	});
});

describe('ReorderWindow', () => {
	it('batch mode releases only what every open stream has delivered past', () => {
		const window = new ReorderWindow();
		window.open('a', 0);
		window.open('b', 0);
		window.push('a', [rec('a', 1), rec('a', 5)], 0);
		expect(window.flush(2000)).toEqual([]);
		window.push('b', [rec('b', 2), rec('b', 3)], 0);
		// Each stream's latest record stays: it may still gain continuation lines.
		expect(texts(window.flush(2000))).toEqual(['a@1', 'b@2']);
		window.end('b');
		expect(texts(window.flush(2000))).toEqual(['b@3']);
		window.end('a');
		expect(texts(window.flush(2000))).toEqual(['a@5']);
		expect(window.pending).toBe(0);
	});

	it('follow mode holds lines so a slightly late line from another service still sorts first', () => {
		const window = new ReorderWindow({holdMs: 250});
		window.open('a', 0);
		window.open('b', 0);
		window.push('b', [rec('b', 9000)], 9000);
		expect(texts(window.flush(9300))).toEqual(['b@9000']);
		window.push('a', [rec('a', 10_100)], 10_100);
		// b is quiet: a's line waits for the window, not for b.
		expect(window.flush(10_300)).toEqual([]);
		// A line from b stamped before a's arrives 250 ms late: still inside the window.
		window.push('b', [rec('b', 10_050, 'b-late')], 10_300);
		expect(texts(window.flush(10_360))).toEqual(['b-late', 'a@10100']);
		window.push('a', [rec('a', 10_400)], 10_400);
		expect(window.flush(10_500)).toEqual([]);
		expect(texts(window.flush(10_650))).toEqual(['a@10400']);
	});

	it('follow mode waits for a stream that has not delivered its tail yet, then stops waiting', () => {
		const window = new ReorderWindow({holdMs: 250, startupMs: 1000});
		window.open('a', 0);
		window.open('b', 0);
		window.push('a', [rec('a', 1)], 0);
		expect(window.flush(500)).toEqual([]);
		expect(texts(window.flush(1001))).toEqual(['a@1']);
		expect(window.pending).toBe(0);
	});

	it('numbers released records in output order', () => {
		const window = new ReorderWindow();
		window.push('a', [rec('a', 2), rec('a', 4)], 0);
		window.push('b', [rec('b', 1), rec('b', 3)], 0);
		window.end('a');
		window.end('b');
		expect(window.flush(0).map(record => [record.text, record.seq])).toEqual([
			['b@1', 1],
			['a@2', 2],
			['b@3', 3],
			['a@4', 4],
		]);
	});
});

describe('LogPipeline', () => {
	it('joins a stack trace that arrives in a later chunk while its record is still held', () => {
		const pipeline = new LogPipeline({follow: true, holdMs: 250});
		pipeline.open('a', 0);
		pipeline.ingest('a', 'a', [{stream: 'stderr', time: 1000, text: 'ERROR panic in handler'}], 1000);
		expect(pipeline.flush(1100)).toEqual([]);
		pipeline.ingest('a', 'a', [{stream: 'stderr', time: 1001, text: '    at handler (app.js:1)'}], 1150);
		const out = pipeline.flush(1300);
		expect(out).toHaveLength(1);
		expect(out[0]!.text).toBe('ERROR panic in handler\n    at handler (app.js:1)');
	});

	it('drops lines before `since`', () => {
		const pipeline = new LogPipeline({follow: false, since: 50});
		pipeline.ingest('a', 'a', [{stream: 'stdout', time: 10, text: 'old'}, {stream: 'stdout', time: 60, text: 'new'}], 0);
		pipeline.end('a');
		expect(texts(pipeline.flush(0))).toEqual(['new']);
	});

	it('puts markers in time order with the lines', () => {
		const pipeline = new LogPipeline({follow: false});
		pipeline.ingest('a', 'a', [{stream: 'stdout', time: 10, text: 'before'}], 0);
		pipeline.marker('a', 'a', '— a restarted —', 20);
		pipeline.ingest('a', 'a', [{stream: 'stdout', time: 30, text: 'after'}], 0);
		pipeline.end('a');
		expect(pipeline.flush(0).map(record => `${record.stream}:${record.text}`)).toEqual(['stdout:before', 'marker:— a restarted —', 'stdout:after']);
	});
});
