import type {EnvironmentConfig} from '../config/schema.js';
import {sortedTimeline, type Incident, type TimelineEntry} from '../incident/model.js';
import {auditEntry, observationEntries, observe, type Observation} from '../incident/observe.js';
import {renderPostmortem} from '../incident/postmortem.js';
import type {Severity} from '../incident/severity.js';
import {whatChangedWindowMs} from '../incident/what-changed.js';
import {auditFilePath, currentUser} from '../services/audit.js';
import {describeError} from '../services/errors.js';
import {auditTailOffset, createIncidentLog, directoryStamp, problemText, readAuditSince, type IncidentLog, type LoadedIncident} from '../services/incident-log.js';
import {incidentUpdate} from '../store/slices/incident.js';
import type {AppState, AppStore} from '../store/store.js';

export type IncidentRecorderOptions = {
	environment: EnvironmentConfig;
	latencyTargetMs: number;
	/** How often the audit log and the incident file are looked at (the refresh interval). */
	pollMs: number;
	log?: IncidentLog;
	auditFile?: string;
	env?: NodeJS.ProcessEnv;
	user?: string;
	now?: () => number;
	/** The audit log's tail read at start (what changed looks back 2 h; an older record is not kept). */
	auditTailBytes?: number;
};

export type IncidentRecorder = {
	/** Loads the environment's open incident (one left open by an earlier botops), then records until stop(). */
	start(): void;
	stop(): void;
	/** Throws when one is open already, or the title is empty. */
	declare(severity: Severity, title: string): Incident;
	note(text: string): void;
	/** Closes the open incident and writes its post-mortem; resolves to the file. */
	close(): string;
	/** One look at the audit log and the incident files now (the timer does this every pollMs). */
	poll(): void;
};

/** Audit entries kept for "what changed": the window, and a bound for a very busy log. */
const auditKept = 500;

/**
 * Writes the open incident's timeline by itself: every store commit is compared with the last one (alerts firing
 * and resolving, silences, services going down and up, deployments and rollbacks), and the audit log is followed
 * for runbook runs (with their audit ids), silences and kill-ops. Each entry is appended to the incident's file
 * (fsync) before it is shown. Lines another botops adds (`botops incident note` from a shell) are read back.
 */
export function createIncidentRecorder(store: AppStore, options: IncidentRecorderOptions): IncidentRecorder {
	const env = options.env ?? process.env;
	const now = options.now ?? Date.now;
	const log = options.log ?? createIncidentLog({env, environment: options.environment});
	const auditFile = options.auditFile ?? auditFilePath(env, options.environment);
	const user = options.user ?? currentUser(env);
	const environmentName = options.environment.name;
	let previous: Observation | undefined;
	let knownSize = 0;
	let auditOffset: number | undefined;
	let directoryStampSeen = 0;
	/** Keys of entries already in the timeline: an audit record is recorded once, also across restarts. */
	let recordedKeys = new Set<string>();
	let timer: ReturnType<typeof setInterval> | undefined;
	let unsubscribe: (() => void) | undefined;

	const state = () => store.getState();
	const open = () => state().incident.open;

	function reportProblem(text: string): void {
		store.setState(s => incidentUpdate.problem(s, text));
		state().setFlash(text, 'error');
	}

	function entryKey(entry: TimelineEntry): string | undefined {
		if (entry.refs?.auditRunId) return `run:${entry.refs.auditRunId}`;
		if (entry.kind === 'silence' || entry.kind === 'kill-op' || entry.kind === 'audit') return `${entry.kind}:${entry.at}:${entry.refs?.silenceId ?? entry.text}`;
		return undefined;
	}

	/** What the timeline says is the case now: alerts still firing, each service's last state. The first diff after a restart starts from it. */
	function stateFromTimeline(entries: readonly TimelineEntry[]): Observation {
		const alerts: NonNullable<Observation['alerts']> = new Map();
		const services: Observation['services'] = new Map();
		for (const entry of sortedTimeline(entries)) {
			const fingerprint = entry.refs?.alert;
			if (entry.kind === 'alert-firing' && fingerprint) alerts.set(fingerprint, {name: entry.refs?.alertname ?? fingerprint, service: entry.refs?.service, startsAt: entry.at});
			if (entry.kind === 'alert-resolved' && fingerprint) alerts.delete(fingerprint);
			const service = entry.refs?.service;
			if (service && entry.kind === 'service-down') services.set(service, {state: 'down', problems: []});
			if (service && entry.kind === 'service-up') services.set(service, {state: 'up', problems: []});
		}
		return {alerts, services, instances: new Map()};
	}

	function adopt(loaded: LoadedIncident): void {
		recordedKeys = new Set(loaded.entries.map(entryKey).filter((k): k is string => k !== undefined));
		knownSize = loaded.size;
		previous = stateFromTimeline(loaded.entries);
		store.setState(s => incidentUpdate.opened(loaded.incident, loaded.entries, loaded.problems.map(problemText), s.incident.closed));
		for (const problem of loaded.problems) state().setFlash(`incident file: ${problemText(problem)} (line skipped)`, 'error');
	}

	/** Appends durably, then shows; an entry that could not be written is shown with the failure, not dropped silently. */
	function record(entries: readonly TimelineEntry[]): void {
		const incident = open();
		if (!incident || entries.length === 0) return;
		const written: TimelineEntry[] = [];
		for (const entry of entries) {
			const key = entryKey(entry);
			if (key && recordedKeys.has(key)) continue;
			try {
				log.append(incident.id, entry);
			} catch (error) {
				reportProblem(`incident ${incident.id}: ${describeError(error, 'timeline')}`);
				continue;
			}
			if (key) recordedKeys.add(key);
			written.push(entry);
		}
		knownSize = log.sizeOf(incident.id);
		if (written.length > 0) store.setState(s => incidentUpdate.recorded(s, written));
	}

	function onStoreChange(next: AppState, before: AppState): void {
		if (!next.incident.open) return;
		if (next.alerts === before.alerts && next.containers === before.containers && next.details === before.details && next.health === before.health && next.cluster === before.cluster) return;
		// The audit log first: a silence made here is in it before Alertmanager lists it, so it is recorded once, by its audit record.
		followAudit();
		observeNow();
	}

	function observeNow(): void {
		const incident = open();
		if (!incident) return;
		const observation = observe(state(), options.environment, now(), options.latencyTargetMs);
		const entries = observationEntries(previous, observation, now(), incident.declaredAt).filter(entry => !silenceRecordedByAudit(entry));
		// Keep what a source has not said yet (Alertmanager not answered): the next diff still starts from the timeline.
		previous = {
			alerts: observation.alerts ?? previous?.alerts,
			silences: observation.silences ?? previous?.silences,
			services: new Map([...(previous?.services ?? []), ...observation.services]),
			instances: observation.instances,
			deployments: observation.deployments ?? previous?.deployments,
		};
		record(entries);
	}

	function silenceRecordedByAudit(entry: TimelineEntry): boolean {
		if (entry.kind !== 'silence' || !entry.refs?.silenceId) return false;
		const id = entry.refs.silenceId;
		return state().incident.entries.some(e => e.kind === 'silence' && e.refs?.silenceId === id && e.refs.outcome !== undefined && /expired/.test(e.text) === /expired/.test(entry.text));
	}

	function followAudit(): void {
		let result;
		try {
			const from = auditOffset ?? auditTailOffset(auditFile, options.auditTailBytes ?? 2 * 1024 * 1024);
			result = readAuditSince(auditFile, from);
		} catch (error) {
			store.setState(s => incidentUpdate.auditError(s, describeError(error, 'audit log')));
			return;
		}
		const first = auditOffset === undefined;
		auditOffset = result.offset;
		const entries = result.records.map(r => auditEntry(r, environmentName)).filter((e): e is TimelineEntry => e !== undefined);
		if (first || entries.length > 0) {
			const horizon = now() - whatChangedWindowMs;
			const kept = [...(first ? [] : state().auditChanges.data), ...entries].filter(e => e.at >= horizon).slice(-auditKept);
			store.setState(incidentUpdate.audit(kept, now()));
		}
		const incident = open();
		// Records since the declaration: on a restart, those written while botops was not running are recorded too.
		if (incident) record(entries.filter(e => e.at >= incident.declaredAt));
	}

	/** Lines another botops wrote to the open incident's file, or an incident it declared or closed. */
	function followFiles(): void {
		const incident = open();
		if (incident) {
			if (log.sizeOf(incident.id) === knownSize) return;
			const loaded = log.read(incident.id);
			if (!loaded) return;
			if (loaded.incident.closedAt !== undefined) {
				store.setState(s => incidentUpdate.closed(s, loaded.incident, log.postmortemFileOf(incident.id)));
				previous = undefined;
				return;
			}
			const known = new Set(state().incident.entries.map(e => JSON.stringify(e)));
			for (const entry of loaded.entries) {
				const key = entryKey(entry);
				if (key) recordedKeys.add(key);
			}
			knownSize = loaded.size;
			const added = loaded.entries.filter(e => !known.has(JSON.stringify(e)));
			if (added.length > 0) store.setState(s => incidentUpdate.recorded(s, added));
			return;
		}
		const stamp = directoryStamp(log.directory);
		if (stamp === directoryStampSeen) return;
		directoryStampSeen = stamp;
		const found = log.findOpen(environmentName);
		if (found) {
			adopt(found);
			observeNow();
		}
	}

	const recorder: IncidentRecorder = {
		start() {
			if (timer) return;
			try {
				directoryStampSeen = directoryStamp(log.directory);
				const found = log.findOpen(environmentName);
				if (found) adopt(found);
			} catch (error) {
				reportProblem(describeError(error, 'incidents'));
			}
			// The audit log's tail is read after the first frame: start-up stays fast.
			setTimeout(() => timer && recorder.poll(), 0).unref?.();
			unsubscribe = store.subscribe(onStoreChange);
			timer = setInterval(() => recorder.poll(), options.pollMs);
			timer.unref?.();
		},
		stop() {
			if (timer) clearInterval(timer);
			timer = undefined;
			unsubscribe?.();
			unsubscribe = undefined;
		},
		poll() {
			try {
				followFiles();
			} catch (error) {
				reportProblem(describeError(error, 'incidents'));
			}
			followAudit();
		},
		declare(severity, title) {
			const trimmed = title.trim();
			if (!trimmed) throw new Error('an incident needs a title');
			// Another botops may have declared one since the last look.
			followFiles();
			const current = open();
			if (current) throw new Error(`${current.id} (${current.severity} "${current.title}") is open; close it first`);
			const loaded = log.declare({environment: environmentName, severity, title: trimmed, declaredAt: now(), declaredBy: user});
			directoryStampSeen = directoryStamp(log.directory);
			adopt(loaded);
			// Nothing was seen before: the first look records what is wrong already.
			previous = undefined;
			followAudit();
			observeNow();
			return loaded.incident;
		},
		note(text) {
			const trimmed = text.trim();
			if (!trimmed) throw new Error('a note needs some text');
			if (!open()) throw new Error(`no incident is open in ${environmentName}; declare one first`);
			record([{at: now(), kind: 'note', text: trimmed, by: user}]);
		},
		close() {
			const incident = open();
			if (!incident) throw new Error(`no incident is open in ${environmentName}`);
			// The last changes first, so the post-mortem has them.
			followAudit();
			observeNow();
			const at = now();
			log.close(incident.id, at, user);
			const loaded = log.read(incident.id);
			const closed = loaded?.incident ?? {...incident, closedAt: at};
			const file = log.writePostmortem(incident.id, renderPostmortem(closed, loaded?.entries ?? state().incident.entries, at));
			store.setState(s => incidentUpdate.closed(s, closed, file));
			previous = undefined;
			recordedKeys = new Set();
			return file;
		},
	};
	return recorder;
}
