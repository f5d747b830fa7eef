import type {ContainerDetail, ContainerSummary, HealthResult, StatsSample} from '../services/types.js';
import {containersUpdate} from './slices/containers.js';
import {healthUpdate} from './slices/health.js';
import type {AppState} from './store.js';

/** Everything one monitor tick learned. Applied as one store commit: one render per tick, however many sources answered. */
export type PollResult = {
	at: number;
	containers?: {list: ContainerSummary[]} | {error: string; retryAt: number};
	details?: ContainerDetail[];
	health?: HealthResult[];
	stats?: Map<string, StatsSample>;
	/** A stats stream error to show; null clears the last one. */
	statsError?: string | null;
};

export function applyPollResult(state: AppState, result: PollResult): Partial<AppState> {
	let next: AppState = state;
	const merge = (patch: Partial<AppState>) => {
		next = {...next, ...patch};
	};
	if (result.containers) {
		merge('list' in result.containers ? containersUpdate.list(result.containers.list, result.at) : containersUpdate.error(next, result.containers.error, result.containers.retryAt));
	}
	if (result.details && result.details.length > 0) merge(containersUpdate.details(next, result.details));
	if (result.health && result.health.length > 0) merge(healthUpdate(next, result.health, result.at));
	if (result.stats && result.stats.size > 0) merge(containersUpdate.stats(next, result.stats, result.at));
	if (result.statsError !== undefined && (result.statsError ?? undefined) !== next.stats.error) merge(containersUpdate.statsError(next, result.statsError ?? undefined));
	return next === state ? {} : next;
}
