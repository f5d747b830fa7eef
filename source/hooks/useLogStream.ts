import {useEffect, useMemo} from 'react';
import {type CompiledFilter, type RecordList, compileFilter} from '../logs/filter.js';
import type {LogRecord} from '../logs/record.js';
import {FilteredView} from '../logs/ring-buffer.js';
import type {LogViewState} from '../store/slices/logs.js';
import {useAppContext, useAppState} from './AppContext.js';
import {useNow} from './useNow.js';

/** The records the Logs screen shows: positions `first`..`list.length` of the filtered view (the time window). */
export type LogStreamView = {
	/** The filtered records, oldest first; positions before `first` are outside the time window. */
	list: FilteredView<LogRecord>;
	first: number;
	/** The shown records as a list starting at 0 (for search and export). */
	shown: RecordList;
	version: number;
	total: number;
	dropped: number;
};

const windowMs = {'1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000, all: Infinity} as const;

/** First position whose record is at or after `start` (records are in time order). */
function firstAtOrAfter(list: FilteredView<LogRecord>, start: number): number {
	if (start === -Infinity) return 0;
	let low = 0;
	let high = list.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (list.at(middle)!.time < start) low = middle + 1;
		else high = middle;
	}
	return low;
}

function filterOf(view: LogViewState): CompiledFilter | undefined {
	if (!view.services && !view.minLevel && !view.include && !view.exclude) return undefined;
	// Patterns reach the store only after they compiled (the screen checks), so this does not throw.
	return compileFilter({services: view.services, minLevel: view.minLevel, include: [view.include], exclude: [view.exclude]});
}

/**
 * Starts the log stream the first time the Logs screen mounts (not at start-up), and gives the screen the
 * filtered records. The filtered view is updated incrementally: each commit looks only at new records.
 */
export function useLogStream(view: LogViewState): LogStreamView {
	const {startLogs} = useAppContext();
	useEffect(() => startLogs(), [startLogs]);
	const buffer = useAppState(s => s.logs.buffer);
	const version = useAppState(s => s.logs.version);
	// Re-render per commit (version), but count from the buffer itself, as list.sync() reads it: lines appended
	// since the last commit are already in the list, and the store's counts would lag it ("289 of 0 lines").
	useAppState(s => s.logs.total);
	const live = useAppState(s => s.logs.live);
	const filter = useMemo(() => filterOf(view), [view.services, view.minLevel, view.include, view.exclude]);
	const list = useMemo(() => new FilteredView(buffer, filter ? record => filter.matchesContent(record) : undefined), [buffer, filter]);
	// Idempotent: takes in only what arrived since the last call.
	list.sync();
	const now = useNow(view.window === 'all' || !live ? 0 : 1000);
	const span = windowMs[view.window];
	// A finished input (a file) is windowed back from its last record, a live one back from now.
	const end = live ? now : (buffer.at(buffer.size - 1)?.time ?? now);
	const first = span === Infinity ? 0 : firstAtOrAfter(list, end - span);
	const shown = useMemo<RecordList>(
		() => ({
			get length() {
				return Math.max(0, list.length - first);
			},
			at: (index: number) => list.at(first + index),
		}),
		[list, first],
	);
	return {list, first, shown, version, total: buffer.endIndex, dropped: buffer.dropped};
}
