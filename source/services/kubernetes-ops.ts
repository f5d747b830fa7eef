/**
 * The changes botops makes to a Kubernetes namespace: scale, rollout restart/undo, HPA bounds, secrets, and
 * waiting for a rollout. Undo follows kubectl's client-side algorithm (kubectl/pkg/polymorphichelpers/rollback.go):
 * the target revision's replica set template, minus its pod-template-hash label, and its annotations, minus the
 * deployment-owned ones, sent in one JSON patch. The pure parts (revision list, undo patch, template diff) are
 * exported so a rollout panel can draw the same thing the runbook plan shows.
 */
import type {KubeConfig, V1Deployment, V1PodTemplateSpec, V1ReplicaSet, V2HorizontalPodAutoscaler} from '@kubernetes/client-node';
import {stringify} from 'yaml';
import {sleep} from '../runbooks/actions/sleep.js';
import {scrub} from '../util/secrets.js';
import {describeError, ServiceError} from './errors.js';

export type KubeTarget = {kubeConfig: KubeConfig; namespace: string};

export const revisionAnnotation = 'deployment.kubernetes.io/revision';
export const changeCauseAnnotation = 'kubernetes.io/change-cause';
export const restartedAtAnnotation = 'kubectl.kubernetes.io/restartedAt';
export const podTemplateHashLabel = 'pod-template-hash';
/** Annotations the deployment controller (or kubectl apply) owns: kept from the deployment, never copied from a replica set. */
export const deploymentOwnedAnnotations: ReadonlySet<string> = new Set([
	'kubectl.kubernetes.io/last-applied-configuration',
	revisionAnnotation,
	'deployment.kubernetes.io/revision-history',
	'deployment.kubernetes.io/desired-replicas',
	'deployment.kubernetes.io/max-replicas',
	'deprecated.deployment.rollback.to',
]);

export const replicaBounds = {min: 0, max: 50} as const;

// ---------------------------------------------------------------------------------------------------------------
// Pure functions: revisions, undo patch, template diff.

export type Revision = {
	revision: number;
	replicaSet: string;
	changeCause?: string;
	images: string[];
	createdAt?: Date;
	/** Seconds since the replica set was created, at `now`. */
	ageSeconds?: number;
	/** Whether this revision's template is the deployment's live one. */
	live: boolean;
	template: V1PodTemplateSpec;
};

function revisionOf(object: {metadata?: {annotations?: Record<string, string>}}): number | undefined {
	const text = object.metadata?.annotations?.[revisionAnnotation];
	if (text === undefined || !/^\d+$/.test(text)) return undefined;
	return Number(text);
}

/** Replica sets the deployment controls (by owner uid), as kubectl's GetAllReplicaSets selects them. */
export function ownedReplicaSets(deployment: V1Deployment, replicaSets: V1ReplicaSet[]): V1ReplicaSet[] {
	const uid = deployment.metadata?.uid;
	return replicaSets.filter(rs => rs.metadata?.ownerReferences?.some(ref => ref.controller && ref.kind === 'Deployment' && (uid ? ref.uid === uid : ref.name === deployment.metadata?.name)));
}

/** The deployment's revisions, newest first, with change-cause, images and age. */
export function revisionList(deployment: V1Deployment, replicaSets: V1ReplicaSet[], now: Date = new Date()): Revision[] {
	const live = deployment.spec?.template;
	return ownedReplicaSets(deployment, replicaSets)
		.flatMap(rs => {
			const revision = revisionOf(rs);
			if (revision === undefined || !rs.spec?.template) return [];
			const createdAt = rs.metadata?.creationTimestamp ? new Date(rs.metadata.creationTimestamp) : undefined;
			return [{
				revision,
				replicaSet: rs.metadata?.name ?? '',
				changeCause: rs.metadata?.annotations?.[changeCauseAnnotation],
				images: (rs.spec.template.spec?.containers ?? []).map(c => c.image ?? ''),
				createdAt,
				ageSeconds: createdAt ? Math.max(0, Math.floor((now.getTime() - createdAt.getTime()) / 1000)) : undefined,
				live: live !== undefined && templatesEqualIgnoringHash(rs.spec.template, live),
				template: rs.spec.template,
			}];
		})
		.sort((a, b) => b.revision - a.revision);
}

/** A copy of the template without the pod-template-hash label (and without an empty labels map left behind). */
export function withoutHash(template: V1PodTemplateSpec): V1PodTemplateSpec {
	const copy = structuredClone(template);
	if (copy.metadata?.labels) {
		delete copy.metadata.labels[podTemplateHashLabel];
	}
	return copy;
}

/** Semantic equality of two pod templates, the hash label aside (kubectl's equalIgnoreHash). */
export function templatesEqualIgnoringHash(a: V1PodTemplateSpec, b: V1PodTemplateSpec): boolean {
	return canonical(withoutHash(a)) === canonical(withoutHash(b));
}

/** JSON with sorted keys and empty maps/arrays/undefined dropped: Go's semantic DeepEqual treats nil and empty alike. */
function canonical(value: unknown): string {
	return JSON.stringify(normalise(value));
}

function normalise(value: unknown): unknown {
	if (value instanceof Date) return value.toISOString();
	if (Array.isArray(value)) return value.length === 0 ? undefined : value.map(normalise);
	if (value && typeof value === 'object') {
		const entries = Object.keys(value)
			.sort()
			.map(key => [key, normalise((value as Record<string, unknown>)[key])] as const)
			.filter(([, v]) => v !== undefined);
		return entries.length === 0 ? undefined : Object.fromEntries(entries);
	}
	return value;
}

/**
 * kubectl's deploymentRevision: revision 0 means the previous one (the second highest); another number must exist.
 * Throws kubectl's own messages.
 */
export function findRevision(deployment: V1Deployment, replicaSets: V1ReplicaSet[], toRevision = 0): V1ReplicaSet {
	if (!Number.isInteger(toRevision) || toRevision < 0) throw new Error(`unable to find specified revision ${toRevision} in history`);
	let latest: {revision: number; rs?: V1ReplicaSet} = {revision: -1};
	let previous: {revision: number; rs?: V1ReplicaSet} = {revision: -1};
	for (const rs of ownedReplicaSets(deployment, replicaSets)) {
		const revision = revisionOf(rs);
		if (revision === undefined) continue;
		if (toRevision > 0) {
			if (revision === toRevision) return rs;
			continue;
		}
		if (revision > latest.revision) {
			previous = latest;
			latest = {revision, rs};
		} else if (revision > previous.revision) {
			previous = {revision, rs};
		}
	}
	if (toRevision > 0) throw new Error(`unable to find specified revision ${toRevision} in history`);
	if (!previous.rs) throw new Error(`no rollout history found for deployment "${deployment.metadata?.name}"`);
	return previous.rs;
}

export type UndoPlan =
	| {kind: 'refused'; reason: string}
	| {kind: 'skipped'; revision: number; message: string}
	| {
			kind: 'rollback';
			revision: number;
			replicaSet: string;
			template: V1PodTemplateSpec;
			annotations: Record<string, string>;
			/** The one JSON patch kubectl sends: template and annotations replaced together. */
			patch: Array<{op: 'replace'; path: string; value: unknown}>;
			diff: string[];
	  };

/** What `kubectl rollout undo [--to-revision=N]` would do to this deployment, without doing it. */
export function planUndo(deployment: V1Deployment, replicaSets: V1ReplicaSet[], toRevision = 0): UndoPlan {
	let target: V1ReplicaSet;
	try {
		target = findRevision(deployment, replicaSets, toRevision);
	} catch (error) {
		return {kind: 'refused', reason: (error as Error).message};
	}
	const name = deployment.metadata?.name ?? '?';
	if (deployment.spec?.paused) {
		return {kind: 'refused', reason: `you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${name}' and try again`};
	}
	const revision = revisionOf(target)!;
	const live = deployment.spec?.template ?? {};
	const wanted = target.spec?.template ?? {};
	if (templatesEqualIgnoringHash(wanted, live)) {
		return {kind: 'skipped', revision, message: `skipped rollback (current template already matches revision ${revision})`};
	}
	const template = withoutHash(wanted);
	const annotations: Record<string, string> = {};
	for (const key of deploymentOwnedAnnotations) {
		const value = deployment.metadata?.annotations?.[key];
		if (value !== undefined) annotations[key] = value;
	}
	for (const [key, value] of Object.entries(target.metadata?.annotations ?? {})) {
		if (!deploymentOwnedAnnotations.has(key)) annotations[key] = value;
	}
	return {
		kind: 'rollback',
		revision,
		replicaSet: target.metadata?.name ?? '',
		template,
		annotations,
		patch: [
			{op: 'replace', path: '/spec/template', value: template},
			{op: 'replace', path: '/metadata/annotations', value: annotations},
		],
		diff: templateDiff(live, template),
	};
}

/**
 * A unified-style line diff of two pod templates as YAML (hash label aside): `-` lines are the live template's,
 * `+` lines the other one's, with two lines of context. Empty when they are the same.
 */
export function templateDiff(live: V1PodTemplateSpec, other: V1PodTemplateSpec, context = 2): string[] {
	const a = toYamlLines(live);
	const b = toYamlLines(other);
	if (a.join('\n') === b.join('\n')) return [];
	const ops = lineDiff(a, b);
	const out: string[] = [];
	const keep = ops.map((op, index) => op.kind !== ' ' || ops.slice(Math.max(0, index - context), index + context + 1).some(o => o.kind !== ' '));
	let gap = false;
	ops.forEach((op, index) => {
		if (!keep[index]) {
			gap = true;
			return;
		}
		if (gap && out.length > 0) out.push('  …');
		gap = false;
		out.push(`${op.kind} ${op.line}`);
	});
	return out;
}

function toYamlLines(template: V1PodTemplateSpec): string[] {
	const shown = normalise(JSON.parse(JSON.stringify(withoutHash(template)))) ?? {};
	return stringify(shown, {sortMapEntries: true, lineWidth: 0}).trimEnd().split('\n');
}

/** Longest-common-subsequence line diff; templates are a few dozen lines, so the quadratic table is cheap. */
function lineDiff(a: string[], b: string[]): Array<{kind: ' ' | '-' | '+'; line: string}> {
	const table = Array.from({length: a.length + 1}, () => new Array<number>(b.length + 1).fill(0));
	for (let i = a.length - 1; i >= 0; i--) {
		for (let j = b.length - 1; j >= 0; j--) table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
	}
	const ops: Array<{kind: ' ' | '-' | '+'; line: string}> = [];
	let i = 0;
	let j = 0;
	while (i < a.length && j < b.length) {
		if (a[i] === b[j]) {
			ops.push({kind: ' ', line: a[i]!});
			i++;
			j++;
		} else if (table[i + 1]![j]! >= table[i]![j + 1]!) {
			ops.push({kind: '-', line: a[i++]!});
		} else {
			ops.push({kind: '+', line: b[j++]!});
		}
	}
	while (i < a.length) ops.push({kind: '-', line: a[i++]!});
	while (j < b.length) ops.push({kind: '+', line: b[j++]!});
	return ops;
}

/** The HPA whose scale target is this deployment, if any (by reference, not by a naming convention). */
export function hpaFor(deployment: string, hpas: V2HorizontalPodAutoscaler[]): V2HorizontalPodAutoscaler | undefined {
	return hpas.find(h => h.spec?.scaleTargetRef?.kind === 'Deployment' && h.spec.scaleTargetRef.name === deployment);
}

/** Why a replica count may not be set, or undefined when it may; `hpa` bounds it unless the HPA is patched too. */
export function replicasRefusal(replicas: number, hpa?: {name: string; min: number; max: number}): string | undefined {
	if (!Number.isInteger(replicas) || replicas < replicaBounds.min || replicas > replicaBounds.max) {
		return `replicas must be a whole number from ${replicaBounds.min} to ${replicaBounds.max} (got ${replicas})`;
	}
	if (hpa && (replicas < hpa.min || replicas > hpa.max)) {
		return `replicas ${replicas} is outside HPA ${hpa.name}'s range ${hpa.min}-${hpa.max}: the HPA would scale it back; patch the HPA (patchHpa: true) instead`;
	}
	return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Calls. The client is imported lazily: it costs ~750 ms cold, and compose environments never need it.

type Client = typeof import('@kubernetes/client-node');
let clientModule: Promise<Client> | undefined;
function client(): Promise<Client> {
	clientModule ??= import('@kubernetes/client-node');
	return clientModule;
}

async function apis(target: KubeTarget) {
	const k8s = await client();
	return {
		k8s,
		apps: target.kubeConfig.makeApiClient(k8s.AppsV1Api),
		core: target.kubeConfig.makeApiClient(k8s.CoreV1Api),
		autoscaling: target.kubeConfig.makeApiClient(k8s.AutoscalingV2Api),
		merge: k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
	};
}

/**
 * A failed call as one plain line: the API server's Status message with its code ("deployments.apps \"x\" not
 * found (404)"), or describeError's reading of a transport failure.
 */
export function describeKubeError(error: unknown, what: string): ServiceError {
	if (error instanceof ServiceError) return error;
	const e = error as {code?: unknown; body?: unknown};
	if (typeof e?.code === 'number' && e.code >= 400) {
		let message: string | undefined;
		try {
			const body = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
			if (body && typeof body === 'object' && typeof (body as {message?: unknown}).message === 'string') message = (body as {message: string}).message;
		} catch {
			// Not a Status object: the code alone says enough.
		}
		const plain = e.code === 403 ? `forbidden: ${message ?? 'permission denied'}` : message ?? `HTTP ${e.code}`;
		return new ServiceError(`${what}: ${scrub(plain)} (${e.code})`, e.code);
	}
	return new ServiceError(describeError(error, what));
}

async function call<T>(what: string, work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		throw describeKubeError(error, what);
	}
}

export async function readDeployment(target: KubeTarget, name: string): Promise<V1Deployment> {
	const {apps} = await apis(target);
	return call(`get deployment ${name}`, () => apps.readNamespacedDeployment({name, namespace: target.namespace}));
}

export async function listHpas(target: KubeTarget): Promise<V2HorizontalPodAutoscaler[]> {
	const {autoscaling} = await apis(target);
	const list = await call('list horizontalpodautoscalers', () => autoscaling.listNamespacedHorizontalPodAutoscaler({namespace: target.namespace}));
	return list.items;
}

/** The deployment's replica sets, selected by its label selector and then by owner, as kubectl does. */
export async function replicaSetsOf(target: KubeTarget, deployment: V1Deployment): Promise<V1ReplicaSet[]> {
	const {apps} = await apis(target);
	const labels = deployment.spec?.selector?.matchLabels ?? {};
	const labelSelector = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
	const list = await call(`list replicasets of ${deployment.metadata?.name}`, () => apps.listNamespacedReplicaSet({namespace: target.namespace, labelSelector: labelSelector || undefined}));
	return ownedReplicaSets(deployment, list.items);
}

export type ScaleOptions = {
	replicas: number;
	/** Widen the HPA's min/max to include `replicas` instead of refusing a count outside them. */
	patchHpa?: boolean;
	/** On a scale to 0, keep the count it had in this deployment annotation (so a later start can restore it). */
	rememberWhenStopping?: string;
};
export type ScaleResult = {from: number; to: number; hpa?: {name: string; min: number; max: number; patched: boolean}; warning?: string};

function hpaBounds(hpa: V2HorizontalPodAutoscaler): {name: string; min: number; max: number} {
	return {name: hpa.metadata?.name ?? '?', min: hpa.spec?.minReplicas ?? 1, max: hpa.spec?.maxReplicas ?? 1};
}

/**
 * `kubectl scale deployment NAME --replicas=N`, bounded 0–50 and by the HPA that owns the deployment's replicas.
 * With patchHpa the HPA's min (and max, if needed) are moved so N is what the HPA keeps; then the scale follows.
 */
export async function scaleDeployment(target: KubeTarget, name: string, options: ScaleOptions): Promise<ScaleResult> {
	const early = replicasRefusal(options.replicas);
	if (early) throw new ServiceError(`scale ${name}: ${early}`);
	const {apps, autoscaling, merge} = await apis(target);
	const deployment = await readDeployment(target, name);
	const hpa = hpaFor(name, await listHpas(target));
	const bounds = hpa ? hpaBounds(hpa) : undefined;
	if (bounds && !options.patchHpa) {
		const refusal = replicasRefusal(options.replicas, bounds);
		if (refusal) throw new ServiceError(`scale ${name}: ${refusal}`);
	}
	let patched = false;
	if (hpa && bounds && options.patchHpa && (options.replicas < bounds.min || options.replicas > bounds.max)) {
		if (options.replicas < 1) throw new ServiceError(`scale ${name}: an HPA keeps at least 1 replica; delete HPA ${bounds.name} to scale to 0`);
		const next = {minReplicas: Math.min(bounds.min, options.replicas), maxReplicas: Math.max(bounds.max, options.replicas)};
		await call(`patch hpa ${bounds.name}`, () => autoscaling.patchNamespacedHorizontalPodAutoscaler({name: bounds.name, namespace: target.namespace, body: {spec: next}}, merge));
		bounds.min = next.minReplicas;
		bounds.max = next.maxReplicas;
		patched = true;
	}
	const from = deployment.spec?.replicas ?? 0;
	if (options.replicas === 0 && from > 0 && options.rememberWhenStopping) {
		// One merge patch: the count to come back to and the scale to 0 land together or not at all.
		const body = {metadata: {annotations: {[options.rememberWhenStopping]: String(from)}}, spec: {replicas: 0}};
		await call(`scale deployment ${name}`, () => apps.patchNamespacedDeployment({name, namespace: target.namespace, body}, merge));
	} else {
		await call(`scale deployment ${name}`, () => apps.patchNamespacedDeploymentScale({name, namespace: target.namespace, body: {spec: {replicas: options.replicas}}}, merge));
	}
	return {
		from,
		to: options.replicas,
		hpa: bounds && {...bounds, patched},
		warning: bounds ? `HPA ${bounds.name} owns the replicas of ${name} (${bounds.min}-${bounds.max}); it may change them again` : undefined,
	};
}

/** `kubectl patch hpa NAME --patch '{"spec":{"minReplicas":…,"maxReplicas":…}}'`, checked before the call. */
export async function patchHpa(target: KubeTarget, name: string, bounds: {min?: number; max?: number}): Promise<{name: string; min: number; max: number}> {
	const {autoscaling, merge} = await apis(target);
	const hpa = await call(`get hpa ${name}`, () => autoscaling.readNamespacedHorizontalPodAutoscaler({name, namespace: target.namespace}));
	const min = bounds.min ?? hpa.spec?.minReplicas ?? 1;
	const max = bounds.max ?? hpa.spec?.maxReplicas ?? 1;
	const refusal = hpaRefusal(min, max);
	if (refusal) throw new ServiceError(`patch hpa ${name}: ${refusal}`);
	const spec: Record<string, number> = {};
	if (bounds.min !== undefined) spec.minReplicas = bounds.min;
	if (bounds.max !== undefined) spec.maxReplicas = bounds.max;
	await call(`patch hpa ${name}`, () => autoscaling.patchNamespacedHorizontalPodAutoscaler({name, namespace: target.namespace, body: {spec}}, merge));
	return {name, min, max};
}

export function hpaRefusal(min: number, max: number): string | undefined {
	if (!Number.isInteger(min) || min < 1 || min > replicaBounds.max) return `minReplicas must be a whole number from 1 to ${replicaBounds.max} (got ${min})`;
	if (!Number.isInteger(max) || max < 1 || max > replicaBounds.max) return `maxReplicas must be a whole number from 1 to ${replicaBounds.max} (got ${max})`;
	if (min > max) return `minReplicas ${min} is above maxReplicas ${max}`;
	return undefined;
}

/** `kubectl rollout restart`: the restartedAt annotation on the pod template, as a merge patch. Returns the stamp. */
export async function rolloutRestart(target: KubeTarget, name: string, now: Date = new Date()): Promise<string> {
	const {apps, merge} = await apis(target);
	const deployment = await readDeployment(target, name);
	if (deployment.spec?.paused) throw new ServiceError(`restart ${name}: can't restart paused deployment (run rollout resume first)`);
	const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
	const body = {spec: {template: {metadata: {annotations: {[restartedAtAnnotation]: stamp}}}}};
	await call(`restart deployment ${name}`, () => apps.patchNamespacedDeployment({name, namespace: target.namespace, body}, merge));
	return stamp;
}

/** Plans an undo from the live objects (for a plan or a panel); nothing is changed. */
export async function previewUndo(target: KubeTarget, name: string, toRevision = 0): Promise<UndoPlan> {
	const deployment = await readDeployment(target, name);
	return planUndo(deployment, await replicaSetsOf(target, deployment), toRevision);
}

export type UndoResult = {outcome: 'rolled back'; revision: number; replicaSet: string; diff: string[]} | {outcome: 'skipped rollback'; revision: number; message: string};

/** `kubectl rollout undo deployment/NAME [--to-revision=N]`: a paused deployment or a missing revision throws. */
export async function rolloutUndo(target: KubeTarget, name: string, toRevision = 0): Promise<UndoResult> {
	const {apps} = await apis(target);
	const plan = await previewUndo(target, name, toRevision);
	if (plan.kind === 'refused') throw new ServiceError(`undo ${name}: ${plan.reason}`);
	if (plan.kind === 'skipped') return {outcome: 'skipped rollback', revision: plan.revision, message: plan.message};
	// No Content-Type option: the client sends application/json-patch+json, the type kubectl's rollback uses.
	await call(`undo deployment ${name}`, () => apps.patchNamespacedDeployment({name, namespace: target.namespace, body: plan.patch}));
	return {outcome: 'rolled back', revision: plan.revision, replicaSet: plan.replicaSet, diff: plan.diff};
}

export type SecretResult = {name: string; created: boolean; keys: string[]};

/**
 * Creates the secret, or updates the given keys of an existing one with a merge patch (its other keys are kept).
 * The values are registered with the scrubber before any call, so no error or log line can show them.
 */
export async function applySecret(target: KubeTarget, name: string, values: Record<string, string>, register: (value: string) => void): Promise<SecretResult> {
	const keys = Object.keys(values).sort();
	if (keys.length === 0) throw new ServiceError(`apply secret ${name}: no keys given`);
	for (const value of Object.values(values)) register(value);
	const data = Object.fromEntries(keys.map(key => [key, Buffer.from(values[key]!, 'utf8').toString('base64')]));
	const {core, merge} = await apis(target);
	const existing = await core.readNamespacedSecret({name, namespace: target.namespace}).then(
		secret => secret,
		(error: unknown) => {
			if ((error as {code?: number})?.code === 404) return undefined;
			throw describeKubeError(error, `get secret ${name}`);
		},
	);
	if (!existing) {
		await call(`create secret ${name}`, () => core.createNamespacedSecret({namespace: target.namespace, body: {apiVersion: 'v1', kind: 'Secret', metadata: {name, namespace: target.namespace}, type: 'Opaque', data}}));
		return {name, created: true, keys};
	}
	await call(`update secret ${name}`, () => core.patchNamespacedSecret({name, namespace: target.namespace, body: {data}}, merge));
	return {name, created: false, keys};
}

export type RolloutStatus = {desired: number; updated: number; ready: number; available: number; total: number; done: boolean; stalled?: string; observed: boolean};

/** kubectl's rollout status reading of one deployment, pure. */
export function rolloutStatus(deployment: V1Deployment): RolloutStatus {
	const desired = deployment.spec?.replicas ?? 1;
	const status = deployment.status ?? {};
	const updated = status.updatedReplicas ?? 0;
	const available = status.availableReplicas ?? 0;
	const total = status.replicas ?? 0;
	const observed = (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0);
	const progressing = status.conditions?.find(c => c.type === 'Progressing');
	// As kubectl: conditions only count once the controller has seen the latest spec (a fresh undo is not stalled).
	const stalled = observed && progressing?.reason === 'ProgressDeadlineExceeded' ? progressing.message ?? `deployment "${deployment.metadata?.name}" exceeded its progress deadline` : undefined;
	return {desired, updated, ready: status.readyReplicas ?? 0, available, total, observed, stalled, done: observed && updated === desired && available === desired && total === desired};
}

/**
 * Until updated == available == desired and no old pods remain (total == desired), or the timeout. A
 * ProgressDeadlineExceeded condition fails it at once with that reason. Polls the deployment once a second.
 */
export async function waitRollout(
	target: KubeTarget,
	name: string,
	options: {timeoutMs: number; signal?: AbortSignal; onProgress?: (status: RolloutStatus) => void; intervalMs?: number},
): Promise<RolloutStatus> {
	const deadline = Date.now() + options.timeoutMs;
	let last = '';
	for (;;) {
		const status = rolloutStatus(await readDeployment(target, name));
		const line = `${status.updated}/${status.desired} updated, ${status.available} available, ${status.total} total`;
		if (line !== last) options.onProgress?.(status);
		last = line;
		if (status.stalled) throw new ServiceError(`rollout of ${name} failed: ProgressDeadlineExceeded: ${status.stalled}`);
		if (status.done) return status;
		if (Date.now() >= deadline) throw new ServiceError(`rollout of ${name} not done after ${Math.round(options.timeoutMs / 1000)} s: ${line}`);
		await sleep(Math.min(options.intervalMs ?? 1000, Math.max(0, deadline - Date.now())), options.signal);
	}
}

