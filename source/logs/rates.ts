import type {LogRecord} from './record.js';
import type {RingBuffer} from './ring-buffer.js';

const maxWalk = 50_000;

export type LineRate = {service: string; perSecond: number};

/**
 * Lines per second of each service over the `spanMs` before `now`, busiest first, from the newest records of the
 * buffer back (records are in time order, so the walk stops at the first older one). Markers do not count.
 */
export function lineRates(buffer: RingBuffer<LogRecord>, now: number, spanMs = 10_000): LineRate[] {
	const counts = new Map<string, number>();
	const since = now - spanMs;
	// Bounded: a burst of 100k lines in the span costs one bounded walk a second, not the whole buffer.
	for (let i = buffer.size - 1, n = 0; i >= 0 && n < maxWalk; i--, n++) {
		const record = buffer.at(i)!;
		if (record.time < since) break;
		if (record.time > now || record.stream === 'marker') continue;
		counts.set(record.service, (counts.get(record.service) ?? 0) + 1);
	}
	return [...counts]
		.map(([service, n]) => ({service, perSecond: Math.round((n * 1000) / spanMs)}))
		.sort((a, b) => b.perSecond - a.perSecond || a.service.localeCompare(b.service));
}
