/**
 * §8.2 step 3, "check recent changes": what was deployed, rolled out, restarted or reconfigured in the last two
 * hours, from the platform (container creation and start times, restart counts; replica set creation times on
 * Kubernetes) and the audit log (runbooks that changed something, silences). Pure, newest first.
 */
import type {ClusterView} from '../services/kubernetes/view.js';
import type {Instance, InstanceDetail} from '../services/platform.js';
import {formatDuration} from '../util/format.js';
import type {TimelineEntry} from './model.js';
import {configRunbooks} from './observe.js';

export const whatChangedWindowMs = 2 * 60 * 60 * 1000;

export type ChangeKind = 'deploy' | 'rollout' | 'restart' | 'config' | 'runbook' | 'silence' | 'kill-op';

export type Change = {at: number; kind: ChangeKind; subject: string; text: string; /** The audit run, for a change a runbook made. */ auditRunId?: string};

export type ChangeSources = {
	instances: readonly Instance[];
	details: Readonly<Record<string, InstanceDetail>>;
	cluster?: ClusterView;
	/** Audit records of the environment as timeline entries (observe.ts auditEntry). */
	audit: readonly TimelineEntry[];
};

export function whatChanged(sources: ChangeSources, now: number, windowMs = whatChangedWindowMs): Change[] {
	const from = now - windowMs;
	// No upper bound: a start stamped a moment after `now` (another clock, a render's older now) is still recent.
	const within = (at: number | undefined): at is number => at !== undefined && at >= from;
	const changes: Change[] = [];
	for (const instance of sources.instances) {
		const detail = sources.details[instance.id];
		const subject = instance.service === instance.name ? instance.name : `${instance.service} (${instance.name})`;
		if (within(instance.createdAt)) changes.push({at: instance.createdAt, kind: 'deploy', subject, text: `created from ${instance.image}`});
		// A start after the creation is a restart: by its policy (the count says how many) or by hand.
		if (detail && within(detail.startedAt) && detail.startedAt - instance.createdAt > 5000) {
			const count = detail.restartCount > 0 ? `, ${detail.restartCount} restart${detail.restartCount === 1 ? '' : 's'} in all` : '';
			const last = detail.lastTermination ? `, last exit ${detail.lastTermination.reason} (${detail.lastTermination.exitCode})` : detail.exitCode ? `, last exit ${detail.exitCode}` : '';
			changes.push({at: detail.startedAt, kind: 'restart', subject, text: `started ${formatDuration(now - detail.startedAt)} ago${count}${last}`});
		}
	}
	for (const deployment of sources.cluster?.deployments ?? []) {
		for (const rs of deployment.replicaSets) {
			if (!within(rs.createdAt)) continue;
			const cause = rs.changeCause ? `: ${rs.changeCause}` : '';
			changes.push({at: rs.createdAt, kind: 'rollout', subject: deployment.name, text: `replica set ${rs.name} (revision ${rs.revision}, ${rs.image}) created, ${rs.ready}/${rs.replicas} ready${cause}`});
		}
	}
	for (const entry of sources.audit) {
		if (!within(entry.at)) continue;
		const runbook = entry.refs?.runbook;
		// A refused run changed nothing.
		if (entry.refs?.outcome === 'refused') continue;
		if (entry.kind === 'runbook' || entry.kind === 'rollback' || entry.kind === 'kill-op') {
			const kind: ChangeKind = entry.kind === 'rollback' ? 'rollout' : entry.kind === 'kill-op' ? 'kill-op' : runbook && configRunbooks.has(runbook) ? 'config' : 'runbook';
			changes.push({at: entry.at, kind, subject: runbook ?? entry.kind, text: entry.text, auditRunId: entry.refs?.auditRunId});
		} else if (entry.kind === 'silence') {
			changes.push({at: entry.at, kind: 'silence', subject: 'alertmanager', text: entry.text});
		} else if (entry.kind === 'audit') {
			changes.push({at: entry.at, kind: 'config', subject: 'audit', text: entry.text, auditRunId: entry.refs?.auditRunId});
		}
	}
	return changes.sort((a, b) => b.at - a.at);
}
