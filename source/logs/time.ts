/** Timestamps in log lines and in operator input. */

const isoPrefix = /^\[?(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?\s?(Z|[+-]\d\d:?\d\d)?/;

/**
 * Epoch ms of an ISO-like timestamp at the start of a line ("2026-11-25T12:00:00.123456Z", "[2026-11-25 12:00:00,123]"),
 * or undefined. Without a zone the time is local, as Python's logging writes it.
 */
export function leadingTime(text: string): number | undefined {
	const c = text.charCodeAt(0);
	if (!(c === 91 /* [ */ || (c >= 48 && c <= 57))) return undefined;
	const m = isoPrefix.exec(text);
	if (!m) return undefined;
	const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
	const fields = [Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms] as const;
	const zone = m[8];
	if (zone === undefined) return new Date(...fields).getTime();
	const utc = Date.UTC(...fields);
	if (zone === 'Z') return utc;
	const sign = zone[0] === '-' ? -1 : 1;
	const digits = zone.replace(':', '');
	const offsetMinutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
	return utc - sign * offsetMinutes * 60_000;
}

/** Epoch ms from a JSON log object's time field (slog `time`, zap `ts` in seconds, pino `time` in ms, MongoDB `t.$date`). */
export function jsonTime(object: Record<string, unknown>): number | undefined {
	for (const key of ['time', 'timestamp', '@timestamp', 'ts', 't'] as const) {
		const value = object[key];
		if (value === undefined) continue;
		if (typeof value === 'number') return value < 1e11 ? Math.round(value * 1000) : value;
		if (typeof value === 'string') {
			const parsed = Date.parse(value);
			if (!Number.isNaN(parsed)) return parsed;
		}
		if (value && typeof value === 'object' && '$date' in value) {
			const date = (value as {$date: unknown}).$date;
			const parsed = typeof date === 'string' ? Date.parse(date) : typeof date === 'number' ? date : NaN;
			if (!Number.isNaN(parsed)) return parsed;
		}
	}
	return undefined;
}

const relative = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const unitMs: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};

/** How far back `--since` may reach as a duration: ten years, longer than any container keeps its logs. */
export const maxSinceDays = 3650;

/** `--since` value: a duration back from `now` ("30s", "5m", "1h", "2d") or an ISO time. Undefined when neither, or out of bounds (sinceProblem says why). */
export function parseSince(value: string, now: number): number | undefined {
	if (sinceProblem(value) !== undefined) return undefined;
	const trimmed = value.trim();
	const r = relative.exec(trimmed);
	if (r) return now - Number(r[1]) * unitMs[r[2]!]!;
	return Date.parse(trimmed);
}

/**
 * Why a `--since` value is refused, or undefined when it is fine. Bounded, because Docker takes it as a Unix time:
 * `99999999999d` would reach before 1970 and every service would answer with an error of its own.
 */
export function sinceProblem(value: string): string | undefined {
	const trimmed = value.trim();
	const r = relative.exec(trimmed);
	if (r) {
		const ms = Number(r[1]) * unitMs[r[2]!]!;
		return ms <= maxSinceDays * unitMs.d! ? undefined : `a duration reaches back at most ${maxSinceDays}d (ten years), got "${trimmed}"`;
	}
	const parsed = /^\d{4}-\d\d-\d\d/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
	if (Number.isNaN(parsed)) return `expected a duration (30s, 5m, 1h, 2d) or an ISO time (2026-11-25T12:00:00Z), got "${value}"`;
	return parsed >= 0 ? undefined : `an ISO time from 1970-01-01 on (Docker reads it as a Unix time), got "${trimmed}"`;
}

function pad(value: number, width = 2): string {
	return String(value).padStart(width, '0');
}

/** "12:03:11" in local time, for marker lines. */
export function clockTime(epochMs: number): string {
	const d = new Date(epochMs);
	return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "20261125-120311" in local time, for export file names (as `date +%Y%m%d` would name them). */
export function fileStamp(epochMs: number): string {
	const d = new Date(epochMs);
	return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}
