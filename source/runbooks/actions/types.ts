import type {z} from 'zod';
import type {EnvironmentConfig} from '../../config/schema.js';
import type {ContainerSummary, DockerService, HealthProber} from '../../services/types.js';
import type {MongoService} from '../../services/types-mongo.js';
import type {KubeTarget} from '../../services/kubernetes-ops.js';

/** One line of the plan: exactly what will be touched, how, and where. */
export type PlanLine = {
	target: string;
	call: string;
	environment: string;
	/** Containers (or pods) the step changes. */
	affects?: string[];
	/** More the operator should read before saying yes (a rollback's template diff, an HPA warning); scrubbed. */
	details?: string[];
};

export type ActionResult = {
	ok: boolean;
	/** What the call printed or returned, for the progress view (scrubbed by the engine). */
	output: string;
	/** One sentence: what happened. */
	detail: string;
};

/** What describe() may look at: config and what was listed when the plan was built, no I/O. */
export type PlanContext = {
	environment: EnvironmentConfig;
	/** The compose project's containers when the plan was built; undefined when Docker is not in use or did not answer. */
	containers?: ContainerSummary[];
	/** The Kubernetes namespace to act on; undefined when the environment has no Kubernetes backend (or it is not open). */
	kube?: KubeTarget;
};

/** What an action's preview found in the live system while the plan was built: shown, or a reason to refuse. */
export type Preview = {details?: string[]; refusal?: string};

export type ActionContext = PlanContext & {
	docker?: DockerService;
	health: HealthProber;
	mongo?: MongoService;
	env: NodeJS.ProcessEnv;
	registry: ActionRegistry;
	/** Streams a line of progress output (the engine scrubs secrets before anyone sees it). */
	output(line: string): void;
	/** Asks the operator mid-run; resolves false when nobody can answer. */
	confirm(prompt: string): Promise<boolean>;
	/** Registers a value created during the run (a rotated secret) so it is scrubbed from everything shown later. */
	addSecret(value: string): void;
	now(): Date;
	/** The run is read-only: nested calls are judged by their kind alone (see isMutating). */
	readOnly?: boolean;
};

export type Action<P = any> = {
	name: string;
	/** Validates params after templating. */
	params: z.ZodType<P>;
	/**
	 * Whether the call changes anything, judged from the action's own kind and params (a shell command, an exec, an
	 * HTTP POST: yes), never from what the runbook says about itself. Read-only mode trusts only this.
	 */
	mutating: boolean | ((params: P) => boolean);
	/**
	 * The runbook's own word that a call the action counts as mutating only reads (`mutating: false` on a shell or
	 * docker.exec step, `readOnly: true` on an HTTP POST). Outside read-only mode it is taken: the step may be a
	 * check and needs no y/N. In read-only mode it is ignored, because a runbook file is not a trusted party.
	 */
	declaredReadOnly?: (params: P) => boolean;
	/** Actions this one runs itself (wait's `until`): planned and judged like steps, so they cannot hide a change. */
	nested?: (params: P) => Array<{action: string; params: unknown}>;
	/** Environment variables the call reads at run time (a token, a URI): the plan refuses to start while one is unset. */
	needsEnv?: (params: P, ctx: PlanContext) => string[];
	/**
	 * A neutral action (`service.restart`) names the backend action it stands for in this environment; the plan
	 * holds that one, so everything after planning sees only concrete calls. Throws when the backend cannot do it.
	 */
	resolve?: (params: P, ctx: PlanContext) => {action: string; params: unknown};
	/** Reads the live system while planning (a rollback's diff, an HPA's bounds); a refusal blocks the run before any call. */
	preview?: (params: P, ctx: PlanContext & {signal?: AbortSignal}) => Promise<Preview>;
	/** Receives params with secrets already masked: a plan line cannot leak what it never sees. */
	describe(params: P, ctx: PlanContext): PlanLine;
	run(params: P, ctx: ActionContext, signal: AbortSignal): Promise<ActionResult>;
};

export type ActionRegistry = {
	get(name: string): Action | undefined;
	names(): string[];
	/** Adds an action (Kubernetes, Alertmanager silences, …) without touching the engine. */
	register(action: Action): void;
};

/**
 * Whether a call counts as a change. In read-only mode (the default: the stricter reading) only the action's own
 * kind decides; otherwise a runbook's `mutating: false` is believed, so a check needs no confirmation.
 */
export function isMutating(action: Action, params: unknown, mode: {readOnly: boolean} = {readOnly: true}): boolean {
	const changes = typeof action.mutating === 'function' ? action.mutating(params) : action.mutating;
	if (!changes || mode.readOnly) return changes;
	return action.declaredReadOnly?.(params) !== true;
}

export function describeEnvironment(environment: EnvironmentConfig): string {
	const backend = environment.backend;
	const where = backend.type === 'compose' ? `compose project ${backend.project}` : `kubernetes namespace ${backend.namespace}`;
	return `${environment.name} (${where}${environment.protected ? ', protected' : ''})`;
}
