/** Prometheus's duration syntax (`15m`, `2h`, `1h30m`, `7d`), which amtool's `--duration` and `--since 12h` use. */
const units: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000};
const whole = /^(?:\d+(?:ms|y|w|d|h|m|s))+$/;
const part = /(\d+)(ms|y|w|d|h|m|s)/g;

export function parseDuration(text: string): number {
	const value = text.trim();
	if (value === '0') return 0;
	if (!whole.test(value)) throw new Error(`invalid duration "${text}" (expected e.g. 15m, 2h, 1h30m, 7d)`);
	let ms = 0;
	for (const [, count, unit] of value.matchAll(part)) ms += Number(count) * units[unit];
	return ms;
}

/** The shortest Prometheus spelling: 5400000 -> "1h30m". */
export function formatPromDuration(ms: number): string {
	if (ms <= 0) return '0s';
	let rest = Math.round(ms);
	let out = '';
	for (const unit of ['d', 'h', 'm', 's', 'ms'] as const) {
		const size = units[unit];
		const count = Math.floor(rest / size);
		if (count > 0) {
			out += `${count}${unit}`;
			rest -= count * size;
		}
	}
	return out;
}
