import {describe, expect, it} from 'vitest';
import {peaksPerCell, steppedScale} from '../../source/components/Sparkline.js';
import {createSteady, steadyOrder} from '../../source/components/useSteady.js';
import {steadyStats} from '../../source/screens/stats/columns.js';
import type {StatsSample} from '../../source/services/types.js';
import type {StatsHistory} from '../../source/store/slices/containers.js';
import {steadiness} from '../../source/util/format.js';

type Item = {id: string; cpu: number};
const order = (previous: string[], items: Item[]) => steadyOrder(previous, items, item => item.id, item => item.cpu, steadiness.rank).map(item => item.id);

describe('steadyOrder', () => {
	it('orders new items highest first', () => {
		expect(order([], [{id: 'a', cpu: 1}, {id: 'b', cpu: 12}, {id: 'c', cpu: 5}])).toEqual(['b', 'c', 'a']);
	});

	it('keeps two items at about the same figure where they were', () => {
		expect(order(['prometheus', 'nextjs'], [{id: 'nextjs', cpu: 2.6}, {id: 'prometheus', cpu: 2.2}])).toEqual(['prometheus', 'nextjs']);
	});

	it('moves an item up past every one it clearly exceeds', () => {
		expect(order(['a', 'b', 'c'], [{id: 'a', cpu: 10}, {id: 'b', cpu: 9}, {id: 'c', cpu: 30}])).toEqual(['c', 'a', 'b']);
	});

	it('lets a falling item sink below those clearly above it, and new items enter by their figure', () => {
		expect(order(['a', 'b'], [{id: 'a', cpu: 0.5}, {id: 'b', cpu: 8}, {id: 'n', cpu: 4}])).toEqual(['b', 'n', 'a']);
	});

	it('drops items that went away', () => {
		expect(order(['gone', 'a'], [{id: 'a', cpu: 1}])).toEqual(['a']);
	});
});

describe('peaksPerCell', () => {
	it('folds the samples into cells of their peak, aligned on the count of samples ever taken', () => {
		expect(peaksPerCell([1, 5, 2, 3, 9, 4, 7], 7, 3, 4)).toEqual([5, 9, 7]);
		// Two samples later, only the last cell changed.
		expect(peaksPerCell([1, 5, 2, 3, 9, 4, 7, 2, 8], 9, 3, 4)).toEqual([5, 9, 8]);
	});

	it('changes only its last cell as samples arrive, and moves one cell every perCell samples', () => {
		const all = Array.from({length: 400}, (_, i) => (i * 37) % 11);
		let previous: number[] | undefined;
		let moves = 0;
		for (let total = 200; total <= 400; total++) {
			const cells = peaksPerCell(all.slice(Math.max(0, total - 150), total), total, 9, 16);
			expect(cells).toHaveLength(16);
			if (previous) {
				const shifted = total % 9 === 1;
				if (shifted) moves++;
				else expect(cells.slice(0, -1)).toEqual(previous.slice(0, -1));
			}
			previous = cells;
		}
		expect(moves).toBe(22);
	});

	it('leaves out the oldest cell while the history no longer holds all of its samples', () => {
		// Samples 4..9 of 10 held, cells of 3: cell 1 (3..5) lost sample 3.
		expect(peaksPerCell([4, 5, 6, 7, 8, 9], 10, 3, 8)).toEqual([8, 9]);
	});

	it('is the last samples themselves at one sample per cell, and a blank for a cell of missing values', () => {
		expect(peaksPerCell([1, 2, 3], 3, 1, 2)).toEqual([2, 3]);
		expect(peaksPerCell([Number.NaN, Number.NaN, 4], 3, 2, 4)).toEqual([Number.NaN, 4]);
	});
});

describe('steppedScale', () => {
	it('is the next 1, 2 or 5 times a power of ten, so that a peak moving a little keeps the scale', () => {
		expect(steppedScale(12)).toBe(20);
		expect(steppedScale(17.9)).toBe(20);
		expect(steppedScale(20)).toBe(20);
		expect(steppedScale(21)).toBe(50);
		expect(steppedScale(0.7)).toBe(1);
		expect(steppedScale(0.3)).toBeCloseTo(0.5);
		expect(steppedScale(0)).toBeUndefined();
		expect(steppedScale(Number.NaN)).toBeUndefined();
	});
});

describe('createSteady', () => {
	it('keeps a text formatted elsewhere while its value stays within the band, and follows across a limit', () => {
		const steady = createSteady();
		const lag = (seconds: number) => steady.text('lag', seconds, `${seconds.toFixed(1)} s`, steadiness.lagSeconds, [1]);
		expect(lag(0.5)).toBe('0.5 s');
		expect(lag(0.7)).toBe('0.5 s');
		expect(lag(0.3)).toBe('0.5 s');
		expect(lag(1.1)).toBe('1.1 s');
		expect(lag(0.9)).toBe('0.9 s');
	});

	it('remembers each key apart, and the order of each list apart', () => {
		const steady = createSteady();
		expect(steady('a', 10, steadiness.percent)).toBe(10);
		expect(steady('b', 50, steadiness.percent)).toBe(50);
		expect(steady('a', 11, steadiness.percent)).toBe(10);
		const items = [{id: 'x', v: 2}, {id: 'y', v: 2.5}];
		expect(steady.order('one', items, i => i.id, i => i.v, steadiness.rank).map(i => i.id)).toEqual(['y', 'x']);
		expect(steady.order('one', [{id: 'x', v: 2.6}, {id: 'y', v: 2.5}], i => i.id, i => i.v, steadiness.rank).map(i => i.id)).toEqual(['y', 'x']);
		expect(steady.order('two', [{id: 'x', v: 2.6}, {id: 'y', v: 2.5}], i => i.id, i => i.v, steadiness.rank).map(i => i.id)).toEqual(['x', 'y']);
	});
});

describe('steadyStats', () => {
	const sample: StatsSample = {at: 0, cpuPercent: 12, memUsage: 100 * 2 ** 20, memLimit: 2 ** 31, memPercent: 5, netRx: 0, netTx: 0, blockRead: 0, blockWrite: 0, pids: 9};
	const history = (latest: StatsSample): StatsHistory => ({latest, cpu: [latest.cpuPercent], mem: [latest.memPercent]});

	it('returns a history as it was while its figures stay, and the figures shown last in it otherwise', () => {
		const steady = createSteady();
		const first = history(sample);
		expect(steadyStats({a: first}, steady).a).toBe(first);
		const wobble = history({...sample, cpuPercent: 14, memUsage: 104 * 2 ** 20, pids: 10});
		const shown = steadyStats({a: wobble}, steady).a!;
		expect(shown.latest).toMatchObject({cpuPercent: 12, memUsage: 100 * 2 ** 20, pids: 9});
		expect(shown.cpu).toBe(wobble.cpu);
	});

	it('follows CPU across the warn line, however small the move', () => {
		const steady = createSteady();
		steadyStats({a: history({...sample, cpuPercent: 69})}, steady);
		expect(steadyStats({a: history({...sample, cpuPercent: 71})}, steady).a!.latest.cpuPercent).toBe(71);
	});
});
