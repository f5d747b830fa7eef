/**
 * The demo's Alertmanager: the v2 API subset botops and amtool use (alerts, alert groups, silences, status), as
 * its OpenAPI spec shapes it. Silences match with the same code as botops's preview (source/alerts/matchers.ts),
 * which the contract tests hold to the real Alertmanager. Several listeners over one state stand for an HA pair
 * whose gossip has converged.
 */
import {createHash, randomUUID} from 'node:crypto';
import http, {type IncomingMessage, type ServerResponse} from 'node:http';
import {groupAlerts} from '../alerts/grouping.js';
import {compileGoRegex, labelSetKey, matchesAll, MatcherError, parseMatchers, type Labels, type Matcher} from '../alerts/matchers.js';
import type {AlertReceiver} from './prometheus-api.js';

type StoredAlert = {labels: Labels; annotations: Labels; startsAt: number; endsAt: number; updatedAt: number; generatorURL: string};
type StoredSilence = {id: string; matchers: Matcher[]; startsAt: number; endsAt: number; updatedAt: number; createdBy: string; comment: string};

/** Alerts without an end time expire this long after their last update, as Alertmanager's resolve_timeout. */
const resolveTimeoutMs = 5 * 60_000;
const groupBy = ['alertname', 'service'];
const receiverName = 'bot-core-oncall';
/** Inhibition as the platform's config has it: a service down mutes that service's warnings. */
const inhibitRules = [{source: {alertname: 'ServiceDown'}, target: {severity: 'warning'}, equal: ['service']}];

export type DemoAlertmanagerState = AlertReceiver & {
	readonly alerts: Map<string, StoredAlert>;
	readonly silences: Map<string, StoredSilence>;
};

export function createAlertmanagerState(clock: () => number): DemoAlertmanagerState & {clock: () => number} {
	const alerts = new Map<string, StoredAlert>();
	return {
		alerts,
		silences: new Map(),
		clock,
		receive(posted) {
			const now = clock();
			for (const alert of posted) {
				const key = labelSetKey(alert.labels);
				const parsedStart = alert.startsAt ? Date.parse(alert.startsAt) : NaN;
				const parsedEnd = alert.endsAt ? Date.parse(alert.endsAt) : NaN;
				const startsAt = Number.isFinite(parsedStart) ? parsedStart : now;
				const endsAt = Number.isFinite(parsedEnd) ? parsedEnd : now + resolveTimeoutMs;
				const previous = alerts.get(key);
				alerts.set(key, {labels: alert.labels, annotations: alert.annotations ?? {}, startsAt: previous && previous.endsAt > now ? Math.min(previous.startsAt, startsAt) : startsAt, endsAt, updatedAt: now, generatorURL: alert.generatorURL ?? ''});
			}
		},
	};
}

export type DemoAlertmanager = {urls: string[]; state: DemoAlertmanagerState; close(): Promise<void>};

export async function startDemoAlertmanager(clock: () => number, options: {peers?: number} = {}): Promise<DemoAlertmanager> {
	const state = createAlertmanagerState(clock);
	const servers: http.Server[] = [];
	const urls: string[] = [];
	for (let i = 0; i < (options.peers ?? 2); i++) {
		const server = http.createServer((req, res) => void respond(state, req, res));
		const port = await new Promise<number>((resolve, reject) => {
			server.once('error', reject);
			server.listen(0, '127.0.0.1', () => {
				const address = server.address();
				resolve(typeof address === 'object' && address ? address.port : 0);
			});
		});
		servers.push(server);
		urls.push(`http://127.0.0.1:${port}`);
	}
	return {
		urls,
		state,
		async close() {
			await Promise.all(
				servers.map(server => {
					server.closeAllConnections();
					return new Promise<void>(resolve => server.close(() => resolve()));
				}),
			);
		},
	};
}

async function respond(state: DemoAlertmanagerState & {clock: () => number}, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	const url = new URL(req.url ?? '/', 'http://alertmanager');
	const send = (status: number, body: unknown) => {
		const text = typeof body === 'string' ? body : JSON.stringify(body);
		res.writeHead(status, {'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json', 'Content-Length': Buffer.byteLength(text)});
		res.end(text);
	};
	// Alertmanager answers a refused silence with a JSON string.
	const sendJson = (status: number, body: unknown) => {
		const text = JSON.stringify(body);
		res.writeHead(status, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text)});
		res.end(text);
	};
	const now = state.clock();
	if (url.pathname === '/-/ready' || url.pathname === '/-/healthy') return send(200, 'OK');
	const parseBody = (): unknown => {
		try {
			return JSON.parse(Buffer.concat(chunks).toString('utf8'));
		} catch {
			return undefined;
		}
	};

	if (url.pathname === '/api/v2/alerts' && req.method === 'GET') {
		let filter: Matcher[];
		try {
			filter = url.searchParams.getAll('filter').flatMap(text => parseMatchers(text));
		} catch (error) {
			return send(400, (error as Error).message);
		}
		const flag = (name: string) => url.searchParams.get(name) !== 'false';
		return send(
			200,
			currentAlerts(state, now).filter(a => matchesAll(filter, a.labels) && (a.status.silencedBy.length === 0 || flag('silenced')) && (a.status.inhibitedBy.length === 0 || flag('inhibited')) && (a.status.state !== 'active' || flag('active'))),
		);
	}
	if (url.pathname === '/api/v2/alerts' && req.method === 'POST') {
		const body = parseBody();
		if (!Array.isArray(body) || !body.every(a => a && typeof a === 'object' && isLabels((a as {labels?: unknown}).labels))) return send(400, 'alerts: a JSON array of alerts with labels');
		state.receive(body as Parameters<AlertReceiver['receive']>[0]);
		return send(200, '');
	}
	if (url.pathname === '/api/v2/alerts/groups' && req.method === 'GET') {
		const alerts = currentAlerts(state, now);
		const merged = alerts.map(a => ({...a, state: a.status.state, silencedBy: a.status.silencedBy, inhibitedBy: a.status.inhibitedBy, receivers: [receiverName], sources: []}));
		const groups = groupAlerts(merged, groupBy);
		const byFingerprint = new Map(alerts.map(a => [a.fingerprint, a]));
		return send(200, groups.map(g => ({labels: g.labels, receiver: {name: receiverName}, alerts: g.alerts.map(a => byFingerprint.get(a.fingerprint)!)})));
	}
	if (url.pathname === '/api/v2/silences' && req.method === 'GET') return send(200, [...state.silences.values()].map(s => silenceJson(s, now)));
	if (url.pathname === '/api/v2/silences' && req.method === 'POST') {
		const body = parseBody() as Record<string, unknown> | undefined;
		const invalid = validateSilence(body, now);
		if (typeof invalid === 'string') return sendJson(400, invalid);
		if (invalid.id && !state.silences.has(invalid.id)) return send(404, `silence ${invalid.id} not found`);
		if (invalid.id) {
			// Alertmanager updates in place when only the comment or the end changes; the demo always expires the old
			// silence and answers a new id, which a client has to handle either way.
			const old = state.silences.get(invalid.id)!;
			old.endsAt = Math.min(old.endsAt, now);
			old.updatedAt = now;
		}
		const id = randomUUID();
		state.silences.set(id, {...invalid, id, updatedAt: now});
		return send(200, {silenceID: id});
	}
	const one = /^\/api\/v2\/silence\/([^/]+)$/.exec(url.pathname);
	if (one) {
		const silence = state.silences.get(one[1]);
		if (!silence) return send(404, `silence ${one[1]} not found`);
		if (req.method === 'GET') return send(200, silenceJson(silence, now));
		if (req.method === 'DELETE') {
			if (silence.endsAt <= now) return send(500, `silence ${silence.id} already expired`);
			silence.endsAt = now;
			silence.updatedAt = now;
			return send(200, '');
		}
	}
	if (url.pathname === '/api/v2/status' && req.method === 'GET')
		return send(200, {
			cluster: {name: 'demo', peers: [], status: 'ready'},
			config: {original: `route:\n  receiver: ${receiverName}\n  group_by: [${groupBy.join(', ')}]\nreceivers:\n- name: ${receiverName}\n`},
			uptime: new Date(now).toISOString(),
			versionInfo: {version: '0.25.0', branch: 'demo', buildDate: '', buildUser: '', goVersion: '', revision: 'demo'},
		});
	return send(404, `not found: ${url.pathname}`);
}

type AlertJson = {
	labels: Labels;
	annotations: Labels;
	startsAt: string;
	endsAt: string;
	updatedAt: string;
	generatorURL: string;
	fingerprint: string;
	receivers: Array<{name: string}>;
	status: {state: 'active' | 'suppressed' | 'unprocessed'; silencedBy: string[]; inhibitedBy: string[]};
};

function currentAlerts(state: DemoAlertmanagerState, now: number): AlertJson[] {
	const live = [...state.alerts.values()].filter(a => a.endsAt > now);
	const silences = [...state.silences.values()].filter(s => s.startsAt <= now && s.endsAt > now);
	const list = live.map(alert => {
		const silencedBy = silences.filter(s => matchesAll(s.matchers, alert.labels)).map(s => s.id);
		const inhibitedBy = live
			.filter(source => source !== alert && inhibitRules.some(rule => inhibits(rule, source.labels, alert.labels)))
			.map(source => fingerprint(source.labels));
		const suppressed = silencedBy.length > 0 || inhibitedBy.length > 0;
		return {
			labels: alert.labels,
			annotations: alert.annotations,
			startsAt: new Date(alert.startsAt).toISOString(),
			endsAt: new Date(alert.endsAt).toISOString(),
			updatedAt: new Date(alert.updatedAt).toISOString(),
			generatorURL: alert.generatorURL,
			fingerprint: fingerprint(alert.labels),
			receivers: [{name: receiverName}],
			status: {state: suppressed ? ('suppressed' as const) : ('active' as const), silencedBy, inhibitedBy},
		};
	});
	return list.sort((a, b) => a.fingerprint.localeCompare(b.fingerprint));
}

function inhibits(rule: (typeof inhibitRules)[number], source: Labels, target: Labels): boolean {
	const has = (labels: Labels, wanted: Labels) => Object.entries(wanted).every(([k, v]) => labels[k] === v);
	if (!has(source, rule.source) || !has(target, rule.target)) return false;
	// Alertmanager: an alert matching both sides does not inhibit itself.
	if (has(target, rule.source) && has(source, rule.target) && labelSetKey(source) === labelSetKey(target)) return false;
	return rule.equal.every(name => (source[name] ?? '') === (target[name] ?? ''));
}

/** 16 hex digits of a hash of the sorted label set, as Alertmanager's fingerprints look. */
function fingerprint(labels: Labels): string {
	return createHash('sha256').update(labelSetKey(labels)).digest('hex').slice(0, 16);
}

function silenceJson(silence: StoredSilence, now: number) {
	const state = silence.endsAt <= now ? 'expired' : silence.startsAt > now ? 'pending' : 'active';
	return {
		id: silence.id,
		status: {state},
		updatedAt: new Date(silence.updatedAt).toISOString(),
		comment: silence.comment,
		createdBy: silence.createdBy,
		endsAt: new Date(silence.endsAt).toISOString(),
		startsAt: new Date(silence.startsAt).toISOString(),
		matchers: silence.matchers,
	};
}

/** Alertmanager 0.25's checks (silence.validateSilence): its messages, its rules, including the empty-string one. */
function validateSilence(body: Record<string, unknown> | undefined, now: number): string | (Omit<StoredSilence, 'updatedAt' | 'id'> & {id?: string}) {
	if (!body || typeof body !== 'object') return 'invalid silence: a JSON object';
	const raw = body['matchers'];
	if (!Array.isArray(raw) || raw.length === 0) return 'invalid silence: at least one matcher required';
	const matchers: Matcher[] = [];
	for (const m of raw as Array<Record<string, unknown>>) {
		if (typeof m?.['name'] !== 'string' || typeof m['value'] !== 'string' || typeof m['isRegex'] !== 'boolean') return 'invalid silence: matchers need name, value and isRegex';
		const matcher = {name: m['name'], value: m['value'], isRegex: m['isRegex'], isEqual: m['isEqual'] !== false};
		if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(matcher.name)) return `invalid silence: invalid label matcher 0: invalid label name "${matcher.name}"`;
		if (matcher.isRegex) {
			try {
				compileGoRegex(matcher.value);
			} catch (error) {
				return `invalid silence: ${error instanceof MatcherError ? error.message : String(error)}`;
			}
		}
		matchers.push(matcher);
	}
	if (matchesAllEmpty(matchers)) return 'silence invalid: at least one matcher must not match the empty string';
	const startsAt = Date.parse(String(body['startsAt']));
	const endsAt = Date.parse(String(body['endsAt']));
	if (!Number.isFinite(startsAt) || !Number.isFinite(endsAt)) return 'invalid silence: startsAt and endsAt are required times';
	if (endsAt < startsAt) return 'invalid silence: end time must not be before start time';
	if (endsAt < now) return 'invalid silence: end time cannot be in the past';
	// Required by the OpenAPI spec, but an empty string passes, as on the real server.
	if (typeof body['createdBy'] !== 'string') return 'createdBy in body is required';
	if (typeof body['comment'] !== 'string') return 'comment in body is required';
	const id = typeof body['id'] === 'string' && body['id'] ? body['id'] : undefined;
	return {id, matchers, startsAt: Math.max(startsAt, now), endsAt, createdBy: body['createdBy'], comment: body['comment']};
}

/**
 * Alertmanager 0.25's check, flaw included (alertmanager#3905): only `=` and `=~` count as matching "", and the
 * regex is tried unanchored, so `foo!~"x.+"` alone passes and silences every alert without `foo`. botops's guard
 * (source/alerts/silence-guard.ts) refuses it before it gets here; the demo accepts what the real server accepts.
 */
function matchesAllEmpty(matchers: Matcher[]): boolean {
	return matchers.every(m => {
		if (!m.isEqual) return false;
		if (!m.isRegex) return m.value === '';
		try {
			return new RegExp(compileGoRegex(m.value).source.replace(/^\^\(\?:/, '(?:').replace(/\)\$$/, ')')).test('');
		} catch {
			return false;
		}
	});
}

function isLabels(value: unknown): value is Labels {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(v => typeof v === 'string');
}
