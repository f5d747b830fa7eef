import {useMemo} from 'react';
import {selectServiceRows, type ServiceRow} from '../store/selectors.js';
import {useAppContext, useAppState} from './AppContext.js';

/** Service rows recomputed only when containers, details or health change (uptime is measured at the last poll). */
export function useServiceRows(): ServiceRow[] {
	const {environment, latencyTargetMs} = useAppContext();
	const containers = useAppState(s => s.containers);
	const details = useAppState(s => s.details);
	const health = useAppState(s => s.health);
	return useMemo(
		() => selectServiceRows({containers, details, health}, environment, containers.updatedAt || Date.now(), latencyTargetMs),
		[containers, details, health, environment, latencyTargetMs],
	);
}
