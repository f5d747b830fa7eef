/**
 * One JSON-over-HTTP client for the monitoring APIs (Prometheus, Alertmanager): a whole-request deadline, a size
 * cap, and every failure as one scrubbed line that names the server. Response shapes are checked by the caller's
 * zod schema, so a lying backend is an error message, never a crash further in.
 */
import axios, {type AxiosInstance} from 'axios';
import {scrub} from '../util/secrets.js';
import {describeError, ServiceError, TimeoutError, withTimeout} from './errors.js';

export type JsonApiOptions = {
	/** Base URL, e.g. http://127.0.0.1:9090. */
	url: string;
	/** Prefix of every message ("prometheus", "alertmanager 127.0.0.1:9093"). */
	name: string;
	timeoutMs: number;
	/** Answers above this are refused (5,000 alerts are ~5 MB). */
	maxBytes?: number;
};

/** A zod schema, or a hand-written checker of the same shape for hot paths (5,000 alerts a refresh). */
export type Shape<T> = {
	safeParse(value: unknown): {success: true; data: T} | {success: false; error: {issues: ReadonlyArray<{path: ReadonlyArray<PropertyKey>; message: string}>}};
};

export type JsonApi = {
	readonly url: string;
	readonly name: string;
	request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, schema: Shape<T>, options?: {params?: Record<string, string | string[]>; body?: unknown}): Promise<T>;
};

const defaultMaxBytes = 32 * 1024 * 1024;

export function createJsonApi(options: JsonApiOptions): JsonApi {
	const base = options.url.replace(/\/+$/, '');
	const client: AxiosInstance = axios.create({
		baseURL: base,
		responseType: 'text',
		transformResponse: [(data: unknown) => data],
		validateStatus: () => true,
		maxRedirects: 0,
		maxContentLength: options.maxBytes ?? defaultMaxBytes,
		headers: {Accept: 'application/json'},
		// Repeated query parameters (`filter=a&filter=b`), as both APIs take them; not axios's `filter[]=`.
		paramsSerializer: {indexes: null},
	});
	const where = (path: string) => `${options.name}: ${path}`;

	return {
		url: base,
		name: options.name,
		async request(method, path, schema, call = {}) {
			let response;
			try {
				response = await withTimeout(options.timeoutMs, signal => client.request({method, url: path, params: call.params, data: call.body, signal}));
			} catch (error) {
				const code = (error as {code?: string})?.code;
				if (error instanceof TimeoutError || code === 'ECONNABORTED' || code === 'ETIMEDOUT') throw new ServiceError(`${where(path)}: ${new TimeoutError(options.timeoutMs).message}`);
				if (code === 'ERR_BAD_RESPONSE' && /maxContentLength/.test(String((error as Error).message)))
					throw new ServiceError(`${where(path)}: answer larger than ${Math.round((options.maxBytes ?? defaultMaxBytes) / 1024 / 1024)} MB`);
				throw new ServiceError(`${where(path)}: ${describeError(error)}`);
			}
			const text = typeof response.data === 'string' ? response.data : '';
			let body: unknown;
			if (text.trim() !== '') {
				try {
					body = JSON.parse(text);
				} catch {
					if (response.status >= 400) throw new ServiceError(`${where(path)}: HTTP ${response.status}${firstLine(text)}`, response.status);
					throw new ServiceError(`${where(path)}: malformed JSON (HTTP ${response.status}, ${text.length} bytes)`, response.status);
				}
			}
			if (response.status >= 400) throw new ServiceError(`${where(path)}: HTTP ${response.status}${errorText(body)}`, response.status);
			const parsed = schema.safeParse(body);
			if (!parsed.success) throw new ServiceError(`${where(path)}: unexpected answer (${describeIssue(parsed.error)})`, response.status);
			return parsed.data;
		},
	};
}

/** Prometheus says `{"status":"error","error":"…"}`, Alertmanager says `{"message":"…"}` or a bare string. */
function errorText(body: unknown): string {
	if (typeof body === 'string') return `: ${clip(body)}`;
	if (body && typeof body === 'object') {
		const record = body as Record<string, unknown>;
		const text = record['error'] ?? record['message'];
		if (typeof text === 'string' && text) return `: ${clip(text)}`;
	}
	return '';
}

function firstLine(text: string): string {
	const line = text.trim().split(/\r?\n/, 1)[0] ?? '';
	return line ? `: ${clip(line)}` : '';
}

function clip(text: string): string {
	const clean = scrub(text.replace(/\s+/g, ' ').trim());
	return clean.length > 160 ? `${clean.slice(0, 157)}...` : clean;
}

function describeIssue(error: {issues: ReadonlyArray<{path: ReadonlyArray<PropertyKey>; message: string}>}): string {
	const issue = error.issues[0];
	if (!issue) return 'invalid';
	const path = issue.path.length > 0 ? issue.path.map(String).join('.') : 'body';
	return `${path}: ${issue.message}`;
}
