/**
 * Alertmanager's v2 API, for one server or an HA pair: alerts (with silenced/inhibited state), groups, silences.
 * Silence actions go through the guard (source/alerts/silence-guard.ts) and are written to the audit log here, so
 * the screen and `botops silence` cannot differ.
 */
import {z} from 'zod';
import {mergeAlerts} from '../alerts/grouping.js';
import {formatMatchers, type Matcher} from '../alerts/matchers.js';
import {guardExpire, guardSilence, previewExpire, type GuardVerdict, type SilencePolicy, type SilenceRequest} from '../alerts/silence-guard.js';
import type {AmAlert, MergedAlert, Silence} from '../alerts/types.js';
import type {EnvironmentConfig} from '../config/schema.js';
import {appendSilenceRecord, currentHost, currentUser, type AuditSilence} from './audit.js';
import {describeError, ServiceError} from './errors.js';
import {createJsonApi, type JsonApi, type Shape} from './json-api.js';

const labels = z.record(z.string(), z.string());

export const alertSchema = z.object({
	fingerprint: z.string(),
	labels,
	annotations: labels.optional().transform(v => v ?? {}),
	startsAt: z.string(),
	endsAt: z.string(),
	updatedAt: z.string(),
	generatorURL: z.string().optional(),
	receivers: z.array(z.object({name: z.string()})).optional().transform(v => (v ?? []).map(r => r.name)),
	status: z.object({
		state: z.enum(['active', 'suppressed', 'unprocessed']),
		silencedBy: z.array(z.string()).nullish().transform(v => v ?? []),
		inhibitedBy: z.array(z.string()).nullish().transform(v => v ?? []),
	}),
});

/**
 * The same checks as `alertSchema`, by hand: zod takes ~35 ms per 5,000 alerts once warm (and 200 ms cold), this
 * a few. The zod schema stays the reference for the groups endpoint; the unit tests hold both to the same answers.
 */
export const gettableAlerts: Shape<AmAlert[]> = {
	safeParse(value) {
		const fail = (path: PropertyKey[], message: string) => ({success: false as const, error: {issues: [{path, message}]}});
		if (!Array.isArray(value)) return fail([], 'expected an array of alerts');
		const out: AmAlert[] = new Array(value.length);
		for (let i = 0; i < value.length; i++) {
			const a = value[i] as Record<string, unknown>;
			if (typeof a !== 'object' || a === null) return fail([i], 'expected an alert object');
			for (const field of ['fingerprint', 'startsAt', 'endsAt', 'updatedAt'] as const) if (typeof a[field] !== 'string') return fail([i, field], 'expected a string');
			if (!isStringRecord(a['labels'])) return fail([i, 'labels'], 'expected string label values');
			if (a['annotations'] !== undefined && !isStringRecord(a['annotations'])) return fail([i, 'annotations'], 'expected string annotation values');
			if (a['generatorURL'] !== undefined && typeof a['generatorURL'] !== 'string') return fail([i, 'generatorURL'], 'expected a string');
			const receivers = a['receivers'];
			if (receivers !== undefined && !(Array.isArray(receivers) && receivers.every(r => typeof (r as {name?: unknown})?.name === 'string'))) return fail([i, 'receivers'], 'expected receivers with names');
			const status = a['status'] as Record<string, unknown> | undefined;
			if (typeof status !== 'object' || status === null) return fail([i, 'status'], 'expected an object');
			const state = status['state'];
			if (state !== 'active' && state !== 'suppressed' && state !== 'unprocessed') return fail([i, 'status', 'state'], 'expected active, suppressed or unprocessed');
			for (const field of ['silencedBy', 'inhibitedBy'] as const) {
				const list = status[field];
				if (list !== undefined && list !== null && !(Array.isArray(list) && list.every(id => typeof id === 'string'))) return fail([i, 'status', field], 'expected a list of ids');
			}
			const alert: AmAlert = {
				fingerprint: a['fingerprint'] as string,
				labels: a['labels'],
				annotations: (a['annotations'] as Record<string, string> | undefined) ?? {},
				startsAt: a['startsAt'] as string,
				endsAt: a['endsAt'] as string,
				updatedAt: a['updatedAt'] as string,
				receivers: ((receivers as Array<{name: string}> | undefined) ?? []).map(r => r.name),
				state,
				silencedBy: (status['silencedBy'] as string[] | null | undefined) ?? [],
				inhibitedBy: (status['inhibitedBy'] as string[] | null | undefined) ?? [],
			};
			if (a['generatorURL']) alert.generatorURL = a['generatorURL'] as string;
			out[i] = alert;
		}
		return {success: true, data: out};
	},
};

function isStringRecord(value: unknown): value is Record<string, string> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	for (const key in value) if (typeof (value as Record<string, unknown>)[key] !== 'string') return false;
	return true;
}

const matcherSchema = z.object({name: z.string(), value: z.string(), isRegex: z.boolean(), isEqual: z.boolean().optional().transform(v => v ?? true)});

const silenceSchema = z.object({
	id: z.string(),
	matchers: z.array(matcherSchema),
	startsAt: z.string(),
	endsAt: z.string(),
	updatedAt: z.string(),
	createdBy: z.string(),
	comment: z.string(),
	status: z.object({state: z.enum(['active', 'pending', 'expired'])}),
});

const groupSchema = z.object({labels, receiver: z.object({name: z.string()}), alerts: z.array(alertSchema)});

export type AlertGroupAnswer = {labels: Record<string, string>; receiver: string; alerts: AmAlert[]};

export type PostableAlert = {labels: Record<string, string>; annotations?: Record<string, string>; startsAt?: string; endsAt?: string; generatorURL?: string};

export interface AlertmanagerClient {
	readonly url: string;
	alerts(filter?: {silenced?: boolean; inhibited?: boolean; active?: boolean}): Promise<AmAlert[]>;
	groups(): Promise<AlertGroupAnswer[]>;
	silences(): Promise<Silence[]>;
	createSilence(silence: {matchers: Matcher[]; startsAt: string; endsAt: string; createdBy: string; comment: string}): Promise<string>;
	expireSilence(id: string): Promise<void>;
	/** Alerts posted as Prometheus does (tests and drills). */
	postAlerts(alerts: PostableAlert[]): Promise<void>;
}

export function createAlertmanagerClient(options: {url: string; timeoutMs: number; maxBytes?: number}): AlertmanagerClient {
	const api: JsonApi = createJsonApi({url: options.url, name: `alertmanager ${hostOf(options.url)}`, timeoutMs: options.timeoutMs, maxBytes: options.maxBytes});
	return {
		url: api.url,
		async alerts(filter = {}) {
			const params: Record<string, string> = {};
			for (const [key, value] of Object.entries(filter)) if (value !== undefined) params[key] = String(value);
			return api.request('GET', '/api/v2/alerts', gettableAlerts, {params});
		},
		async groups() {
			const answer = await api.request('GET', '/api/v2/alerts/groups', z.array(groupSchema));
			return answer.map(group => ({labels: group.labels, receiver: group.receiver.name, alerts: group.alerts.map(toAlert)}));
		},
		async silences() {
			const answer = await api.request('GET', '/api/v2/silences', z.array(silenceSchema));
			return answer.map(s => ({id: s.id, matchers: s.matchers, startsAt: s.startsAt, endsAt: s.endsAt, updatedAt: s.updatedAt, createdBy: s.createdBy, comment: s.comment, state: s.status.state}));
		},
		async createSilence(silence) {
			const answer = await api.request('POST', '/api/v2/silences', z.object({silenceID: z.string().min(1)}), {body: silence});
			return answer.silenceID;
		},
		async expireSilence(id) {
			if (!/^[0-9a-fA-F-]{1,64}$/.test(id)) throw new ServiceError(`invalid silence id "${id}"`);
			await api.request('DELETE', `/api/v2/silence/${id}`, z.unknown());
		},
		async postAlerts(alerts) {
			await api.request('POST', '/api/v2/alerts', z.unknown(), {body: alerts});
		},
	};
}

export function toAlert(alert: z.infer<typeof alertSchema>): AmAlert {
	const out: AmAlert = {
		fingerprint: alert.fingerprint,
		labels: alert.labels,
		annotations: alert.annotations,
		startsAt: alert.startsAt,
		endsAt: alert.endsAt,
		updatedAt: alert.updatedAt,
		receivers: alert.receivers,
		state: alert.status.state,
		silencedBy: alert.status.silencedBy,
		inhibitedBy: alert.status.inhibitedBy,
	};
	if (alert.generatorURL) out.generatorURL = alert.generatorURL;
	return out;
}

function hostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return url;
	}
}

// --- several Alertmanagers ---------------------------------------------------------------------------------

/** What every peer said; a peer that failed is an error line, and the others still count. */
export type AlertsAnswer = {alerts: MergedAlert[]; errors: Array<{source: string; error: string}>};
export type SilencesAnswer = {silences: Silence[]; errors: Array<{source: string; error: string}>};

export interface AlertmanagerSet {
	readonly urls: string[];
	readonly clients: AlertmanagerClient[];
	/** Fails only when no peer answers. */
	alerts(): Promise<AlertsAnswer>;
	silences(): Promise<SilencesAnswer>;
	/** Posted to the first peer that takes it: an HA cluster gossips silences to the rest. */
	createSilence(silence: Parameters<AlertmanagerClient['createSilence']>[0]): Promise<{id: string; source: string}>;
	/** Expired on every peer that answers; peers that refused (already expired by gossip, unknown) are listed. */
	expireSilence(id: string): Promise<{sources: string[]; errors: Array<{source: string; error: string}>}>;
}

export function createAlertmanagerSet(urls: readonly string[], options: {timeoutMs: number}): AlertmanagerSet {
	if (urls.length === 0) throw new ServiceError('no Alertmanager configured (alertmanagerUrl or alertmanagerUrls)');
	const clients = urls.map(url => createAlertmanagerClient({url, timeoutMs: options.timeoutMs}));

	async function fanOut<T>(work: (client: AlertmanagerClient) => Promise<T>): Promise<{answers: Array<{source: string; value: T}>; errors: Array<{source: string; error: string}>}> {
		const settled = await Promise.allSettled(clients.map(work));
		const answers: Array<{source: string; value: T}> = [];
		const errors: Array<{source: string; error: string}> = [];
		settled.forEach((result, index) => {
			if (result.status === 'fulfilled') answers.push({source: clients[index].url, value: result.value});
			else errors.push({source: clients[index].url, error: describeError(result.reason)});
		});
		if (answers.length === 0) throw new ServiceError(errors.map(e => e.error).join('; '));
		return {answers, errors};
	}

	return {
		urls: clients.map(c => c.url),
		clients,
		async alerts() {
			const {answers, errors} = await fanOut(client => client.alerts());
			return {alerts: mergeAlerts(answers.map(a => ({source: a.source, alerts: a.value}))), errors};
		},
		async silences() {
			const {answers, errors} = await fanOut(client => client.silences());
			const byId = new Map<string, Silence>();
			for (const answer of answers) for (const silence of answer.value) if (!byId.has(silence.id) || silence.updatedAt > byId.get(silence.id)!.updatedAt) byId.set(silence.id, silence);
			return {silences: [...byId.values()], errors};
		},
		async createSilence(silence) {
			const failures: string[] = [];
			for (const client of clients) {
				try {
					return {id: await client.createSilence(silence), source: client.url};
				} catch (error) {
					// A refusal (4xx) is the same on every peer; only an unreachable peer is worth trying the next.
					if (error instanceof ServiceError && error.status !== undefined && error.status < 500) throw error;
					failures.push(describeError(error));
				}
			}
			throw new ServiceError(failures.join('; '));
		},
		async expireSilence(id) {
			const {answers, errors} = await fanOut(client => client.expireSilence(id));
			return {sources: answers.map(a => a.source), errors};
		},
	};
}

/** The environment's Alertmanagers: `alertmanagerUrls` and `alertmanagerUrl`, each once. */
export function alertmanagerUrls(environment: Pick<EnvironmentConfig, 'alertmanagerUrl' | 'alertmanagerUrls'>): string[] {
	return [...new Set([...(environment.alertmanagerUrls ?? []), ...(environment.alertmanagerUrl ? [environment.alertmanagerUrl] : [])])];
}

// --- guarded, audited silence actions --------------------------------------------------------------------

export type SilenceActionContext = {
	set: AlertmanagerSet;
	environment: string;
	policy: SilencePolicy;
	/** The audit log file (auditFilePath of the environment). */
	auditFile: string;
	now?: () => number;
};

/** A request whose author defaults to the login user. */
export type SilenceInput = Omit<SilenceRequest, 'createdBy'> & {createdBy?: string};

export type SilenceOutcome =
	| {kind: 'created'; id: string; source: string; verdict: GuardVerdict & {kind: 'ok'}}
	| {kind: 'not-created'; verdict: Exclude<GuardVerdict, {kind: 'ok'}>}
	| {kind: 'failed'; error: string};

/**
 * Re-evaluates the guard against the alerts as they are now (the modal's preview may be seconds old), and creates
 * the silence only on `ok`. Every outcome but a needs-confirmation prompt is audited.
 */
export async function createGuardedSilence(context: SilenceActionContext, input: SilenceInput, action: 'create' | 'ack' = 'create'): Promise<SilenceOutcome> {
	const now = context.now ?? Date.now;
	const request: SilenceRequest = {...input, createdBy: input.createdBy ?? currentUser()};
	const {alerts} = await context.set.alerts();
	const verdict = guardSilence(request, alerts, context.environment, context.policy);
	const base = {
		type: 'silence' as const,
		environment: context.environment,
		action,
		user: request.createdBy,
		host: currentHost(),
		matchers: formatMatchers(request.matchers),
		comment: request.comment,
	};
	const audit = (record: Pick<AuditSilence, 'outcome' | 'alerts' | 'detail'> & Partial<AuditSilence>) => appendSilenceRecord(context.auditFile, {...base, time: new Date(now()).toISOString(), ...record});
	if (verdict.kind === 'needs-typed-confirmation') return {kind: 'not-created', verdict};
	if (verdict.kind === 'refused') {
		audit({outcome: 'refused', alerts: verdict.preview?.caught.length ?? 0, detail: verdict.reason});
		return {kind: 'not-created', verdict};
	}
	const startsAt = new Date(now()).toISOString();
	const endsAt = new Date(now() + request.durationMs).toISOString();
	try {
		const created = await context.set.createSilence({matchers: request.matchers, startsAt, endsAt, createdBy: request.createdBy, comment: request.comment});
		audit({outcome: 'done', silenceId: created.id, endsAt, alerts: verdict.preview.caught.length, detail: `created on ${created.source}`});
		return {kind: 'created', id: created.id, source: created.source, verdict};
	} catch (error) {
		const message = describeError(error);
		audit({outcome: 'failed', endsAt, alerts: verdict.preview.caught.length, detail: message});
		return {kind: 'failed', error: message};
	}
}

export type ExpireOutcome = {kind: 'expired'; willFire: MergedAlert[]; sources: string[]} | {kind: 'refused'; reason: string} | {kind: 'failed'; error: string};

export async function expireGuardedSilence(context: SilenceActionContext, id: string, user: string = currentUser()): Promise<ExpireOutcome> {
	const now = context.now ?? Date.now;
	const [{alerts}, {silences}] = await Promise.all([context.set.alerts(), context.set.silences()]);
	const silence = silences.find(s => s.id === id);
	const guard = guardExpire(silence, id);
	const base = {type: 'silence' as const, environment: context.environment, action: 'expire' as const, user, host: currentHost(), silenceId: id, matchers: silence ? formatMatchers(silence.matchers) : '', comment: silence?.comment ?? ''};
	const audit = (record: Pick<AuditSilence, 'outcome' | 'alerts' | 'detail'>) => appendSilenceRecord(context.auditFile, {...base, time: new Date(now()).toISOString(), ...record});
	if (guard.kind === 'refused') {
		audit({outcome: 'refused', alerts: 0, detail: guard.reason});
		return guard;
	}
	const {willFire} = previewExpire(silence!, alerts, silences);
	try {
		const {sources} = await context.set.expireSilence(id);
		audit({outcome: 'done', alerts: willFire.length, detail: `expired on ${sources.join(', ')}`});
		return {kind: 'expired', willFire, sources};
	} catch (error) {
		const message = describeError(error);
		audit({outcome: 'failed', alerts: willFire.length, detail: message});
		return {kind: 'failed', error: message};
	}
}
