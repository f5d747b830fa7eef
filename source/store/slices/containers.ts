import type {ContainerDetail, ContainerSummary, StatsSample} from '../../services/types.js';
import {emptyResource, failedResource, freshResource, type Resource} from '../resource.js';

/** One sample per refresh tick: 150 ticks is 5 minutes at the default 2 s. */
export const statsHistoryLength = 150;

export type StatsHistory = {latest: StatsSample; cpu: number[]; mem: number[]; /** Samples ever appended (aligns a sparkline's cells, peaksPerCell). */ samples?: number};

export type ContainersSlice = {
	/** The platform's instances: compose containers or Kubernetes pods. */
	containers: Resource<ContainerSummary[]>;
	/** What the platform calls an instance ("container", "pod"), for column headers and pane titles. */
	instanceNoun: string;
	/** Where the instances live, for the header ("compose bot-core", "k8s bot-core-production"); '' until the platform answered. */
	platformScope: string;
	/** Inspect results by container id, for the containers in the list. */
	details: Record<string, ContainerDetail>;
	stats: Resource<Record<string, StatsHistory>>;
};

type ContainersState = Pick<ContainersSlice, 'containers' | 'details' | 'stats'>;

/** Capitalised and counted: "3 pods", "Pods by CPU". */
export function instanceNounText(noun: string, count?: number): string {
	if (count === undefined) return noun[0]!.toUpperCase() + noun.slice(1);
	// Always the plural, as the pane's count has always read ("1 containers" in its title is a count of a list).
	return `${count} ${noun}s`;
}

/** Pure updates: each poller folds one poll into one commit with these (see source/controllers/pollers/). */
export const containersUpdate = {
	/** The list and the inspect results read with it; details of containers that are gone are dropped. */
	list(state: ContainersState, list: ContainerSummary[], details: readonly ContainerDetail[], at: number): Partial<ContainersState> {
		const live = new Set(list.map(c => c.id));
		const next: Record<string, ContainerDetail> = {};
		for (const [id, detail] of Object.entries(state.details)) if (live.has(id)) next[id] = detail;
		for (const detail of details) if (live.has(detail.id)) next[detail.id] = detail;
		return {containers: freshResource(list, at), details: next};
	},
	error: (state: ContainersState, error: string, retryAt?: number): Partial<ContainersState> => ({containers: failedResource(state.containers, error, retryAt)}),
	/** Appends samples to their histories, dropping containers that are gone; `error` is a stream failure still being retried. */
	stats(state: ContainersState, samples: ReadonlyMap<string, StatsSample>, at: number, error?: {text: string; retryAt?: number}): Partial<ContainersState> {
		const live = new Set(state.containers.data.map(c => c.id));
		const next: Record<string, StatsHistory> = {};
		for (const [id, history] of Object.entries(state.stats.data)) if (live.has(id)) next[id] = history;
		for (const [id, sample] of samples) {
			if (!live.has(id)) continue;
			const old = next[id];
			next[id] = {latest: sample, cpu: appendBounded(old?.cpu, sample.cpuPercent), mem: appendBounded(old?.mem, sample.memPercent), samples: (old?.samples ?? old?.cpu.length ?? 0) + 1};
		}
		const fresh = freshResource(next, at);
		return {stats: error ? failedResource(fresh, error.text, error.retryAt) : fresh};
	},
};

export const createContainersSlice = (): ContainersSlice => ({
	containers: emptyResource([]),
	instanceNoun: 'container',
	platformScope: '',
	details: {},
	stats: emptyResource({}),
});

function appendBounded(list: number[] | undefined, value: number): number[] {
	const next = list ? list.slice(list.length >= statsHistoryLength ? 1 : 0) : [];
	next.push(value);
	return next;
}
