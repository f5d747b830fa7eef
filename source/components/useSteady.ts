import {useState} from 'react';
import {steadyValue, type Steadiness} from '../util/format.js';

/**
 * `steady(key, measured, band, bounds)`: the figure to show under `key` (steadyValue against the one shown last).
 * `steady.text(key, measured, text, …)`: the same for a figure already formatted elsewhere (a verdict's "0.6 s"):
 * the text shown last while the measured value stays within the band of the one it was made from.
 * `steady.order(key, items, …)`: items, highest value first, in the order shown last (steadyOrder).
 */
export type Steady = ((key: string, raw: number, band: Steadiness, bounds?: readonly number[]) => number) & {
	text(key: string, raw: number, text: string, band: Steadiness, bounds?: readonly number[]): string;
	order<T>(key: string, items: readonly T[], idOf: (item: T) => string, valueOf: (item: T) => number, band: Steadiness): T[];
};

/** Keys past this many are forgotten all at once: rows that went away should not pile up in a session of days. */
const maxKeys = 2000;

/** The figures a view last showed, by key (steadyValue); a view holds one for its lifetime (useSteady). */
export function createSteady(): Steady {
	const shown = new Map<string, {value: number; text?: string}>();
	const remembered = (key: string) => {
		if (shown.size > maxKeys) shown.clear();
		return shown.get(key);
	};
	const steady: Steady = (key, raw, band, bounds) => {
		const value = steadyValue(remembered(key)?.value, raw, band, bounds);
		shown.set(key, {value});
		return value;
	};
	steady.text = (key, raw, text, band, bounds) => {
		const last = remembered(key);
		if (last?.text !== undefined && steadyValue(last.value, raw, band, bounds) === last.value) return last.text;
		shown.set(key, {value: raw, text});
		return text;
	};
	const orders = new Map<string, string[]>();
	steady.order = (key, items, idOf, valueOf, band) => {
		const ordered = steadyOrder(orders.get(key) ?? [], items, idOf, valueOf, band);
		orders.set(key, ordered.map(idOf));
		return ordered;
	};
	return steady;
}

/**
 * A view's Steady, kept across its renders so that a wobbling figure keeps its cell. It is written during render,
 * which is safe: for the same inputs a second render (StrictMode) gets the same figure back.
 */
export function useSteady(): Steady {
	return useState(createSteady)[0];
}

/**
 * Items highest value first, moving from the order shown last only where a value is clearly out of place: an item
 * goes above the one over it when it is higher by more than `band` of that one (new items enter where their value
 * puts them). Two rows at about the same figure keep their places instead of swapping at every sample.
 */
export function steadyOrder<T>(previous: readonly string[], items: readonly T[], idOf: (item: T) => string, valueOf: (item: T) => number, band: Steadiness): T[] {
	const rank = new Map(previous.map((id, index) => [id, index]));
	const out = items.filter(item => rank.has(idOf(item))).sort((a, b) => rank.get(idOf(a))! - rank.get(idOf(b))!);
	for (const item of items) {
		if (rank.has(idOf(item))) continue;
		const at = out.findIndex(other => valueOf(other) < valueOf(item));
		out.splice(at < 0 ? out.length : at, 0, item);
	}
	const clearlyAbove = (a: T, b: T) => valueOf(a) - valueOf(b) > Math.max(band.absolute, band.relative * Math.abs(valueOf(b)));
	for (let i = 1; i < out.length; i++) {
		for (let j = i; j > 0 && clearlyAbove(out[j]!, out[j - 1]!); j--) [out[j - 1], out[j]] = [out[j]!, out[j - 1]!];
	}
	return out;
}
