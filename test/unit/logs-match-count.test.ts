import {describe, expect, it} from 'vitest';
import {compileSearch} from '../../source/logs/filter.js';
import {MatchCounter, matchCounterText} from '../../source/logs/match-count.js';
import {lineRates} from '../../source/logs/rates.js';
import {type LogRecord, makeRecord} from '../../source/logs/record.js';
import {FilteredView, RingBuffer} from '../../source/logs/ring-buffer.js';

const record = (time: number, text: string, service = 'svc') => makeRecord(time, service, 'stdout', 'info', text);

describe('the match counter', () => {
	it('counts matches, names the one under the cursor, and follows new, evicted and windowed-out records', () => {
		const buffer = new RingBuffer<LogRecord>(5);
		for (const [i, text] of ['ok', 'timeout a', 'ok', 'timeout b'].entries()) buffer.push(record(i, text));
		const list = new FilteredView(buffer);
		const counter = new MatchCounter();
		const search = compileSearch('timeout');
		counter.update(list, 0, search);
		expect(counter.total).toBe(2);
		expect(matchCounterText(counter.total, counter.ordinalOf(3))).toBe('match 2 of 2');
		expect(matchCounterText(counter.total, counter.ordinalOf(2))).toBe('2 matches');

		buffer.push(record(4, 'timeout c'));
		buffer.push(record(5, 'timeout d'));
		buffer.push(record(6, 'ok')); // evicts 'ok', 'timeout a'
		list.sync();
		counter.update(list, 0, search);
		expect(counter.total).toBe(3);
		expect(counter.ordinalOf(1)).toBeUndefined();
		expect(counter.ordinalOf(5)).toBe(3);
		// A time window that starts at the third shown record leaves 'timeout c' and 'timeout d'.
		counter.update(list, 2, search);
		expect(counter.total).toBe(2);
		counter.update(list, 0, compileSearch('ok'));
		expect(counter.total).toBe(2);
		expect(matchCounterText(0, undefined)).toBe('no match');
	});
});

describe('line rates', () => {
	it('counts each service\'s lines over the last seconds, from the newest record back', () => {
		const buffer = new RingBuffer<LogRecord>(100);
		for (let i = 0; i < 50; i++) buffer.push(record(100_000 + i * 200, 'x', i % 5 === 0 ? 'b' : 'a'));
		// 50 lines over 10 s, a four times as often as b
		expect(lineRates(buffer, 110_000, 10_000)).toEqual([
			{service: 'a', perSecond: 4},
			{service: 'b', perSecond: 1},
		]);
		expect(lineRates(buffer, 200_000, 10_000)).toEqual([]);
	});
});

describe('the status bar rate text', () => {
	it('names the three busiest sources and what the buffer dropped', async () => {
		const {rateText} = await import('../../source/screens/logs/StatusBar.js');
		expect(rateText([{service: 'a', perSecond: 1200}, {service: 'b', perSecond: 3}, {service: 'c', perSecond: 1}, {service: 'd', perSecond: 0}], 1204)).toBe('a 1,200/s  b 3/s  c 1/s  +1  1,204 dropped');
		expect(rateText([], 0)).toBe('');
	});
});
