import type {EnvironmentConfig} from '../config/schema.js';
import type {KubeTarget} from '../services/kubernetes-ops.js';
import type {ContainerSummary} from '../services/types.js';
import {defaultRegistry} from './actions/registry.js';
import {describeEnvironment, isMutating, type Action, type ActionRegistry, type PlanLine} from './actions/types.js';
import {isSecretInput, validateInputs} from './inputs.js';
import {environmentSecrets, maskInputs, scrub} from '../util/secrets.js';
import type {Runbook} from './schema.js';
import {resolveParams, TemplateError, type InputValue, type TemplateScope} from './template.js';

export type PlannedStep = {
	phase: 'precondition' | 'step';
	index: number;
	id: string;
	title: string;
	kind: 'check' | 'mutate' | 'wait' | 'verify' | 'confirm';
	/** The concrete action that runs (`docker.restart`), after a neutral one (`service.restart`) was resolved. */
	action: string;
	/** The neutral action the runbook named, when it was resolved to `action` for this environment. */
	via?: string;
	mutating: boolean;
	onFailure: 'stop' | 'continue';
	timeoutMs?: number;
	/** Exact target, call and environment, with secrets masked. */
	line: PlanLine;
};

/** What the operator must do before the run may start; Cancel is always the default answer. */
export type Confirmation =
	| {kind: 'none'}
	| {kind: 'yes-no'; prompt: string}
	| {kind: 'type-environment'; prompt: string; expected: string};

export type Plan = {
	runbook: Pick<Runbook, 'id' | 'title' | 'description' | 'key' | 'source'>;
	environment: string;
	environmentLine: string;
	protected: boolean;
	/** Inputs as shown: secrets masked. */
	inputs: Record<string, unknown>;
	preconditions: PlannedStep[];
	steps: PlannedStep[];
	/** Containers (or files, pods) the run changes. */
	affects: string[];
	mutating: boolean;
	readOnly: boolean;
	/** Why this plan will not run (read-only with mutating steps; a missing environment variable); empty when it can. */
	blockers: string[];
	/** Things worth knowing that do not block (Docker did not answer while planning). */
	notes: string[];
	confirmation: Confirmation;
	timeoutMs: number;
	createdAt: number;
};

/** What only the engine sees: real params and the secret values to scrub. Kept off the Plan so a view cannot leak it. */
export type PlanInternals = {
	runbook: Runbook;
	environment: EnvironmentConfig;
	inputs: Record<string, InputValue>;
	params: Map<PlannedStep, unknown>;
	secrets: Set<string>;
	containers?: ContainerSummary[];
};

const internals = new WeakMap<Plan, PlanInternals>();

export function planInternals(plan: Plan): PlanInternals {
	const found = internals.get(plan);
	if (!found) throw new Error('not a plan built by buildPlan()');
	return found;
}

export type PlanOptions = {
	environment: EnvironmentConfig;
	/** Used to show the exact containers a step touches; only a platform that has containers passes it. */
	docker?: {listContainers(): Promise<ContainerSummary[]>};
	/** The Kubernetes namespace, for Kubernetes actions' plan lines and previews (a rollback's diff, HPA bounds). */
	kube?: KubeTarget;
	env?: NodeJS.ProcessEnv;
	registry?: ActionRegistry;
	readOnly?: boolean;
	now?: () => Date;
};

export type PlanResult = {ok: true; plan: Plan} | {ok: false; errors: string[]};

/** validate inputs -> resolve templates -> validate each action's params -> describe every step. */
export async function buildPlan(
	runbook: Runbook,
	rawInputs: Record<string, string | number | boolean>,
	options: PlanOptions,
): Promise<PlanResult> {
	const {environment} = options;
	const env = options.env ?? process.env;
	const registry = options.registry ?? defaultRegistry();
	const now = (options.now ?? (() => new Date()))();
	const {values, errors} = validateInputs(runbook, rawInputs, environment);
	if (errors.length > 0) return {ok: false, errors};

	const secretInputs = new Set(runbook.inputs.filter(isSecretInput).map(i => i.name));
	const secrets = new Set<string>(environmentSecrets(environment, env));
	for (const name of secretInputs) if (values[name] !== undefined) secrets.add(String(values[name]));

	let containers: ContainerSummary[] | undefined;
	const notes: string[] = [];
	if (options.docker) {
		try {
			containers = await options.docker.listContainers();
		} catch (error) {
			notes.push(`docker did not answer while planning (${scrub(String((error as Error)?.message ?? error), secrets)}); targets show configured names`);
		}
	}

	const missingEnv = new Map<string, string>();
	const scope: TemplateScope = {
		inputs: values,
		secretInputs,
		serviceInput: runbook.inputs.find(i => i.type === 'service')?.name,
		environment,
		env,
		now,
	};
	const planErrors: string[] = [];
	const paramsByStep = new Map<PlannedStep, unknown>();
	// A war-room environment is read-only whoever asks: the engine refuses its changes, not only the screens.
	const readOnly = options.readOnly === true || options.environment.warRoom === true;
	/** Steps the runbook says only read, though their action can change anything: read-only mode refuses them too. */
	const claimedReadOnly = new Map<PlannedStep, string>();
	const planOne = (
		phase: PlannedStep['phase'],
		index: number,
		step: {id: string; title: string; kind: PlannedStep['kind']; action: string; params: Record<string, unknown>; onFailure: 'stop' | 'continue'; timeout?: number},
	): PlannedStep | undefined => {
		const where = `${phase === 'precondition' ? 'precondition' : 'step'} ${step.id}`;
		let action = registry.get(step.action);
		if (!action) {
			planErrors.push(`${where}: unknown action "${step.action}"; expected one of ${registry.names().join(', ')}`);
			return undefined;
		}
		let resolved;
		try {
			resolved = resolveParams(step.params, {...scope, onMissingEnv: name => missingEnv.set(name, where)}, secrets);
		} catch (error) {
			if (error instanceof TemplateError) {
				planErrors.push(`${where}: ${error.message}`);
				return undefined;
			}
			throw error;
		}
		let parsed = action.params.safeParse(resolved.value);
		if (!parsed.success) {
			const issue = parsed.error.issues[0]!;
			const key = issue.path.length > 0 ? `params.${issue.path.join('.')}` : 'params';
			const message = issue.message.replace(/^Invalid input: /, '');
			planErrors.push(`${where}: ${key}: ${message.startsWith('expected') ? message : `expected ${message}`}`);
			return undefined;
		}
		// A neutral action becomes this backend's action here, for the real and the masked params alike.
		let display: unknown = resolved.display;
		let via: string | undefined;
		if (action.resolve) {
			const neutral = action;
			let target: {action: string; params: unknown};
			let shownTarget: {action: string; params: unknown} | undefined;
			try {
				target = neutral.resolve!(parsed.data, {environment, containers, kube: options.kube});
				const shownNeutral = neutral.params.safeParse(resolved.display);
				shownTarget = shownNeutral.success ? neutral.resolve!(shownNeutral.data, {environment, containers, kube: options.kube}) : undefined;
			} catch (error) {
				planErrors.push(`${where}: ${scrub((error as Error).message, secrets)}`);
				return undefined;
			}
			const concrete = registry.get(target.action);
			if (!concrete) {
				planErrors.push(`${where}: ${step.action} resolves to unknown action "${target.action}" on ${environment.name}`);
				return undefined;
			}
			parsed = concrete.params.safeParse(target.params);
			if (!parsed.success) {
				const issue = parsed.error.issues[0]!;
				planErrors.push(`${where}: ${step.action} as ${target.action}: params${issue.path.length > 0 ? `.${issue.path.join('.')}` : ''}: ${issue.message.replace(/^Invalid input: /, '')}`);
				return undefined;
			}
			via = step.action;
			action = concrete;
			display = shownTarget?.params;
		}
		// Nested calls (wait's until) are planned like steps: an unknown or changing one is an error now, not at run time.
		const nested = nestedCalls(action, parsed.data, registry);
		if (typeof nested === 'string') {
			planErrors.push(`${where}: ${nested}`);
			return undefined;
		}
		// What the runbook may claim (outside read-only) and what the action's kind says (all read-only believes).
		const declared = step.kind === 'mutate' || isMutating(action, parsed.data, {readOnly: false});
		const byKind = step.kind === 'mutate' || changesByKind(action, parsed.data, nested);
		if (declared && step.kind !== 'mutate') {
			planErrors.push(`${where}: action ${action.name} changes things, so the step's kind must be "mutate" (it is "${step.kind}")`);
			return undefined;
		}
		const mutating = readOnly ? byKind : declared;
		// Every variable the call reads at run time is checked now, with the ${env.*} ones: one list of what is missing.
		try {
			for (const {action: a, params: p} of [{action, params: parsed.data as unknown}, ...nested]) {
				for (const name of a.needsEnv?.(p, {environment, containers, kube: options.kube}) ?? []) {
					const value = env[name];
					if (value === undefined || value === '') missingEnv.set(name, where);
					else secrets.add(value);
				}
			}
		} catch (error) {
			planErrors.push(`${where}: ${scrub((error as Error).message, secrets)}`);
			return undefined;
		}
		// Describe from the masked form; fall back to a generic line if masking broke its shape (a masked number).
		const shown = action.params.safeParse(display);
		let line: PlanLine;
		try {
			line = shown.success
				? action.describe(shown.data, {environment, containers, kube: options.kube})
				: {target: '(secret parameters)', call: action.name, environment: describeEnvironment(environment)};
		} catch (error) {
			planErrors.push(`${where}: ${scrub((error as Error).message, secrets)}`);
			return undefined;
		}
		const planned: PlannedStep = {
			phase,
			index,
			id: step.id,
			title: step.title,
			kind: step.kind,
			action: action.name,
			...(via ? {via} : {}),
			mutating,
			onFailure: step.onFailure,
			timeoutMs: step.timeout === undefined ? undefined : step.timeout * 1000,
			line: {...line, call: scrub(line.call, secrets), target: scrub(line.target, secrets)},
		};
		paramsByStep.set(planned, parsed.data);
		if (readOnly && byKind && !declared) {
			// Name the action that can change things: the step's own, or the one it runs (wait's until).
			const changer = isMutating(action, parsed.data, {readOnly: true}) ? action : nested.find(n => isMutating(n.action, n.params, {readOnly: true}))?.action;
			claimedReadOnly.set(planned, changer?.name ?? action.name);
		}
		return planned;
	};

	const preconditions = runbook.preconditions.map((p, index) =>
		planOne('precondition', index, {id: `pre-${index + 1}`, title: p.title, kind: 'check', action: p.action, params: p.params, onFailure: 'stop'}),
	);
	const steps = runbook.steps.map((s, index) => planOne('step', index, s));
	if (planErrors.length > 0) return {ok: false, errors: planErrors};

	const planned = steps.filter((s): s is PlannedStep => s !== undefined);
	const plannedPreconditions = preconditions.filter((s): s is PlannedStep => s !== undefined);
	const mutating = planned.some(s => s.mutating);
	const blockers: string[] = [];
	// Previews read the live system (a rollback's diff, an HPA's bounds): what they refuse is refused before any call.
	for (const step of [...plannedPreconditions, ...planned]) {
		const action = registry.get(step.action);
		if (!action?.preview) continue;
		try {
			const preview = await action.preview(paramsByStep.get(step), {environment, containers, kube: options.kube});
			if (preview.details && preview.details.length > 0) step.line.details = preview.details.map(line => scrub(line, secrets));
			if (preview.refusal) blockers.push(`${step.id}: ${scrub(preview.refusal, secrets)}`);
		} catch (error) {
			blockers.push(`${step.id}: cannot check it before running (${scrub((error as Error).message, secrets)})`);
		}
	}
	const changers = [...plannedPreconditions, ...planned].filter(s => s.mutating);
	if (readOnly && changers.length > 0) {
		const claimed = changers.filter(s => claimedReadOnly.has(s));
		const why = claimed.length > 0
			? `; ${claimed.map(s => s.id).join(', ')} ${claimed.length === 1 ? 'says it only reads' : 'say they only read'}, but read-only mode goes by the action (${[...new Set(claimed.map(s => claimedReadOnly.get(s)!))].join(', ')} can change anything)`
			: '';
		blockers.push(`read-only mode: refusing ${changers.map(s => s.id).join(', ')} (they change things${why}); nothing will run`);
	}
	for (const [name, where] of missingEnv) blockers.push(`environment variable ${name} is not set (needed by ${where})`);

	const mustType = environment.protected || runbook.confirm === 'environment';
	const confirmation: Confirmation = mustType
		? {kind: 'type-environment', prompt: `Type "${environment.name}" to run ${runbook.title} on ${environment.name}`, expected: environment.name}
		: mutating
			? {kind: 'yes-no', prompt: `Run ${runbook.title} on ${environment.name}? [y/N]`}
			: {kind: 'none'};

	const plan: Plan = {
		runbook: {id: runbook.id, title: runbook.title, description: runbook.description, key: runbook.key, source: runbook.source},
		environment: environment.name,
		environmentLine: describeEnvironment(environment),
		protected: environment.protected,
		inputs: maskInputs(values, secretInputs, secrets),
		preconditions: plannedPreconditions,
		steps: planned,
		affects: [...new Set(planned.filter(s => s.mutating).flatMap(s => s.line.affects ?? []))],
		mutating,
		readOnly,
		blockers,
		notes,
		confirmation,
		timeoutMs: runbook.timeout * 1000,
		createdAt: now.getTime(),
	};
	internals.set(plan, {runbook, environment, inputs: values, params: paramsByStep, secrets, containers});
	return {ok: true, plan};
}

/** The calls an action makes itself (wait's until), validated; a string says why one is not allowed. */
export function nestedCalls(action: Action, params: unknown, registry: ActionRegistry): Array<{action: Action; params: unknown}> | string {
	const out: Array<{action: Action; params: unknown}> = [];
	for (const inner of action.nested?.(params) ?? []) {
		const innerAction = registry.get(inner.action);
		if (!innerAction) return `${action.name} runs unknown action "${inner.action}"; expected one of ${registry.names().join(', ')}`;
		const innerParams = innerAction.params.safeParse(inner.params);
		if (!innerParams.success) {
			const issue = innerParams.error.issues[0]!;
			return `${action.name} runs ${inner.action}: params${issue.path.length > 0 ? `.${issue.path.join('.')}` : ''}: ${issue.message.replace(/^Invalid input: /, '')}`;
		}
		if (isMutating(innerAction, innerParams.data, {readOnly: false})) return `${action.name} runs ${inner.action}, which changes things; it needs a check`;
		out.push({action: innerAction, params: innerParams.data});
	}
	return out;
}

/**
 * Whether a call can change anything, from its action's kind alone (nested calls included): what read-only mode
 * goes by. A runbook's `mutating: false` does not count here.
 */
export function changesByKind(action: Action, params: unknown, nested: ReadonlyArray<{action: Action; params: unknown}> = []): boolean {
	return isMutating(action, params, {readOnly: true}) || nested.some(n => isMutating(n.action, n.params, {readOnly: true}));
}

/** Whether an answer satisfies the plan's confirmation: only an exact "yes" or the exact environment name counts. */
export function isConfirmed(plan: Plan, answer: boolean | string | undefined): boolean {
	switch (plan.confirmation.kind) {
		case 'none': {
			return true;
		}
		case 'yes-no': {
			return answer === true || (typeof answer === 'string' && /^(y|yes)$/i.test(answer.trim()));
		}
		case 'type-environment': {
			return typeof answer === 'string' && answer.trim() === plan.confirmation.expected;
		}
	}
}
