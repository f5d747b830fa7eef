/**
 * What the timeline records by itself, as pure functions: a snapshot of what the store shows (alerts, silences,
 * services, deployments), the entries between two snapshots, and the entry for one audit record. The recorder
 * (controllers/incident-recorder.ts) feeds them; tests feed them scripted sequences.
 */
import type {EnvironmentConfig} from '../config/schema.js';
import {formatMatchers} from '../alerts/matchers.js';
import {selectServiceRows, type ServiceState} from '../store/selectors.js';
import type {AppState} from '../store/store.js';
import {formatDuration} from '../util/format.js';
import type {TimelineEntry} from './model.js';

type AlertSeen = {name: string; service?: string; severity?: string; summary?: string; startsAt: number};
type SilenceSeen = {state: string; matchers: string; endsAt: string; createdBy: string};
type ServiceSeen = {state: 'up' | 'down'; problems: string[]};
type InstanceSeen = {id: string; image: string};
/** `createdAt`: of the replica set at the deployment's revision (a rollback gives an older one the next revision). */
type DeploymentSeen = {revision: number; image: string; createdAt: number};

export type Observation = {
	/** Undefined: Alertmanager has not answered yet (nothing can be said about alerts). */
	alerts?: Map<string, AlertSeen>;
	silences?: Map<string, SilenceSeen>;
	/** Only services whose state is known (up or down). */
	services: Map<string, ServiceSeen>;
	/** Per service: the instance it runs on (compose), to see a container replaced by a deployment. */
	instances: Map<string, InstanceSeen>;
	deployments?: Map<string, DeploymentSeen>;
};

/** Up and down as the timeline says them: starting (restarting, created) is not up; degraded is up, only slow. */
const upOrDown: Record<ServiceState, 'up' | 'down' | undefined> = {ok: 'up', degraded: 'up', starting: 'down', down: 'down', unknown: undefined};

export function observe(state: Pick<AppState, 'alerts' | 'containers' | 'details' | 'health' | 'cluster'>, environment: EnvironmentConfig, now: number, latencyTargetMs: number): Observation {
	const services = new Map<string, ServiceSeen>();
	const instances = new Map<string, InstanceSeen>();
	for (const row of selectServiceRows(state, environment, now, latencyTargetMs)) {
		const seen = upOrDown[row.state];
		if (seen) services.set(row.name, {state: seen, problems: row.problems});
		// Compose: one container per service; a new id there is a new container (a deployment or a recreate).
		if (row.instances.length === 1 && row.container) instances.set(row.name, {id: row.container.id, image: row.container.image});
	}
	const data = state.alerts.data;
	const alerts = data
		? new Map(
				data.alerts.map(alert => [
					alert.fingerprint,
					{
						name: alert.labels['alertname'] ?? alert.fingerprint,
						service: alert.labels['service'] ?? alert.labels['job'],
						severity: alert.labels['severity'],
						summary: alert.annotations['summary'] ?? alert.annotations['description'],
						startsAt: Date.parse(alert.startsAt),
					},
				]),
			)
		: undefined;
	const silences = data ? new Map(data.silences.map(s => [s.id, {state: s.state, matchers: formatMatchers(s.matchers), endsAt: s.endsAt, createdBy: s.createdBy}])) : undefined;
	const view = state.cluster.data;
	const deployments = view
		? new Map(
				view.deployments.map(d => {
					const current = d.replicaSets.find(rs => rs.revision === d.revision);
					return [d.name, {revision: d.revision, image: d.image, createdAt: current?.createdAt ?? 0}];
				}),
			)
		: undefined;
	return {alerts, silences, services, instances, deployments};
}

/**
 * The entries between two observations at `now`; with no previous one (just declared), what is wrong already.
 * An alert is recorded at its start, also one that began before the declaration at `declaredAt`: the timeline
 * then shows when it was detected, not when botops noticed.
 */
export function observationEntries(previous: Observation | undefined, next: Observation, now: number, declaredAt: number): TimelineEntry[] {
	const entries: TimelineEntry[] = [];
	if (next.alerts) {
		const before = previous?.alerts;
		for (const [fingerprint, alert] of next.alerts) {
			if (before?.has(fingerprint)) continue;
			const started = Number.isFinite(alert.startsAt) && alert.startsAt <= now ? alert.startsAt : now;
			const summary = alert.summary ? `: ${alert.summary}` : '';
			const where = alert.service ? ` (${alert.service})` : '';
			const since = started < declaredAt ? ` (firing ${formatDuration(declaredAt - started)} before the declaration)` : '';
			entries.push({at: started, kind: 'alert-firing', text: `${alert.name}${where}${alert.severity ? ` ${alert.severity}` : ''}${summary}${since}`, refs: refsOf({alert: fingerprint, alertname: alert.name, service: alert.service})});
		}
		// Gone from Alertmanager's list: resolved. Not on the first answer (nothing was known before it).
		if (before) {
			for (const [fingerprint, alert] of before) {
				if (next.alerts.has(fingerprint)) continue;
				const where = alert.service ? ` (${alert.service})` : '';
				entries.push({at: now, kind: 'alert-resolved', text: `${alert.name}${where} resolved after ${formatDuration(now - alert.startsAt)}`, refs: refsOf({alert: fingerprint, alertname: alert.name, service: alert.service})});
			}
		}
	}
	if (next.silences && previous?.silences) {
		for (const [id, silence] of next.silences) {
			const old = previous.silences.get(id);
			if (old && old.state === silence.state) continue;
			if (silence.state === 'expired' && old && old.state !== 'expired') entries.push({at: now, kind: 'silence', text: `silence ${silence.matchers} expired`, refs: {silenceId: id}});
			else if (!old && silence.state !== 'expired') entries.push({at: now, kind: 'silence', text: `silence ${silence.matchers} created by ${silence.createdBy}, until ${silence.endsAt}`, refs: {silenceId: id}});
		}
	}
	for (const [service, seen] of next.services) {
		const old = previous?.services.get(service);
		if (old?.state === seen.state) continue;
		if (seen.state === 'down') {
			const at = old ? '' : ' (down when recording began)';
			entries.push({at: now, kind: 'service-down', text: `${service} down: ${seen.problems.join('; ') || 'not running'}${at}`, refs: {service}});
		} else if (old) {
			entries.push({at: now, kind: 'service-up', text: `${service} up again`, refs: {service}});
		}
	}
	if (previous) {
		for (const [service, instance] of next.instances) {
			const old = previous.instances.get(service);
			if (!old || old.id === instance.id) continue;
			const image = old.image === instance.image ? `same image ${instance.image}` : `image ${old.image} -> ${instance.image}`;
			entries.push({at: now, kind: 'deploy', text: `${service}: new container ${instance.id.slice(0, 12)} (${image})`, refs: {service}});
		}
	}
	if (next.deployments && previous?.deployments) {
		for (const [name, deployment] of next.deployments) {
			const old = previous.deployments.get(name);
			if (!old || old.revision === deployment.revision) continue;
			// `rollout undo` gives an older replica set the next revision: one created before the last rollout is a rollback.
			const rolledBack = deployment.createdAt > 0 && old.createdAt > 0 && deployment.createdAt < old.createdAt;
			const image = old.image === deployment.image ? deployment.image : `${old.image} -> ${deployment.image}`;
			entries.push({
				at: now,
				kind: rolledBack ? 'rollback' : 'deploy',
				text: `${name} ${rolledBack ? 'rolled back' : 'rolled out'}: revision ${old.revision} -> ${deployment.revision} (${image})`,
				refs: {service: name, ...(rolledBack ? {outcome: 'ok'} : {})},
			});
		}
	}
	return entries;
}

function refsOf(refs: {alert: string; alertname: string; service?: string}): TimelineEntry['refs'] {
	return refs.service ? refs : {alert: refs.alert, alertname: refs.alertname};
}

/** An audit record as the reader sees it: any of the run records, a silence, or a record another part of botops writes. */
type AnyAuditRecord = {type?: unknown; time?: unknown; environment?: unknown; [key: string]: unknown};

/** Runbooks that change configuration rather than restart or roll: "what changed" calls them config changes. */
export const configRunbooks = new Set(['rotate-secrets', 'rotate-secrets-k8s', 'rotate-binance-keys', 'add-symbol', 'update-ai-model', 'enable-trading', 'disable-trading', 'adjust-hpa', 'scale-service', 'maintenance-mode']);

/**
 * The timeline entry for one audit record of this environment, undefined for records that say nothing new
 * (run-start, steps: the run-end says how it went) or belong to another environment.
 */
export function auditEntry(record: AnyAuditRecord, environment: string): TimelineEntry | undefined {
	if (!record || typeof record !== 'object' || typeof record.type !== 'string' || record.environment !== environment) return undefined;
	const at = typeof record.time === 'string' ? Date.parse(record.time) : typeof record.time === 'number' ? record.time : Number.NaN;
	if (!Number.isFinite(at)) return undefined;
	const text = (value: unknown) => (typeof value === 'string' ? value : '');
	switch (record.type) {
		case 'run-start':
		case 'step-start':
		case 'step': {
			return undefined;
		}
		case 'run-end': {
			const runbook = text(record.runbook);
			const outcome = text(record.outcome);
			const runId = text(record.runId);
			const duration = typeof record.durationMs === 'number' ? ` in ${formatDuration(record.durationMs)}` : '';
			const refusal = record.refusal ? ` (${text(record.refusal)})` : '';
			const state = text(record.state);
			const kind = runbook === 'rollback' ? 'rollback' : /kill/.test(runbook) ? 'kill-op' : 'runbook';
			return {at, kind, text: `${runbook} ${outcome}${refusal}${duration} by ${text(record.user) || 'unknown'}${state ? `: ${state}` : ''}`, refs: {auditRunId: runId, runbook, outcome}};
		}
		case 'silence': {
			const action = text(record.action);
			const verb = action === 'create' ? 'created' : action === 'ack' ? 'acknowledged' : action === 'expire' ? 'expired' : action;
			const outcome = text(record.outcome);
			const until = record.endsAt ? `, until ${text(record.endsAt)}` : '';
			const comment = record.comment ? ` "${text(record.comment)}"` : '';
			const silenceId = text(record.silenceId);
			return {
				at,
				kind: 'silence',
				text: `silence ${text(record.matchers)} ${outcome === 'done' ? verb : `${action} ${outcome}`} by ${text(record.user) || 'unknown'}${comment}${until}`,
				refs: {...(silenceId ? {silenceId} : {}), outcome},
			};
		}
		default: {
			// Records of other kinds (the Database screen's kill-op) carry their own words: say what is there.
			const kind = /kill/i.test(record.type) ? 'kill-op' : 'audit';
			const words = ['action', 'operation', 'opid', 'target', 'outcome', 'detail']
				.map(key => (record[key] === undefined ? '' : `${key} ${typeof record[key] === 'string' ? record[key] : JSON.stringify(record[key])}`))
				.filter(Boolean)
				.join(', ');
			const id = text(record.runId) || text(record.id);
			const outcome = text(record.outcome);
			return {at, kind, text: `${record.type}${words ? `: ${words}` : ''} by ${text(record.user) || 'unknown'}`, refs: {...(id ? {auditRunId: id} : {}), ...(outcome ? {outcome} : {})}};
		}
	}
}
