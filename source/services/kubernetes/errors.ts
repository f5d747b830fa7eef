import {describeError, ServiceError} from '../errors.js';

/** The API server's `Status` body, as far as an operator needs it. */
type StatusBody = {message?: string; reason?: string; code?: number};

/**
 * One line for a failed API call, naming what was asked: a 403 says which verb on which resource was denied,
 * a 401 that the credentials are missing or expired, others the server's own message.
 */
export function kubeError(error: unknown, verb: string, resource: string, namespace: string): ServiceError {
	const status = statusCode(error);
	const body = statusBody(error);
	const what = `${verb} ${resource} in namespace ${namespace}`;
	if (status === 401) return new ServiceError(`kubernetes: unauthorized (401) to ${what}: credentials missing or expired${body?.message ? ` (${body.message})` : ''}`, 401);
	if (status === 403) return new ServiceError(`kubernetes: forbidden (403): cannot ${what}${body?.message ? `: ${body.message}` : ''}`, 403);
	if (status === 410) return new ServiceError(`kubernetes: ${what}: resource version expired (410 Gone)`, 410);
	if (status !== undefined) return new ServiceError(`kubernetes: ${what}: HTTP ${status}${body?.message ? ` ${body.message}` : body?.reason ? ` ${body.reason}` : ''}`, status);
	return new ServiceError(describeError(error, `kubernetes: ${what}`));
}

function statusCode(error: unknown): number | undefined {
	if (typeof error !== 'object' || error === null) return undefined;
	// ApiException carries `code`; the watch's failed response carries `statusCode`.
	const {code, statusCode} = error as {code?: unknown; statusCode?: unknown};
	if (typeof code === 'number') return code;
	return typeof statusCode === 'number' ? statusCode : undefined;
}

function statusBody(error: unknown): StatusBody | undefined {
	const body = (error as {body?: unknown} | null)?.body;
	if (typeof body === 'object' && body !== null) return body as StatusBody;
	if (typeof body !== 'string') return undefined;
	try {
		const parsed = JSON.parse(body) as unknown;
		return typeof parsed === 'object' && parsed !== null ? (parsed as StatusBody) : undefined;
	} catch {
		return body ? {message: body.slice(0, 200)} : undefined;
	}
}
