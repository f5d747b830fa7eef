/**
 * Turns any failure from a client library into one short line for a pane or a CLI message. Panes show these to
 * operators on shared screens, so: no stack traces, no multi-line dumps, and anything that looks like a secret masked.
 */
import {scrub} from '../util/secrets.js';

/** A call that did not finish in time; its message is the text panes show. */
export class TimeoutError extends Error {
	constructor(readonly timeoutMs: number) {
		super(`timeout after ${timeoutMs} ms`);
		this.name = 'TimeoutError';
	}
}

/** An error whose message has already been made presentable (what services throw). */
export class ServiceError extends Error {
	constructor(
		message: string,
		/** HTTP status from the backend, when there was one (404 for an unknown container). */
		readonly status?: number,
	) {
		super(message);
		this.name = 'ServiceError';
	}
}

const maxLength = 240;

/** `source` ("docker") prefixes the text so a pane can tell which backend failed. */
export function describeError(error: unknown, source?: string): string {
	if (error instanceof ServiceError) return error.message;
	const text = clip(scrub(describe(error)));
	return source ? `${source}: ${text}` : text;
}

function describe(error: unknown): string {
	if (error instanceof TimeoutError) return error.message;
	if (typeof error !== 'object' || error === null) return String(error);
	const e = error as Record<string, unknown>;

	// docker-modem: HTTP errors carry statusCode and the daemon's JSON ({message}) or its text in the message.
	if (typeof e['statusCode'] === 'number') return describeHttpError(e['statusCode'], e);

	// Node's happy-eyeballs connect (localhost -> ::1 and 127.0.0.1) fails with an AggregateError and no message.
	if (Array.isArray(e['errors']) && e['errors'].length > 0 && !e['message']) return describe(e['errors'][0]);

	const dropped = describeDroppedConnection(e);
	if (dropped) return dropped;
	const system = describeSystemError(e) ?? (isObject(e['cause']) ? describeSystemError(e['cause']) : undefined);
	if (system) return system;

	if (e['name'] === 'AbortError' || e['code'] === 'ABORT_ERR') return 'aborted';
	if (e['code'] === 'ERR_CANCELED') return 'canceled';
	const message = typeof e['message'] === 'string' ? e['message'] : '';
	if (message) return message;
	if (Array.isArray(e['errors']) && e['errors'].length > 0) return describe(e['errors'][0]);
	return typeof e['code'] === 'string' ? e['code'] : 'unknown error';
}

function describeHttpError(status: number, e: Record<string, unknown>): string {
	const json = e['json'];
	let message = '';
	if (isObject(json) && typeof json['message'] === 'string') message = json['message'];
	else if (typeof json === 'string') message = json;
	else if (typeof e['message'] === 'string') {
		// "(HTTP code 404) no such container - No such container: x " when the body came as a stream.
		const match = /^\(HTTP code \d+\) [^-]*- (.*)$/s.exec(e['message'].trim());
		message = match ? match[1] : '';
	}
	message = message.trim();
	const noSuch = /^No such (container|image|exec instance|network|volume): ?(.*)$/i.exec(message);
	if (noSuch) return `no such ${noSuch[1].toLowerCase()} ${noSuch[2]}`.trim();
	if (message && message !== '[object Object]') return lowerFirst(message);
	const reason = typeof e['reason'] === 'string' ? ` ${e['reason']}` : '';
	return `HTTP ${status}${reason}`;
}

/**
 * Node names a connection the other side closed by what was under way: "socket hang up" before any answer,
 * "aborted" once the answer had begun. Both are ECONNRESET with no syscall; bare, "aborted" reads like our own
 * cancel, so each says what happened.
 */
function describeDroppedConnection(e: Record<string, unknown>): string | undefined {
	if (e['code'] !== 'ECONNRESET' || typeof e['syscall'] === 'string') return undefined;
	if (e['message'] === 'aborted') return 'connection dropped mid-response (ECONNRESET)';
	if (e['message'] === 'socket hang up') return 'socket hang up: connection closed before an answer (ECONNRESET)';
	return undefined;
}

/** "connect ECONNREFUSED 127.0.0.1:8080", "connect ENOENT /var/run/docker.sock", "getaddrinfo ENOTFOUND db". */
function describeSystemError(e: Record<string, unknown>): string | undefined {
	const code = e['code'];
	if (typeof code !== 'string' || !/^E[A-Z0-9]+$/.test(code)) return undefined;
	const syscall = typeof e['syscall'] === 'string' ? e['syscall'] : undefined;
	const address = typeof e['address'] === 'string' ? e['address'] : typeof e['hostname'] === 'string' ? e['hostname'] : undefined;
	const port = typeof e['port'] === 'number' || typeof e['port'] === 'string' ? `:${e['port']}` : '';
	if (!syscall) return typeof e['message'] === 'string' && e['message'] ? e['message'] : code;
	return [syscall, code, address ? `${address}${port}` : undefined].filter(Boolean).join(' ');
}

function clip(text: string): string {
	const line = text.split(/\r?\n/, 1)[0].trim();
	return line.length > maxLength ? `${line.slice(0, maxLength - 3)}...` : line;
}

function lowerFirst(text: string): string {
	// Keep acronyms ("HTTP", "OCI runtime") as they are.
	return /^[A-Z][a-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}

/** Runs `work` with an AbortSignal that fires after `ms`; rejects with TimeoutError even if `work` ignores it. */
export async function withTimeout<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
	const controller = new AbortController();
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => {
			reject(new TimeoutError(ms));
			controller.abort();
		}, ms);
		timer.unref();
	});
	try {
		return await Promise.race([work(controller.signal), timeout]);
	} finally {
		clearTimeout(timer);
	}
}
