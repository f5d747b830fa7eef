/** Prometheus's HTTP API (v1): alerts, targets, rules, and the per-service queries the Metrics screen plots. */
import {z} from 'zod';
import type {PromAlert} from '../alerts/types.js';
import type {EnvironmentConfig} from '../config/schema.js';
import {ServiceError} from './errors.js';
import {createJsonApi, type JsonApi} from './json-api.js';

export type TargetHealth = 'up' | 'down' | 'unknown';

export type PromTarget = {
	/** The scrape job (`scrapePool`). */
	job: string;
	instance: string;
	scrapeUrl: string;
	health: TargetHealth;
	/** ISO time of the last scrape; Prometheus says 0001-01-01T00:00:00Z before the first. */
	lastScrape: string;
	lastError: string;
	lastScrapeDurationSeconds: number;
	labels: Record<string, string>;
};

export type PromRule = {
	group: string;
	name: string;
	type: 'alerting' | 'recording';
	query: string;
	/** Seconds of `for:`. */
	duration: number;
	state?: 'firing' | 'pending' | 'inactive';
	health: string;
	lastError: string;
	labels: Record<string, string>;
	annotations: Record<string, string>;
	alerts: PromAlert[];
};

export type Sample = {metric: Record<string, string>; time: number; value: number};
export type Series = {metric: Record<string, string>; points: Array<{time: number; value: number}>};

/** The per-service queries; `$service` is replaced by the service name. */
export type ServiceQueries = {requestRate: string; errorRate: string; p95: string};

export const defaultServiceQueries: ServiceQueries = {
	requestRate: 'sum(rate(http_requests_total{job="$service"}[5m]))',
	// `or vector(0)`: with no 5xx series at all the ratio is 0, not an empty answer.
	errorRate: '(sum(rate(http_requests_total{job="$service",status=~"5.."}[5m])) or vector(0)) / sum(rate(http_requests_total{job="$service"}[5m]))',
	p95: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="$service"}[5m])))',
};

export type ServiceMetrics = {service: string; requestRate?: number; errorRate?: number; p95Seconds?: number};

export interface PrometheusClient {
	readonly url: string;
	alerts(): Promise<PromAlert[]>;
	targets(): Promise<PromTarget[]>;
	rules(): Promise<PromRule[]>;
	query(promql: string, time?: Date): Promise<Sample[]>;
	queryRange(promql: string, range: {start: Date; end: Date; stepSeconds: number}): Promise<Series[]>;
	serviceMetrics(services: readonly string[]): Promise<ServiceMetrics[]>;
	serviceSeries(service: string, which: keyof ServiceQueries, range: {start: Date; end: Date; stepSeconds: number}): Promise<Series[]>;
}

const labels = z.record(z.string(), z.string());
const optionalLabels = labels.optional().transform(value => value ?? {});

/** Prometheus answers numbers as strings; NaN, +Inf and -Inf included. */
const sampleValue = z.tuple([z.number(), z.string()]).transform(([time, text]) => ({time, value: Number(text)}));

function envelope<T extends z.ZodType>(data: T) {
	return z.union([
		z.object({status: z.literal('success'), data}),
		z.object({status: z.literal('error'), errorType: z.string().optional(), error: z.string()}),
	]);
}

const alertSchema = z.object({
	labels,
	annotations: optionalLabels,
	state: z.enum(['firing', 'pending', 'inactive']),
	activeAt: z.string().optional(),
	value: z.string().optional(),
});

const alertsSchema = envelope(z.object({alerts: z.array(alertSchema)}));

const targetSchema = z.object({
	labels,
	scrapePool: z.string(),
	scrapeUrl: z.string(),
	health: z.enum(['up', 'down', 'unknown']),
	lastScrape: z.string(),
	lastError: z.string(),
	lastScrapeDuration: z.number().optional(),
});
const targetsSchema = envelope(z.object({activeTargets: z.array(targetSchema)}));

const ruleSchema = z.object({
	name: z.string(),
	query: z.string(),
	type: z.enum(['alerting', 'recording']),
	duration: z.number().optional(),
	state: z.enum(['firing', 'pending', 'inactive']).optional(),
	health: z.string().optional(),
	lastError: z.string().optional(),
	labels: optionalLabels,
	annotations: optionalLabels,
	alerts: z.array(alertSchema).optional(),
});
const rulesSchema = envelope(z.object({groups: z.array(z.object({name: z.string(), file: z.string().optional(), rules: z.array(ruleSchema)}))}));

const vectorSchema = envelope(
	z.discriminatedUnion('resultType', [
		z.object({resultType: z.literal('vector'), result: z.array(z.object({metric: labels, value: sampleValue}))}),
		z.object({resultType: z.literal('scalar'), result: sampleValue}),
	]),
);
const matrixSchema = envelope(z.object({resultType: z.literal('matrix'), result: z.array(z.object({metric: labels, values: z.array(sampleValue)}))}));

export type PrometheusOptions = {url: string; timeoutMs: number; queries?: Partial<ServiceQueries>; maxBytes?: number};

export function createPrometheusClient(options: PrometheusOptions): PrometheusClient {
	const api: JsonApi = createJsonApi({url: options.url, name: 'prometheus', timeoutMs: options.timeoutMs, maxBytes: options.maxBytes});
	const queries: ServiceQueries = {...defaultServiceQueries, ...options.queries};

	async function get<T>(path: string, schema: z.ZodType<{status: 'success'; data: T} | {status: 'error'; error: string}>, params?: Record<string, string>): Promise<T> {
		const answer = await api.request('GET', path, schema, {params});
		if (answer.status === 'error') throw new ServiceError(`prometheus: ${path}: ${answer.error}`);
		return answer.data;
	}

	async function query(promql: string, time?: Date): Promise<Sample[]> {
		const params: Record<string, string> = {query: promql};
		if (time) params['time'] = String(time.getTime() / 1000);
		const data = await get('/api/v1/query', vectorSchema, params);
		if (data.resultType === 'scalar') return [{metric: {}, time: data.result.time, value: data.result.value}];
		return data.result.map(r => ({metric: r.metric, time: r.value.time, value: r.value.value}));
	}

	async function queryRange(promql: string, range: {start: Date; end: Date; stepSeconds: number}): Promise<Series[]> {
		if (!(range.stepSeconds > 0)) throw new ServiceError('prometheus: a range query needs a step above zero');
		const data = await get('/api/v1/query_range', matrixSchema, {
			query: promql,
			start: String(range.start.getTime() / 1000),
			end: String(range.end.getTime() / 1000),
			step: String(range.stepSeconds),
		});
		return data.result.map(r => ({metric: r.metric, points: r.values}));
	}

	return {
		url: api.url,
		async alerts() {
			const data = await get('/api/v1/alerts', alertsSchema);
			return data.alerts.map(toPromAlert);
		},
		async targets() {
			const data = await get('/api/v1/targets', targetsSchema, {state: 'active'});
			return data.activeTargets.map(t => ({
				job: t.scrapePool,
				instance: t.labels['instance'] ?? '',
				scrapeUrl: t.scrapeUrl,
				health: t.health,
				lastScrape: t.lastScrape,
				lastError: t.lastError,
				lastScrapeDurationSeconds: t.lastScrapeDuration ?? 0,
				labels: t.labels,
			}));
		},
		async rules() {
			const data = await get('/api/v1/rules', rulesSchema);
			return data.groups.flatMap(group =>
				group.rules.map(rule => ({
					group: group.name,
					name: rule.name,
					type: rule.type,
					query: rule.query,
					duration: rule.duration ?? 0,
					state: rule.state,
					health: rule.health ?? 'unknown',
					lastError: rule.lastError ?? '',
					labels: rule.labels,
					annotations: rule.annotations,
					alerts: (rule.alerts ?? []).map(toPromAlert),
				})),
			);
		},
		query,
		queryRange,
		async serviceMetrics(services) {
			const instant = async (template: string, service: string) => {
				const samples = await query(serviceQuery(template, service));
				const value = samples[0]?.value;
				return value === undefined || Number.isNaN(value) ? undefined : value;
			};
			return Promise.all(
				services.map(async service => {
					const [requestRate, errorRate, p95Seconds] = await Promise.all([instant(queries.requestRate, service), instant(queries.errorRate, service), instant(queries.p95, service)]);
					return {service, requestRate, errorRate, p95Seconds};
				}),
			);
		},
		serviceSeries: (service, which, range) => queryRange(serviceQuery(queries[which], service), range),
	};
}

function toPromAlert(alert: z.infer<typeof alertSchema>): PromAlert {
	const out: PromAlert = {labels: alert.labels, annotations: alert.annotations, state: alert.state};
	if (alert.activeAt) out.activeAt = alert.activeAt;
	if (alert.value !== undefined) out.value = alert.value;
	return out;
}

/** `$service` in a configured query, as a PromQL string literal's content (service names are [a-z0-9_.-]). */
export function serviceQuery(template: string, service: string): string {
	return template.replaceAll('$service', service.replace(/["\\]/g, '\\$&'));
}

/** The environment's Prometheus: `prometheus.url` or the older `prometheusUrl`, and its queries. */
export function prometheusSettings(environment: Pick<EnvironmentConfig, 'prometheus' | 'prometheusUrl'>): {url: string; queries: ServiceQueries} | undefined {
	const url = environment.prometheus?.url ?? environment.prometheusUrl;
	if (!url) return undefined;
	return {url, queries: {...defaultServiceQueries, ...environment.prometheus?.queries}};
}
