/**
 * Counting a window of log records for the checks: errors per service (the level each record already carries, from
 * source/logs/level.ts) and the security signals (HTTP 401/403 answers and failed logins). Pure: the context feeds it.
 */
import {isErrorLevel, type LogRecord} from '../logs/record.js';

export type ServiceLogTally = {
	lines: number;
	/** Records at error or fatal level. */
	errors: number;
	/** The newest such record's first line, for the reason. */
	lastError?: string;
	unauthorized: number;
	forbidden: number;
	failedLogins: number;
	/** Why this service's logs could not be read (no instance, the platform failed): its counts are not the whole window. */
	error?: string;
};

export type LogTally = Map<string, ServiceLogTally>;

// An HTTP status in an access line: `status=401` (tracing, logfmt), `"GET /x HTTP/1.1" 403` (uvicorn, nginx), JSON `"status":401`.
const httpStatus = /(?:\bstatus(?:_code)?"?[=:]\s*"?|HTTP\/[\d.]+"?\s+)(40[13])\b/i;
/** `2026-12-02T00:56:05.220053Z `, `[2026-12-02 00:56:05,220] ` at the start of a line. */
const leadingTimestamp = /^\[?\d{4}-\d\d-\d\d[T ][\d:.,]+(?:Z|[+-]\d\d:?\d\d)?\]?\s*/;
const failedLogin = /\b(?:failed login|login failed|failed to log ?in|authentication failed|invalid (?:credentials|password)|bad credentials|wrong password)\b/i;

export function emptyServiceTally(): ServiceLogTally {
	return {lines: 0, errors: 0, unauthorized: 0, forbidden: 0, failedLogins: 0};
}

/** Adds one record to the tally (markers, botops's own lines, are not the service's). */
export function tallyRecord(tally: LogTally, record: LogRecord): void {
	if (record.stream === 'marker') return;
	let entry = tally.get(record.service);
	if (!entry) {
		entry = emptyServiceTally();
		tally.set(record.service, entry);
	}
	entry.lines++;
	if (isErrorLevel(record.level)) {
		entry.errors++;
		// The line's own timestamp says nothing the window does not: the reason keeps the words.
		entry.lastError = record.text.split('\n', 1)[0]!.replace(leadingTimestamp, '');
	}
	const status = httpStatus.exec(record.text)?.[1];
	if (status === '401') entry.unauthorized++;
	else if (status === '403') entry.forbidden++;
	if (failedLogin.test(record.text)) entry.failedLogins++;
}

export function tallyRecords(records: Iterable<LogRecord>, tally: LogTally = new Map()): LogTally {
	for (const record of records) tallyRecord(tally, record);
	return tally;
}
