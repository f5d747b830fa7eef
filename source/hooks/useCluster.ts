import type {ClusterView} from '../services/kubernetes/view.js';
import {useAppState} from './AppContext.js';
import {useNow} from './useNow.js';

/** The cluster view and the time its ages are counted from (re-read every 5 s: ages read in seconds and up). */
export function useCluster(): {view: ClusterView | undefined; now: number} {
	const view = useAppState(s => s.cluster.data);
	const now = useNow(view ? 5000 : 0);
	return {view, now};
}
