import {z} from 'zod';
import type {ServiceConfig} from '../../config/schema.js';
import {
	applySecret,
	hpaFor,
	hpaRefusal,
	listHpas,
	patchHpa,
	planUndo,
	readDeployment,
	replicaBounds,
	replicasRefusal,
	revisionList,
	replicaSetsOf,
	rolloutRestart,
	rolloutStatus,
	rolloutUndo,
	scaleDeployment,
	waitRollout,
	type KubeTarget,
} from '../../services/kubernetes-ops.js';
import {deploymentPods, execInPod, firstReadyPod, podReady} from '../../services/kubernetes/exec.js';
import {registerSecrets} from '../../util/secrets.js';
import {quoteForDisplay} from './docker.js';
import {generateSecret} from './secrets-rotate.js';
import {selectServices, serviceSelector} from './targets.js';
import {describeEnvironment, type Action, type ActionContext, type PlanContext, type PlanLine} from './types.js';

export const noKubernetesBackend = 'this environment has no Kubernetes backend';

/** The deployment a configured service runs as (its `deployment`, else its name). */
export function deploymentName(service: ServiceConfig): string {
	return service.deployment ?? service.name;
}

function namespaceOf(ctx: PlanContext): string {
	if (ctx.kube) return ctx.kube.namespace;
	if (ctx.environment.backend.type === 'kubernetes') return ctx.environment.backend.namespace;
	throw new Error(`${noKubernetesBackend} (${ctx.environment.name} is ${ctx.environment.backend.type})`);
}

function requireKube(ctx: Pick<ActionContext, 'kube' | 'environment'>): KubeTarget {
	if (!ctx.kube) throw new Error(`${noKubernetesBackend} (${ctx.environment.name}${ctx.environment.backend.type === 'kubernetes' ? ': not connected' : ` is ${ctx.environment.backend.type}`})`);
	return ctx.kube;
}

function line(ctx: PlanContext, services: ServiceConfig[], call: (deployment: string, namespace: string) => string, changes = true): PlanLine {
	const namespace = namespaceOf(ctx);
	const deployments = services.map(deploymentName);
	return {
		target: services.map(s => `${s.name} (deployment ${deploymentName(s)})`).join('; '),
		call: deployments.map(d => call(d, namespace)).join(' && '),
		environment: describeEnvironment(ctx.environment),
		affects: changes ? deployments.map(d => `deployment/${d}`) : [],
	};
}

function message(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

// --- k8s.scale --------------------------------------------------------------------------------------------------

/** Where a stopped deployment's replica count is kept, so `service.start` brings back as many as there were. */
export const replicasBeforeStopAnnotation = 'botops.io/replicas-before-stop';

const scaleParams = z.strictObject({
	service: serviceSelector,
	/** A count from 0 to 50, or "restore": the count before the last scale to 0 (1 when none was recorded). */
	replicas: z.union([z.number().int().min(replicaBounds.min).max(replicaBounds.max), z.literal('restore')]),
	/** Move the HPA's min/max to include the count instead of refusing a count outside them. */
	patchHpa: z.boolean().default(false),
});
type ScaleParams = z.infer<typeof scaleParams>;

export const k8sScale: Action<ScaleParams> = {
	name: 'k8s.scale',
	params: scaleParams,
	mutating: true,
	describe(params, ctx) {
		const services = scaleOrder(params, selectServices(ctx.environment, params.service));
		const count = params.replicas === 'restore' ? '<the count before it was stopped>' : String(params.replicas);
		const planned = line(ctx, services, (d, ns) => `kubectl scale deployment ${d} --replicas=${count} -n ${ns}`);
		if (params.patchHpa) planned.call = `widen the HPA of each to include ${count}, then ${planned.call}`;
		return planned;
	},
	async preview(params, ctx) {
		if (!ctx.kube) return {refusal: noKubernetesBackend};
		const hpas = await listHpas(ctx.kube);
		const details: string[] = [];
		const refusals: string[] = [];
		for (const service of scaleOrder(params, selectServices(ctx.environment, params.service))) {
			const name = deploymentName(service);
			const deployment = await readDeployment(ctx.kube, name);
			const replicas = params.replicas === 'restore' ? restoredCount(deployment.metadata?.annotations) : params.replicas;
			const hpa = hpaFor(name, hpas);
			const bounds = hpa && {name: hpa.metadata?.name ?? '?', min: hpa.spec?.minReplicas ?? 1, max: hpa.spec?.maxReplicas ?? 1};
			details.push(`${name}: ${deployment.spec?.replicas ?? 0} -> ${replicas} replicas`);
			if (!bounds) continue;
			const refusal = replicasRefusal(replicas, bounds);
			if (!refusal) {
				details.push(`warning: HPA ${bounds.name} owns the replicas of ${name} (${bounds.min}-${bounds.max}) and may change them again; adjust the HPA instead to keep a new level`);
			} else if (params.patchHpa && replicas >= 1) {
				details.push(`HPA ${bounds.name} ${bounds.min}-${bounds.max} becomes ${Math.min(bounds.min, replicas)}-${Math.max(bounds.max, replicas)} before the scale`);
			} else {
				refusals.push(`${name}: ${refusal}`);
			}
		}
		return {details, refusal: refusals.length > 0 ? refusals.join('; ') : undefined};
	},
	async run(params, ctx) {
		const kube = requireKube(ctx);
		const done: string[] = [];
		for (const service of scaleOrder(params, selectServices(ctx.environment, params.service))) {
			const name = deploymentName(service);
			try {
				const deployment = await readDeployment(kube, name);
				const replicas = params.replicas === 'restore' ? restoredCount(deployment.metadata?.annotations) : params.replicas;
				const result = await scaleDeployment(kube, name, {replicas, patchHpa: params.patchHpa, rememberWhenStopping: replicasBeforeStopAnnotation});
				if (result.hpa?.patched) ctx.output(`HPA ${result.hpa.name} now ${result.hpa.min}-${result.hpa.max}`);
				if (result.warning) ctx.output(`warning: ${result.warning}`);
				ctx.output(`scaled deployment ${name} ${result.from} -> ${result.to}`);
				done.push(`${name} ${result.from} -> ${result.to}`);
			} catch (error) {
				return {ok: false, output: done.join('\n'), detail: `${message(error)}${done.length > 0 ? ` (after scaling ${done.join(', ')})` : ''}`};
			}
		}
		return {ok: true, output: done.join('\n'), detail: `scaled ${done.join(', ')}`};
	},
};

/** Scaling to 0 stops in reverse dependency order (UI first, database last), as docker.stop does. */
function scaleOrder<T>(params: ScaleParams, services: T[]): T[] {
	return params.replicas === 0 ? [...services].reverse() : services;
}

function restoredCount(annotations: Record<string, string> | undefined): number {
	const text = annotations?.[replicasBeforeStopAnnotation];
	const count = text !== undefined && /^\d+$/.test(text) ? Number(text) : 1;
	return Math.min(replicaBounds.max, Math.max(1, count));
}

// --- k8s.rolloutRestart ------------------------------------------------------------------------------------------

const restartParams = z.strictObject({
	service: serviceSelector,
	/** Also wait (up to this many seconds) for each rollout to finish, as a compose restart returns once it is running. */
	waitSeconds: z.number().int().min(1).max(3600).optional(),
});

export const k8sRolloutRestart: Action<z.infer<typeof restartParams>> = {
	name: 'k8s.rolloutRestart',
	params: restartParams,
	mutating: true,
	describe(params, ctx) {
		const wait = (d: string, ns: string) => (params.waitSeconds ? ` && kubectl rollout status deployment/${d} -n ${ns} --timeout=${params.waitSeconds}s` : '');
		return line(ctx, selectServices(ctx.environment, params.service), (d, ns) => `kubectl rollout restart deployment/${d} -n ${ns}${wait(d, ns)}`);
	},
	async run(params, ctx, signal) {
		const kube = requireKube(ctx);
		const done: string[] = [];
		for (const service of selectServices(ctx.environment, params.service)) {
			const name = deploymentName(service);
			try {
				const stamp = await rolloutRestart(kube, name, ctx.now());
				ctx.output(`deployment.apps/${name} restarted (restartedAt ${stamp})`);
				if (params.waitSeconds) {
					await waitRollout(kube, name, {timeoutMs: params.waitSeconds * 1000, signal, onProgress: s => ctx.output(`${name}: ${s.updated}/${s.desired} updated, ${s.available} available, ${s.total} total`)});
					ctx.output(`deployment "${name}" successfully rolled out`);
				}
				done.push(name);
			} catch (error) {
				return {ok: false, output: done.join('\n'), detail: `${message(error)}${done.length > 0 ? ` (after restarting ${done.join(', ')})` : ''}`};
			}
		}
		return {ok: true, output: done.join('\n'), detail: `restarted ${done.join(', ')}${params.waitSeconds ? ' (rolled out)' : ' (new replica sets rolling out)'}`};
	},
};

// --- k8s.rolloutUndo ---------------------------------------------------------------------------------------------

const undoParams = z.strictObject({
	service: z.string().min(1),
	/** 0: the previous revision, as `kubectl rollout undo` without --to-revision. */
	toRevision: z.number().int().min(0).default(0),
});

export const k8sRolloutUndo: Action<z.infer<typeof undoParams>> = {
	name: 'k8s.rolloutUndo',
	params: undoParams,
	mutating: true,
	describe(params, ctx) {
		const flag = params.toRevision > 0 ? ` --to-revision=${params.toRevision}` : '';
		return line(ctx, selectServices(ctx.environment, params.service), (d, ns) => `kubectl rollout undo deployment/${d}${flag} -n ${ns}`);
	},
	async preview(params, ctx) {
		if (!ctx.kube) return {refusal: noKubernetesBackend};
		const name = deploymentName(selectServices(ctx.environment, params.service)[0]!);
		const deployment = await readDeployment(ctx.kube, name);
		const replicaSets = await replicaSetsOf(ctx.kube, deployment);
		const plan = planUndo(deployment, replicaSets, params.toRevision);
		if (plan.kind === 'refused') return {refusal: `${name}: ${plan.reason}`};
		if (plan.kind === 'skipped') return {details: [`${name}: ${plan.message}; nothing will change`]};
		const revision = revisionList(deployment, replicaSets).find(r => r.revision === plan.revision);
		const cause = revision?.changeCause ? `, change-cause "${revision.changeCause}"` : '';
		return {
			details: [`${name}: back to revision ${plan.revision} (replica set ${plan.replicaSet}${cause}, ${revision?.images.join(', ') ?? '?'}); pod template, live (-) vs revision ${plan.revision} (+):`, ...plan.diff],
		};
	},
	async run(params, ctx) {
		const kube = requireKube(ctx);
		const name = deploymentName(selectServices(ctx.environment, params.service)[0]!);
		try {
			const result = await rolloutUndo(kube, name, params.toRevision);
			if (result.outcome === 'skipped rollback') {
				ctx.output(`deployment.apps/${name} ${result.message}`);
				return {ok: true, output: result.message, detail: `${name}: ${result.message}`};
			}
			for (const diffLine of result.diff) ctx.output(diffLine);
			ctx.output(`deployment.apps/${name} rolled back`);
			return {ok: true, output: result.diff.join('\n'), detail: `rolled ${name} back to revision ${result.revision} (replica set ${result.replicaSet})`};
		} catch (error) {
			return {ok: false, output: '', detail: message(error)};
		}
	},
};

// --- k8s.patchHpa ------------------------------------------------------------------------------------------------

const hpaParams = z
	.strictObject({
		service: z.string().min(1),
		min: z.number().int().min(1).max(replicaBounds.max).optional(),
		max: z.number().int().min(1).max(replicaBounds.max).optional(),
	})
	.refine(p => p.min !== undefined || p.max !== undefined, 'min or max (or both)')
	.refine(p => p.min === undefined || p.max === undefined || p.min <= p.max, 'min at most max');
type HpaParams = z.infer<typeof hpaParams>;

export const k8sPatchHpa: Action<HpaParams> = {
	name: 'k8s.patchHpa',
	params: hpaParams,
	mutating: true,
	describe(params, ctx) {
		const spec = JSON.stringify({spec: {...(params.min !== undefined ? {minReplicas: params.min} : {}), ...(params.max !== undefined ? {maxReplicas: params.max} : {})}});
		const planned = line(ctx, selectServices(ctx.environment, params.service), (d, ns) => `kubectl patch hpa <the HPA of ${d}> -n ${ns} --patch '${spec}'`);
		planned.affects = planned.affects?.map(a => `hpa of ${a}`);
		return planned;
	},
	async preview(params, ctx) {
		if (!ctx.kube) return {refusal: noKubernetesBackend};
		const name = deploymentName(selectServices(ctx.environment, params.service)[0]!);
		const hpa = hpaFor(name, await listHpas(ctx.kube));
		if (!hpa) return {refusal: `no HorizontalPodAutoscaler targets deployment ${name}`};
		const before = {min: hpa.spec?.minReplicas ?? 1, max: hpa.spec?.maxReplicas ?? 1};
		const after = {min: params.min ?? before.min, max: params.max ?? before.max};
		const refusal = hpaRefusal(after.min, after.max);
		return refusal ? {refusal: `HPA ${hpa.metadata?.name}: ${refusal}`} : {details: [`HPA ${hpa.metadata?.name}: ${before.min}-${before.max} -> ${after.min}-${after.max}`]};
	},
	async run(params, ctx) {
		const kube = requireKube(ctx);
		const name = deploymentName(selectServices(ctx.environment, params.service)[0]!);
		try {
			const hpa = hpaFor(name, await listHpas(kube));
			if (!hpa?.metadata?.name) return {ok: false, output: '', detail: `no HorizontalPodAutoscaler targets deployment ${name}`};
			const result = await patchHpa(kube, hpa.metadata.name, {min: params.min, max: params.max});
			ctx.output(`horizontalpodautoscaler.autoscaling/${result.name} patched`);
			return {ok: true, output: '', detail: `HPA ${result.name} now ${result.min}-${result.max}`};
		} catch (error) {
			return {ok: false, output: '', detail: message(error)};
		}
	},
};

// --- k8s.applySecret ---------------------------------------------------------------------------------------------

const secretParams = z.strictObject({
	/** The platform's two secrets (manual §6.1, §7.4); nothing else is written by runbooks. */
	secret: z.enum(['bot-core-secrets', 'binance-secrets']),
	keys: z
		.array(
			z.union([
				z.strictObject({key: z.string().regex(/^[-._a-zA-Z0-9]+$/, 'a secret key like inter-service-token'), generate: z.enum(['token', 'password'])}),
				/** A prompted value: give it from a `secret: true` input so it is masked everywhere. */
				z.strictObject({key: z.string().regex(/^[-._a-zA-Z0-9]+$/, 'a secret key like api-key'), value: z.string().min(1)}),
			]),
		)
		.min(1),
});
type SecretParams = z.infer<typeof secretParams>;

export const k8sApplySecret: Action<SecretParams> = {
	name: 'k8s.applySecret',
	params: secretParams,
	mutating: true,
	describe(params, ctx) {
		const namespace = namespaceOf(ctx);
		// Only key names and how each value is made: the values themselves never reach a plan line.
		const keys = params.keys.map(k => ('generate' in k ? `${k.key} (generated, ${k.generate === 'token' ? '64' : '32'} hex chars)` : `${k.key} (given, not shown)`));
		return {
			target: `secret ${params.secret}`,
			call: `create or update secret ${params.secret} -n ${namespace}: ${keys.join(', ')} (like kubectl create secret generic … --dry-run=client -o yaml | kubectl apply -f -; other keys are kept)`,
			environment: describeEnvironment(ctx.environment),
			affects: [`secret/${params.secret}`],
		};
	},
	async run(params, ctx) {
		const kube = requireKube(ctx);
		const values: Record<string, string> = {};
		for (const entry of params.keys) values[entry.key] = 'generate' in entry ? generateSecret(entry.generate) : entry.value;
		const register = (value: string) => {
			ctx.addSecret(value);
			registerSecrets([value]);
		};
		try {
			const result = await applySecret(kube, params.secret, values, register);
			const verb = result.created ? 'created' : 'updated';
			ctx.output(`secret/${result.name} ${verb} (${result.keys.join(', ')})`);
			return {ok: true, output: '', detail: `${verb} secret ${result.name}: ${result.keys.join(', ')}; restart the deployments that read it`};
		} catch (error) {
			return {ok: false, output: '', detail: message(error)};
		}
	},
};

// --- k8s.waitRollout ---------------------------------------------------------------------------------------------

const waitParams = z.strictObject({
	service: serviceSelector,
	/** Seconds for each deployment's rollout to finish. */
	timeout: z.number().int().min(1).max(3600).default(300),
});

export const k8sWaitRollout: Action<z.infer<typeof waitParams>> = {
	name: 'k8s.waitRollout',
	params: waitParams,
	mutating: false,
	describe(params, ctx) {
		return line(ctx, selectServices(ctx.environment, params.service), (d, ns) => `kubectl rollout status deployment/${d} -n ${ns} --timeout=${params.timeout}s`, false);
	},
	async run(params, ctx, signal) {
		const kube = requireKube(ctx);
		const done: string[] = [];
		for (const service of selectServices(ctx.environment, params.service)) {
			const name = deploymentName(service);
			try {
				const status = await waitRollout(kube, name, {
					timeoutMs: params.timeout * 1000,
					signal,
					onProgress: s => ctx.output(`${name}: ${s.updated}/${s.desired} updated, ${s.available} available, ${s.total} total`),
				});
				ctx.output(`deployment "${name}" successfully rolled out`);
				done.push(`${name} ${status.available}/${status.desired}`);
			} catch (error) {
				if ((error as Error)?.name === 'AbortError') throw error;
				return {ok: false, output: done.join('\n'), detail: message(error)};
			}
		}
		return {ok: true, output: done.join('\n'), detail: `rolled out: ${done.join(', ')}`};
	},
};

// --- k8s.check ---------------------------------------------------------------------------------------------------

const checkParams = z.strictObject({
	service: serviceSelector,
	/** running: every desired replica available (and at least one); exited: scaled to 0 with no pods left. */
	state: z.enum(['running', 'exited']).optional(),
});

export const k8sCheck: Action<z.infer<typeof checkParams>> = {
	name: 'k8s.check',
	params: checkParams,
	mutating: false,
	describe(params, ctx) {
		return line(ctx, selectServices(ctx.environment, params.service), (d, ns) => `kubectl get deployment ${d} -n ${ns} (expect ${params.state ?? 'to exist'})`, false);
	},
	async run(params, ctx) {
		const kube = requireKube(ctx);
		const seen: string[] = [];
		const wrong: string[] = [];
		for (const service of selectServices(ctx.environment, params.service)) {
			const name = deploymentName(service);
			let status;
			try {
				status = rolloutStatus(await readDeployment(kube, name));
			} catch (error) {
				return {ok: false, output: seen.join(', '), detail: message(error)};
			}
			seen.push(`${name} ${status.available}/${status.desired} available`);
			if (params.state === 'running' && (status.desired === 0 || status.available < status.desired)) wrong.push(`${name} has ${status.available}/${status.desired} available`);
			if (params.state === 'exited' && (status.desired !== 0 || status.total !== 0)) wrong.push(`${name} still has ${status.total} pods (desired ${status.desired})`);
		}
		const list = seen.join(', ');
		if (wrong.length > 0) return {ok: false, output: list, detail: `${wrong.join(', ')}, expected ${params.state}`};
		return {ok: true, output: list, detail: list};
	},
};

// --- k8s.exec ----------------------------------------------------------------------------------------------------

export const execParams = z.strictObject({
	service: z.string().min(1),
	argv: z.array(z.string()).min(1),
	/** Exit codes that count as success. */
	expectExit: z.array(z.number().int()).default([0]),
	/** `false`: the runbook says the command only reads (`ls`). Believed outside read-only mode only (see Action.declaredReadOnly). */
	mutating: z.boolean().default(true),
});
type ExecParams = z.infer<typeof execParams>;

/** The longest a command may hold its exec open (a full mongodump); a step's own timeout stops it sooner. */
const execLimitMs = 3_600_000;

/** The deployment's first ready pod (see firstReadyPod), or why there is none, in words a plan shows. */
async function execPod(kube: KubeTarget, deployment: string): Promise<{pod: string; container: string} | {refusal: string}> {
	const pods = await deploymentPods(kube, deployment);
	const pod = firstReadyPod(pods);
	if (!pod?.metadata?.name) {
		const states = pods.map(p => `${p.metadata?.name} ${podReady(p) ? 'ready' : (p.status?.phase ?? 'unknown')}`).join(', ');
		return {refusal: `deployment ${deployment} in namespace ${kube.namespace} has no ready pod to exec in (${states || 'no pods'})`};
	}
	return {pod: pod.metadata.name, container: pod.spec?.containers[0]?.name ?? ''};
}

/** `kubectl exec deploy/NAME -- …`: the command in the first ready pod of the service's deployment. */
export const k8sExec: Action<ExecParams> = {
	name: 'k8s.exec',
	params: execParams,
	// A command inside a pod can do anything: it counts as a change whatever the runbook says.
	mutating: true,
	declaredReadOnly: params => !params.mutating,
	describe(params, ctx) {
		const [service] = selectServices(ctx.environment, params.service);
		const plan = line(ctx, [service!], (d, ns) => `kubectl exec -n ${ns} deploy/${d} -- ${params.argv.map(quoteForDisplay).join(' ')}`, params.mutating);
		return {...plan, target: `${service!.name} (deployment ${deploymentName(service!)}, its first ready pod)`};
	},
	async preview(params, ctx) {
		if (!ctx.kube) return {};
		const [service] = selectServices(ctx.environment, params.service);
		const found = await execPod(ctx.kube, deploymentName(service!));
		if ('refusal' in found) return {refusal: found.refusal};
		return {details: [`runs in pod ${found.pod} (container ${found.container}), the first ready pod of deployment ${deploymentName(service!)}`]};
	},
	async run(params, ctx, signal) {
		const kube = requireKube(ctx);
		const [service] = selectServices(ctx.environment, params.service);
		const deployment = deploymentName(service!);
		let where: {pod: string; container: string} | undefined;
		try {
			const found = await execPod(kube, deployment);
			if ('refusal' in found) return {ok: false, output: '', detail: found.refusal};
			where = found;
			ctx.output(`exec in pod ${found.pod} (container ${found.container})`);
			const result = await execInPod(kube, found.pod, params.argv, {timeoutMs: execLimitMs, signal, container: found.container});
			const output = [result.stdout.trimEnd(), result.stderr.trimEnd()].filter(Boolean).join('\n');
			for (const text of output.split('\n').filter(Boolean).slice(-50)) ctx.output(text);
			const ok = params.expectExit.includes(result.exitCode);
			return {ok, output, detail: `${params.argv[0]} in pod ${found.pod} exited ${result.exitCode}${ok ? '' : ` (expected ${params.expectExit.join(' or ')})`}`};
		} catch (error) {
			if ((error as Error)?.name === 'AbortError' || signal.aborted) throw error;
			return {ok: false, output: '', detail: where ? message(error) : `no pod to exec in for deployment ${deployment}: ${message(error)}`};
		}
	},
};

export const k8sActions: Action[] = [k8sScale, k8sRolloutRestart, k8sRolloutUndo, k8sPatchHpa, k8sApplySecret, k8sWaitRollout, k8sCheck, k8sExec];
