import {scrub} from '../../util/secrets.js';
import {TimeoutError} from '../errors.js';

/** Which of the faults a pane tells apart: each shows in its own part of the pane, with the server's message. */
export type MongoFaultKind = 'unreachable' | 'auth' | 'timeout' | 'unauthorized' | 'not-replica-set' | 'server' | 'other';

/**
 * Each kind in words, as panes and `botops db` print it. Words, not the kind's code: "auth: …" would read as a
 * secret-named key to the scrubber, which would mask the server's message after it.
 */
export const mongoFaultLabels: Readonly<Record<MongoFaultKind, string>> = {
	unreachable: 'unreachable',
	auth: 'authentication failed',
	timeout: 'timed out',
	unauthorized: 'no privilege',
	'not-replica-set': 'not a replica set',
	server: 'server error',
	other: 'error',
};

/** A MongoDB failure made presentable: its kind and one scrubbed line ("Authentication failed. (AuthenticationFailed)"). */
export class MongoFault extends Error {
	constructor(
		readonly kind: MongoFaultKind,
		message: string,
		/** The server's error code, when the server answered. */
		readonly code?: number,
	) {
		super(message);
		this.name = 'MongoFault';
	}
}

const authCodes = new Set([18, 11]); // AuthenticationFailed, UserNotFound
const unauthorizedCodes = new Set([13]); // Unauthorized
const notReplicaSetCodes = new Set([76, 94]); // NoReplicationEnabled, NotYetInitialized
const timeoutCodes = new Set([50, 262]); // MaxTimeMSExpired, ExceededTimeLimit

/**
 * Classifies what the driver (or the server through it) threw. The driver's messages may quote the URI it
 * was given, so every message passes through the one scrubber (the URI's password is registered with it).
 */
export function toMongoFault(error: unknown): MongoFault {
	if (error instanceof MongoFault) return error;
	if (error instanceof TimeoutError) return new MongoFault('timeout', error.message);
	const e = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
	const name = typeof e['name'] === 'string' ? e['name'] : '';
	const raw = typeof e['message'] === 'string' && e['message'] ? e['message'] : String(error);
	const code = typeof e['code'] === 'number' ? e['code'] : undefined;
	const codeName = typeof e['codeName'] === 'string' ? e['codeName'] : undefined;
	const message = scrub(oneLine(codeName && !raw.includes(codeName) ? `${raw} (${codeName})` : raw));
	if (code !== undefined && authCodes.has(code)) return new MongoFault('auth', message, code);
	if (code !== undefined && unauthorizedCodes.has(code)) return new MongoFault('unauthorized', message, code);
	if (code !== undefined && notReplicaSetCodes.has(code)) return new MongoFault('not-replica-set', message, code);
	if ((code !== undefined && timeoutCodes.has(code)) || name === 'MongoOperationTimeoutError' || name === 'MongoNetworkTimeoutError') {
		return new MongoFault('timeout', message, code);
	}
	if (name === 'MongoServerSelectionError' || name === 'MongoNetworkError' || name === 'MongoTopologyClosedError') {
		// Server selection wraps the real cause (an auth failure during the handshake included) in its reason.
		const cause = e['cause'] ?? (e['reason'] as Record<string, unknown> | undefined)?.['error'];
		if (cause && typeof cause === 'object' && authCodes.has((cause as {code?: number}).code ?? -1)) return toMongoFault(cause);
		if (/auth/i.test(raw) && /fail/i.test(raw)) return new MongoFault('auth', message, code);
		return new MongoFault('unreachable', message, code);
	}
	if (name === 'MongoServerError' || code !== undefined) return new MongoFault('server', message, code);
	return new MongoFault('other', message, code);
}

function oneLine(text: string): string {
	const line = text.replace(/\s+/g, ' ').trim();
	return line.length > 240 ? `${line.slice(0, 239)}…` : line;
}
