import {useEffect, useState} from 'react';

/** A clock that ticks every `intervalMs`, for ages ("12 s old") and the incident clock. */
export function useNow(intervalMs = 1000): number {
	const [now, setNow] = useState(Date.now);
	useEffect(() => {
		const timer = setInterval(() => setNow(Date.now()), intervalMs);
		return () => clearInterval(timer);
	}, [intervalMs]);
	return now;
}
