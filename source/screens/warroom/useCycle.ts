import {useEffect, useState} from 'react';

/**
 * A page number that moves on every `intervalMs` while there is more than one page (the War room at 80x24), and
 * never ticks otherwise: a wall screen that shows everything at once re-renders only when its data changes.
 */
export function useCycle(pages: number, intervalMs: number): number {
	const [page, setPage] = useState(0);
	useEffect(() => {
		if (pages <= 1) return;
		const timer = setInterval(() => setPage(p => p + 1), intervalMs);
		return () => clearInterval(timer);
	}, [pages, intervalMs]);
	return pages <= 1 ? 0 : page % pages;
}
