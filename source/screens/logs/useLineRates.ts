import {useMemo} from 'react';
import {useAppState} from '../../hooks/AppContext.js';
import {type LineRate, lineRates} from '../../logs/rates.js';

/** Each service's lines per second over the last 10 s, for live streams (a finished file has no rate); [] otherwise. */
export function useLineRates(now: number): LineRate[] {
	const buffer = useAppState(s => s.logs.buffer);
	const version = useAppState(s => s.logs.version);
	const live = useAppState(s => s.logs.live);
	return useMemo(() => (live ? lineRates(buffer, now) : []), [buffer, version, live, now]);
}
