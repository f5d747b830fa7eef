/**
 * The one backoff in botops: exponential with a ceiling, 1 s, 2 s, 4 s, 8 s, 8 s … by default. The default
 * ceiling of 8 s keeps the promise of DESIGN.md (a recovery shows within 10 s): the next attempt is at most 8 s
 * away, and its answer has the rest. `failures` counts the failed attempts so far (0: no delay).
 */
export function backoffMs(failures: number, baseMs = 1000, maxMs = 8000): number {
	if (failures <= 0) return 0;
	return Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30));
}
