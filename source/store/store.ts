import {createStore, type StoreApi} from 'zustand/vanilla';
import {createAlertsSlice, type AlertsSlice} from './slices/alerts.js';
import {createChecksSlice, type ChecksSlice} from './slices/checks.js';
import {createClusterSlice, type ClusterSlice} from './slices/cluster.js';
import {createContainersSlice, type ContainersSlice} from './slices/containers.js';
import {createDatabaseSlice, type DatabaseSlice} from './slices/database.js';
import {createHealthSlice, type HealthSlice} from './slices/health.js';
import {createIncidentSlice, type IncidentSlice} from './slices/incident.js';
import {createMetricsSlice, type MetricsSlice} from './slices/metrics.js';
import {createLogsSlice, type LogsSlice} from './slices/logs.js';
import {createRunbooksSlice, type RunbooksSlice} from './slices/runbooks.js';
import {createUiSlice, type UiSlice} from './slices/ui.js';

/**
 * The one store. Polled slices (containers, stats, health) have no actions: their controllers commit pure
 * updates from the slice modules (`store.setState(containersUpdate.list(...))`), one commit per poll.
 */
export type AppState = ContainersSlice & ClusterSlice & HealthSlice & LogsSlice & RunbooksSlice & UiSlice & AlertsSlice & MetricsSlice & ChecksSlice & IncidentSlice & DatabaseSlice;
export type AppStore = StoreApi<AppState>;

export function createAppStore(): AppStore {
	return createStore<AppState>()((...a) => ({
		...createContainersSlice(),
		...createClusterSlice(),
		...createHealthSlice(),
		...createLogsSlice(...a),
		...createRunbooksSlice(...a),
		...createUiSlice(...a),
		...createAlertsSlice(),
		...createMetricsSlice(),
		...createChecksSlice(),
		...createIncidentSlice(),
		...createDatabaseSlice(),
	}));
}
