/**
 * The rollout panel's data for one deployment, from the cluster view: its rollout state as `kubectl rollout status`
 * reads it, its revisions (`kubectl rollout history`), the new replica set and its pods, and the warnings of the
 * deployment, its replica sets and its pods. Pure; the template diff is kubectl undo's own (kubernetes-ops.ts), so
 * the panel shows what the rollback plan will.
 */
import {templateDiff} from '../kubernetes-ops.js';
import type {ClusterView, DeploymentRow, EventRow, ReplicaSetRow} from './view.js';

export type RolloutState = 'complete' | 'rolling out' | 'paused' | 'stalled' | 'waiting for the controller';

export type RolloutStatusLine = {
	state: RolloutState;
	/** ["2 desired", "1 updated", "2 ready", "2 available", "3 total"]: joined with the theme's separator. */
	counts: string[];
	/** Stalled: the Progressing condition's words; rolling out: what is still missing. */
	detail?: string;
};

export type RolloutPanelData = {
	deployment: DeploymentRow;
	status: RolloutStatusLine;
	/** Newest first. */
	revisions: ReplicaSetRow[];
	/** The replica set of the live template (the deployment's revision). */
	newReplicaSet?: ReplicaSetRow;
	/** The new replica set's pods, by name. */
	newPods: string[];
	/** Warning events of the deployment, its replica sets and its pods; newest first. */
	warnings: EventRow[];
};

/** What `kubectl rollout status` would say, in one state and a line of counts. */
export function rolloutStatusLine(d: DeploymentRow): RolloutStatusLine {
	const counts = [`${d.desired} desired`, `${d.updated} updated`, `${d.ready} ready`, `${d.available} available`, `${d.total} total`];
	if (d.paused) return {state: 'paused', counts, detail: 'rollouts are paused (kubectl rollout resume); undo is refused while paused'};
	// As kubectl: conditions count only once the controller has seen the latest spec (a fresh undo is not stalled).
	if (!d.observed) return {state: 'waiting for the controller', counts};
	if (d.stalled) return {state: 'stalled', counts, detail: `ProgressDeadlineExceeded: ${d.stalledMessage ?? 'the rollout exceeded its progress deadline'}`};
	if (d.updated < d.desired) return {state: 'rolling out', counts, detail: `${d.updated} of ${d.desired} new replicas updated`};
	if (d.total > d.updated) return {state: 'rolling out', counts, detail: `${d.total - d.updated} old replicas pending termination`};
	if (d.available < d.updated) return {state: 'rolling out', counts, detail: `${d.available} of ${d.updated} updated replicas available`};
	return {state: 'complete', counts};
}

export function rolloutPanelData(view: ClusterView, deploymentName: string): RolloutPanelData | undefined {
	const deployment = view.deployments.find(d => d.name === deploymentName);
	if (!deployment) return undefined;
	const newReplicaSet = deployment.replicaSets.find(rs => rs.current);
	const pods = view.pods.filter(p => p.deployment === deploymentName);
	const objects = new Set<string>([`Deployment/${deploymentName}`, ...deployment.replicaSets.map(rs => `ReplicaSet/${rs.name}`), ...pods.map(p => `Pod/${p.name}`)]);
	// A pod the rollout already replaced is gone from the list, but its warnings (why it never became ready) stay
	// telling: a pod of one of the deployment's replica sets is named after it.
	const podPrefixes = deployment.replicaSets.map(rs => `Pod/${rs.name}-`);
	const ours = (object: string) => objects.has(object) || podPrefixes.some(prefix => object.startsWith(prefix));
	return {
		deployment,
		status: rolloutStatusLine(deployment),
		revisions: deployment.replicaSets,
		newReplicaSet,
		newPods: newReplicaSet ? pods.filter(p => p.replicaSet === newReplicaSet.name).map(p => p.name) : [],
		// view.events are warnings first, newest first: the filter keeps that order.
		warnings: view.events.filter(e => e.type === 'Warning' && ours(e.object)),
	};
}

/** The revision `kubectl rollout undo` goes back to without --to-revision: the second newest. */
export function previousRevision(revisions: readonly ReplicaSetRow[]): ReplicaSetRow | undefined {
	return revisions[1];
}

/**
 * The chosen revision's pod template against the live one (`-` live, `+` the revision), or `identical` when an
 * undo to it would be skipped.
 */
export function revisionDiff(deployment: DeploymentRow, revision: ReplicaSetRow): string[] | 'identical' {
	if (!deployment.template || !revision.template) return ['(no pod template in the watched objects)'];
	const diff = templateDiff(deployment.template, revision.template);
	return diff.length === 0 ? 'identical' : diff;
}

/**
 * A diff's lines without the indentation they all share after their `- `/`+ `/`  ` mark: a pod template's changes
 * sit six levels deep, and a narrow pane must still show the changed values.
 */
export function dedentDiff(lines: readonly string[]): string[] {
	const body = (line: string) => line.slice(2);
	let common = Number.POSITIVE_INFINITY;
	for (const line of lines) {
		const text = body(line);
		if (text.trim() === '' || text.trim() === '…') continue;
		common = Math.min(common, text.length - text.trimStart().length);
	}
	if (!Number.isFinite(common) || common === 0) return [...lines];
	return lines.map(line => (body(line).trim() === '…' ? line : line.slice(0, 2) + body(line).slice(common)));
}
