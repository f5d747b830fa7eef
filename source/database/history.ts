import {RingBuffer} from '../logs/ring-buffer.js';
import {opNames, type OpName} from './server-status.js';
import type {DatabaseView} from './view.js';

/** The rates kept for an hour: each op type, replicated ops, network in and out, and connections in use. */
export const historyKeys = [...opNames, 'repl', 'netIn', 'netOut', 'connections'] as const;
export type HistoryKey = (typeof historyKeys)[number];
export type HistoryPoint = {at: number; values: Partial<Record<HistoryKey, number>>};
export type DatabaseHistory = Record<HistoryKey, number[]>;

/** One hour at the 1 Hz refresh (Compass keeps 60 s). */
export const historyCapacity = 3600;

export function createHistoryBuffer(capacity = historyCapacity): RingBuffer<HistoryPoint> {
	return new RingBuffer<HistoryPoint>(capacity);
}

/** The point a server sample adds, once there are rates (the second sample on). */
export function historyPoint(view: DatabaseView): HistoryPoint | undefined {
	const server = view.server.value;
	if (!server?.rates || view.server.fault) return undefined;
	const values: HistoryPoint['values'] = {};
	for (const name of opNames) values[name as OpName] = server.rates.ops[name];
	values.repl = opNames.reduce((sum, name) => sum + (server.rates?.repl[name] ?? 0), 0);
	values.netIn = server.rates.netInBytes;
	values.netOut = server.rates.netOutBytes;
	values.connections = server.sample.connections?.current;
	return {at: server.sample.at, values};
}

/** Each series oldest first; a missing value is NaN (the sparkline draws a gap). */
export function historySeries(buffer: RingBuffer<HistoryPoint>): DatabaseHistory {
	const series = Object.fromEntries(historyKeys.map(key => [key, new Array<number>(buffer.size)])) as DatabaseHistory;
	let i = 0;
	for (const point of buffer) {
		for (const key of historyKeys) series[key][i] = point.values[key] ?? Number.NaN;
		i++;
	}
	return series;
}
