import {useMemo} from 'react';
import {markStaleRows, selectServiceRows, unmonitoredRows, type ServiceRow} from '../store/selectors.js';
import {useAppContext, useAppState} from './AppContext.js';
import {useDataAge} from './useDataAge.js';
import {useNow} from './useNow.js';
import {staleAfterRefreshes} from './useResourceStatus.js';

/**
 * Service rows recomputed only when containers, details or health change (uptime is measured at the last poll),
 * and each second while some row shows old data, so that its age counts up.
 */
export function useServiceRows(): ServiceRow[] {
	const {environment, latencyTargetMs, refreshMs} = useAppContext();
	const containers = useAppState(s => s.containers);
	const details = useAppState(s => s.details);
	const health = useAppState(s => s.health);
	const offline = useAppState(s => s.offline);
	const rows = useMemo(
		() => selectServiceRows({containers, details, health}, environment, containers.updatedAt || Date.now(), latencyTargetMs),
		[containers, details, health, environment, latencyTargetMs],
	);
	const staleAfterMs = refreshMs * staleAfterRefreshes;
	const oldest = rows.reduce((min, row) => (row.dataAt && row.dataAt < min ? row.dataAt : min), Infinity);
	const {stale: aged} = useDataAge(oldest === Infinity ? 0 : oldest, staleAfterMs);
	const failed = rows.some(row => row.sourceFailed && row.dataAt);
	const now = useNow(!offline && (aged || failed) ? 1000 : 0);
	return useMemo(() => {
		if (offline) return unmonitoredRows(rows, `${offline}: no live backend`);
		return aged || failed ? markStaleRows(rows, Math.max(now, Date.now()), staleAfterMs) : rows;
	}, [rows, offline, aged, failed, now, staleAfterMs]);
}
