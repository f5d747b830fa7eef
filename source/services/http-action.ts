/** One HTTP call for runbooks (admin API, smoke tests). Uses Node's fetch: no client library to load at start-up. */
export type HttpRequest = {
	method: string;
	url: string;
	headers?: Record<string, string>;
	/** Sent as JSON when not a string. */
	body?: unknown;
	timeoutMs: number;
	signal?: AbortSignal;
};

export type HttpResponse = {
	status: number;
	/** The parsed JSON body, when the body was JSON. */
	json?: unknown;
	/** The body as text, cut to 4 KB for display. */
	text: string;
};

export async function httpRequest(request: HttpRequest): Promise<HttpResponse> {
	const headers: Record<string, string> = {...request.headers};
	let body: string | undefined;
	if (request.body !== undefined) {
		body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
		headers['content-type'] ??= typeof request.body === 'string' ? 'text/plain' : 'application/json';
	}
	const timeout = AbortSignal.timeout(request.timeoutMs);
	const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
	let response: Response;
	try {
		response = await fetch(request.url, {method: request.method, headers, body, signal, redirect: 'manual'});
	} catch (error) {
		throw new Error(describeFetchError(error, request));
	}
	let text: string;
	try {
		text = await response.text();
	} catch (error) {
		throw new Error(describeFetchError(error, request));
	}
	let json: unknown;
	if (text.length > 0 && /json/i.test(response.headers.get('content-type') ?? '')) {
		try {
			json = JSON.parse(text);
		} catch {
			// Garbage in a JSON response is reported by whoever expected fields; the text is still shown.
		}
	}
	return {status: response.status, json, text: text.length > 4096 ? `${text.slice(0, 4096)}…` : text};
}

/** Messages name the call and the cause, never headers (they carry the bearer token). */
function describeFetchError(error: unknown, request: HttpRequest): string {
	const where = `${request.method} ${request.url}`;
	if (request.signal?.aborted) return `${where}: aborted`;
	const name = (error as {name?: string})?.name;
	if (name === 'TimeoutError' || name === 'AbortError') return `${where}: timeout after ${request.timeoutMs} ms`;
	const cause = (error as {cause?: {code?: string; message?: string}})?.cause;
	if (cause?.code) return `${where}: ${cause.code}${cause.message ? ` ${cause.message.replace(/^\w+\s/, '')}` : ''}`;
	return `${where}: ${error instanceof Error ? error.message : String(error)}`;
}
