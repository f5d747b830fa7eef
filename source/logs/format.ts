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

/** "2026-11-25T12:03:11.123Z rust-core-engine ERROR text" — the CLI's output and the export format. */
export function formatPlain(record: LogRecord, serviceWidth = 0): string {
	const service = serviceWidth > record.service.length ? record.service.padEnd(serviceWidth) : record.service;
	const label = record.stream === 'marker' ? '---- ' : levelLabel[record.level];
	return `${new Date(record.time).toISOString()} ${service} ${label} ${record.text}`;
}

/** The `--json` shape: one object per line. */
export function toJsonObject(record: LogRecord): Record<string, unknown> {
	const object: Record<string, unknown> = {
		time: new Date(record.time).toISOString(),
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
	const time = `\x1b[2m${new Date(record.time).toISOString()}${reset}`;
	const colouredService = `${serviceColours[serviceColourIndex(record.service, serviceColours.length)]}${service}${reset}`;
	if (record.stream === 'marker') return `${time} ${colouredService} \x1b[1m${record.text}${reset}`;
	const colour = levelColour[record.level];
	const label = colour ? `${colour}${levelLabel[record.level]}${reset}` : levelLabel[record.level];
	return `${time} ${colouredService} ${label} ${record.text}`;
}
