import {useRef} from 'react';
import type {Search} from '../../logs/filter.js';
import {MatchCounter, matchCounterText} from '../../logs/match-count.js';
import type {LogRecord} from '../../logs/record.js';
import type {FilteredView} from '../../logs/ring-buffer.js';

/** The search's match counter for the bottom line ("match 3 of 41"), '' without a search. Incremental per frame. */
export function useMatchCount(list: FilteredView<LogRecord>, first: number, search: Search | undefined, cursor: number | undefined): string {
	const counter = useRef<MatchCounter | undefined>(undefined);
	counter.current ??= new MatchCounter();
	counter.current.update(list, first, search);
	if (!search) return '';
	const absolute = cursor === undefined ? undefined : list.absoluteIndex(first + cursor);
	return matchCounterText(counter.current.total, absolute === undefined ? undefined : counter.current.ordinalOf(absolute));
}
