import {afterEach, describe, expect, it, vi} from 'vitest';
import {makeRecord, type LogRecord} from '../../source/logs/record.js';
import type {LogSource, LogSourceStatus} from '../../source/services/log-source.js';
import {createLogStream} from '../../source/controllers/log-stream.js';
import {createAppStore} from '../../source/store/store.js';

function record(n: number): LogRecord {
	const value = makeRecord(n, 'engine', 'stdout', 'info', `line ${n}`);
	value.seq = n;
	return value;
}

function fakeSource() {
	const calls: Array<{services: readonly string[]; follow: boolean}> = [];
	let onRecords: ((batch: LogRecord[]) => void) | undefined;
	let onStatus: ((status: LogSourceStatus) => void) | undefined;
	let unsubscribed = false;
	const source: LogSource = {
		subscribe(services, options, records, status) {
			calls.push({services, follow: options.follow});
			onRecords = records;
			onStatus = status;
			return () => {
				unsubscribed = true;
			};
		},
	};
	return {source, calls, emit: (batch: LogRecord[]) => onRecords!(batch), status: (s: LogSourceStatus) => onStatus!(s), unsubscribed: () => unsubscribed};
}

afterEach(() => vi.useRealTimers());

describe('log stream into the store', () => {
	it('subscribes once, on start, and coalesces many batches into one commit per interval', async () => {
		vi.useFakeTimers();
		const store = createAppStore();
		store.getState().setLogCapacity(1000);
		const fake = fakeSource();
		const stream = createLogStream(store, async () => fake.source, {services: ['engine'], follow: true, commitEveryMs: 100});
		expect(fake.calls).toHaveLength(0);
		stream.start();
		stream.start();
		await vi.advanceTimersByTimeAsync(0);
		expect(fake.calls).toEqual([{services: ['engine'], follow: true}]);
		expect(store.getState().logs.started).toBe(true);

		let commits = 0;
		store.subscribe((state, previous) => {
			if (state.logs.version !== previous.logs.version) commits++;
		});
		// 50 batches of 100 lines within one interval: the records are in the buffer at once, visible after one commit.
		for (let b = 0; b < 50; b++) fake.emit(Array.from({length: 100}, (_, i) => record(b * 100 + i)));
		fake.status({service: 'engine', state: 'streaming', at: 0});
		expect(store.getState().logs.buffer.size).toBe(1000);
		expect(store.getState().logs.total).toBe(0);
		await vi.advanceTimersByTimeAsync(100);
		expect(commits).toBe(1);
		const logs = store.getState().logs;
		expect(logs.total).toBe(5000);
		expect(logs.dropped).toBe(4000);
		expect(logs.buffer.at(0)!.text).toBe('line 4000');
		expect(logs.streams['engine']!.state).toBe('streaming');

		// Quiet: no commit without news.
		await vi.advanceTimersByTimeAsync(1000);
		expect(commits).toBe(1);
		fake.emit([record(5000)]);
		await vi.advanceTimersByTimeAsync(100);
		expect(commits).toBe(2);

		stream.stop();
		expect(fake.unsubscribed()).toBe(true);
	});

	it('reports a source that cannot open as the subscription status', async () => {
		const store = createAppStore();
		const stream = createLogStream(store, async () => Promise.reject(new Error('no Docker backend')), {services: ['engine'], follow: true, commitEveryMs: 10});
		stream.start();
		await vi.waitFor(() => expect(store.getState().logs.streams['*']?.message).toBe('no Docker backend'));
		stream.stop();
	});
});
