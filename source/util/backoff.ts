/** Exponential backoff with a ceiling: 1 s, 2 s, 4 s … 30 s. */
export function backoffMs(failures: number, baseMs = 1000, maxMs = 30_000): number {
	if (failures <= 0) return 0;
	return Math.min(maxMs, baseMs * 2 ** (failures - 1));
}
