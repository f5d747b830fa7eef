/**
 * First record shown, for records of varying height (wrapped lines, stack traces). Following, the last record
 * ends at the bottom. Paused, the view stays where it was (`previousTop`) and moves only when the cursor
 * leaves it, as less does. Positions are 0..count-1; heights are at most `height`.
 */
export function viewportTop(
	count: number,
	height: number,
	cursor: number | undefined,
	previousTop: number,
	heightOf: (position: number) => number,
): number {
	if (count === 0 || height <= 0) return 0;
	if (cursor === undefined) {
		let used = 0;
		let top = count;
		while (top > 0 && used + heightOf(top - 1) <= height) used += heightOf(--top);
		return Math.min(top, count - 1);
	}
	const target = Math.min(Math.max(0, cursor), count - 1);
	let top = Math.min(Math.max(0, previousTop), count - 1);
	if (target < top) return target;
	// Every record takes at least a line: no need to measure further back than `height` records.
	if (target - top >= height) top = target - height + 1;
	let used = 0;
	for (let position = top; position <= target; position++) used += heightOf(position);
	while (used > height && top < target) used -= heightOf(top++);
	return top;
}
