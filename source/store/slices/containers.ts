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

type ContainersState = Pick<ContainersSlice, 'containers' | 'details' | 'stats'>;

/** Pure updates, so that the monitor can fold a whole poll into one commit (one render) — see store/poll.ts. */
export const containersUpdate = {
	list: (list: ContainerSummary[], at: number): Partial<ContainersState> => ({containers: {data: list, updatedAt: at}}),
	error: (state: ContainersState, error: string, retryAt: number): Partial<ContainersState> => ({containers: {...state.containers, error, retryAt}}),
	details(state: ContainersState, details: ContainerDetail[]): Partial<ContainersState> {
		const next = {...state.details};
		for (const detail of details) next[detail.id] = detail;
		return {details: next};
	},
	/** Appends samples to their histories, dropping containers that are gone. */
	stats(state: ContainersState, samples: Map<string, StatsSample>, at: number): Partial<ContainersState> {
		const live = new Set(state.containers.data.map(c => c.id));
		const next: Record<string, StatsHistory> = {};
		for (const [id, history] of Object.entries(state.stats.data)) if (live.has(id)) next[id] = history;
		for (const [id, sample] of samples) {
			const old = next[id];
			next[id] = {latest: sample, cpu: appendBounded(old?.cpu, sample.cpuPercent), mem: appendBounded(old?.mem, sample.memPercent)};
		}
		return {stats: {data: next, updatedAt: at}};
	},
	statsError: (state: ContainersState, error: string | undefined): Partial<ContainersState> => ({stats: {...state.stats, error}}),
};

export const createContainersSlice: StateCreator<AppState, [], [], ContainersSlice> = set => ({
	containers: emptyResource([]),
	details: {},
	stats: emptyResource({}),
	setContainers: (list, at) => set(containersUpdate.list(list, at)),
	setContainersError: (error, retryAt) => set(state => containersUpdate.error(state, error, retryAt)),
	setDetails: details => set(state => containersUpdate.details(state, details)),
	addStatsSamples: (samples, at) => set(state => containersUpdate.stats(state, samples, at)),
	setStatsError: error => set(state => containersUpdate.statsError(state, error)),
});

function appendBounded(list: number[] | undefined, value: number): number[] {
	const next = list ? list.slice(list.length >= statsHistoryLength ? 1 : 0) : [];
	next.push(value);
	return next;
}
