import {randomBytes} from 'node:crypto';
import type {EnvironmentConfig} from '../config/schema.js';
import {sanitise} from '../logs/sanitise.js';
import type {AuditSink, RefusalKind} from '../services/audit.js';
import {currentHost, currentUser} from '../services/audit.js';
import type {KubeTarget} from '../services/kubernetes-ops.js';
import type {DockerService, HealthProber} from '../services/types.js';
import type {MongoService} from '../services/types-mongo.js';
import {environmentSecrets, maskInputs, scrub as scrubSecrets} from '../util/secrets.js';
import {defaultRegistry} from './actions/registry.js';
import {abortError} from './actions/sleep.js';
import type {ActionContext, ActionRegistry, ActionResult} from './actions/types.js';
import {isSecretInput} from './inputs.js';
import {changesByKind, isConfirmed, nestedCalls, planInternals, type Plan, type PlanInternals, type PlannedStep} from './plan.js';
import type {Runbook} from './schema.js';
import {stamp} from './template.js';

export type StepStatus = 'ok' | 'failed' | 'aborted' | 'not-run';
export type RunOutcome = 'ok' | 'failed' | 'aborted' | 'refused';

export type StepReport = {
	phase: PlannedStep['phase'];
	id: string;
	title: string;
	mutating: boolean;
	status: StepStatus;
	elapsedMs?: number;
	detail?: string;
	/** The last lines of output (scrubbed). */
	output?: string;
};

export type RunResult = {
	runId: string;
	runbook: string;
	environment: string;
	outcome: RunOutcome;
	steps: StepReport[];
	ran: string[];
	notRun: string[];
	/** One or two sentences: what changed, what did not, what to look at. */
	state: string;
	elapsedMs: number;
	/** Set when an audit record could not be written after the run started. */
	auditError?: string;
};

/** Everything a UI or the CLI needs to draw progress; no event carries a secret. */
export type RunEvent =
	| {type: 'run-started'; runId: string; plan: Plan}
	| {type: 'step-started'; step: PlannedStep}
	| {type: 'step-output'; step: PlannedStep; line: string}
	| {type: 'confirm-requested'; step: PlannedStep; prompt: string}
	| {type: 'step-finished'; step: PlannedStep; status: StepStatus; elapsedMs: number; detail: string}
	| {type: 'run-finished'; result: RunResult};

export type RunDeps = {
	docker?: DockerService;
	health: HealthProber;
	mongo?: MongoService;
	/** The environment's Kubernetes namespace, for k8s.* actions (and service.* resolved to them). */
	kube?: KubeTarget;
	env?: NodeJS.ProcessEnv;
	registry?: ActionRegistry;
	audit?: AuditSink;
	now?: () => Date;
};

export type RunOptions = {
	/** The operator's answer to plan.confirmation: true for yes, or the typed text. */
	confirmation?: boolean | string;
	/** Aborts between steps; waits, verifies and confirmations are cancelled at once, a running change is let finish. */
	signal?: AbortSignal;
	onEvent?: (event: RunEvent) => void;
	/** Answers `confirm` steps; without it they are declined. */
	confirm?: (prompt: string, step: PlannedStep) => Promise<boolean>;
	user?: string;
	host?: string;
};

class StepTimeout extends Error {
	override name = 'StepTimeout';
}

/**
 * Runs a plan built by buildPlan(). Refuses before doing anything when the plan has blockers (read-only
 * mode with mutating steps included), when the confirmation does not match, or when the audit log cannot
 * be written; otherwise preconditions, then steps in order, auditing each result as it lands.
 */
export async function executePlan(plan: Plan, deps: RunDeps, options: RunOptions = {}): Promise<RunResult> {
	const internal = planInternals(plan);
	const registry = deps.registry ?? defaultRegistry();
	const now = deps.now ?? (() => new Date());
	const env = deps.env ?? process.env;
	const secrets = internal.secrets;
	const scrub = (text: string) => scrubSecrets(text, secrets);
	const emit = (event: RunEvent) => {
		try {
			options.onEvent?.(event);
		} catch {
			// A broken view must not break a run that is changing production.
		}
	};
	const runId = `${stamp(now())}-${randomBytes(3).toString('hex')}`;
	const user = options.user ?? currentUser(env);
	const host = options.host ?? currentHost();
	const all = [...plan.preconditions, ...plan.steps];
	const reports = new Map<PlannedStep, StepReport>(
		all.map(s => [s, {phase: s.phase, id: s.id, title: s.title, mutating: s.mutating, status: 'not-run'}]),
	);
	const started = performance.now();
	let auditError: string | undefined;

	const audit = (record: Parameters<AuditSink['append']>[0]) => {
		if (!deps.audit) return;
		try {
			deps.audit.append(record);
		} catch (error) {
			auditError = `audit: ${(error as Error).message}`;
		}
	};
	/** What a step's records (its start and its result) carry. */
	const stepRef = (step: PlannedStep) => ({
		runId,
		time: now().toISOString(),
		environment: plan.environment,
		runbook: plan.runbook.id,
		phase: step.phase,
		step: step.id,
		title: step.title,
	});
	const finish = (outcome: RunOutcome, state: string, refusal?: RefusalKind): RunResult => {
		const steps = all.map(s => reports.get(s)!);
		const result: RunResult = {
			runId,
			runbook: plan.runbook.id,
			environment: plan.environment,
			outcome,
			steps,
			ran: steps.filter(s => s.status !== 'not-run').map(s => s.id),
			notRun: steps.filter(s => s.status === 'not-run').map(s => s.id),
			state: scrub(state),
			elapsedMs: Math.round(performance.now() - started),
			auditError,
		};
		audit({
			type: 'run-end',
			runId,
			time: now().toISOString(),
			user,
			host,
			environment: plan.environment,
			runbook: plan.runbook.id,
			outcome,
			durationMs: result.elapsedMs,
			state: result.state,
			ran: result.ran,
			notRun: result.notRun,
			...(outcome === 'refused' && refusal ? {refusal} : {}),
		});
		result.auditError = auditError;
		emit({type: 'run-finished', result});
		return result;
	};

	// Read-only is re-judged here from the actions this engine will really call, not only taken from the plan.
	const breaches = plan.readOnly ? all.filter(s => changesInReadOnly(s, internal, registry)) : [];
	const refusal: {kind: RefusalKind; state: string} | undefined = plan.blockers.length > 0
		? {kind: plan.readOnly && plan.blockers.some(b => b.startsWith('read-only mode')) ? 'read-only' : 'blocked', state: `Refused: ${plan.blockers.join('; ')}. Nothing was changed.`}
		: breaches.length > 0
			? {kind: 'read-only', state: `Refused: read-only mode: ${breaches.map(s => s.id).join(', ')} can change things. Nothing was changed.`}
			: isConfirmed(plan, options.confirmation)
				? undefined
				: {kind: 'not-confirmed', state: `Refused: not confirmed (${plan.confirmation.kind === 'type-environment' ? `type "${plan.confirmation.expected}" exactly` : 'answer yes'}). Nothing was changed.`};

	// The start record is the promise that this run is accounted for: no record, no run.
	if (deps.audit) {
		try {
			deps.audit.append({
				type: 'run-start',
				runId,
				time: now().toISOString(),
				user,
				host,
				environment: plan.environment,
				runbook: plan.runbook.id,
				inputs: plan.inputs,
				readOnly: plan.readOnly,
				plan: all.map(s => ({id: s.id, call: s.line.call})),
				pid: process.pid,
			});
		} catch (error) {
			const result = finish('refused', `Refused: the audit log cannot be written (${(error as Error).message}). Nothing was changed.`, 'audit');
			return {...result, auditError: `audit: ${(error as Error).message}`};
		}
	}
	emit({type: 'run-started', runId, plan});
	if (refusal) return finish('refused', refusal.state, refusal.kind);

	const runTimeout = new AbortController();
	const timer = setTimeout(() => runTimeout.abort(new StepTimeout(`the runbook's ${plan.timeoutMs / 1000} s timeout`)), plan.timeoutMs);
	const signals = [runTimeout.signal, ...(options.signal ? [options.signal] : [])];
	const runSignal = AbortSignal.any(signals);
	const extraSecrets = (value: string) => secrets.add(value);

	try {
		for (const step of all) {
			if (runSignal.aborted) {
				return finish('aborted', stateSentence(plan, reports, {stoppedBefore: step, why: abortReason(options.signal, runTimeout.signal)}));
			}
			const report = reports.get(step)!;
			// Durably on disk before the change begins: a kill mid-change leaves a step-start with no result.
			if (step.mutating && deps.audit) {
				try {
					deps.audit.append({type: 'step-start', ...stepRef(step), call: step.line.call});
				} catch (error) {
					auditError = `audit: ${(error as Error).message}`;
					const why = `the audit log cannot be written (${scrub((error as Error).message)}), so it was not started`;
					return finish('failed', stateSentence(plan, reports, {stoppedBefore: step, why}));
				}
			}
			emit({type: 'step-started', step});
			const stepStarted = performance.now();
			const outputLines: string[] = [];
			let result: ActionResult;
			let status: StepStatus;
			try {
				result = await runStep(step, {
					internal,
					readOnly: plan.readOnly,
					registry,
					deps,
					env,
					now,
					runSignal,
					addSecret: extraSecrets,
					output: line => {
						// Output is foreign text: no escape sequence of it may reach a terminal (sanitise keeps tabs).
						// Known values are masked before (whole, as the program printed them) and after (once colour is gone).
						const clean = scrub(sanitise(scrub(line)));
						outputLines.push(clean);
						if (outputLines.length > 200) outputLines.shift();
						emit({type: 'step-output', step, line: clean});
					},
					confirm: async prompt => {
						emit({type: 'confirm-requested', step, prompt});
						if (!options.confirm) return false;
						return raceAbort(options.confirm(prompt, step), runSignal);
					},
				});
				status = result.ok ? 'ok' : 'failed';
			} catch (error) {
				const aborted = (error as Error)?.name === 'AbortError' && runSignal.aborted && !step.mutating;
				status = aborted ? 'aborted' : 'failed';
				const message = aborted
					? `aborted (${abortReason(options.signal, runTimeout.signal)})`
					: error instanceof StepTimeout
						? `timed out after ${error.message}${step.mutating ? '; its effect is unknown' : ''}`
						: (error as Error)?.message ?? String(error);
				result = {ok: false, output: '', detail: message};
			}
			const elapsedMs = Math.round(performance.now() - stepStarted);
			report.status = status;
			report.elapsedMs = elapsedMs;
			report.detail = scrub(result.detail);
			report.output = scrub([...outputLines.slice(-20), ...(outputLines.length === 0 && result.output ? [result.output.slice(-2000)] : [])].join('\n'));
			audit({
				type: 'step',
				...stepRef(step),
				status,
				durationMs: elapsedMs,
				detail: report.detail,
			});
			emit({type: 'step-finished', step, status, elapsedMs, detail: report.detail});
			if (status === 'aborted') {
				return finish('aborted', stateSentence(plan, reports, {stoppedAt: step, why: abortReason(options.signal, runTimeout.signal)}));
			}
			// A failed precondition is a refusal: the world is not in the state the runbook needs, and nothing was changed.
			if (status === 'failed' && step.phase === 'precondition') {
				return finish('refused', stateSentence(plan, reports, {stoppedAt: step}), 'precondition');
			}
			if (status === 'failed' && step.onFailure === 'stop') {
				return finish('failed', stateSentence(plan, reports, {stoppedAt: step}));
			}
		}
		const failed = all.filter(s => reports.get(s)!.status === 'failed');
		return finish(failed.length > 0 ? 'failed' : 'ok', stateSentence(plan, reports, {}));
	} finally {
		clearTimeout(timer);
	}
}

/** Health for a run refused before its first step, when the backends could not be opened: it is never probed. */
export const unopenedProber: HealthProber = {
	probe: () => Promise.reject(new Error('the backends are not open')),
};

export type RefusalRequest = {
	runbook: Runbook;
	environment: EnvironmentConfig;
	/** As given; secret ones are masked before they are written. */
	inputs: Record<string, unknown>;
	readOnly: boolean;
	kind: RefusalKind;
	/** Why, in a sentence or a list of errors. */
	reason: string;
};

/**
 * Audits a run refused before it had a plan (inputs that do not validate), in the same shape as every other
 * refusal: a run-start with no planned calls and a run-end with outcome "refused". Returns the state sentence.
 */
export function recordRefusal(
	request: RefusalRequest,
	deps: Pick<RunDeps, 'audit' | 'env' | 'now'>,
	options: Pick<RunOptions, 'user' | 'host'> = {},
): {runId: string; state: string; auditError?: string} {
	const now = deps.now ?? (() => new Date());
	const env = deps.env ?? process.env;
	const secrets = new Set(environmentSecrets(request.environment, env));
	const secretInputs = request.runbook.inputs.filter(isSecretInput).map(i => i.name);
	const runId = `${stamp(now())}-${randomBytes(3).toString('hex')}`;
	const state = scrubSecrets(`Refused: ${request.reason}. Nothing was changed.`, secrets);
	const base = {runId, environment: request.environment.name, runbook: request.runbook.id, user: options.user ?? currentUser(env), host: options.host ?? currentHost()};
	if (!deps.audit) return {runId, state};
	try {
		deps.audit.append({
			...base,
			type: 'run-start',
			time: now().toISOString(),
			inputs: maskInputs(request.inputs, secretInputs, secrets),
			readOnly: request.readOnly,
			plan: [],
			pid: process.pid,
		});
		deps.audit.append({
			...base,
			type: 'run-end',
			time: now().toISOString(),
			outcome: 'refused',
			durationMs: 0,
			state,
			ran: [],
			notRun: [...request.runbook.preconditions.map((_p, i) => `pre-${i + 1}`), ...request.runbook.steps.map(s => s.id)],
			refusal: request.kind,
		});
		return {runId, state};
	} catch (error) {
		return {runId, state, auditError: `audit: ${(error as Error).message}`};
	}
}

type StepRuntime = {
	internal: ReturnType<typeof planInternals>;
	readOnly: boolean;
	registry: ActionRegistry;
	deps: RunDeps;
	env: NodeJS.ProcessEnv;
	now: () => Date;
	runSignal: AbortSignal;
	addSecret: (value: string) => void;
	output: (line: string) => void;
	confirm: (prompt: string) => Promise<boolean>;
};

async function runStep(step: PlannedStep, rt: StepRuntime): Promise<ActionResult> {
	const action = rt.registry.get(step.action);
	if (!action) throw new Error(`unknown action ${step.action}`);
	const params = rt.internal.params.get(step);
	// A change already under way is let finish (half a restart is worse than a late abort); anything else stops at once.
	const stepController = new AbortController();
	const onRunAbort = () => stepController.abort(rt.runSignal.reason);
	if (!step.mutating) {
		if (rt.runSignal.aborted) throw abortError();
		rt.runSignal.addEventListener('abort', onRunAbort, {once: true});
	}
	const context: ActionContext = {
		environment: rt.internal.environment,
		containers: rt.internal.containers,
		docker: rt.deps.docker,
		health: rt.deps.health,
		mongo: rt.deps.mongo,
		kube: rt.deps.kube,
		env: rt.env,
		registry: rt.registry,
		output: rt.output,
		confirm: rt.confirm,
		addSecret: rt.addSecret,
		now: rt.now,
		readOnly: rt.readOnly,
	};
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_resolve, reject) => {
		if (step.timeoutMs === undefined) return;
		timer = setTimeout(() => {
			const error = new StepTimeout(`${step.timeoutMs! / 1000} s`);
			stepController.abort(error);
			reject(error);
		}, step.timeoutMs);
	});
	const aborted = new Promise<never>((_resolve, reject) => {
		stepController.signal.addEventListener(
			'abort',
			() => reject(stepController.signal.reason instanceof StepTimeout ? stepController.signal.reason : abortError()),
			{once: true},
		);
	});
	try {
		return await Promise.race([action.run(params, context, stepController.signal), timeout, aborted]);
	} finally {
		clearTimeout(timer);
		rt.runSignal.removeEventListener('abort', onRunAbort);
	}
}

/** A step read-only mode may not run: it is marked as a change, or its action's kind (or a nested call's) is one. */
function changesInReadOnly(step: PlannedStep, internal: PlanInternals, registry: ActionRegistry): boolean {
	if (step.mutating) return true;
	const action = registry.get(step.action);
	if (!action) return true;
	const params = internal.params.get(step);
	const nested = nestedCalls(action, params, registry);
	return typeof nested === 'string' || changesByKind(action, params, nested);
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
	if (signal.aborted) return Promise.reject(abortError());
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(abortError());
		signal.addEventListener('abort', onAbort, {once: true});
		promise.then(
			value => {
				signal.removeEventListener('abort', onAbort);
				resolve(value);
			},
			error => {
				signal.removeEventListener('abort', onAbort);
				reject(error);
			},
		);
	});
}

function abortReason(operator: AbortSignal | undefined, timeout: AbortSignal): string {
	if (operator?.aborted) return 'aborted by the operator';
	if (timeout.aborted) return `stopped by ${(timeout.reason as Error)?.message ?? 'the runbook timeout'}`;
	return 'aborted';
}

/** The sentence an operator reads at 3 a.m.: what changed, where it stopped, what did not run. */
function stateSentence(
	plan: Plan,
	reports: Map<PlannedStep, StepReport>,
	where: {stoppedAt?: PlannedStep; stoppedBefore?: PlannedStep; why?: string},
): string {
	const all = [...plan.preconditions, ...plan.steps];
	const changed = plan.steps.filter(s => s.mutating && reports.get(s)!.status === 'ok');
	const failed = all.filter(s => reports.get(s)!.status === 'failed');
	const notRun = all.filter(s => reports.get(s)!.status === 'not-run');
	const uncertain = failed.filter(s => s.mutating);
	const changes = changed.length > 0
		? `Changed: ${changed.map(s => `${s.id} (${reports.get(s)!.detail})`).join('; ')}.`
		: uncertain.length > 0
			? 'No change completed.'
			: 'Nothing was changed.';
	const unsure = uncertain.length > 0
		? ` ${uncertain.map(s => s.id).join(', ')} failed part-way or timed out: check ${uniqueTargets(uncertain)} before retrying.`
		: '';
	const skipped = notRun.length > 0 ? ` Not run: ${notRun.map(s => s.id).join(', ')}.` : '';
	if (where.stoppedAt) {
		const step = where.stoppedAt;
		const report = reports.get(step)!;
		const how = report.status === 'aborted' ? `was ${where.why ?? 'aborted'}` : `failed: ${report.detail}`;
		const label = step.phase === 'precondition' ? `Precondition "${step.title}"` : `Stopped at ${step.id} ("${step.title}"), which`;
		return `${label} ${how}. ${changes}${unsure}${skipped}`;
	}
	if (where.stoppedBefore) {
		return `Stopped before ${where.stoppedBefore.id} (${where.why ?? 'aborted'}). ${changes}${unsure}${skipped}`;
	}
	if (failed.length > 0) {
		return `Finished with failures in ${failed.map(s => `${s.id} (${reports.get(s)!.detail})`).join('; ')}. ${changes}${unsure}`;
	}
	return `All ${plan.steps.length} steps succeeded. ${changes}`;
}

function uniqueTargets(steps: PlannedStep[]): string {
	return [...new Set(steps.flatMap(s => (s.line.affects && s.line.affects.length > 0 ? s.line.affects : [s.line.target])))].join(', ');
}

export {buildPlan, isConfirmed, type Confirmation, type Plan, type PlannedStep, type PlanOptions, type PlanResult} from './plan.js';
