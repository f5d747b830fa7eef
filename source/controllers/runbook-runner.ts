import path from 'node:path';
import type {KubeTarget} from '../services/kubernetes-ops.js';
import type {EnvironmentConfig} from '../config/schema.js';
import type {Plan} from '../runbooks/plan.js';
import type {Runbook} from '../runbooks/schema.js';
import type {AuditLog} from '../services/audit.js';
import {describeError} from '../services/errors.js';
import type {DockerService, HealthProber} from '../services/types.js';
import type {MongoService} from '../services/types-mongo.js';
import {stepViews} from '../store/slices/runbooks.js';
import type {AppStore} from '../store/store.js';

export type RunbookBackends = {docker?: DockerService; health: HealthProber; mongo?: MongoService; kube?: KubeTarget};

export type RunbookRunnerOptions = {
	environment: EnvironmentConfig;
	readOnly: boolean;
	/** Where user runbooks live (`<configDir>/runbooks/*.yaml`); undefined: built-ins only. */
	configDir?: string;
	/** The dashboard's backends once open; undefined when they could not be opened. */
	backends(): Promise<RunbookBackends | undefined>;
	/** Tokens and URIs are read from it; the default is process.env. */
	env?: NodeJS.ProcessEnv;
	/** The default is the JSONL file under the XDG state directory. */
	audit?: AuditLog;
	/** After a run: poll now, so the screens show what it changed. */
	afterRun?(): void;
	recentCount?: number;
	now?: () => number;
};

export type RunbookRunner = {
	/** Loads the runbooks and recent runs the first time it is called; cheap afterwards. */
	load(): void;
	refreshRecent(): void;
	/** Starts a runbook's flow: its input form, or straight to the plan when it takes no inputs. */
	choose(runbookId: string, presets?: {service?: string}): void;
	/** Validates the inputs and builds the plan; errors keep the form open, shown beside it. */
	submitInputs(runbookId: string, values: Record<string, string>): Promise<void>;
	/** Runs the plan on screen with the operator's answer to its confirmation (true, or the typed name). */
	run(answer: boolean | string): void;
	/** Stops between steps (waits and confirmations at once). */
	abort(): void;
	/** Aborts a run under way and resolves once it has ended, its run-end written (at once when none runs): for quitting on a signal. */
	stop(): Promise<void>;
	/** The operator's answer to a mid-run `confirm` step. */
	answerPrompt(yes: boolean): void;
	/** Leaves the flow (back to the list); refused while a run is under way. */
	dismiss(): void;
	isRunning(): boolean;
	/**
	 * Plans and runs one runbook outside the Runbooks flow, for a screen that asked its own confirmation (the
	 * Database screen's kill-op dialog); audited like any run, and refused the same way (read-only, typed name).
	 */
	runDirect(runbookId: string, values: Record<string, string>, answer: boolean | string): Promise<{ok: boolean; detail: string}>;
};

/**
 * Drives the runbook flow for the dashboard: lazily loads the catalogue, plans against the environment and the
 * dashboard's backends, runs through the engine with an AbortController, and commits each engine event.
 */
export function createRunbookRunner(store: AppStore, options: RunbookRunnerOptions): RunbookRunner {
	const env = options.env ?? process.env;
	const now = options.now ?? Date.now;
	let loading: Promise<void> | undefined;
	let audit: AuditLog | undefined = options.audit;
	let controller: AbortController | undefined;
	let running: Promise<void> | undefined;
	let pendingAnswer: ((yes: boolean) => void) | undefined;
	let planSeq = 0;

	const state = () => store.getState();
	const findRunbook = (id: string): Runbook | undefined => state().runbookCatalog.data?.runbooks.find(r => r.id === id);

	async function auditLog(): Promise<AuditLog> {
		if (!audit) {
			const {createAuditLog} = await import('../services/audit.js');
			audit = createAuditLog({env, environment: options.environment});
		}
		return audit;
	}

	async function loadCatalog(): Promise<void> {
		try {
			const [{loadRunbooks}, {runbooksForPlatform}] = await Promise.all([import('../runbooks/loader.js'), import('../runbooks/platforms.js')]);
			const all = loadRunbooks({configDir: options.configDir});
			// Runbooks this platform cannot run (Docker-only on Kubernetes, Kubernetes-only on compose) are not offered.
			const loaded = {...all, ...runbooksForPlatform(all.runbooks, options.environment.backend.type, options.environment.name)};
			// On an 80-column screen the directory would push file:line out of view; the file name says enough.
			const directory = options.configDir ? path.join(options.configDir, 'runbooks') + path.sep : undefined;
			const errors = loaded.errors.map(error => (directory && error.startsWith(directory) ? error.slice(directory.length) : error));
			state().setRunbookCatalog({...loaded, errors}, undefined, now());
		} catch (error) {
			state().setRunbookCatalog(undefined, describeError(error, 'runbooks'), now());
		}
	}

	async function refreshRecent(): Promise<void> {
		try {
			const log = await auditLog();
			state().setRecentRuns(log.readRecentRuns(options.recentCount ?? 50), undefined, now());
		} catch (error) {
			state().setRecentRuns(undefined, describeError(error, 'audit log'), now());
		}
	}

	/** `shown` is what the form keeps (what was typed); `values` what the engine gets. */
	async function plan(runbook: Runbook, values: Record<string, string>, shown = values): Promise<void> {
		const seq = ++planSeq;
		state().setRunbookFlow({stage: 'inputs', runbookId: runbook.id, values: shown, errors: [], planning: true});
		let result;
		try {
			const [{buildPlan}, backends] = await Promise.all([import('../runbooks/plan.js'), options.backends()]);
			result = await buildPlan(runbook, values, {environment: options.environment, docker: backends?.docker, kube: backends?.kube, env, readOnly: options.readOnly});
		} catch (error) {
			result = {ok: false as const, errors: [describeError(error, 'plan')]};
		}
		// The operator may have left the form (or picked another runbook) while Docker was listing.
		const current = state().runbookFlow;
		if (seq !== planSeq || current?.stage !== 'inputs' || current.runbookId !== runbook.id) return;
		if (!result.ok) return state().setRunbookFlow({stage: 'inputs', runbookId: runbook.id, values: shown, errors: result.errors, planning: false});
		state().setRunbookFlow({stage: 'plan', runbookId: runbook.id, values: shown, plan: result.plan});
		if (result.plan.blockers.length > 0) await auditRefusal(result.plan);
	}

	/**
	 * A plan with blockers (read-only mode) offers nothing to confirm: choosing it was the attempt to run it.
	 * The engine refuses it and audits the refusal, exactly as for `botops runbook run --read-only`.
	 */
	async function auditRefusal(planned: Plan): Promise<void> {
		try {
			const [{executePlan, unopenedProber}, backends, log] = await Promise.all([import('../runbooks/engine.js'), options.backends(), auditLog()]);
			const result = await executePlan(planned, {...backends, health: backends?.health ?? unopenedProber, env, audit: log}, {confirmation: false});
			if (result.auditError) state().setFlash(`${planned.runbook.id}: refused; ${result.auditError}`, 'error');
		} catch (error) {
			state().setFlash(`${planned.runbook.id}: refused; ${describeError(error, 'audit')}`, 'error');
		}
		void refreshRecent();
	}

	async function execute(planned: Plan, answer: boolean | string): Promise<void> {
		controller = new AbortController();
		state().setRunbookFlow({stage: 'running', plan: planned, steps: stepViews(planned), aborting: false});
		try {
			const [{executePlan}, backends, log] = await Promise.all([import('../runbooks/engine.js'), options.backends(), auditLog()]);
			if (!backends) throw new Error(`the backends of ${options.environment.name} are not open; nothing was run`);
			await executePlan(
				planned,
				{...backends, env, audit: log},
				{
					confirmation: answer,
					signal: controller.signal,
					onEvent: event => state().applyRunEvent(event, now()),
					confirm: prompt =>
						new Promise<boolean>(resolve => {
							pendingAnswer = resolve;
							// The engine emits confirm-requested first; this keeps the prompt even if it did not.
							const flow = state().runbookFlow;
							if (flow?.stage === 'running' && flow.prompt !== prompt) state().setRunbookFlow({...flow, prompt});
						}),
				},
			);
		} catch (error) {
			// executePlan reports failures in its result; this is a run that could not start at all (no backends): a
			// failure to reach the system, not a refusal by botops, so it is not audited as one.
			const flow = state().runbookFlow;
			const steps = flow && flow.stage === 'running' ? flow.steps : stepViews(planned);
			const message = describeError(error, 'runbook');
			state().setRunbookFlow({
				stage: 'done',
				plan: planned,
				steps,
				result: {runId: '', runbook: planned.runbook.id, environment: planned.environment, outcome: 'failed', steps: [], ran: [], notRun: steps.map(s => s.id), state: message, elapsedMs: 0},
			});
		} finally {
			controller = undefined;
			pendingAnswer = undefined;
			void refreshRecent();
			options.afterRun?.();
		}
	}

	const runner: RunbookRunner = {
		load() {
			if (loading) return;
			loading = Promise.all([loadCatalog(), refreshRecent()]).then(() => undefined);
		},
		refreshRecent: () => void refreshRecent(),
		choose(runbookId, presets = {}) {
			const runbook = findRunbook(runbookId);
			if (!runbook || controller) return;
			const values: Record<string, string> = {};
			for (const input of runbook.inputs) {
				const preset = input.type === 'service' && presets.service && options.environment.services.some(s => s.name === presets.service) ? presets.service : undefined;
				values[input.name] = preset ?? (input.default === undefined ? '' : String(input.default));
			}
			if (runbook.inputs.length === 0) void plan(runbook, values);
			else state().setRunbookFlow({stage: 'inputs', runbookId, values, errors: [], planning: false});
		},
		async submitInputs(runbookId, values) {
			const runbook = findRunbook(runbookId);
			if (!runbook || controller) return;
			// Empty fields are "not given": the engine applies the default or reports the input as required.
			const given = Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== ''));
			await plan(runbook, given, values);
		},
		run(answer) {
			const flow = state().runbookFlow;
			if (flow?.stage !== 'plan' || controller) return;
			const run = execute(flow.plan, answer).finally(() => {
				if (running === run) running = undefined;
			});
			running = run;
		},
		abort() {
			if (!controller || controller.signal.aborted) return;
			controller.abort();
			const flow = state().runbookFlow;
			if (flow?.stage === 'running') state().setRunbookFlow({...flow, aborting: true});
		},
		stop() {
			runner.abort();
			return running ?? Promise.resolve();
		},
		answerPrompt(yes) {
			const resolve = pendingAnswer;
			pendingAnswer = undefined;
			const flow = state().runbookFlow;
			if (flow?.stage === 'running') state().setRunbookFlow({...flow, prompt: undefined});
			resolve?.(yes);
		},
		dismiss() {
			if (controller) return;
			planSeq++;
			state().setRunbookFlow(undefined);
		},
		isRunning: () => controller !== undefined,
		async runDirect(runbookId, values, answer) {
			try {
				if (!state().runbookCatalog.data) await loadCatalog();
				const runbook = findRunbook(runbookId);
				if (!runbook) return {ok: false, detail: `no runbook ${runbookId}`};
				const [{buildPlan, executePlan}, backends, log] = await Promise.all([import('../runbooks/engine.js'), options.backends(), auditLog()]);
				if (!backends) return {ok: false, detail: `the backends of ${options.environment.name} are not open; nothing was run`};
				const planned = await buildPlan(runbook, values, {environment: options.environment, docker: backends.docker, kube: backends.kube, env, readOnly: options.readOnly});
				if (!planned.ok) return {ok: false, detail: planned.errors.join('; ')};
				const result = await executePlan(planned.plan, {...backends, env, audit: log}, {confirmation: answer});
				const failed = result.steps.find(step => step.status === 'failed');
				return {ok: result.outcome === 'ok', detail: result.auditError ?? failed?.detail ?? result.state};
			} catch (error) {
				return {ok: false, detail: describeError(error, runbookId)};
			} finally {
				void refreshRecent();
				options.afterRun?.();
			}
		},
	};
	return runner;
}
