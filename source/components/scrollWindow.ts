/**
 * First visible index of a list window that follows a selection. The window moves only when the selection
 * leaves it (as k9s and less do), so stepping through visible rows rewrites two lines, not the whole list.
 */
export function scrollWindow(total: number, capacity: number, selected: number | undefined, previousStart: number): number {
	if (capacity <= 0 || total <= capacity) return 0;
	let start = Math.min(Math.max(0, previousStart), total - capacity);
	if (selected === undefined) return start;
	const target = Math.min(Math.max(0, selected), total - 1);
	if (target < start) start = target;
	else if (target >= start + capacity) start = target - capacity + 1;
	return start;
}
