import type {HealthResult} from '../../services/types.js';
import {percentile} from '../../util/percentile.js';
import {emptyResource, failedResource, type Resource} from '../resource.js';

/** Rolling window for p50/p95: the last 60 probes (2 minutes at the default 2 s refresh). */
export const latencyWindow = 60;
/** Probes in a row without an answer before a service that answered fast counts as down (it hangs). */
export const downAfterTimeouts = 3;
/** A service that answers slowly also times out now and then; it counts as down only once most probes do. */
export const slowDownWindow = 20;
export const slowDownShare = 0.8;
/** Answers in a row needed to leave "down": one lucky answer between timeouts is not a recovery. */
export const upAfterAnswers = 2;
/** Latencies needed before the p95 is judged; the median is, before. */
export const p95MinSamples = 20;
/** Results with bodies kept for the detail view. */
const recentKept = 5;

/** What the probes say about a service: answering within target, answering slowly (or now and then not), or down. */
export type ProbeState = 'ok' | 'slow' | 'down';

export type ServiceHealth = {
	last: HealthResult;
	/**
	 * Latencies of the recent probes, oldest first, timeouts included at the time waited: a probe that gives up
	 * after 3 s is a 3 s answer for the p95, so a service that sometimes times out reads as slow, not as flapping.
	 */
	latencies: number[];
	/** Per entry of `latencies`: whether it was a timeout rather than an answer. */
	timedOut: boolean[];
	p50?: number;
	p95?: number;
	/** Last few results with bodies, newest last, for the detail view. */
	recent: HealthResult[];
	/** Consecutive failed probes. */
	failures: number;
	/** When the service last answered ok: how old the last good data is while it fails. */
	lastOkAt?: number;
	/** Consecutive answered (ok) probes. */
	answers: number;
	/**
	 * The verdict, with hysteresis so that it does not flap per probe. Down: a definite failure (refused, HTTP 5xx,
	 * malformed body) at once; timeouts from a service that answered within target, `downAfterTimeouts` in a row;
	 * timeouts from one that answers slowly, once they are most of the last `slowDownWindow` probes. Down is left
	 * after `upAfterAnswers` answers in a row. Otherwise slow while the p95 (the median, with fewer than
	 * `p95MinSamples` probes) is over target or the last probe timed out, else ok.
	 */
	state: ProbeState;
};

export type HealthSlice = {
	/** One resource per probed service, each fed by its own poller. */
	health: Record<string, Resource<ServiceHealth | undefined>>;
};

function nextState(old: ServiceHealth | undefined, result: HealthResult, next: Omit<ServiceHealth, 'state'>, latencyTargetMs: number): ProbeState {
	const wasDown = old?.state === 'down';
	// Below 20 samples a nearest-rank p95 is the slowest probe (one cold first probe would mark a service slow
	// for 40 s): judge the median until there are enough.
	const typical = next.latencies.length >= p95MinSamples ? next.p95 : next.p50;
	const overTarget = typical !== undefined && typical > latencyTargetMs;
	if (result.ok) return wasDown && next.answers < upAfterAnswers ? 'down' : overTarget ? 'slow' : 'ok';
	if (!result.timedOut || wasDown) return 'down';
	const from = Math.max(0, next.latencies.length - slowDownWindow);
	const answersSlowly = next.latencies.some((latency, i) => i >= from && !next.timedOut[i] && latency > latencyTargetMs);
	if (!answersSlowly) return next.failures >= downAfterTimeouts ? 'down' : 'slow';
	const window = next.timedOut.slice(from);
	return window.filter(Boolean).length >= slowDownShare * slowDownWindow ? 'down' : 'slow';
}

/**
 * Pure update: one probe's result folded into its service's rolling window. `retryAt` is when a failing service
 * is probed next (backoff): until then its data is as fresh as it can be, not stale.
 */
export function healthUpdate(state: Pick<HealthSlice, 'health'>, result: HealthResult, at: number, latencyTargetMs: number, retryAt?: number): Pick<HealthSlice, 'health'> {
	const old = state.health[result.service]?.data;
	const drop = old && old.latencies.length >= latencyWindow ? 1 : 0;
	const latencies = old ? old.latencies.slice(drop) : [];
	const timedOut = old ? old.timedOut.slice(drop) : [];
	if (result.ok || result.timedOut) {
		latencies.push(result.latencyMs);
		timedOut.push(result.timedOut === true);
	}
	const failures = result.ok ? 0 : (old?.failures ?? 0) + 1;
	const answers = result.ok ? (old?.answers ?? 0) + 1 : 0;
	const next = {
		last: result,
		latencies,
		timedOut,
		p50: percentile(latencies, 50),
		p95: percentile(latencies, 95),
		recent: [...(old?.recent.slice(-(recentKept - 1)) ?? []), result],
		failures,
		answers,
		lastOkAt: result.ok ? at : old?.lastOkAt,
	};
	const data: ServiceHealth = {...next, state: nextState(old, result, next, latencyTargetMs)};
	const resource: Resource<ServiceHealth | undefined> = result.ok || retryAt === undefined ? {data, updatedAt: at} : {data, updatedAt: at, retryAt};
	return {health: {...state.health, [result.service]: resource}};
}

/** A probe that could not be made at all (not a service answer): the last data stays, with the error. */
export function healthError(state: Pick<HealthSlice, 'health'>, service: string, error: string, retryAt?: number): Pick<HealthSlice, 'health'> {
	const resource = state.health[service] ?? emptyResource<ServiceHealth | undefined>(undefined);
	return {health: {...state.health, [service]: failedResource(resource, error, retryAt)}};
}

export const createHealthSlice = (): HealthSlice => ({health: {}});
