import {describe, expect, it} from 'vitest';
import {percentile} from '../../source/util/percentile.js';

describe('percentile (nearest rank)', () => {
	it('is undefined without samples', () => {
		expect(percentile([], 95)).toBeUndefined();
	});

	it('returns the single sample for any p', () => {
		expect(percentile([7], 0)).toBe(7);
		expect(percentile([7], 50)).toBe(7);
		expect(percentile([7], 100)).toBe(7);
	});

	it('uses rank ceil(p/100 * n) on sorted values', () => {
		// Wikipedia's nearest-rank example: 15, 20, 35, 40, 50
		const values = [50, 15, 40, 20, 35];
		expect(percentile(values, 5)).toBe(15);
		expect(percentile(values, 30)).toBe(20);
		expect(percentile(values, 40)).toBe(20);
		expect(percentile(values, 50)).toBe(35);
		expect(percentile(values, 100)).toBe(50);
	});

	it('picks the 95th of 100 samples and the 10th of 10 for p95', () => {
		const hundred = Array.from({length: 100}, (_, i) => 100 - i);
		expect(percentile(hundred, 95)).toBe(95);
		expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
		expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
	});

	it('clamps p = 0 to the minimum and sorts numerically, not as strings', () => {
		expect(percentile([10, 9, 100, 1000], 0)).toBe(9);
		expect(percentile([10, 9, 100, 1000], 50)).toBe(10);
	});

	it('does not reorder the caller array', () => {
		const values = [3, 1, 2];
		percentile(values, 50);
		expect(values).toEqual([3, 1, 2]);
	});
});
