import {performance} from 'node:perf_hooks';
import type {EnvironmentConfig} from '../config/schema.js';
import {describeError, TimeoutError, withTimeout} from '../services/errors.js';
import type {CheckSettings} from './settings.js';
import type {CheckContext, CheckDefinition, CheckResult, CheckRun, Routine} from './types.js';
import {worstStatus} from './verdict.js';

/** The checks of a routine ("all": every check), in catalog order. */
export function checksOf(catalog: readonly CheckDefinition[], routine: Routine | 'all'): CheckDefinition[] {
	return routine === 'all' ? [...catalog] : catalog.filter(check => check.routines.includes(routine));
}

/** Which checks apply to the environment and which are left out (with why), before anything runs. */
export function planChecks(checks: readonly CheckDefinition[], environment: EnvironmentConfig, settings: CheckSettings): Array<{check: CheckDefinition; leftOut?: string}> {
	return checks.map(check => {
		const applicability = check.appliesTo(environment, settings);
		return applicability.applies ? {check} : {check, leftOut: applicability.reason};
	});
}

/**
 * Runs one check under its deadline. A check that throws (its backend unreachable, an answer it cannot read) or
 * does not finish in time is unknown, with the reason: never pass.
 */
export async function runCheck(check: CheckDefinition, context: CheckContext, timeoutMs: number, signal?: AbortSignal): Promise<CheckResult> {
	const started = performance.now();
	const base = {id: check.id, title: check.title, routines: check.routines, leftOut: false as const};
	try {
		const verdict = await withTimeout(timeoutMs, timeout => check.run(context, signal ? AbortSignal.any([timeout, signal]) : timeout));
		return {...base, verdict, durationMs: performance.now() - started};
	} catch (error) {
		const reason = error instanceof TimeoutError ? `no answer within ${timeoutMs} ms` : describeError(error);
		return {...base, verdict: {status: 'unknown', reason}, durationMs: performance.now() - started};
	}
}

/** The routine's checks side by side, each with its own deadline; left-out checks are listed with their reason. */
export async function runChecks(
	catalog: readonly CheckDefinition[],
	routine: Routine | 'all',
	context: CheckContext,
	options: {signal?: AbortSignal} = {},
): Promise<CheckRun> {
	const at = context.now();
	const started = performance.now();
	const plan = planChecks(checksOf(catalog, routine), context.environment, context.settings);
	const results = await Promise.all(
		plan.map(({check, leftOut}): Promise<CheckResult> | CheckResult =>
			leftOut === undefined ? runCheck(check, context, context.settings.timeoutMs, options.signal) : {id: check.id, title: check.title, routines: check.routines, leftOut: true, reason: leftOut},
		),
	);
	const status = worstStatus(results.flatMap(result => (result.leftOut ? [] : [result.verdict.status])));
	return {environment: context.environment.name, routine, at, durationMs: performance.now() - started, results, status};
}

/** 0 all pass (warnings allowed), 1 any fail, 3 unknowns but no fail. (2 is bad usage or config, before a run.) */
export function checkExitCode(run: Pick<CheckRun, 'results'>): 0 | 1 | 3 {
	const statuses = run.results.flatMap(result => (result.leftOut ? [] : [result.verdict.status]));
	if (statuses.includes('fail')) return 1;
	if (statuses.includes('unknown')) return 3;
	return 0;
}
