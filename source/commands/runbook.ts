import {createInterface} from 'node:readline';
import type {KubeTarget} from '../services/kubernetes-ops.js';
import type {EnvironmentConfig} from '../config/schema.js';
import {runColumns} from '../screens/runbooks/runColumns.js';
import {createAuditLog, type AuditLog, type AuditSink} from '../services/audit.js';
import {fitCell, singleLine} from '../util/format.js';
import type {DockerService, HealthProber} from '../services/types.js';
import type {MongoService} from '../services/types-mongo.js';
import {executePlan, recordRefusal, unopenedProber, type RunEvent, type RunResult} from '../runbooks/engine.js';
import {loadRunbooks} from '../runbooks/loader.js';
import {runbooksForPlatform, type PlatformKind} from '../runbooks/platforms.js';
import {buildPlan, type Plan} from '../runbooks/plan.js';
import {formatMs, renderPlan, renderResult, statusMark} from '../runbooks/render.js';

export type RunbookArgs = {
	sub: 'show' | 'run';
	id: string;
	/** k=v pairs from --param. */
	params: string[];
	dryRun: boolean;
	yes: boolean;
	confirmEnv?: string;
	readOnly: boolean;
};

type Writable = {write(text: string): unknown};

export type RunbookCommandContext = {
	environment: EnvironmentConfig;
	configDir: string;
	stdout: Writable;
	stderr: Writable;
	stdin: NodeJS.ReadableStream;
	isTTY: boolean;
	openBackends(): Promise<{docker?: DockerService; health: HealthProber; mongo?: MongoService; kube?: KubeTarget}>;
	/** Defaults to process.env (tokens and URIs are read from it). */
	env?: NodeJS.ProcessEnv;
	/** Defaults to the JSONL file under the XDG state directory. */
	audit?: AuditSink;
	/**
	 * The stop signal (SIGINT, SIGTERM or SIGHUP in the CLI, cli/shutdown.ts): a run is aborted after its current
	 * step and writes its run-end; a confirmation being asked is cancelled.
	 */
	signal?: AbortSignal;
};

/** `botops runbook list`: the built-in and the user's runbooks; it needs no environment. Exit code 0. */
export function runRunbookList(context: Pick<RunbookCommandContext, 'configDir' | 'stdout' | 'stderr'> & {platform?: {kind: PlatformKind; environment: string}}): number {
	const out = (line = '') => context.stdout.write(`${line}\n`);
	const loaded = loadRunbooks({configDir: context.configDir});
	const {errors} = loaded;
	// Those the environment's platform cannot run are left out; a line under the table says how many and why.
	const {runbooks, hidden} = context.platform ? runbooksForPlatform(loaded.runbooks, context.platform.kind, context.platform.environment) : {runbooks: loaded.runbooks, hidden: undefined};
	for (const error of errors) context.stderr.write(`botops: warning: ${error}\n`);
	const idWidth = Math.max(2, ...runbooks.map(r => r.id.length));
	out(`KEY  ${'ID'.padEnd(idWidth)}  TITLE`);
	for (const r of runbooks) out(`${(r.key ?? '-').padEnd(3)}  ${r.id.padEnd(idWidth)}  ${r.title}${r.source === 'builtin' ? '' : `  (${r.source})`}`);
	if (hidden) out(`\n${hidden.reason} (--env NAME lists another environment's)`);
	return 0;
}

/**
 * `botops runbook history`: the recent runs of the environment from its audit log, newest first, with the step
 * that was in flight when a run was killed mid-change (its effect is unknown: check it before retrying).
 * The same columns as the Runbooks screen. Exit code 0.
 */
export function runRunbookHistory(
	context: Pick<RunbookCommandContext, 'environment' | 'stdout' | 'env'> & {audit?: Pick<AuditLog, 'readRecentRuns'>; count?: number},
): number {
	const audit = context.audit ?? createAuditLog({env: context.env ?? process.env, environment: context.environment});
	const runs = audit.readRecentRuns(context.count ?? 20);
	const out = (line: string) => context.stdout.write(`${line.trimEnd()}\n`);
	if (runs.length === 0) {
		out(`no runs recorded yet for ${context.environment.name}`);
		return 0;
	}
	// Every column at its width except the last, which is the rest of the line.
	const cell = (text: string, column: (typeof runColumns)[number], last: boolean) =>
		last ? singleLine(text) : fitCell(text, column.width, column.align ?? 'left');
	const line = (texts: string[]) => texts.map((text, i) => cell(text, runColumns[i]!, i === runColumns.length - 1)).join(' ');
	out(line(runColumns.map(c => c.header)));
	for (const run of runs) out(line(runColumns.map(c => c.render(run))));
	return 0;
}

/** `botops runbook show|run ID`. Exit codes: 0 ok, 1 failed, aborted or cancelled, 2 usage, validation or refusal. */
export async function runRunbookCommand(args: RunbookArgs, context: RunbookCommandContext): Promise<number> {
	const out = (line = '') => context.stdout.write(`${line}\n`);
	const err = (line: string) => context.stderr.write(`${line}\n`);
	const {runbooks, errors} = loadRunbooks({configDir: context.configDir});
	for (const error of errors) err(`botops: warning: ${error}`);

	const runbook = runbooks.find(r => r.id === args.id);
	if (!runbook) {
		err(`botops: no runbook "${args.id}"; expected one of ${runbooks.map(r => r.id).join(', ')}`);
		return 2;
	}
	const inputs: Record<string, string> = {};
	for (const pair of args.params) {
		const eq = pair.indexOf('=');
		if (eq <= 0) {
			err(`botops: --param ${pair}: expected NAME=VALUE`);
			return 2;
		}
		inputs[pair.slice(0, eq)] = pair.slice(eq + 1);
	}

	let backends: Awaited<ReturnType<RunbookCommandContext['openBackends']>> | undefined;
	let backendError: string | undefined;
	try {
		backends = await context.openBackends();
	} catch (error) {
		backendError = (error as Error).message;
	}
	const env = context.env ?? process.env;
	const auditSink = () => context.audit ?? createAuditLog({env, environment: context.environment});
	const planned = await buildPlan(runbook, inputs, {environment: context.environment, docker: backends?.docker, kube: backends?.kube, env, readOnly: args.readOnly});
	if (!planned.ok) {
		for (const error of planned.errors) err(`botops: ${runbook.id}: ${error}`);
		// Asked to run, refused: audited like every refusal. `show` and --dry-run only look, so they are not.
		if (args.sub === 'run' && !args.dryRun) {
			const refused = recordRefusal(
				{runbook, environment: context.environment, inputs, readOnly: args.readOnly, kind: 'invalid-inputs', reason: `invalid inputs: ${planned.errors.join('; ')}`},
				{audit: auditSink(), env},
			);
			if (refused.auditError) err(`botops: warning: the refusal was not audited: ${refused.auditError}`);
		}
		return 2;
	}
	const {plan} = planned;
	for (const line of renderPlan(plan)) out(line);
	if (args.sub === 'show') return 0;
	if (args.dryRun) {
		out('dry run: nothing was run');
		return plan.blockers.length > 0 ? 2 : 0;
	}
	// A blocked plan is refused (and audited) without touching a backend, so it needs none.
	if (!backends && plan.blockers.length === 0) {
		err(`botops: cannot open backends for ${context.environment.name}: ${backendError ?? 'unknown error'}`);
		return 1;
	}

	const answer = await confirmation(plan, args, context, out, err);
	// A stop signal during the questions cancels too: nothing has been run yet.
	if (answer === 'cancelled' || context.signal?.aborted) {
		out('Cancelled: nothing was run.');
		return 1;
	}

	const {signal} = context;
	const onSignal = () => err('botops: aborting after the current step…');
	signal?.addEventListener('abort', onSignal, {once: true});
	let result: RunResult;
	try {
		result = await executePlan(
			plan,
			{...(backends ?? {health: unopenedProber}), env, audit: auditSink()},
			{
				// Refused (no confirmation could be given): executePlan refuses it and audits the refusal.
				confirmation: answer === 'refused' ? undefined : answer,
				signal,
				onEvent: event => printEvent(event, plan, out),
				confirm: async prompt => {
					if (args.yes) {
						out(`  ? ${prompt} yes (--yes)`);
						return true;
					}
					if (!context.isTTY) return false;
					return /^(y|yes)$/i.test((await ask(context, `  ? ${prompt} [y/N] `)).trim());
				},
			},
		);
	} finally {
		signal?.removeEventListener('abort', onSignal);
	}
	return result.outcome === 'ok' ? 0 : result.outcome === 'refused' ? 2 : 1;
}

/**
 * The answer executePlan checks, or why we stopped. Cancel is the default of every question. "refused": botops
 * will not run it unconfirmed (no terminal, a protected environment without --confirm-env, a wrong name): the
 * engine refuses and audits it. "cancelled": the operator said no, which is their decision, not a refusal.
 */
async function confirmation(
	plan: Plan,
	args: RunbookArgs,
	context: RunbookCommandContext,
	out: (line?: string) => void,
	err: (line: string) => void,
): Promise<boolean | string | 'refused' | 'cancelled'> {
	if (plan.blockers.length > 0) return 'refused';
	switch (plan.confirmation.kind) {
		case 'none': {
			return true;
		}
		case 'type-environment': {
			const expected = plan.confirmation.expected;
			if (args.confirmEnv !== undefined) {
				if (args.confirmEnv === expected) return expected;
				err(`botops: --confirm-env ${args.confirmEnv} does not match environment ${expected}`);
				return 'refused';
			}
			if (plan.protected || args.yes || !context.isTTY) {
				err(`botops: ${plan.protected ? `${expected} is a protected environment` : `${plan.runbook.id} needs the environment name typed`}: pass --confirm-env ${expected}`);
				return 'refused';
			}
			const typed = await ask(context, `${plan.confirmation.prompt}: `);
			// Nothing typed is a cancel; a different name is a refusal (the engine checks it and audits).
			return typed.trim() === '' ? 'cancelled' : typed;
		}
		case 'yes-no': {
			if (args.yes) return true;
			if (!context.isTTY) {
				err('botops: refusing to run without a terminal to confirm on; pass --yes to run unattended');
				return 'refused';
			}
			const typed = await ask(context, `${plan.confirmation.prompt} `);
			if (/^(y|yes)$/i.test(typed.trim())) return true;
			out();
			return 'cancelled';
		}
	}
}

function ask(context: RunbookCommandContext, question: string): Promise<string> {
	return new Promise(resolve => {
		const rl = createInterface({input: context.stdin, terminal: false});
		context.stdout.write(question);
		let answered = false;
		// A stop signal while the question waits closes it unanswered: Cancel.
		const {signal} = context;
		const onStop = () => rl.close();
		if (signal?.aborted) queueMicrotask(onStop);
		else signal?.addEventListener('abort', onStop, {once: true});
		rl.once('close', () => signal?.removeEventListener('abort', onStop));
		rl.once('line', line => {
			answered = true;
			rl.close();
			resolve(line);
		});
		// End of input answers "no": Cancel is the default.
		rl.once('close', () => {
			if (!answered) resolve('');
		});
	});
}

function printEvent(event: RunEvent, plan: Plan, out: (line?: string) => void): void {
	switch (event.type) {
		case 'run-started': {
			out(`run ${event.runId}`);
			break;
		}
		case 'step-started': {
			const list = event.step.phase === 'precondition' ? plan.preconditions : plan.steps;
			const label = event.step.phase === 'precondition' ? 'precondition' : 'step';
			out(`→ ${label} ${event.step.index + 1}/${list.length} ${event.step.id}: ${event.step.title}`);
			break;
		}
		case 'step-output': {
			out(`    ${event.line}`);
			break;
		}
		case 'step-finished': {
			out(`  ${statusMark(event.status)} ${event.step.id} ${formatMs(event.elapsedMs)} — ${event.detail}`);
			break;
		}
		case 'confirm-requested': {
			break;
		}
		case 'run-finished': {
			out();
			for (const line of renderResult(event.result)) out(line);
			break;
		}
	}
}
