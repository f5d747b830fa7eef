import type {ClusterSource} from '../../services/backends.js';
import {clusterView, type ClusterView} from '../../services/kubernetes/view.js';
import {clusterUpdate} from '../../store/slices/cluster.js';
import {coalescedWake, type PollerDefinition} from '../poller.js';

type ClusterPoll = {view?: ClusterView; syncedAt: number; error?: string; retryAt?: number};

/**
 * The cluster's watched objects as the Kubernetes screen's rows. The watches keep the objects; this rebuilds the
 * view only when they changed, at most once per burst of events (coalescedWake) (one commit per burst).
 */
export function clusterPoller(cluster: ClusterSource, timing: {intervalMs: number; timeoutMs: number}): PollerDefinition<ClusterPoll> {
	let builtAt = -1;
	let stopWaking: (() => void) | undefined;
	return {
		name: 'cluster',
		intervalMs: timing.intervalMs,
		timeoutMs: timing.timeoutMs,
		open(wake) {
			stopWaking = coalescedWake(listener => cluster.onChange(listener), wake);
		},
		close() {
			stopWaking?.();
		},
		async poll() {
			const snapshot = cluster.snapshot();
			const version = cluster.version;
			const view = version !== builtAt && snapshot.syncedAt > 0 ? clusterView(snapshot) : undefined;
			if (view) builtAt = version;
			return {view, syncedAt: snapshot.syncedAt, error: snapshot.error, retryAt: snapshot.retryAt};
		},
		commit(state, outcome) {
			if (!outcome.ok) return clusterUpdate.error(state, String((outcome.error as Error)?.message ?? outcome.error));
			const {view, error, retryAt, syncedAt} = outcome.value;
			// A watch reconnecting: the objects it had stay shown, as old as its last answer, under its error.
			if (error) return clusterUpdate.error(view ? {cluster: {data: view, updatedAt: syncedAt}} : state, error, retryAt);
			if (view) return clusterUpdate.view(view, outcome.at);
			// Nothing changed: the view is as current as the watches, which answered.
			return syncedAt > 0 && state.cluster.data ? {cluster: {...state.cluster, updatedAt: outcome.at, error: undefined, retryAt: undefined}} : {};
		},
	};
}
