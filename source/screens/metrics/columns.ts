import type {TableColumn} from '../../components/Table.js';
import type {PromTarget, ServiceMetrics} from '../../services/prometheus.js';
import type {ServiceHistory} from '../../store/slices/metrics.js';
import {sparkline} from '../../components/Sparkline.js';
import {formatAge, formatLatency} from '../../util/format.js';

export type MetricRow = {service: string; now?: ServiceMetrics; history?: ServiceHistory};

const dash = '-';
const rate = (value: number | undefined) => (value === undefined ? dash : value >= 100 ? value.toFixed(0) : value.toFixed(2));
const share = (value: number | undefined) => (value === undefined ? dash : `${(value * 100).toFixed(value < 0.1 ? 2 : 1)}%`);

export function overTarget(p95Seconds: number | undefined, targetMs: number): boolean {
	return p95Seconds !== undefined && p95Seconds * 1000 > targetMs;
}

/** Request rate, error rate and p95 now, with the last hour beside each; p95 over the target is marked and red. */
export function metricColumns(targetMs: number, spark: readonly string[], overMark: string): ReadonlyArray<TableColumn<MetricRow>> {
	return [
		{key: 'service', header: 'SERVICE', width: 20, render: r => r.service, priority: 0},
		{key: 'rps', header: 'REQ/S', width: 7, align: 'right', render: r => rate(r.now?.requestRate), priority: 0},
		{key: 'rpsTrend', header: 'LAST HOUR', width: 12, render: r => sparkline(r.history?.requestRate ?? [], 12, undefined, spark), priority: 3},
		{key: 'errors', header: 'ERRORS', width: 7, align: 'right', render: r => share(r.now?.errorRate), color: r => ((r.now?.errorRate ?? 0) > 0.01 ? 'crit' : undefined), priority: 0},
		{key: 'errTrend', header: 'LAST HOUR', width: 12, render: r => sparkline(r.history?.errorRate ?? [], 12, undefined, spark), priority: 4},
		{
			key: 'p95',
			header: `P95<${formatLatency(targetMs)}`,
			width: 10,
			align: 'right',
			render: r => (r.now?.p95Seconds === undefined ? dash : `${overTarget(r.now.p95Seconds, targetMs) ? `${overMark} ` : ''}${formatLatency(r.now.p95Seconds * 1000)}`),
			color: r => (overTarget(r.now?.p95Seconds, targetMs) ? 'crit' : 'ok'),
			priority: 0,
		},
		// Scaled to at least twice the target: a p95 at the target sits at half height, one over it above.
		{key: 'p95Trend', header: 'LAST HOUR', width: 12, render: r => sparkline(r.history?.p95Seconds ?? [], 12, Math.max((2 * targetMs) / 1000, ...(r.history?.p95Seconds ?? []).filter(Number.isFinite)), spark), priority: 2},
	];
}

const healthRank = {down: 0, unknown: 1, up: 2} as const;

/** Down first, then unknown, then up; by job and instance within. */
export function sortTargets(targets: readonly PromTarget[]): PromTarget[] {
	return [...targets].sort((a, b) => healthRank[a.health] - healthRank[b.health] || a.job.localeCompare(b.job) || a.instance.localeCompare(b.instance));
}

export function targetColumns(now: number): ReadonlyArray<TableColumn<PromTarget>> {
	return [
		{key: 'health', header: 'HEALTH', width: 7, render: t => t.health, color: t => (t.health === 'up' ? 'ok' : t.health === 'down' ? 'crit' : 'warn'), priority: 0},
		{key: 'job', header: 'JOB', width: 20, render: t => t.job, priority: 0},
		{key: 'instance', header: 'INSTANCE', width: 18, render: t => t.instance, priority: 1},
		{
			key: 'scrape',
			header: 'SCRAPED',
			width: 9,
			align: 'right',
			render: t => {
				const at = Date.parse(t.lastScrape);
				return Number.isFinite(at) && at > 0 ? formatAge(Math.max(0, now - at)) : 'never';
			},
			priority: 2,
		},
		{key: 'error', header: 'LAST ERROR', width: 16, render: t => t.lastError || '', color: t => (t.lastError ? 'crit' : undefined), priority: 1},
	];
}
