/** Timestamps in log lines and in operator input. */

/** Days from 1970-01-01 to the civil date (proleptic Gregorian; H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yoe = y - era * 400;
	const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
	const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
	return era * 146097 + doe - 719468;
}

/** Local-time offsets by the hour they apply to: Python's zone-less stamps would otherwise cost a Date per line. */
const localOffsets = new Map<number, number>();

/** Epoch ms of a local date and time (month 1–12), by the offset of its hour; fields out of range roll over as in Date. */
export function localToEpoch(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number {
	const key = ((year * 100 + month) * 100 + day) * 100 + hour;
	let offset = localOffsets.get(key);
	if (offset === undefined) {
		offset = new Date(year, month - 1, day, hour, 0, 0, 0).getTime() - Date.UTC(year, month - 1, day, hour);
		if (localOffsets.size > 10_000) localOffsets.clear();
		localOffsets.set(key, offset);
	}
	return Date.UTC(year, month - 1, day, hour, minute, second, ms) + offset;
}

/** `digits(text, at, 2)` without the loop (the stamp's fields; this runs several times on every line), NaN past the end as there. */
function twoDigits(text: string, at: number): number {
	const tens = text.charCodeAt(at) - 48;
	if (tens < 0 || tens > 9) return -1;
	const ones = text.charCodeAt(at + 1) - 48;
	if (ones < 0 || ones > 9) return -1;
	return tens * 10 + ones;
}

function digits(text: string, at: number, count: number): number {
	let value = 0;
	for (let i = at; i < at + count; i++) {
		const c = text.charCodeAt(i) - 48;
		if (c < 0 || c > 9) return -1;
		value = value * 10 + c;
	}
	return value;
}

/**
 * Epoch ms of an ISO-like timestamp at the start of a line ("2026-11-25T12:00:00.123456Z", "[2026-11-25 12:00:00,123]",
 * "2024-07-11T16:29:45.228+0000"), or undefined. Without a zone the time is local, as Python's logging writes it.
 * Read character by character: this runs on every line.
 */
export function leadingTime(text: string): number | undefined {
	let at = text.charCodeAt(0) === 91 /* [ */ ? 1 : 0;
	const year = digits(text, at, 4);
	if (year < 0 || text.charCodeAt(at + 4) !== 45 || text.charCodeAt(at + 7) !== 45) return undefined;
	const month = twoDigits(text, at + 5);
	const day = twoDigits(text, at + 8);
	const separator = text.charCodeAt(at + 10);
	if (month < 1 || month > 12 || day < 1 || day > 31 || (separator !== 84 /* T */ && separator !== 32)) return undefined;
	const hour = twoDigits(text, at + 11);
	const minute = twoDigits(text, at + 14);
	const second = twoDigits(text, at + 17);
	if (hour < 0 || minute < 0 || second < 0 || text.charCodeAt(at + 13) !== 58 || text.charCodeAt(at + 16) !== 58) return undefined;
	at += 19;
	let ms = 0;
	const dot = text.charCodeAt(at);
	if (dot === 46 || dot === 44) {
		// Milliseconds are the first three digits; the rest (micro-, nanoseconds) are only stepped over, up to nine in all.
		let n = 0;
		let scale = 100;
		for (at++; n < 9; n++, at++) {
			const c = text.charCodeAt(at) - 48;
			if (c < 0 || c > 9) break;
			if (n < 3) {
				ms += c * scale;
				scale /= 10;
			}
		}
		if (n === 0) return undefined;
	}
	if (text.charCodeAt(at) === 32 && (text.charCodeAt(at + 1) === 43 || text.charCodeAt(at + 1) === 45 || text.charCodeAt(at + 1) === 90)) at++;
	const zone = text.charCodeAt(at);
	const utc = (daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second) * 1000 + ms;
	if (zone === 90 /* Z */) return utc;
	if (zone === 43 || zone === 45 /* + - */) {
		const zoneHours = twoDigits(text, at + 1);
		const colon = text.charCodeAt(at + 3) === 58 ? 1 : 0;
		const zoneMinutes = twoDigits(text, at + 3 + colon);
		if (zoneHours >= 0 && zoneMinutes >= 0) return utc - (zone === 45 ? -1 : 1) * (zoneHours * 60 + zoneMinutes) * 60_000;
	}
	return localToEpoch(year, month, day, hour, minute, second, ms);
}

/**
 * Date.parse of a time string, read by hand when it is exactly RFC 3339 ("2026-11-25T12:00:00.123456789Z",
 * "…+02:00"), the form JSON loggers write: Date.parse costs more than the rest of the line's time handling.
 * Anything else, or out of the plain ranges, goes to Date.parse, so that the answer is always Date.parse's.
 */
export function isoTime(text: string): number {
	const length = text.length;
	if (length < 20 || length > 35 || text.charCodeAt(10) !== 84 /* T */) return Date.parse(text);
	const year = digits(text, 0, 4);
	const month = twoDigits(text, 5);
	const day = twoDigits(text, 8);
	const hour = twoDigits(text, 11);
	const minute = twoDigits(text, 14);
	const second = twoDigits(text, 17);
	if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return Date.parse(text);
	if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return Date.parse(text);
	let at = 19;
	let ms = 0;
	if (text.charCodeAt(at) === 46 /* . */) {
		let scale = 100;
		const start = ++at;
		for (; at < length; at++) {
			const c = text.charCodeAt(at) - 48;
			if (c < 0 || c > 9) break;
			ms += c * scale;
			scale /= 10;
		}
		if (at === start || at - start > 9) return Date.parse(text);
		ms = Math.floor(ms);
	}
	const utc = (daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second) * 1000 + ms;
	const zone = text.charCodeAt(at);
	if (zone === 90 /* Z */ && at + 1 === length) return utc;
	if ((zone === 43 || zone === 45) && at + 6 === length && text.charCodeAt(at + 3) === 58) {
		const zoneHours = twoDigits(text, at + 1);
		const zoneMinutes = twoDigits(text, at + 4);
		if (zoneHours >= 0 && zoneHours <= 23 && zoneMinutes >= 0 && zoneMinutes <= 59) return utc - (zone === 45 ? -1 : 1) * (zoneHours * 60 + zoneMinutes) * 60_000;
	}
	return Date.parse(text);
}

/** Epoch ms from a JSON log object's time field (slog `time`, zap `ts` in seconds, pino `time` in ms, MongoDB `t.$date`). */
export function jsonTime(object: Record<string, unknown>): number | undefined {
	for (const key of ['time', 'timestamp', '@timestamp', 'ts', 't'] as const) {
		const value = object[key];
		if (value === undefined) continue;
		if (typeof value === 'number') return value < 1e11 ? Math.round(value * 1000) : value;
		if (typeof value === 'string') {
			const parsed = isoTime(value);
			if (!Number.isNaN(parsed)) return parsed;
		}
		if (value && typeof value === 'object' && '$date' in value) {
			const date = (value as {$date: unknown}).$date;
			const parsed = typeof date === 'string' ? isoTime(date) : typeof date === 'number' ? date : NaN;
			if (!Number.isNaN(parsed)) return parsed;
		}
	}
	return undefined;
}

const durationPart = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
/** A duration, simple or compound: "30s", "5m", "1h30m", "2d4h", "1.5h". */
const duration = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
/** A day word and a clock time, local: "yesterday 18:00", "today 09:30:15", "18:00", "yesterday". */
const dayAndClock = /^(?:(today|yesterday)(?:\s+|$))?(?:(\d{1,2}):(\d\d)(?::(\d\d))?)?$/i;
const unitMs: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};

/** How far back `--since` may reach as a duration: ten years, longer than any container keeps its logs. */
export const maxSinceDays = 3650;

function durationMs(text: string): number | undefined {
	if (!duration.test(text)) return undefined;
	let total = 0;
	for (const [, amount, unit] of text.matchAll(durationPart)) total += Number(amount) * unitMs[unit!]!;
	return total;
}

function dayClockTime(text: string, now: number): number | undefined {
	const m = dayAndClock.exec(text);
	if (!m || (m[1] === undefined && m[2] === undefined)) return undefined;
	const hours = m[2] === undefined ? 0 : Number(m[2]);
	const minutes = m[3] === undefined ? 0 : Number(m[3]);
	const seconds = m[4] === undefined ? 0 : Number(m[4]);
	if (hours > 23 || minutes > 59 || seconds > 59) return Number.NaN;
	const day = new Date(now);
	if (m[1]?.toLowerCase() === 'yesterday') day.setDate(day.getDate() - 1);
	day.setHours(hours, minutes, seconds, 0);
	return day.getTime();
}

/**
 * `--since` value: a duration back from `now` ("30s", "1h30m", "2d"), an RFC 3339 / ISO time, or a local day and
 * clock time ("yesterday 18:00", "today 09:30", "18:00"). Undefined when none of these, or out of bounds (sinceProblem says why).
 */
export function parseSince(value: string, now: number): number | undefined {
	if (sinceProblem(value, now) !== undefined) return undefined;
	const trimmed = value.trim();
	const ms = durationMs(trimmed);
	if (ms !== undefined) return now - ms;
	return dayClockTime(trimmed, now) ?? Date.parse(trimmed);
}

/**
 * Why a `--since` value is refused, or undefined when it is fine. Bounded, because Docker takes it as a Unix time:
 * `99999999999d` would reach before 1970 and every service would answer with an error of its own.
 */
export function sinceProblem(value: string, now = Date.now()): string | undefined {
	const trimmed = value.trim();
	const ms = durationMs(trimmed);
	if (ms !== undefined) return ms <= maxSinceDays * unitMs.d! ? undefined : `a duration reaches back at most ${maxSinceDays}d (ten years), got "${trimmed}"`;
	const clock = dayClockTime(trimmed, now);
	if (clock !== undefined) return Number.isNaN(clock) ? `not a clock time: "${trimmed}" (hours 0-23, minutes and seconds 0-59)` : undefined;
	const parsed = /^\d{4}-\d\d-\d\d/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
	if (Number.isNaN(parsed)) return `expected a duration (30s, 5m, 1h30m, 2d), a time (2026-11-25T12:00:00Z) or a day and time (yesterday 18:00), got "${value}"`;
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
