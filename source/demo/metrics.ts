/**
 * The platform services' Prometheus metrics, as their client libraries would expose them: request counters and a
 * latency histogram from simulated traffic that follows the world (ai-latency-spike is slow, an unhealthy engine answers
 * 503), plus process metrics from the container's counters. The demo's Prometheus API computes its answers from the
 * same history, so the demo and a real Prometheus scraping `/metrics` agree.
 */
import type {PlatformService} from './catalog.js';
import {Prng} from './prng.js';
import type {World} from './world.js';

/** prometheus/client_golang's default buckets, in seconds. */
export const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

type Route = {method: string; path: string; weight: number; latency: 'http' | 'analysis'};

const routes: Record<PlatformService, Route[]> = {
	'rust-core-engine': [
		{method: 'GET', path: '/api/market-data/{symbol}', weight: 0.7, latency: 'http'},
		{method: 'GET', path: '/api/health', weight: 0.2, latency: 'http'},
		{method: 'GET', path: '/api/trading/status', weight: 0.1, latency: 'http'},
	],
	'python-ai-service': [
		{method: 'POST', path: '/api/analyze', weight: 0.6, latency: 'analysis'},
		{method: 'GET', path: '/health', weight: 0.3, latency: 'http'},
		{method: 'GET', path: '/api/model/info', weight: 0.1, latency: 'http'},
	],
	'nextjs-ui-dashboard': [
		{method: 'GET', path: '/', weight: 0.6, latency: 'http'},
		{method: 'GET', path: '/health', weight: 0.4, latency: 'http'},
	],
};

/** Requests per second while up. */
const requestRates: Record<PlatformService, number> = {'rust-core-engine': 42, 'python-ai-service': 6, 'nextjs-ui-dashboard': 9};

/** Latency samples drawn per route per advance; each stands for an equal share of that route's requests. */
const samplesPerRoute = 12;
const historyStepMs = 15_000;
const historyKeepMs = 65 * 60_000;

type SeriesKey = string;
type Counters = {
	requests: Map<SeriesKey, number>;
	buckets: number[];
	sum: number;
	count: number;
	errors: number;
};

type HistoryPoint = {time: number; requests: number; errors: number; buckets: number[]};

/** `base`: the running totals of earlier processes, so the history's rates survive a restart's counter reset. */
type ServiceState = {startedAt: number; lastAt: number; carry: number; counters: Counters; history: HistoryPoint[]; base: HistoryPoint};

export class DemoMetrics {
	private readonly rng: Prng;
	private readonly states = new Map<PlatformService, ServiceState>();

	constructor(
		private readonly world: World,
		seed = world.seed,
	) {
		this.rng = new Prng(seed ^ 0x5eed);
	}

	/** Integrates traffic up to `now` for every running service; a restarted process starts its counters at zero. */
	advance(now = this.world.now()): void {
		for (const service of Object.keys(routes) as PlatformService[]) {
			const container = this.world.get(service);
			let state = this.states.get(service);
			const startedAt = container.startedAt ?? now;
			if (!state || state.startedAt !== startedAt) {
				const history = state?.history ?? [];
				const lastAt = Math.max(startedAt, now - historyStepMs);
				const base = history.at(-1) ?? {time: lastAt, requests: 0, errors: 0, buckets: new Array<number>(latencyBuckets.length + 1).fill(0)};
				state = {startedAt, lastAt, carry: 0, counters: emptyCounters(), history, base};
				if (history.length === 0) history.push(base);
				this.states.set(service, state);
			}
			if (!container.isUp) {
				state.lastAt = now;
				continue;
			}
			this.integrate(service, state, now);
		}
	}

	private integrate(service: PlatformService, state: ServiceState, now: number): void {
		const dt = (now - state.lastAt) / 1000;
		if (dt <= 0) return;
		state.lastAt = now;
		const expected = requestRates[service] * dt + state.carry;
		const total = Math.floor(expected);
		state.carry = expected - total;
		const failing = service === 'rust-core-engine' && !this.world.engineHealth().ok;
		for (const route of routes[service]) {
			const count = Math.round(total * route.weight);
			if (count === 0) continue;
			const status = failing ? '503' : '200';
			const key = seriesKey(route.method, route.path, status);
			state.counters.requests.set(key, (state.counters.requests.get(key) ?? 0) + count);
			if (status.startsWith('5')) state.counters.errors += count;
			const samples = Math.min(count, samplesPerRoute);
			for (let i = 0; i < samples; i++) {
				const share = Math.floor(count / samples) + (i < count % samples ? 1 : 0);
				const seconds = this.latency(service, route) / 1000;
				const bucket = latencyBuckets.findIndex(le => seconds <= le);
				state.counters.buckets[bucket === -1 ? latencyBuckets.length : bucket] += share;
				state.counters.sum += seconds * share;
				state.counters.count += share;
			}
		}
		this.record(state, now);
	}

	/** The world's own latency figures (ai-latency-spike: 1.5-4 s), so metrics and probes tell the same story. */
	private latency(service: PlatformService, route: Route): number {
		if (route.latency === 'analysis') return this.world.aiLatencyMs();
		if (service === 'python-ai-service' && this.world.scenario === 'ai-latency-spike') return this.rng.range(1500, 4000);
		// The drills that make the engine's writes wait (replication lag, a full disk) slow its answers the same way.
		if (service === 'rust-core-engine' && this.world.engineWritesWait()) return this.rng.range(300, 1200);
		return this.rng.range(3, 45);
	}

	private record(state: ServiceState, now: number): void {
		const {base, counters} = state;
		const point: HistoryPoint = {
			time: now,
			requests: base.requests + totalRequests(counters),
			errors: base.errors + counters.errors,
			buckets: cumulative(counters.buckets).map((b, i) => b + base.buckets[i]),
		};
		const last = state.history.at(-1);
		const previous = state.history.at(-2);
		// One point per step: the newest is overwritten until a step has passed since the one before it (the base
		// point is never overwritten). Measured from the newest itself, it would move on with every overwrite, and
		// the history would never grow past two points.
		if (last && last !== base && previous && now - previous.time < historyStepMs) state.history[state.history.length - 1] = point;
		else state.history.push(point);
		while (state.history.length > 2 && now - state.history[0].time > historyKeepMs) state.history.shift();
	}

	/** The text exposition format (version 0.0.4) of one service, at `now`. */
	render(service: PlatformService, now = this.world.now()): string {
		this.advance(now);
		const state = this.states.get(service)!;
		const container = this.world.get(service);
		const lines: string[] = [];
		lines.push('# HELP http_requests_total Total HTTP requests by method, path and status.', '# TYPE http_requests_total counter');
		for (const [key, value] of [...state.counters.requests].sort()) {
			const [method, path, status] = JSON.parse(key) as [string, string, string];
			lines.push(`http_requests_total{method="${method}",path="${escapeLabel(path)}",status="${status}"} ${value}`);
		}
		lines.push('# HELP http_request_duration_seconds HTTP request latency.', '# TYPE http_request_duration_seconds histogram');
		const buckets = cumulative(state.counters.buckets);
		latencyBuckets.forEach((le, i) => lines.push(`http_request_duration_seconds_bucket{le="${le}"} ${buckets[i]}`));
		lines.push(`http_request_duration_seconds_bucket{le="+Inf"} ${buckets[latencyBuckets.length]}`);
		lines.push(`http_request_duration_seconds_sum ${round(state.counters.sum)}`, `http_request_duration_seconds_count ${state.counters.count}`);
		lines.push('# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.', '# TYPE process_cpu_seconds_total counter');
		lines.push(`process_cpu_seconds_total ${round(container.counters.cpuTotalNs / 1e9)}`);
		lines.push('# HELP process_resident_memory_bytes Resident memory size in bytes.', '# TYPE process_resident_memory_bytes gauge');
		lines.push(`process_resident_memory_bytes ${Math.round(container.memAnon)}`);
		lines.push('# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.', '# TYPE process_start_time_seconds gauge');
		lines.push(`process_start_time_seconds ${round((container.startedAt ?? now) / 1000)}`);
		return `${lines.join('\n')}\n`;
	}

	/** Requests per second over the window ending at `now` (PromQL `rate(http_requests_total[5m])`, summed). */
	requestRate(service: PlatformService, windowMs: number, now = this.world.now()): number | undefined {
		const span = this.window(service, windowMs, now);
		return span ? (span.to.requests - span.from.requests) / span.seconds : undefined;
	}

	/** 5xx share of requests over the window; undefined without traffic (PromQL's NaN). */
	errorRatio(service: PlatformService, windowMs: number, now = this.world.now()): number | undefined {
		const span = this.window(service, windowMs, now);
		if (!span) return undefined;
		const requests = span.to.requests - span.from.requests;
		return requests > 0 ? (span.to.errors - span.from.errors) / requests : undefined;
	}

	/** `histogram_quantile(q, …rate(bucket[window]))`, with Prometheus's linear interpolation inside a bucket. */
	quantile(service: PlatformService, q: number, windowMs: number, now = this.world.now()): number | undefined {
		const span = this.window(service, windowMs, now);
		if (!span) return undefined;
		const counts = span.to.buckets.map((b, i) => b - span.from.buckets[i]);
		return histogramQuantile(q, counts);
	}

	private window(service: PlatformService, windowMs: number, now: number): {from: HistoryPoint; to: HistoryPoint; seconds: number} | undefined {
		this.advance(now);
		const history = this.states.get(service)?.history ?? [];
		const inWindow = history.filter(p => p.time <= now && p.time >= now - windowMs);
		if (inWindow.length < 2) return undefined;
		const from = inWindow[0];
		const to = inWindow.at(-1)!;
		const seconds = (to.time - from.time) / 1000;
		return seconds > 0 ? {from, to, seconds} : undefined;
	}
}

/** Prometheus's bucketQuantile over cumulative counts for `latencyBuckets` and +Inf. */
export function histogramQuantile(q: number, cumulativeCounts: readonly number[]): number | undefined {
	const total = cumulativeCounts.at(-1) ?? 0;
	if (total === 0) return undefined;
	const rank = q * total;
	let index = cumulativeCounts.findIndex(c => c >= rank);
	if (index === latencyBuckets.length) return latencyBuckets.at(-1);
	if (index === -1) index = latencyBuckets.length - 1;
	const upper = latencyBuckets[index];
	const lower = index === 0 ? 0 : latencyBuckets[index - 1];
	const below = index === 0 ? 0 : cumulativeCounts[index - 1];
	const inBucket = cumulativeCounts[index] - below;
	return inBucket === 0 ? upper : lower + ((upper - lower) * (rank - below)) / inBucket;
}

function emptyCounters(): Counters {
	return {requests: new Map(), buckets: new Array<number>(latencyBuckets.length + 1).fill(0), sum: 0, count: 0, errors: 0};
}

function seriesKey(method: string, path: string, status: string): SeriesKey {
	return JSON.stringify([method, path, status]);
}

function totalRequests(counters: Counters): number {
	let total = 0;
	for (const value of counters.requests.values()) total += value;
	return total;
}

function cumulative(buckets: readonly number[]): number[] {
	let running = 0;
	return buckets.map(b => (running += b));
}

function escapeLabel(value: string): string {
	return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function round(value: number): number {
	return Math.round(value * 1000) / 1000;
}
