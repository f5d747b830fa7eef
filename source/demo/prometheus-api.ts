/**
 * The demo's Prometheus: the HTTP API v1 subset botops reads (alerts, rules, targets, instant and range queries
 * for the per-service queries), with JSON shaped as Prometheus documents it. Its alerting rules follow the world:
 * a service down fires ServiceDown, a slow p95 HighLatencyP95, a restart loop ContainerRestarting, each pending
 * for its rule's `for:` first. Alerts go to the demo Alertmanager as Prometheus's notifier sends them.
 */
import http, {type IncomingMessage, type ServerResponse} from 'node:http';
import {labelSetKey, type Labels} from '../alerts/matchers.js';
import {defaultServiceQueries} from '../services/prometheus.js';
import {platformHttpServices, type PlatformService} from './catalog.js';
import type {DemoMetrics} from './metrics.js';
import type {World} from './world.js';

export type RuleName = 'ServiceDown' | 'HighLatencyP95' | 'ContainerRestarting' | 'MongoReplicationLag' | 'DiskSpaceLow';

/** `for:` of each rule, ms. */
export const defaultAlertFor: Record<RuleName, number> = {ServiceDown: 30_000, HighLatencyP95: 60_000, ContainerRestarting: 30_000, MongoReplicationLag: 30_000, DiskSpaceLow: 30_000};

/** The drills' rules (mongo-replication-lag, disk-pressure), as mongodb_exporter and node_exporter would feed them. */
export const replicationLagQuery = 'mongodb_mongod_replset_member_replication_lag{set="rs0"} > 1';
export const diskUsedQuery = '(1 - node_filesystem_avail_bytes{mountpoint="/data/db"} / node_filesystem_size_bytes{mountpoint="/data/db"}) * 100 > 90';
const diskThresholdPercent = 90;
const replicationLagThresholdSeconds = 1;

export type AlertReceiver = {receive(alerts: Array<{labels: Labels; annotations: Labels; startsAt: string; endsAt?: string; generatorURL: string}>): void};

type Rule = {name: RuleName; query: string; forMs: number; labels: Labels; annotations: (labels: Labels) => Labels};

type ActiveAlert = {labels: Labels; annotations: Labels; activeAt: number; firing: boolean; value: number};

const restartWindowMs = 15 * 60_000;
const latencyTargetSeconds = 0.5;

export type DemoPrometheus = {
	url: string;
	port: number;
	/** Evaluates the rules now (the API does it on every call and a 1 s timer between calls). */
	evaluate(now?: number): void;
	close(): Promise<void>;
};

export async function startDemoPrometheus(world: World, options: {metrics: DemoMetrics; ports: Record<PlatformService, number>; receiver?: AlertReceiver; alertFor?: Partial<Record<RuleName, number>>}): Promise<DemoPrometheus> {
	const forMs = {...defaultAlertFor, ...options.alertFor};
	const {metrics} = options;
	const services = platformHttpServices.map(s => s.service);
	const rules: Rule[] = [
		{
			name: 'ServiceDown',
			query: 'up == 0',
			forMs: forMs.ServiceDown,
			labels: {severity: 'critical'},
			annotations: l => ({summary: `${l['service']} is down`, description: `Prometheus cannot scrape ${l['instance']}.`, runbook_url: 'runbook://restart-service'}),
		},
		{
			name: 'HighLatencyP95',
			query: `histogram_quantile(0.95, sum by (job) (rate(http_request_duration_seconds_bucket[5m]))) > ${latencyTargetSeconds}`,
			forMs: forMs.HighLatencyP95,
			labels: {severity: 'warning'},
			annotations: l => ({summary: `${l['service']} p95 latency above 500 ms`, description: 'The manual\'s midday check: API latency < 500ms p95.'}),
		},
		{
			name: 'ContainerRestarting',
			query: 'increase(container_restarts_total[15m]) > 0',
			forMs: forMs.ContainerRestarting,
			labels: {severity: 'warning'},
			annotations: l => ({summary: `${l['service']} is restarting`, description: 'The container restarted in the last 15 minutes.', runbook_url: 'runbook://restart-service'}),
		},
		{
			name: 'MongoReplicationLag',
			query: replicationLagQuery,
			forMs: forMs.MongoReplicationLag,
			labels: {severity: 'critical'},
			annotations: l => ({summary: `${l['member']} is behind the primary`, description: "The manual's check: replication lag < 1 s.", runbook_url: 'runbook://restart-service'}),
		},
		{
			name: 'DiskSpaceLow',
			query: diskUsedQuery,
			forMs: forMs.DiskSpaceLow,
			labels: {severity: 'critical'},
			annotations: l => ({summary: `${l['service']}: ${l['mountpoint']} over ${diskThresholdPercent} % full`, description: 'The data volume fills up; mongod stops when it is full.', runbook_url: 'runbook://restart-service'}),
		},
	];
	const active = new Map<RuleName, Map<string, ActiveAlert>>(rules.map(r => [r.name, new Map()]));
	const restarts = new Map<string, Array<{time: number; count: number}>>();
	let lastEvaluation = 0;
	let url = '';

	/** The database is scraped through an exporter the demo does not serve: its target's health follows the database. */
	const targets: Array<{job: string; instance: string; container: string}> = [
		...services.map(s => ({job: s, instance: `127.0.0.1:${options.ports[s]}`, container: s})),
		{job: 'mongodb-primary', instance: 'mongodb-exporter:9216', container: 'mongodb-primary'},
	];

	const lagLabels: Labels = {job: 'mongodb-primary', instance: 'mongodb-exporter:9216', set: 'rs0', member: 'mongodb-secondary:27017', service: 'mongodb-primary'};
	const diskLabels: Labels = {job: 'node', instance: 'node-exporter:9100', mountpoint: '/data/db', device: '/dev/nvme1n1', service: 'mongodb-primary'};

	/** Which label sets each rule's expression returns right now, with the sample value. */
	function conditions(now: number): Map<RuleName, Array<{labels: Labels; value: number; since?: number}>> {
		const out = new Map<RuleName, Array<{labels: Labels; value: number; since?: number}>>();
		// Down since the container stopped: Prometheus restores a rule's for-state, so a drill that starts with a
		// service long down (mongo-down) fires at once.
		out.set(
			'ServiceDown',
			targets.filter(t => !world.get(t.container).isUp).map(t => ({labels: {job: t.job, instance: t.instance, service: t.job}, value: 0, since: world.get(t.container).finishedAt})),
		);
		out.set(
			'HighLatencyP95',
			services.flatMap(s => {
				const p95 = metrics.quantile(s, 0.95, 5 * 60_000, now);
				return p95 !== undefined && p95 > latencyTargetSeconds ? [{labels: {job: s, service: s}, value: p95}] : [];
			}),
		);
		out.set(
			'ContainerRestarting',
			world.containers.flatMap(c => {
				// Change points only (a fleet of 1,000 containers evaluated every second must not grow a sample each).
				const history = restarts.get(c.name) ?? [{time: now, count: c.restartCount}];
				if (history.at(-1)!.count !== c.restartCount) history.push({time: now, count: c.restartCount});
				// history[0] is the count in effect at the window's start (or when observation began, if later).
				while (history.length > 1 && history[1].time <= now - restartWindowMs) history.shift();
				restarts.set(c.name, history);
				const increase = c.restartCount - history[0].count;
				return increase > 0 ? [{labels: {container: c.name, service: c.spec.service}, value: increase}] : [];
			}),
		);
		const lagSeconds = world.replicationLagMs(now) / 1000;
		out.set('MongoReplicationLag', lagSeconds > replicationLagThresholdSeconds ? [{labels: lagLabels, value: lagSeconds}] : []);
		const used = world.diskUsedPercent(now);
		out.set('DiskSpaceLow', used > diskThresholdPercent && world.get('mongodb-primary').isUp ? [{labels: diskLabels, value: used}] : []);
		return out;
	}

	function evaluate(now = world.now()): void {
		world.tick(now);
		metrics.advance(now);
		lastEvaluation = now;
		const found = conditions(now);
		const notify: Parameters<AlertReceiver['receive']>[0] = [];
		for (const rule of rules) {
			const current = active.get(rule.name)!;
			const seen = new Set<string>();
			for (const {labels: sampleLabels, value, since} of found.get(rule.name) ?? []) {
				const labels = {alertname: rule.name, ...sampleLabels, ...rule.labels};
				const key = labelSetKey(labels);
				seen.add(key);
				const alert = current.get(key) ?? {labels, annotations: rule.annotations(labels), activeAt: Math.min(now, since ?? now), firing: false, value};
				alert.value = value;
				if (!alert.firing && now - alert.activeAt >= rule.forMs) alert.firing = true;
				current.set(key, alert);
				if (alert.firing) notify.push({labels, annotations: alert.annotations, startsAt: new Date(alert.activeAt + rule.forMs).toISOString(), generatorURL: generatorUrl(rule)});
			}
			for (const [key, alert] of current) {
				if (seen.has(key)) continue;
				current.delete(key);
				if (alert.firing) notify.push({labels: alert.labels, annotations: alert.annotations, startsAt: new Date(alert.activeAt + rule.forMs).toISOString(), endsAt: new Date(now).toISOString(), generatorURL: generatorUrl(rule)});
			}
		}
		if (notify.length > 0) options.receiver?.receive(notify);
	}

	const generatorUrl = (rule: Rule) => `${url}/graph?g0.expr=${encodeURIComponent(rule.query)}&g0.tab=1`;

	function promAlert(alert: ActiveAlert) {
		return {labels: alert.labels, annotations: alert.annotations, state: alert.firing ? 'firing' : 'pending', activeAt: new Date(alert.activeAt).toISOString(), value: formatValue(alert.value)};
	}

	const handlers: Record<string, (url: URL) => {status: number; body: unknown}> = {
		'/api/v1/alerts': () => ({status: 200, body: success({alerts: rules.flatMap(r => [...active.get(r.name)!.values()].map(promAlert))})}),
		'/api/v1/rules': () => {
			const at = new Date(lastEvaluation).toISOString();
			return {
				status: 200,
				body: success({
					groups: [
						{
							name: 'bot-core',
							file: '/etc/prometheus/rules/bot-core.yml',
							interval: 1,
							evaluationTime: 0.0004,
							lastEvaluation: at,
							rules: rules.map(rule => {
								const alerts = [...active.get(rule.name)!.values()];
								return {
									state: alerts.some(a => a.firing) ? 'firing' : alerts.length > 0 ? 'pending' : 'inactive',
									name: rule.name,
									query: rule.query,
									duration: rule.forMs / 1000,
									labels: rule.labels,
									annotations: {summary: rule.annotations({service: '{{ $labels.service }}', instance: '{{ $labels.instance }}'})['summary']},
									alerts: alerts.map(promAlert),
									health: 'ok',
									evaluationTime: 0.0001,
									lastEvaluation: at,
									type: 'alerting',
								};
							}),
						},
					],
				}),
			};
		},
		'/api/v1/targets': () => {
			const at = new Date(lastEvaluation).toISOString();
			return {
				status: 200,
				body: success({
					activeTargets: targets.map(t => {
						const up = world.get(t.container).isUp;
						const scrapeUrl = `http://${t.instance}/metrics`;
						return {
							discoveredLabels: {__address__: t.instance, __metrics_path__: '/metrics', __scheme__: 'http', job: t.job},
							labels: {instance: t.instance, job: t.job},
							scrapePool: t.job,
							scrapeUrl,
							globalUrl: scrapeUrl,
							lastError: up ? '' : t.job === 'mongodb-primary' ? `Get "${scrapeUrl}": context deadline exceeded` : `Get "${scrapeUrl}": dial tcp ${t.instance}: connect: connection refused`,
							lastScrape: at,
							lastScrapeDuration: up ? 0.0021 : 0.0003,
							health: up ? 'up' : 'down',
							scrapeInterval: '15s',
							scrapeTimeout: '10s',
						};
					}),
					droppedTargets: [],
				}),
			};
		},
		'/api/v1/query': u => {
			const query = u.searchParams.get('query') ?? '';
			const time = u.searchParams.has('time') ? Number(u.searchParams.get('time')) * 1000 : world.now();
			if (!Number.isFinite(time)) return badData(`invalid parameter "time": cannot parse "${u.searchParams.get('time')}" to a valid timestamp`);
			const answer = instant(query, time);
			if ('error' in answer) return badData(answer.error);
			return {status: 200, body: success({resultType: 'vector', result: answer.samples.map(s => ({metric: s.metric, value: [time / 1000, formatValue(s.value)]}))})};
		},
		'/api/v1/query_range': u => {
			const query = u.searchParams.get('query') ?? '';
			const start = Number(u.searchParams.get('start')) * 1000;
			const end = Number(u.searchParams.get('end')) * 1000;
			const step = Number(u.searchParams.get('step')) * 1000;
			if (!Number.isFinite(start) || !Number.isFinite(end) || !(step > 0)) return badData('invalid parameter "start", "end" or "step"');
			if (end < start) return badData('end timestamp must not be before start time');
			if ((end - start) / step > 11_000) return badData('exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
			const series = new Map<string, {metric: Labels; values: Array<[number, string]>}>();
			for (let t = start; t <= end; t += step) {
				const answer = instant(query, t);
				if ('error' in answer) return badData(answer.error);
				for (const sample of answer.samples) {
					const key = labelSetKey(sample.metric);
					const entry = series.get(key) ?? {metric: sample.metric, values: []};
					entry.values.push([t / 1000, formatValue(sample.value)]);
					series.set(key, entry);
				}
			}
			return {status: 200, body: success({resultType: 'matrix', result: [...series.values()]})};
		},
	};

	/** The service queries botops sends by default (any service), and `up`; other PromQL is refused as bad_data. */
	function instant(query: string, time: number): {samples: Array<{metric: Labels; value: number}>} | {error: string} {
		const normalized = query.replace(/\s+/g, ' ').trim();
		// The drills' gauges, without the rules' thresholds: what a Grafana panel would plot.
		if (normalized === replicationLagQuery.replace(/ > 1$/, '')) return {samples: [{metric: {__name__: 'mongodb_mongod_replset_member_replication_lag', ...lagLabels}, value: world.replicationLagMs(time) / 1000}]};
		if (normalized === diskUsedQuery.replace(/ > 90$/, '')) return {samples: [{metric: {instance: diskLabels['instance']!, mountpoint: '/data/db'}, value: world.diskUsedPercent(time)}]};
		if (normalized === 'up') return {samples: targets.map(t => ({metric: {__name__: 'up', instance: t.instance, job: t.job}, value: world.get(t.container).isUp ? 1 : 0}))};
		for (const [which, template] of Object.entries(defaultServiceQueries)) {
			const pattern = new RegExp(`^${template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\$service/g, '([a-z0-9_.-]+)')}$`);
			const match = pattern.exec(normalized);
			if (!match) continue;
			const service = match[1] as PlatformService;
			if (!services.includes(service)) return {samples: []};
			const window = 5 * 60_000;
			const value =
				which === 'requestRate' ? metrics.requestRate(service, window, time) : which === 'errorRate' ? metrics.errorRatio(service, window, time) : metrics.quantile(service, 0.95, window, time);
			return {samples: value === undefined ? [] : [{metric: {}, value}]};
		}
		return {error: `the demo Prometheus answers only "up" and botops's default service queries, not: ${query}`};
	}

	const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
		const requestUrl = new URL(req.url ?? '/', 'http://prometheus');
		let reply: {status: number; body: unknown};
		if (requestUrl.pathname === '/-/ready' || requestUrl.pathname === '/-/healthy') {
			res.writeHead(200, {'Content-Type': 'text/plain; charset=utf-8'});
			res.end(requestUrl.pathname === '/-/ready' ? 'Prometheus Server is Ready.\n' : 'Prometheus Server is Healthy.\n');
			return;
		}
		const handler = handlers[requestUrl.pathname];
		if (!handler) reply = {status: 404, body: {status: 'error', errorType: 'not_found', error: 'not found'}};
		else if (req.method !== 'GET' && req.method !== 'POST') reply = {status: 405, body: {status: 'error', errorType: 'bad_data', error: 'method not allowed'}};
		else {
			evaluate();
			reply = handler(requestUrl);
		}
		const text = JSON.stringify(reply.body);
		res.writeHead(reply.status, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text)});
		res.end(text);
	});
	const port = await new Promise<number>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			resolve(typeof address === 'object' && address ? address.port : 0);
		});
	});
	url = `http://127.0.0.1:${port}`;
	evaluate();
	const timer = setInterval(() => evaluate(), 1000);
	timer.unref();

	return {
		url,
		port,
		evaluate,
		async close() {
			clearInterval(timer);
			server.closeAllConnections();
			await new Promise<void>(resolve => server.close(() => resolve()));
		},
	};
}

function success(data: unknown) {
	return {status: 'success', data};
}

function badData(error: string) {
	return {status: 400, body: {status: 'error', errorType: 'bad_data', error}};
}

/** Prometheus's float formatting in JSON: strings, with NaN and ±Inf spelled as Go does. */
function formatValue(value: number): string {
	if (Number.isNaN(value)) return 'NaN';
	if (value === Infinity) return '+Inf';
	if (value === -Infinity) return '-Inf';
	return String(value);
}
