import type {PromAlert} from '../../alerts/types.js';
import type {PromTarget, ServiceMetrics} from '../../services/prometheus.js';
import {emptyResource, failedResource, freshResource, type Resource} from '../resource.js';

/** Prometheus's instant view: its alerts (pending included), its targets, and each service's current figures. */
export type PrometheusData = {alerts: PromAlert[]; targets: PromTarget[]; services: ServiceMetrics[]};

/** The last hour of one service, oldest first, one value per step (NaN where Prometheus had none). */
export type ServiceHistory = {requestRate: number[]; errorRate: number[]; p95Seconds: number[]};

export type MetricsSlice = {
	prometheus: Resource<PrometheusData | undefined>;
	/** Per service, from range queries at a slower interval than the instant ones. */
	metricSeries: Resource<Record<string, ServiceHistory>>;
};

export function prometheusUpdate(data: PrometheusData, at: number): Pick<MetricsSlice, 'prometheus'> {
	return {prometheus: freshResource<PrometheusData | undefined>(data, at)};
}

export function prometheusError(state: Pick<MetricsSlice, 'prometheus'>, error: string, retryAt?: number): Pick<MetricsSlice, 'prometheus'> {
	return {prometheus: failedResource(state.prometheus, error, retryAt)};
}

export function seriesUpdate(data: Record<string, ServiceHistory>, at: number): Pick<MetricsSlice, 'metricSeries'> {
	return {metricSeries: freshResource(data, at)};
}

export function seriesError(state: Pick<MetricsSlice, 'metricSeries'>, error: string, retryAt?: number): Pick<MetricsSlice, 'metricSeries'> {
	return {metricSeries: failedResource(state.metricSeries, error, retryAt)};
}

export const createMetricsSlice = (): MetricsSlice => ({prometheus: emptyResource<PrometheusData | undefined>(undefined), metricSeries: emptyResource({})});
