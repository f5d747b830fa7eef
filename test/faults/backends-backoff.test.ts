import {afterEach, describe, expect, it, vi} from 'vitest';
import {createPoller, type PollerDefinition} from '../../source/controllers/poller.js';
import {containersUpdate} from '../../source/store/slices/containers.js';
import {createAppStore} from '../../source/store/store.js';
import {backoffMs} from '../../source/util/backoff.js';

/** DESIGN.md: a backend that comes back is noticed within 10 s, however long it was away. */
const noticedWithinMs = 10_000;

afterEach(() => vi.useRealTimers());

describe('the backoff ceiling', () => {
	it('grows 1, 2, 4, 8 s and stays at 8 s: never the 31 s it once reached', () => {
		expect([1, 2, 3, 4, 5, 6, 10, 50, 1000].map(failures => backoffMs(failures))).toEqual([1000, 2000, 4000, 8000, 8000, 8000, 8000, 8000, 8000]);
		expect(backoffMs(0)).toBe(0);
	});

	it('a poller failing for minutes retries at most 8 s apart, and its first poll after the backend returns succeeds', async () => {
		vi.useFakeTimers();
		const store = createAppStore();
		let up = false;
		const polls: number[] = [];
		const definition: PollerDefinition<string[]> = {
			name: 'flaky',
			intervalMs: 1000,
			timeoutMs: 500,
			poll: async () => {
				polls.push(Date.now());
				if (!up) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {code: 'ECONNREFUSED', syscall: 'connect', address: '127.0.0.1', port: 9});
				return [];
			},
			commit: (state, outcome, retry) => (outcome.ok ? containersUpdate.list(state, [], [], outcome.at) : containersUpdate.error(state, 'down', retry.retryAt)),
		};
		const poller = createPoller(store, definition, {paused: () => false});
		poller.start();
		// Five minutes of a dead backend.
		await vi.advanceTimersByTimeAsync(5 * 60_000);
		const gaps = polls.slice(1).map((at, i) => at - polls[i]!);
		expect(Math.max(...gaps)).toBe(backoffMs(100));
		expect(store.getState().containers.retryAt! - Date.now()).toBeLessThanOrEqual(backoffMs(100));
		const returnedAt = Date.now();
		up = true;
		await vi.advanceTimersByTimeAsync(noticedWithinMs);
		const firstAfter = polls.find(at => at >= returnedAt)!;
		expect(firstAfter - returnedAt).toBeLessThanOrEqual(backoffMs(100));
		expect(store.getState().containers.error).toBeUndefined();
		expect(store.getState().containers.updatedAt).toBeGreaterThanOrEqual(firstAfter);
		poller.stop();
	});
});
