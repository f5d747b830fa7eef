import type {StateCreator} from 'zustand';
import type {HealthResult} from '../../services/types.js';
import {percentile} from '../../util/percentile.js';
import type {AppState} from '../store.js';

/** Rolling window for p50/p95: the last 60 probes (2 minutes at the default 2 s refresh). */
export const latencyWindow = 60;

export type ServiceHealth = {
	last: HealthResult;
	/** Recent successful latencies, oldest first. */
	latencies: number[];
	p50?: number;
	p95?: number;
	/** Last few results with bodies, newest last, for the detail view. */
	recent: HealthResult[];
	/** Consecutive failures. */
	failures: number;
};

export type HealthSlice = {
	health: {data: Record<string, ServiceHealth>; updatedAt: number};
	addHealthResults(results: HealthResult[], at: number): void;
};

/** Pure update: the probes' results folded into each service's rolling window. */
export function healthUpdate(state: Pick<HealthSlice, 'health'>, results: HealthResult[], at: number): Pick<HealthSlice, 'health'> {
	const data = {...state.health.data};
	for (const result of results) {
		const old = data[result.service];
		const latencies = old ? old.latencies.slice(old.latencies.length >= latencyWindow ? 1 : 0) : [];
		if (result.ok) latencies.push(result.latencyMs);
		data[result.service] = {
			last: result,
			latencies,
			p50: percentile(latencies, 50),
			p95: percentile(latencies, 95),
			recent: [...(old?.recent.slice(-4) ?? []), result],
			failures: result.ok ? 0 : (old?.failures ?? 0) + 1,
		};
	}
	return {health: {data, updatedAt: at}};
}

export const createHealthSlice: StateCreator<AppState, [], [], HealthSlice> = set => ({
	health: {data: {}, updatedAt: 0},
	addHealthResults: (results, at) => set(state => healthUpdate(state, results, at)),
});
