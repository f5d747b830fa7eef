/** Timestamp renderings the simulated programs and Docker itself use. */

/** Go's zero time, which Docker prints for "never". */
export const goZeroTime = '0001-01-01T00:00:00Z';

/**
 * RFC3339Nano as Go prints it: nanoseconds with trailing zeros trimmed (Docker's inspect times, SystemTime).
 * `nanos` is the sub-millisecond part (0..999999) so simulated times look like real ones.
 */
export function rfc3339Nano(ms: number, nanos = 0): string {
	const iso = new Date(Math.floor(ms)).toISOString();
	const fraction = (iso.slice(20, 23) + String(nanos).padStart(6, '0')).replace(/0+$/, '');
	return `${iso.slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`;
}

/** Docker's RFC3339NanoFixed, the `timestamps=1` log prefix: always nine fraction digits, zeros kept. */
export function rfc3339NanoFixed(ms: number, nanos = 0): string {
	const iso = new Date(Math.floor(ms)).toISOString();
	return `${iso.slice(0, 23)}${String(nanos).padStart(6, '0')}Z`;
}

/** Rust tracing's default: microseconds, always six digits. */
export function rfc3339Micros(ms: number, nanos = 0): string {
	const iso = new Date(Math.floor(ms)).toISOString();
	return `${iso.slice(0, 23)}${String(Math.floor(nanos / 1000)).padStart(3, '0')}Z`;
}

/** Stable sub-millisecond digits for a simulated instant, so the same instant always prints the same. */
export function nanosFor(ms: number): number {
	return Math.floor(ms * 7919) % 1_000_000;
}
