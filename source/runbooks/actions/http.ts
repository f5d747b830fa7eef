import {z} from 'zod';
import {httpRequest} from '../../services/http-action.js';
import {describeEnvironment, type Action} from './types.js';
import {bodyMismatches} from './body-fields.js';

const params = z.strictObject({
	method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
	url: z.url(),
	/**
	 * "admin": Bearer token from the env var the environment's `adminTokenEnv` names; or `env:NAME`.
	 * The token is read at run time and never placed in params, so it cannot reach the plan.
	 */
	auth: z.union([z.literal('admin'), z.string().regex(/^env:[A-Z_][A-Z0-9_]*$/, 'admin or env:VARIABLE')]).optional(),
	body: z.unknown().optional(),
	expectStatus: z.array(z.number().int().min(100).max(599)).default([200, 201, 202, 204]),
	/** Top-level JSON body fields that must equal these values. */
	expectFields: z.record(z.string(), z.unknown()).optional(),
	timeoutMs: z.number().int().min(100).max(600_000).default(10_000),
	/** A POST that only reads (e.g. /api/analyze) may say so: no y/N for it. Read-only mode refuses it all the same. */
	readOnly: z.boolean().optional(),
});
type Params = z.infer<typeof params>;

export function tokenEnvName(auth: string | undefined, environment: {adminTokenEnv?: string; name: string}): string | undefined {
	if (!auth) return undefined;
	if (auth === 'admin') {
		if (!environment.adminTokenEnv) throw new Error(`http: no adminTokenEnv configured for environment ${environment.name}`);
		return environment.adminTokenEnv;
	}
	return auth.slice('env:'.length);
}

export const httpAction: Action<Params> = {
	name: 'http.request',
	params,
	mutating: p => p.method !== 'GET' && p.method !== 'HEAD',
	declaredReadOnly: p => p.readOnly === true,
	needsEnv(p, ctx) {
		const tokenEnv = tokenEnvName(p.auth, ctx.environment);
		return tokenEnv ? [tokenEnv] : [];
	},
	describe(p, ctx) {
		const tokenEnv = tokenEnvName(p.auth, ctx.environment);
		const header = tokenEnv ? ` -H "Authorization: Bearer $${tokenEnv}"` : '';
		const body = p.body === undefined ? '' : ` -d '${typeof p.body === 'string' ? p.body : JSON.stringify(p.body)}'`;
		return {
			target: new URL(p.url).origin,
			call: `${p.method} ${p.url}${header}${body} (expect ${p.expectStatus.join('|')})`,
			environment: describeEnvironment(ctx.environment),
		};
	},
	async run(p, ctx, signal) {
		const tokenEnv = tokenEnvName(p.auth, ctx.environment);
		const headers: Record<string, string> = {accept: 'application/json'};
		if (tokenEnv) {
			const token = ctx.env[tokenEnv];
			if (!token) return {ok: false, output: '', detail: `http: environment variable ${tokenEnv} is not set (it holds the admin API token)`};
			headers.authorization = `Bearer ${token}`;
		}
		const response = await httpRequest({method: p.method, url: p.url, headers, body: p.body, timeoutMs: p.timeoutMs, signal});
		ctx.output(`HTTP ${response.status} ${response.text.slice(0, 200)}`);
		if (!p.expectStatus.includes(response.status)) {
			return {ok: false, output: response.text, detail: `${p.method} ${p.url} answered HTTP ${response.status}, expected ${p.expectStatus.join(' or ')}`};
		}
		const mismatches = p.expectFields ? bodyMismatches(response.json, p.expectFields) : [];
		if (mismatches.length > 0) {
			return {ok: false, output: response.text, detail: `${p.method} ${p.url}: ${mismatches.join('; ')}`};
		}
		return {ok: true, output: response.text, detail: `${p.method} ${p.url} answered HTTP ${response.status}`};
	},
};
