import {docAt, isDoc, numAt, type Doc} from './values.js';

/** One namespace as mongotop shows it: milliseconds of lock time per second of wall time. */
export type HotCollection = {ns: string; totalMsPerS: number; readMsPerS: number; writeMsPerS: number};

/** The `top` command's cumulative microseconds, per namespace. */
export type TopSample = {at: number; totals: Map<string, {total: number; read: number; write: number}>};

export function readTop(reply: Doc, at: number): TopSample {
	const totals = new Map<string, {total: number; read: number; write: number}>();
	const all = docAt(reply, 'totals');
	for (const [ns, entry] of Object.entries(all ?? {})) {
		// `note` is a string beside the namespaces ("all times in microseconds").
		if (!isDoc(entry) || !ns.includes('.')) continue;
		totals.set(ns, {total: numAt(entry, 'total', 'time') ?? 0, read: numAt(entry, 'readLock', 'time') ?? 0, write: numAt(entry, 'writeLock', 'time') ?? 0});
	}
	return {at, totals};
}

/**
 * mongotop's figures: the growth of each namespace's time since the previous sample, in ms per second of
 * wall time, busiest first. A namespace that is new counts from zero (it shows up at once); one whose counter
 * went down (a restart) shows nothing for this interval rather than a negative figure.
 */
export function hotCollections(previous: TopSample, current: TopSample, limit = 20): HotCollection[] {
	const seconds = (current.at - previous.at) / 1000;
	if (!(seconds > 0)) return [];
	const rows: HotCollection[] = [];
	for (const [ns, now] of current.totals) {
		const before = previous.totals.get(ns);
		const delta = (a: number, b: number | undefined) => (b === undefined ? a : a < b ? 0 : a - b);
		const total = delta(now.total, before?.total) / 1000 / seconds;
		if (total <= 0) continue;
		rows.push({ns, totalMsPerS: total, readMsPerS: delta(now.read, before?.read) / 1000 / seconds, writeMsPerS: delta(now.write, before?.write) / 1000 / seconds});
	}
	return rows.sort((a, b) => b.totalMsPerS - a.totalMsPerS || a.ns.localeCompare(b.ns)).slice(0, limit);
}
