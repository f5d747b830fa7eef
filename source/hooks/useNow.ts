import {useEffect, useState} from 'react';

/**
 * A clock that ticks every `intervalMs` (0: does not tick), for ages ("12 s old") and countdowns. With `from`, it
 * ticks when an age counted from `from` crosses a multiple of `intervalMs`: when a figure at that resolution changes.
 */
export function useNow(intervalMs = 1000, from?: number): number {
	const [now, setNow] = useState(Date.now);
	useEffect(() => {
		if (intervalMs <= 0) return;
		setNow(Date.now());
		const delay = () => (from === undefined ? intervalMs : intervalMs - ((((Date.now() - from) % intervalMs) + intervalMs) % intervalMs) + 1);
		let timer: NodeJS.Timeout;
		const tick = () => {
			setNow(Date.now());
			timer = setTimeout(tick, delay());
		};
		timer = setTimeout(tick, delay());
		return () => clearTimeout(timer);
	}, [intervalMs, from]);
	return now;
}
