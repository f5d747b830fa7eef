import {type Search, searchMatches} from './filter.js';
import type {LogRecord} from './record.js';
import type {FilteredView} from './ring-buffer.js';

/**
 * How many shown records match the search, and which of them the cursor is on ("match 3 of 41"). Kept by
 * absolute buffer index and updated incrementally: each call tests only the records that arrived since the
 * last, and forgets the matches that left the view (evicted, or before the time window). A new search or a
 * new filter starts over.
 */
export class MatchCounter {
	private matches: number[] = [];
	private head = 0;
	private scannedTo = 0;
	private list: FilteredView<LogRecord> | undefined;
	private pattern: string | undefined;

	/** Brings the count up to date with positions `first`.. of `list`. */
	update(list: FilteredView<LogRecord>, first: number, search: Search | undefined): void {
		if (list !== this.list || search?.pattern !== this.pattern) {
			this.list = list;
			this.pattern = search?.pattern;
			this.matches = [];
			this.head = 0;
			this.scannedTo = 0;
		}
		if (!search || list.length === 0) return;
		for (let position = list.positionOf(this.scannedTo); position < list.length; position++) {
			if (searchMatches(list.at(position)!, search)) this.matches.push(list.absoluteIndex(position));
		}
		this.scannedTo = list.absoluteIndex(list.length - 1) + 1;
		const lowest = first < list.length ? list.absoluteIndex(first) : this.scannedTo;
		while (this.head < this.matches.length && this.matches[this.head]! < lowest) this.head++;
		if (this.head > 4096 && this.head * 2 > this.matches.length) {
			this.matches = this.matches.slice(this.head);
			this.head = 0;
		}
	}

	get total(): number {
		return this.matches.length - this.head;
	}

	/** 1-based ordinal of the match at absolute index `absolute`, or undefined when that record is no match. */
	ordinalOf(absolute: number): number | undefined {
		let low = this.head;
		let high = this.matches.length;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if (this.matches[middle]! < absolute) low = middle + 1;
			else high = middle;
		}
		return low < this.matches.length && this.matches[low] === absolute ? low - this.head + 1 : undefined;
	}
}

/** "match 3 of 41" on a match, "41 matches" elsewhere, "no match" for none. */
export function matchCounterText(total: number, ordinal: number | undefined): string {
	if (total === 0) return 'no match';
	return ordinal === undefined ? `${total.toLocaleString('en')} match${total === 1 ? '' : 'es'}` : `match ${ordinal.toLocaleString('en')} of ${total.toLocaleString('en')}`;
}
