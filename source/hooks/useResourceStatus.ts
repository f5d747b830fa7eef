import {useShallow} from 'zustand/react/shallow';
import type {PaneStatus} from '../components/Pane.js';
import {selectResourceStatus, type ResourceKey, type ResourceStatus} from '../store/selectors.js';
import {formatAge} from '../util/format.js';
import {useAppContext, useAppState} from './AppContext.js';
import {useDataAge} from './useDataAge.js';
import {useErrorText} from './useErrorText.js';

/** Polled data is stale once two and a half refreshes went by without an update. */
export const staleAfterRefreshes = 2.5;

/** The age and error text of some sources' worst state; the header uses it over every polled source. */
export function useStatusText(status: ResourceStatus): PaneStatus {
	const {refreshMs} = useAppContext();
	const offline = useAppState(state => state.offline);
	const error = useErrorText(status);
	const {stale: aged, ageMs} = useDataAge(status.polled ? status.updatedAt : 0, refreshMs * staleAfterRefreshes);
	// Data under an error is old however recent its last update: it shows what was, not what is.
	const stale = status.polled && status.updatedAt > 0 && (aged || error !== undefined);
	if (offline && status.polled) return {age: 'no live backend', stale: false, error};
	const waiting = status.polled && status.updatedAt === 0 && !error;
	return {age: waiting ? 'waiting for data' : stale ? formatAge(Math.max(1000, ageMs)) : undefined, stale: stale || waiting, error};
}

/**
 * What a pane shows in its frame about its data: age once stale ("12 s old"), and the error with its retry
 * countdown. One call per pane: `<Pane status={useResourceStatus('containers', 'stats')} …>`. Re-renders only
 * when the sources change, when the data turns stale (then each second), and each second of a countdown.
 */
export function useResourceStatus(...keys: ResourceKey[]): PaneStatus {
	const {refreshMs} = useAppContext();
	const status = useAppState(useShallow(state => selectResourceStatus(state, keys, refreshMs)));
	return useStatusText(status);
}
