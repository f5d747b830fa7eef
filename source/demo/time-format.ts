/** Timestamp renderings the simulated programs and Docker itself use. */

/** Go's zero time, which Docker prints for "never". */
export const goZeroTime = '0001-01-01T00:00:00Z';

/**
 * RFC3339Nano as Go prints it: nanoseconds with trailing zeros trimmed (Docker's log timestamps, inspect times).
 * `nanos` is the sub-millisecond part (0..999999) so simulated times look like real ones.
 */
export function rfc3339Nano(ms: number, nanos = 0): string {
	const iso = new Date(Math.floor(ms)).toISOString();
	const fraction = (iso.slice(20, 23) + String(nanos).padStart(6, '0')).replace(/0+$/, '');
	return `${iso.slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`;
}

/** Rust tracing's default: microseconds, always six digits. */
export function rfc3339Micros(ms: number, nanos = 0): string {
	const iso = new Date(Math.floor(ms)).toISOString();
	return `${iso.slice(0, 23)}${String(Math.floor(nanos / 1000)).padStart(3, '0')}Z`;
}

/** Docker's units.HumanDuration, used in the "Up 3 minutes" / "Exited (0) 2 minutes ago" status text. */
export function humanDuration(ms: number): string {
	const seconds = Math.floor(ms / 1000);
	if (seconds < 1) return 'Less than a second';
	if (seconds === 1) return '1 second';
	if (seconds < 60) return `${seconds} seconds`;
	const minutes = Math.floor(ms / 60_000);
	if (minutes === 1) return 'About a minute';
	if (minutes < 60) return `${minutes} minutes`;
	const hours = Math.round(ms / 3_600_000);
	if (hours === 1) return 'About an hour';
	if (hours < 48) return `${hours} hours`;
	if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
	if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
	if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
	return `${Math.floor(ms / 3_600_000 / 24 / 365)} years`;
}

/** Stable sub-millisecond digits for a simulated instant, so the same instant always prints the same. */
export function nanosFor(ms: number): number {
	return Math.floor(ms * 7919) % 1_000_000;
}
