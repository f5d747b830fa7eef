import {describeError, TimeoutError} from '../../services/errors.js';
import {scrub} from '../../util/secrets.js';
import type {HealthProber, HealthResult} from '../../services/types.js';
import {healthError, healthUpdate} from '../../store/slices/health.js';
import type {PollerDefinition} from '../poller.js';

/**
 * One service's health URL, on its own timer: a probe that hangs holds up only this service's next probe.
 * A failed probe is data about the service (its row says why); a probe that could not be made is the poller's error.
 */
export function healthPoller(prober: HealthProber, service: string, url: string, timing: {intervalMs: number; timeoutMs: number; latencyTargetMs: number}): PollerDefinition<HealthResult> {
	// The prober keeps its own deadline; this one only catches a prober that never settles.
	const timeoutMs = timing.timeoutMs + 1000;
	return {
		name: `health ${service}`,
		intervalMs: timing.intervalMs,
		timeoutMs,
		poll: () => prober.probe(service, url),
		failed: result => !result.ok,
		commit(state, outcome, retry) {
			if (outcome.ok) return healthUpdate(state, outcome.value, outcome.at, timing.latencyTargetMs, retry.retryAt);
			if (outcome.error instanceof TimeoutError) {
				const timedOut: HealthResult = {service, url: scrub(url), ok: false, timedOut: true, latencyMs: timeoutMs, error: outcome.error.message, at: outcome.at};
				return healthUpdate(state, timedOut, outcome.at, timing.latencyTargetMs, retry.retryAt);
			}
			return healthError(state, service, describeError(outcome.error, `health ${service}`), retry.retryAt);
		},
	};
}
