import {type Level, type LogRecord, isErrorLevel, levelRank} from './record.js';

export type TimeWindow = '1m' | '5m' | '15m' | '1h' | 'all';

export const timeWindows: readonly TimeWindow[] = ['1m', '5m', '15m', '1h', 'all'];

const windowMs: Record<TimeWindow, number> = {'1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000, all: Infinity};

/** What the operator asked to see. Empty `include` means everything; `services` undefined means all services. */
export type LogQuery = {
	services?: readonly string[];
	minLevel?: Level;
	include?: readonly string[];
	exclude?: readonly string[];
	window?: TimeWindow;
};

/** A regex the operator typed that does not compile; the caller keeps its previous filter and shows `message`. */
export class InvalidRegexError extends Error {
	override readonly name = 'InvalidRegexError';
	constructor(
		readonly pattern: string,
		readonly reason: string,
		readonly field: 'include' | 'exclude' | 'search',
	) {
		super(`invalid ${field} regex ${JSON.stringify(pattern)}: ${reason}`);
	}
}

/**
 * Compiles an operator's pattern with smart case (as ripgrep and vim's smartcase): all lower-case means
 * case-insensitive, any capital makes it exact — so `ERROR` behaves like `grep ERROR`.
 */
export function compileRegex(pattern: string, field: InvalidRegexError['field'], global = false): RegExp {
	const flags = (/[A-Z]/.test(pattern.replace(/\\./g, '')) ? '' : 'i') + (global ? 'g' : '');
	try {
		return new RegExp(pattern, flags);
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		// V8 repeats the pattern in its message: "Invalid regular expression: /(/: Unterminated group".
		throw new InvalidRegexError(pattern, message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, ''), field);
	}
}

export type CompiledFilter = {
	query: LogQuery;
	/** Whether a record passes; `now` anchors the time window. */
	matches(record: LogRecord, now: number): boolean;
	/** The same test without the time window (a view filtered incrementally drops old lines by time separately). */
	matchesContent(record: LogRecord): boolean;
	/** Epoch ms before which records are outside the window (-Infinity for `all`). */
	windowStart(now: number): number;
};

/** Compiles a query; throws InvalidRegexError naming the first bad pattern. */
export function compileFilter(query: LogQuery): CompiledFilter {
	const include = (query.include ?? []).filter(pattern => pattern !== '').map(pattern => compileRegex(pattern, 'include'));
	const exclude = (query.exclude ?? []).filter(pattern => pattern !== '').map(pattern => compileRegex(pattern, 'exclude'));
	const services = query.services ? new Set(query.services) : undefined;
	const minRank = query.minLevel ? levelRank[query.minLevel] : 0;
	const span = windowMs[query.window ?? 'all'];
	const matchesContent = (record: LogRecord): boolean => {
		if (services && !services.has(record.service)) return false;
		// botops's own markers (restarts, lost streams) are shown whatever the level and text filters.
		if (record.stream === 'marker') return true;
		if (levelRank[record.level] < minRank) return false;
		if (include.length > 0 && !include.some(regex => regex.test(record.text))) return false;
		if (exclude.length > 0 && exclude.some(regex => regex.test(record.text))) return false;
		return true;
	};
	const windowStart = (now: number): number => now - span;
	return {
		query,
		matchesContent,
		windowStart,
		matches: (record, now) => record.time >= now - span && matchesContent(record),
	};
}

/** Like compileFilter, as a result for callers that keep their previous filter on error. */
export function tryCompileFilter(query: LogQuery): {ok: true; filter: CompiledFilter} | {ok: false; error: InvalidRegexError} {
	try {
		return {ok: true, filter: compileFilter(query)};
	} catch (error) {
		if (error instanceof InvalidRegexError) return {ok: false, error};
		throw error;
	}
}

export type MatchRange = readonly [start: number, end: number];

export type Search = {pattern: string; regex: RegExp};

export function compileSearch(pattern: string): Search {
	return {pattern, regex: compileRegex(pattern, 'search', true)};
}

/** Ranges of every match of the search in `text`, for highlighting; empty matches are skipped. */
export function matchRanges(text: string, search: Search, limit = 1000): MatchRange[] {
	const ranges: MatchRange[] = [];
	const regex = search.regex;
	regex.lastIndex = 0;
	let match: RegExpExecArray | null;
	while (ranges.length < limit && (match = regex.exec(text)) !== null) {
		if (match[0].length === 0) {
			regex.lastIndex++;
			continue;
		}
		ranges.push([match.index, match.index + match[0].length]);
	}
	return ranges;
}

export function searchMatches(record: LogRecord, search: Search): boolean {
	search.regex.lastIndex = 0;
	const found = search.regex.test(record.text);
	search.regex.lastIndex = 0;
	return found;
}

/** Anything indexable: a FilteredView, an array. */
export type RecordList = {readonly length: number; at(index: number): LogRecord | undefined};

export type Direction = 1 | -1;

/**
 * Position of the next (direction 1) or previous (-1) record after `from` that satisfies `test`, wrapping
 * around the ends as vim does; -1 when none. `wrapped` says the search passed an end.
 */
export function findNext(list: RecordList, from: number, direction: Direction, test: (record: LogRecord) => boolean): {index: number; wrapped: boolean} {
	const length = list.length;
	for (let step = 1; step <= length; step++) {
		let index = from + direction * step;
		const wrapped = index < 0 || index >= length;
		index = ((index % length) + length) % length;
		if (test(list.at(index)!)) return {index, wrapped};
	}
	return {index: -1, wrapped: false};
}

export function nextMatch(list: RecordList, from: number, direction: Direction, search: Search): {index: number; wrapped: boolean} {
	return findNext(list, from, direction, record => searchMatches(record, search));
}

export function nextError(list: RecordList, from: number, direction: Direction): {index: number; wrapped: boolean} {
	return findNext(list, from, direction, record => record.stream !== 'marker' && isErrorLevel(record.level));
}
