import type {Level, LogRecord} from './record.js';

/** Fixed-width level labels, so that columns line up in plain output and exports. */
export const levelLabel: Readonly<Record<Level, string>> = {
	trace: 'TRACE',
	debug: 'DEBUG',
	info: 'INFO ',
	warn: 'WARN ',
	error: 'ERROR',
	fatal: 'FATAL',
	unknown: '-    ',
};

/** The second the last call formatted, and its ISO text up to the milliseconds ("2026-11-25T12:03:11."). */
let isoSecond = NaN;
let isoSecondText = '';
const millisText = Array.from({length: 1000}, (_, ms) => `${String(ms).padStart(3, '0')}Z`);

/**
 * `new Date(time).toISOString()`, without a Date per record: lines come in time order, so consecutive records
 * mostly share their second, and only the milliseconds change. Same result, and the same RangeError for a time
 * out of range.
 */
export function isoTime(time: number): string {
	// A fractional millisecond (a float epoch from JSON) is cut by Date, not by the table: the slow path.
	if (!Number.isInteger(time)) return new Date(time).toISOString();
	const second = Math.floor(time / 1000);
	if (second !== isoSecond) {
		const text = new Date(time).toISOString();
		// Years outside 0000–9999 are written with six digits and a sign; keep those on the slow path.
		if (text.length !== 24) return text;
		isoSecond = second;
		isoSecondText = text.slice(0, 20);
	}
	return isoSecondText + millisText[time - second * 1000]!;
}

/** "2026-11-25T12:03:11.123Z rust-core-engine ERROR text" — the CLI's output and the export format. */
export function formatPlain(record: LogRecord, serviceWidth = 0): string {
	const service = serviceWidth > record.service.length ? record.service.padEnd(serviceWidth) : record.service;
	const label = record.stream === 'marker' ? '---- ' : levelLabel[record.level];
	return `${isoTime(record.time)} ${service} ${label} ${record.text}`;
}

/** The `--json` shape: one object per line. */
export function toJsonObject(record: LogRecord): Record<string, unknown> {
	const object: Record<string, unknown> = {
		time: isoTime(record.time),
		service: record.service,
		level: record.level,
		stream: record.stream,
		message: record.text,
	};
	if (record.json) object['json'] = true;
	if (record.truncated) object['truncated'] = true;
	return object;
}

const reset = '\x1b[0m';
const levelColour: Readonly<Record<Level, string>> = {
	trace: '\x1b[90m',
	debug: '\x1b[90m',
	info: '\x1b[34m',
	warn: '\x1b[33m',
	error: '\x1b[31m',
	fatal: '\x1b[1;31m',
	unknown: '',
};
/** Service colours for the CLI, as stern does: one per service, stable across runs. */
const serviceColours = ['\x1b[36m', '\x1b[32m', '\x1b[35m', '\x1b[34m', '\x1b[33m', '\x1b[96m', '\x1b[92m', '\x1b[95m'];

/** Index into a palette of `size` colours for a service name (stable: a hash, not the order of appearance). */
export function serviceColourIndex(service: string, size: number): number {
	let hash = 2166136261;
	for (let i = 0; i < service.length; i++) hash = Math.imul(hash ^ service.charCodeAt(i), 16777619);
	return (hash >>> 0) % size;
}

/** formatPlain with ANSI colours, for a terminal. Record text is sanitised, so the only escapes are these. */
export function formatColour(record: LogRecord, serviceWidth = 0): string {
	const service = serviceWidth > record.service.length ? record.service.padEnd(serviceWidth) : record.service;
	const time = `\x1b[2m${isoTime(record.time)}${reset}`;
	const colouredService = `${serviceColours[serviceColourIndex(record.service, serviceColours.length)]}${service}${reset}`;
	if (record.stream === 'marker') return `${time} ${colouredService} \x1b[1m${record.text}${reset}`;
	const colour = levelColour[record.level];
	const label = colour ? `${colour}${levelLabel[record.level]}${reset}` : levelLabel[record.level];
	return `${time} ${colouredService} ${label} ${record.text}`;
}
