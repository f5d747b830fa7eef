import type {PrometheusClient, ServiceQueries} from '../../services/prometheus.js';
import {describeError} from '../../services/errors.js';
import {prometheusError, prometheusUpdate, seriesError, seriesUpdate, type PrometheusData, type ServiceHistory} from '../../store/slices/metrics.js';
import {dueBy, type PollerDefinition} from '../poller.js';

/** The sparklines' window and resolution: the last hour, one point a minute. */
export const seriesWindowMs = 3_600_000;
export const seriesStepSeconds = 60;
/** Range queries are heavier and move slowly: at most every 30 s, and never more often than the instant poll. */
export const seriesMinIntervalMs = 30_000;
/** Off the Metrics and War room screens nobody sees the sparklines: every 5 minutes (a point is a minute). */
export const seriesHiddenMs = 300_000;

type Timing = {intervalMs: number; timeoutMs: number; now?: () => number};

/** Alerts (pending too), targets and every service's request rate, error rate and p95, in one instant poll. */
export function prometheusPoller(client: PrometheusClient, services: readonly string[], timing: Timing): PollerDefinition<PrometheusData> {
	return {
		name: 'prometheus',
		intervalMs: timing.intervalMs,
		timeoutMs: timing.timeoutMs + 1000,
		async poll() {
			const [alerts, targets, metrics] = await Promise.all([client.alerts(), client.targets(), client.serviceMetrics(services)]);
			return {alerts, targets, services: metrics};
		},
		commit(state, outcome, retry) {
			if (outcome.ok) return prometheusUpdate(outcome.value, outcome.at);
			return prometheusError(state, describeError(outcome.error, 'prometheus'), retry.retryAt);
		},
	};
}

/** The last hour of each service's three figures, for the Metrics screen's sparklines. */
export function prometheusSeriesPoller(client: PrometheusClient, services: readonly string[], timing: Timing): PollerDefinition<Record<string, ServiceHistory>> {
	const now = timing.now ?? Date.now;
	return {
		name: 'prometheus series',
		intervalMs: Math.max(seriesMinIntervalMs, timing.intervalMs),
		cadence: {need: 'series', hiddenMs: Math.max(seriesHiddenMs, timing.intervalMs)},
		timeoutMs: timing.timeoutMs * 2 + 1000,
		async poll() {
			const end = new Date(now());
			const start = new Date(end.getTime() - seriesWindowMs);
			const range = {start, end, stepSeconds: seriesStepSeconds};
			const steps = Math.floor(seriesWindowMs / 1000 / seriesStepSeconds) + 1;
			const history = async (service: string, which: keyof ServiceQueries): Promise<number[]> => {
				const series = await client.serviceSeries(service, which, range);
				// One value per step of the window, aligned on its start: a gap stays a gap (NaN is drawn blank).
				const values = new Array<number>(steps).fill(Number.NaN);
				const first = start.getTime() / 1000;
				for (const point of series[0]?.points ?? []) {
					const index = Math.round((point.time - first) / seriesStepSeconds);
					if (index >= 0 && index < steps) values[index] = point.value;
				}
				return values;
			};
			const entries = await Promise.all(
				services.map(async service => {
					const [requestRate, errorRate, p95Seconds] = await Promise.all([history(service, 'requestRate'), history(service, 'errorRate'), history(service, 'p95')]);
					return [service, {requestRate, errorRate, p95Seconds}] as const;
				}),
			);
			return Object.fromEntries(entries);
		},
		commit(state, outcome, retry) {
			if (outcome.ok) return dueBy(seriesUpdate(outcome.value, outcome.at), 'metricSeries', retry.nextAt);
			return seriesError(state, describeError(outcome.error, 'prometheus range queries'), retry.retryAt);
		},
	};
}
