import type {StateCreator} from 'zustand';
import type {ContainerDetail, ContainerSummary, StatsSample} from '../../services/types.js';
import {emptyResource, type Resource} from '../resource.js';
import type {AppState} from '../store.js';

/** One sample per refresh tick: 150 ticks is 5 minutes at the default 2 s. */
export const statsHistoryLength = 150;

export type StatsHistory = {latest: StatsSample; cpu: number[]; mem: number[]};

export type ContainersSlice = {
	containers: Resource<ContainerSummary[]>;
	/** Inspect results by container id. */
	details: Record<string, ContainerDetail>;
	stats: Resource<Record<string, StatsHistory>>;
	setContainers(list: ContainerSummary[], at: number): void;
	setContainersError(error: string, retryAt: number): void;
	setDetails(details: ContainerDetail[]): void;
	/** One commit for all samples that arrived since the last tick. */
	addStatsSamples(samples: Map<string, StatsSample>, at: number): void;
	setStatsError(error: string | undefined): void;
};

export const createContainersSlice: StateCreator<AppState, [], [], ContainersSlice> = set => ({
	containers: emptyResource([]),
	details: {},
	stats: emptyResource({}),
	setContainers: (list, at) => set({containers: {data: list, updatedAt: at}}),
	setContainersError: (error, retryAt) => set(state => ({containers: {...state.containers, error, retryAt}})),
	setDetails: details =>
		set(state => {
			const next = {...state.details};
			for (const detail of details) next[detail.id] = detail;
			return {details: next};
		}),
	addStatsSamples: (samples, at) =>
		set(state => {
			const live = new Set(state.containers.data.map(c => c.id));
			const next: Record<string, StatsHistory> = {};
			for (const [id, history] of Object.entries(state.stats.data)) if (live.has(id)) next[id] = history;
			for (const [id, sample] of samples) {
				const old = next[id];
				next[id] = {
					latest: sample,
					cpu: appendBounded(old?.cpu, sample.cpuPercent),
					mem: appendBounded(old?.mem, sample.memPercent),
				};
			}
			return {stats: {data: next, updatedAt: at}};
		}),
	setStatsError: error => set(state => ({stats: {...state.stats, error}})),
});

function appendBounded(list: number[] | undefined, value: number): number[] {
	const next = list ? list.slice(list.length >= statsHistoryLength ? 1 : 0) : [];
	next.push(value);
	return next;
}
