/** One log entry as every log view and command sees it, whatever the source (Docker, Kubernetes, a file, stdin). */

export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'unknown';

export type LogStream = 'stdout' | 'stderr' | 'marker';

export type LogRecord = {
	/** Output order, assigned when the record leaves the merge window: increasing across all services. */
	seq: number;
	/** Epoch ms: the source's timestamp, else the line's own, else the time it was received. */
	time: number;
	service: string;
	/** `marker` records are written by botops itself ("— rust-core-engine restarted 12:03:11 —"). */
	stream: LogStream;
	level: Level;
	/** Sanitised (no control characters but tab); continuation lines (stack traces) joined with "\n". */
	text: string;
	json?: boolean;
	/** The line was longer than the cut limit; `text` ends with the "… [cut N bytes]" marker. */
	truncated?: boolean;
	/** The replica the line came from (a pod, a container, or a prefix peeled off the line), where one service has several. */
	instance: string | undefined;
};

export const levels: readonly Level[] = ['unknown', 'trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/**
 * Severity order for minimum-level filtering. `unknown` ranks lowest: a line without a recognisable level
 * is shown with no minimum (or `trace`) but not when the operator asked for warnings and above.
 */
export const levelRank: Readonly<Record<Level, number>> = {
	unknown: 0,
	trace: 1,
	debug: 2,
	info: 3,
	warn: 4,
	error: 5,
	fatal: 6,
};

export function isLevel(value: string): value is Level {
	return Object.prototype.hasOwnProperty.call(levelRank, value);
}

export function atLeast(level: Level, minimum: Level): boolean {
	return levelRank[level] >= levelRank[minimum];
}

export function isErrorLevel(level: Level): boolean {
	return levelRank[level] >= levelRank.error;
}

/** Builds a record with every property present, so that all records share one hidden class. */
export function makeRecord(
	time: number,
	service: string,
	stream: LogStream,
	level: Level,
	text: string,
	json = false,
	truncated = false,
	instance: string | undefined = undefined,
): LogRecord {
	return {seq: 0, time, service, stream, level, text, json, truncated, instance};
}
