import type {z} from 'zod';
import type {EnvironmentConfig} from '../../config/schema.js';
import type {ContainerSummary, DockerService, HealthProber} from '../../services/types.js';
import type {MongoService} from '../../services/types-mongo.js';

/** One line of the plan: exactly what will be touched, how, and where. */
export type PlanLine = {
	target: string;
	call: string;
	environment: string;
	/** Containers (or pods) the step changes. */
	affects?: string[];
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
};

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
};

export type Action<P = any> = {
	name: string;
	/** Validates params after templating. */
	params: z.ZodType<P>;
	/** Whether the step changes anything; read-only mode refuses those in the engine. */
	mutating: boolean | ((params: P) => boolean);
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

export function isMutating(action: Action, params: unknown): boolean {
	return typeof action.mutating === 'function' ? action.mutating(params) : action.mutating;
}

export function describeEnvironment(environment: EnvironmentConfig): string {
	const backend = environment.backend;
	const where = backend.type === 'compose' ? `compose project ${backend.project}` : `kubernetes namespace ${backend.namespace}`;
	return `${environment.name} (${where}${environment.protected ? ', protected' : ''})`;
}
