import {useEffect, useState} from 'react';

/**
 * How old the data is, re-rendering only when it matters: once when it turns stale, then every second while it
 * stays stale. A clock ticking every second on fresh data would cost a whole-screen render each second for nothing.
 */
export function useDataAge(updatedAt: number, staleAfterMs: number): {stale: boolean; ageMs: number} {
	const [, setTick] = useState(0);
	const ageMs = updatedAt === 0 ? 0 : Math.max(0, Date.now() - updatedAt);
	const stale = updatedAt !== 0 && ageMs >= staleAfterMs;
	useEffect(() => {
		if (updatedAt === 0) return;
		const rerender = () => setTick(n => n + 1);
		if (!stale) {
			const timer = setTimeout(rerender, staleAfterMs - ageMs + 5);
			return () => clearTimeout(timer);
		}
		const timer = setInterval(rerender, 1000);
		return () => clearInterval(timer);
	}, [updatedAt, staleAfterMs, stale]);
	return {stale, ageMs};
}
