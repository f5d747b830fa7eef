import type {HealthResult} from '../../services/types.js';
import {percentile} from '../../util/percentile.js';
import {emptyResource, failedResource, type Resource} from '../resource.js';

/** Rolling window for p50/p95: the last 60 probes (2 minutes at the default 2 s refresh). */
export const latencyWindow = 60;
/** Probes in a row without an answer before a slow service counts as down. */
export const downAfterTimeouts = 3;
/** Answers in a row needed to leave "down": one lucky answer between timeouts is not a recovery. */
export const upAfterAnswers = 2;
/** Results with bodies kept for the detail view. */
const recentKept = 5;

export type ServiceHealth = {
	last: HealthResult;
	/**
	 * Latencies of the recent probes, oldest first, timeouts included at the time waited: a probe that gives up
	 * after 3 s is a 3 s answer for the p95, so a service that sometimes times out reads as slow, not as flapping.
	 */
	latencies: number[];
	p50?: number;
	p95?: number;
	/** Last few results with bodies, newest last, for the detail view. */
	recent: HealthResult[];
	/** Consecutive failed probes. */
	failures: number;
	/** Consecutive answered (ok) probes. */
	answers: number;
	/**
	 * Down: a definite failure (refused, HTTP 5xx, malformed body) at once, or `downAfterTimeouts` timeouts in a
	 * row; left only after `upAfterAnswers` answers in a row (hysteresis, so the state does not flap per probe).
	 */
	down: boolean;
};

/** What the probes say about a service: answering within target, answering slowly (or now and then not), or down. */
export type ProbeState = 'ok' | 'slow' | 'down';

export type HealthSlice = {
	/** One resource per probed service, each fed by its own poller. */
	health: Record<string, Resource<ServiceHealth | undefined>>;
};

/** Pure update: one probe's result folded into its service's rolling window. */
export function healthUpdate(state: Pick<HealthSlice, 'health'>, result: HealthResult, at: number): Pick<HealthSlice, 'health'> {
	const old = state.health[result.service]?.data;
	const latencies = old ? old.latencies.slice(old.latencies.length >= latencyWindow ? 1 : 0) : [];
	if (result.ok || result.timedOut) latencies.push(result.latencyMs);
	const failures = result.ok ? 0 : (old?.failures ?? 0) + 1;
	const answers = result.ok ? (old?.answers ?? 0) + 1 : 0;
	const wasDown = old?.down ?? false;
	const down = result.ok ? wasDown && answers < upAfterAnswers : !result.timedOut || wasDown || failures >= downAfterTimeouts;
	const data: ServiceHealth = {
		last: result,
		latencies,
		p50: percentile(latencies, 50),
		p95: percentile(latencies, 95),
		recent: [...(old?.recent.slice(-(recentKept - 1)) ?? []), result],
		failures,
		answers,
		down,
	};
	return {health: {...state.health, [result.service]: {data, updatedAt: at}}};
}

/** A probe that could not be made at all (not a service answer): the last data stays, with the error. */
export function healthError(state: Pick<HealthSlice, 'health'>, service: string, error: string, retryAt?: number): Pick<HealthSlice, 'health'> {
	const resource = state.health[service] ?? emptyResource<ServiceHealth | undefined>(undefined);
	return {health: {...state.health, [service]: failedResource(resource, error, retryAt)}};
}

/** ok within target; slow while the p95 is over target or the last probe timed out; down per `ServiceHealth.down`. */
export function probeState(health: ServiceHealth, latencyTargetMs: number): ProbeState {
	if (health.down) return 'down';
	if (!health.last.ok) return 'slow';
	return health.p95 !== undefined && health.p95 > latencyTargetMs ? 'slow' : 'ok';
}

export const createHealthSlice = (): HealthSlice => ({health: {}});
