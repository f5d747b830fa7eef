import {type Search, matchRanges} from '../../logs/filter.js';
import {levelLabel} from '../../logs/format.js';
import {prettyJson} from '../../logs/parse.js';
import type {Level, LogRecord} from '../../logs/record.js';
import type {ThemeToken} from '../../theme/theme.js';
import {displayWidth, expandTabs, padCell, truncate} from '../../util/format.js';

/** A run of text with one style; `colour` is a service colour, `tone` a theme token. */
export type Span = {text: string; tone?: ThemeToken; colour?: string; highlight?: boolean; bold?: boolean};

/** One terminal line of the view: always exactly `width` columns. */
export type DisplayLine = {spans: Span[]};

export type LineLayout = {
	width: number;
	serviceWidth: number;
	timestamps: boolean;
	wrap: boolean;
	pretty: boolean;
	search?: Search;
	ellipsis: string;
	serviceColour: (service: string, instance?: string) => string | undefined;
};

const levelTone: Readonly<Record<Level, ThemeToken | undefined>> = {
	trace: 'muted',
	debug: 'muted',
	info: 'info',
	warn: 'warn',
	error: 'crit',
	fatal: 'crit',
	unknown: 'muted',
};

/** A timestamp leading the text repeats the time column: "2026-11-25T12:00:01.000000Z ", "[2026-11-25 12:00:01,123] ". */
const leadingStamp = /^\[?\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?\]?\s+/;

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** "12:03:11.042" local time. */
export function clock(epochMs: number): string {
	const d = new Date(epochMs);
	const ms = d.getMilliseconds();
	return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}`;
}

/** Columns before the text: the selection gutter, time, service, level. */
export function prefixWidth(layout: Pick<LineLayout, 'serviceWidth' | 'timestamps'>): number {
	return 1 + (layout.timestamps ? 13 : 0) + layout.serviceWidth + 1 + 6;
}

/** Splits a line into pieces of at most `width` columns (a wide character is never split). */
function chunks(text: string, width: number): string[] {
	if (text.length <= width && displayWidth(text) <= width) return [text];
	const out: string[] = [];
	let rest = text;
	while (rest.length > 0) {
		let piece = rest.slice(0, width);
		// Wide characters: shrink until it fits, never below one character.
		while (piece.length > 1 && displayWidth(piece) > width) piece = piece.slice(0, -1);
		out.push(piece);
		rest = rest.slice(piece.length);
	}
	return out;
}

function textSpans(text: string, search: Search | undefined, tone: ThemeToken | undefined, bold: boolean): Span[] {
	if (!search || text === '') return [{text, tone, bold}];
	const ranges = matchRanges(text, search);
	if (ranges.length === 0) return [{text, tone, bold}];
	const spans: Span[] = [];
	let at = 0;
	for (const [start, end] of ranges) {
		if (start > at) spans.push({text: text.slice(at, start), tone, bold});
		spans.push({text: text.slice(start, end), highlight: true});
		at = end;
	}
	if (at < text.length) spans.push({text: text.slice(at), tone, bold});
	return spans;
}

/**
 * The terminal lines of one record: its first line behind the time/service/level prefix, continuation lines
 * (stack traces, pretty JSON) and wrapped pieces indented under the text. Without wrap, long lines are cut
 * with the ellipsis. At most `maxLines`.
 */
export function recordLines(record: LogRecord, layout: LineLayout, maxLines: number): DisplayLine[] {
	const prefix = prefixWidth(layout);
	const room = Math.max(8, layout.width - prefix);
	const marker = record.stream === 'marker';
	let text = layout.pretty && record.json ? prettyJson(record.text) : record.text;
	if (layout.timestamps && !marker && !record.json) text = text.replace(leadingStamp, '');
	const pieces: string[] = [];
	for (const raw of text.split('\n')) {
		const line = expandTabs(raw);
		if (layout.wrap) pieces.push(...chunks(line, room));
		else pieces.push(displayWidth(line) > room ? truncate(line, room, layout.ellipsis) : line);
		if (pieces.length >= maxLines) break;
	}
	const tone: ThemeToken | undefined = marker ? 'warn' : undefined;
	const lines: DisplayLine[] = [];
	for (let i = 0; i < pieces.length && i < maxLines; i++) {
		const spans: Span[] = [{text: ' '}];
		if (i === 0) {
			if (layout.timestamps) spans.push({text: clock(record.time) + ' ', tone: 'muted'});
			spans.push({text: padCell(record.service, layout.serviceWidth), colour: layout.serviceColour(record.service, record.instance)});
			spans.push({text: ' '});
			spans.push(marker ? {text: '---- ', tone: 'warn'} : {text: levelLabel[record.level].slice(0, 5).padEnd(5), tone: levelTone[record.level]});
			spans.push({text: ' '});
		} else {
			spans.push({text: ' '.repeat(prefix - 1)});
		}
		const piece = pieces[i]!;
		spans.push(...textSpans(piece, layout.search, tone, marker));
		const used = prefix + displayWidth(piece);
		if (used < layout.width) spans.push({text: ' '.repeat(layout.width - used)});
		lines.push({spans});
	}
	return lines;
}
