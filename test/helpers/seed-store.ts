import type {ContainerSummary, HealthResult, StatsSample} from '../../source/services/types.js';
import {containersUpdate} from '../../source/store/slices/containers.js';
import {healthUpdate} from '../../source/store/slices/health.js';
import type {AppStore} from '../../source/store/store.js';

/**
 * Puts data in the store through the same pure updates the pollers commit with, for screen tests that need an
 * exact picture (a given history, a re-sort) rather than a live poll; tests of the polling itself use fake-backends.
 */
export const seed = {
	containers(store: AppStore, list: ContainerSummary[], at = Date.now()): void {
		store.setState(state => containersUpdate.list(state, list, [], at));
	},
	/** Each result lands at `at` (default its own time), judged against the manual's 500 ms target. */
	health(store: AppStore, results: readonly HealthResult[], at?: number): void {
		for (const result of results) store.setState(state => healthUpdate(state, result, at ?? result.at, 500));
	},
	stats(store: AppStore, samples: ReadonlyMap<string, StatsSample>, at = Date.now()): void {
		store.setState(state => containersUpdate.stats(state, samples, at));
	},
};
