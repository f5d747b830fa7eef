import {performance} from 'node:perf_hooks';
import http from 'node:http';
import https from 'node:https';
import axios, {type AxiosResponse} from 'axios';
import {scrub} from '../util/secrets.js';
import {describeError, TimeoutError, withTimeout} from './errors.js';
import type {HealthProber, HealthResult} from './types.js';

export type HealthProberOptions = {
	/** Whole-request deadline (connect, headers and body), not an idle timeout. */
	timeoutMs: number;
};

/** Health bodies are small; a runaway endpoint must not fill memory. */
const maxBodyBytes = 1024 * 1024;

export function createHealthProber(options: HealthProberOptions): HealthProber {
	// Kept-alive connections: a probe every refresh reuses its socket instead of a TCP (and TLS) set-up each time.
	const client = axios.create({
		httpAgent: new http.Agent({keepAlive: true, maxSockets: 4}),
		httpsAgent: new https.Agent({keepAlive: true, maxSockets: 4}),
		// The body is parsed here, so a malformed one is reported instead of silently passed through as text.
		responseType: 'text',
		transformResponse: [(data: unknown) => data],
		validateStatus: () => true,
		maxRedirects: 3,
		maxContentLength: maxBodyBytes,
		headers: {Accept: 'application/json, text/plain;q=0.9, */*;q=0.5'},
	});

	return {
		async probe(service, url) {
			const at = Date.now();
			const shownUrl = scrub(url);
			const started = performance.now();
			const latency = () => Math.round((performance.now() - started) * 10) / 10;
			let response: AxiosResponse<unknown>;
			try {
				response = await withTimeout(options.timeoutMs, signal => client.get(url, {signal}));
			} catch (error) {
				const failed: HealthResult = {service, url: shownUrl, ok: false, latencyMs: latency(), error: describeProbeError(error, options.timeoutMs), at};
				if (isTimeout(error)) failed.timedOut = true;
				return failed;
			}
			const latencyMs = latency();
			const result: HealthResult = {service, url: shownUrl, ok: false, status: response.status, latencyMs, at};
			const parsed = parseBody(response, shownUrl);
			if (parsed.body) result.body = parsed.body;
			const is2xx = response.status >= 200 && response.status < 300;
			if (!is2xx) result.error = `HTTP ${response.status}`;
			else if (parsed.error) result.error = parsed.error;
			result.ok = is2xx && !parsed.error;
			return result;
		},
	};
}

/** axios reports its own timeouts as ECONNABORTED/ETIMEDOUT; all of them are one kind, with one wording. */
function isTimeout(error: unknown): boolean {
	const code = (error as {code?: unknown})?.code;
	return error instanceof TimeoutError || code === 'ECONNABORTED' || code === 'ETIMEDOUT';
}

/** axios words a dropped answer and the size cap its own way; the pane says what happened to the connection. */
function describeProbeError(error: unknown, timeoutMs: number): string {
	if (isTimeout(error)) return new TimeoutError(timeoutMs).message;
	const message = (error as {message?: unknown})?.message;
	if (message === 'stream has been aborted') return 'connection dropped mid-response';
	if (typeof message === 'string' && message.startsWith('maxContentLength size of')) return `answer over ${maxBodyBytes / 1024 / 1024} MB, not read`;
	return describeError(error);
}

function parseBody(response: AxiosResponse<unknown>, url: string): {body?: Record<string, unknown>; error?: string} {
	const text = typeof response.data === 'string' ? response.data : '';
	const contentType = String(response.headers['content-type'] ?? '');
	const declaredJson = /[/+]json\b/i.test(contentType);
	if (text.trim() === '') return {};
	if (!declaredJson && !text.trimStart().startsWith('{')) return {};
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		// Undeclared JSON that does not parse is just text; declared JSON that does not parse is a broken endpoint.
		if (!declaredJson) return {};
		return {error: `malformed JSON from ${url}: ${describeError(error)}`};
	}
	if (typeof value === 'object' && value !== null && !Array.isArray(value)) return {body: {...(value as Record<string, unknown>)}};
	return {};
}
