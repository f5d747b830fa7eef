import {useEffect, useState} from 'react';

/** A clock that ticks every `intervalMs` (0: does not tick), for ages ("12 s old") and countdowns. */
export function useNow(intervalMs = 1000): number {
	const [now, setNow] = useState(Date.now);
	useEffect(() => {
		if (intervalMs <= 0) return;
		setNow(Date.now());
		const timer = setInterval(() => setNow(Date.now()), intervalMs);
		return () => clearInterval(timer);
	}, [intervalMs]);
	return now;
}
