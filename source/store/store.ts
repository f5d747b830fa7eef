import {createStore, type StoreApi} from 'zustand/vanilla';
import {applyPollResult, type PollResult} from './poll.js';
import {createContainersSlice, type ContainersSlice} from './slices/containers.js';
import {createHealthSlice, type HealthSlice} from './slices/health.js';
import {createLogsSlice, type LogsSlice} from './slices/logs.js';
import {createRunbooksSlice, type RunbooksSlice} from './slices/runbooks.js';
import {createUiSlice, type UiSlice} from './slices/ui.js';

export type PollAction = {
	/** One monitor tick's results as one commit. */
	applyPoll(result: PollResult): void;
};

export type AppState = PollAction & ContainersSlice & HealthSlice & LogsSlice & RunbooksSlice & UiSlice;
export type AppStore = StoreApi<AppState>;

export function createAppStore(): AppStore {
	return createStore<AppState>()((...a) => ({
		applyPoll: result => a[0](state => applyPollResult(state, result)),
		...createContainersSlice(...a),
		...createHealthSlice(...a),
		...createLogsSlice(...a),
		...createRunbooksSlice(...a),
		...createUiSlice(...a),
	}));
}
