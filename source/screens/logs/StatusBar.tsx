import {Text} from 'ink';
import React, {memo} from 'react';
import type {LogSourceStatus} from '../../services/log-source.js';
import type {LogViewState} from '../../store/slices/logs.js';
import {useTheme} from '../../theme/ThemeContext.js';
import type {ThemeToken} from '../../theme/theme.js';
import {fitCell} from '../../util/format.js';
import type {LineRate} from '../../logs/rates.js';

const stateTone: Record<LogSourceStatus['state'], ThemeToken> = {
	connecting: 'warn',
	streaming: 'ok',
	waiting: 'warn',
	reconnecting: 'warn',
	ended: 'muted',
	error: 'crit',
};

/** "level>=warn  +/timeout/  -/health/  last 5m  2 of 4 services" — only what narrows the view. */
export function filterSummary(view: LogViewState, serviceCount: number): string {
	const parts: string[] = [];
	if (view.minLevel) parts.push(`level>=${view.minLevel}`);
	if (view.include) parts.push(`+/${view.include}/`);
	if (view.exclude) parts.push(`-/${view.exclude}/`);
	if (view.window !== 'all') parts.push(`last ${view.window}`);
	if (view.services) parts.push(view.services.length === 1 ? view.services[0]! : `${view.services.length} of ${serviceCount} services`);
	if (view.wrap) parts.push('wrap');
	if (view.pretty) parts.push('json');
	return parts.length > 0 ? parts.join('  ') : 'all lines';
}

/** The stream state of one service in words: "reconnecting in 4 s: docker: connect ECONNREFUSED". */
export function streamText(status: LogSourceStatus, now: number): string {
	const retry = status.retryAt && status.retryAt > now ? ` in ${Math.ceil((status.retryAt - now) / 1000)} s` : '';
	return `${status.state}${retry}${status.message ? `: ${status.message}` : ''}`;
}

export type StatusBarProps = {
	view: LogViewState;
	streams: Readonly<Record<string, LogSourceStatus>>;
	services: readonly string[];
	width: number;
	now: number;
	/** Lines per second per service, busiest first (live streams only). */
	rates?: readonly LineRate[];
	/** Lines the buffer dropped to stay within its size. */
	dropped?: number;
};

/** "rust-core-engine 120/s  python-ai-service 3/s  1,204 dropped": the busiest three sources, and what was lost. */
export function rateText(rates: readonly LineRate[], dropped: number): string {
	const parts = rates.slice(0, 3).map(rate => `${rate.service} ${rate.perSecond.toLocaleString('en')}/s`);
	if (rates.length > 3) parts.push(`+${rates.length - 3}`);
	if (dropped > 0) parts.push(`${dropped.toLocaleString('en')} dropped`);
	return parts.join('  ');
}

/** One line: the filters on the left, each shown service's stream state on the right (problems spelled out). */
export const StatusBar = memo(function StatusBar({view, streams, services, width, now, rates = [], dropped = 0}: StatusBarProps) {
	const theme = useTheme();
	const shown = view.services ?? services;
	const filters = filterSummary(view, services.length);
	const all = streams['*'];
	const states = shown.map(service => ({service, status: streams[service]}));
	const problems = states.filter(s => s.status && s.status.state !== 'streaming' && s.status.state !== 'ended');
	const right =
		all?.state === 'error'
			? {text: `logs: ${all.message ?? 'failed'}`, tone: 'crit' as ThemeToken}
			: problems.length > 0
				? {text: problems.map(p => `${p.service} ${streamText(p.status!, now)}`).join('; '), tone: stateTone[problems[0]!.status!.state]}
				: all?.state === 'ended'
					? {text: 'end of input', tone: 'muted' as ThemeToken}
					: states.every(s => s.status?.state === 'streaming')
						? {text: [`${theme.glyph.status.ok} ${shown.length} streaming`, rateText(rates, dropped)].filter(Boolean).join('  '), tone: (dropped > 0 ? 'warn' : 'ok') as ThemeToken}
						: {text: 'connecting', tone: 'warn' as ThemeToken};
	const rightWidth = Math.min(right.text.length, Math.max(0, width - Math.min(filters.length, Math.floor(width / 2)) - 2));
	const leftWidth = Math.max(0, width - rightWidth - 2);
	return (
		<Text wrap="truncate">
			<Text color={theme.color('accent')}>{fitCell(filters, leftWidth, 'left', theme.glyph.ellipsis)}</Text>
			{'  '}
			<Text color={theme.color(right.tone)}>{fitCell(right.text, rightWidth, 'right', theme.glyph.ellipsis)}</Text>
		</Text>
	);
});
