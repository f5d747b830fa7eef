import {appendFileSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {MergedAlert, Silence} from '../../source/alerts/types.js';
import {createIncidentRecorder, type IncidentRecorder} from '../../source/controllers/incident-recorder.js';
import {sortedTimeline, type TimelineEntry} from '../../source/incident/model.js';
import {createIncidentLog} from '../../source/services/incident-log.js';
import {alertsUpdate} from '../../source/store/slices/alerts.js';
import {containersUpdate} from '../../source/store/slices/containers.js';
import {createAppStore, type AppStore} from '../../source/store/store.js';
import {testEnvironment} from '../fixtures/runbooks/fakes.js';
import {container} from '../helpers/fake-backends.js';

const environment = testEnvironment({
	services: [
		{name: 'rust-core-engine', container: 'rust-core-engine', critical: true},
		{name: 'mongodb-primary', container: 'mongodb-primary', critical: true},
	],
});
const t0 = Date.parse('2026-12-02T00:30:00Z');

function alert(fingerprint: string, name: string, service: string, startsAt: number): MergedAlert {
	return {
		fingerprint,
		labels: {alertname: name, service, severity: 'critical'},
		annotations: {summary: `${service} is down`},
		startsAt: new Date(startsAt).toISOString(),
		endsAt: new Date(startsAt + 3_600_000).toISOString(),
		updatedAt: new Date(startsAt).toISOString(),
		receivers: ['default'],
		state: 'active',
		silencedBy: [],
		inhibitedBy: [],
		sources: ['http://127.0.0.1:9093'],
	};
}

function silence(id: string, state: Silence['state']): Silence {
	return {id, matchers: [{name: 'alertname', value: 'EngineDown', isRegex: false, isEqual: true}], startsAt: new Date(t0).toISOString(), endsAt: new Date(t0 + 1_800_000).toISOString(), updatedAt: new Date(t0).toISOString(), createdBy: 'ops', comment: 'fixing', state};
}

let dir: string;
let now: number;
let store: AppStore;
let recorder: IncidentRecorder | undefined;
const auditFile = () => path.join(dir, 'audit.jsonl');
const audit = (record: Record<string, unknown>) => appendFileSync(auditFile(), `${JSON.stringify(record)}\n`);

function startRecorder(): IncidentRecorder {
	recorder?.stop();
	recorder = createIncidentRecorder(store, {
		environment,
		latencyTargetMs: 500,
		pollMs: 3_600_000,
		log: createIncidentLog({directory: path.join(dir, 'incidents')}),
		auditFile: auditFile(),
		user: 'ops',
		now: () => now,
	});
	recorder.start();
	return recorder;
}

const setContainers = (engineState: 'running' | 'exited', id = 'id-rust-core-engine') =>
	store.setState(s => containersUpdate.list(s, [container('rust-core-engine', {id, state: engineState}), container('mongodb-primary')], [], now));
const setAlerts = (alerts: MergedAlert[], silences: Silence[] = []) => store.setState(alertsUpdate({alerts, silences, peerErrors: []}, undefined, now));
const timeline = () => sortedTimeline(store.getState().incident.entries);
const kinds = (entries: readonly TimelineEntry[]) => entries.map(e => e.kind);

beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'botops-incident-'));
	now = t0;
	store = createAppStore();
});
afterEach(() => {
	recorder?.stop();
	recorder = undefined;
	rmSync(dir, {recursive: true, force: true});
});

describe('the incident recorder', () => {
	it('writes the timeline from a scripted sequence of store changes and audit records', () => {
		setContainers('running');
		setAlerts([]);
		// A run before the declaration is not the incident's.
		audit({type: 'run-end', runId: 'before-1', time: new Date(t0 - 600_000).toISOString(), environment: 'local', runbook: 'restart-service', outcome: 'ok', durationMs: 1000, state: '', ran: [], notRun: [], user: 'ops', host: 'h'});
		const rec = startRecorder();
		now = t0 + 1000;
		const incident = rec.declare('P1', 'engine crash loop');
		expect(incident.id).toBe('INC-20261202-003001');
		expect(kinds(timeline())).toEqual(['declared']);

		now = t0 + 5000;
		setContainers('exited');
		// Alertmanager started it a minute before the declaration: recorded at its start.
		setAlerts([alert('f1', 'EngineDown', 'rust-core-engine', t0 - 60_000)]);
		now = t0 + 20_000;
		audit({type: 'run-start', runId: 'run-1', time: new Date(t0 + 10_000).toISOString(), environment: 'local', runbook: 'restart-service', inputs: {service: 'rust-core-engine'}, readOnly: false, plan: [], user: 'ops', host: 'h'});
		audit({type: 'step', runId: 'run-1', time: new Date(t0 + 15_000).toISOString(), environment: 'local', runbook: 'restart-service', phase: 'step', step: 'restart', title: 'Restart', status: 'ok', durationMs: 5, detail: ''});
		audit({type: 'run-end', runId: 'run-1', time: new Date(t0 + 20_000).toISOString(), environment: 'local', runbook: 'restart-service', outcome: 'ok', durationMs: 10_000, state: 'rust-core-engine is up', ran: ['restart'], notRun: [], user: 'ops', host: 'h'});
		audit({type: 'run-end', runId: 'other-env', time: new Date(t0 + 20_000).toISOString(), environment: 'production', runbook: 'restart-all', outcome: 'ok', durationMs: 1, state: '', ran: [], notRun: [], user: 'ops', host: 'h'});
		audit({type: 'silence', time: new Date(t0 + 21_000).toISOString(), environment: 'local', action: 'create', outcome: 'done', silenceId: 's1', matchers: '{alertname="EngineDown"}', comment: 'fixing', endsAt: new Date(t0 + 1_800_000).toISOString(), alerts: 1, detail: '', user: 'ops', host: 'h'});
		audit({type: 'kill-op', time: new Date(t0 + 22_000).toISOString(), environment: 'local', opid: 4711, outcome: 'done', user: 'ops', host: 'h'});
		rec.poll();
		// Alertmanager lists the silence the audit log already told of: not recorded twice.
		now = t0 + 25_000;
		setAlerts([alert('f1', 'EngineDown', 'rust-core-engine', t0 - 60_000)], [silence('s1', 'active')]);
		now = t0 + 30_000;
		setContainers('running');
		now = t0 + 40_000;
		setAlerts([], [silence('s1', 'expired')]);
		now = t0 + 45_000;
		rec.note('the position manager was inconsistent');

		const entries = timeline();
		expect(kinds(entries)).toEqual(['alert-firing', 'declared', 'service-down', 'runbook', 'silence', 'kill-op', 'service-up', 'alert-resolved', 'silence', 'note']);
		const [firing, , down, run, silenced, kill, up, resolved, expired, note] = entries;
		expect(firing).toMatchObject({at: t0 - 60_000, refs: {alert: 'f1', alertname: 'EngineDown', service: 'rust-core-engine'}});
		expect(firing!.text).toContain('before the declaration');
		expect(down).toMatchObject({at: t0 + 5000, refs: {service: 'rust-core-engine'}});
		expect(down!.text).toContain('container exited');
		expect(run).toMatchObject({at: t0 + 20_000, refs: {auditRunId: 'run-1', runbook: 'restart-service', outcome: 'ok'}});
		expect(run!.text).toContain('restart-service ok');
		expect(silenced).toMatchObject({kind: 'silence', refs: {silenceId: 's1'}});
		expect(silenced!.text).toContain('created by ops');
		expect(kill!.text).toContain('opid 4711');
		expect(up).toMatchObject({at: t0 + 30_000, text: 'rust-core-engine up again'});
		expect(resolved).toMatchObject({at: t0 + 40_000, refs: {alert: 'f1'}});
		expect(expired).toMatchObject({refs: {silenceId: 's1'}});
		expect(expired!.text).toContain('expired');
		expect(note).toMatchObject({text: 'the position manager was inconsistent', by: 'ops'});

		// Everything shown was written first: the file holds the same timeline.
		const stored = createIncidentLog({directory: path.join(dir, 'incidents')}).read(incident.id)!;
		expect(sortedTimeline(stored.entries)).toEqual(entries);
		expect(stored.problems).toEqual([]);
	});

	it('records deployments: a new compose container, and on Kubernetes a rollout and a rollback', () => {
		setContainers('running');
		const rec = startRecorder();
		rec.declare('P2', 'bad deploy');
		const view = (revision: number, sets: Array<[number, number, string]>) => ({
			namespace: 'bot-core-production',
			deployments: [{name: 'rust-core-engine', desired: 2, ready: 2, updated: 2, available: 2, image: sets.find(s => s[0] === revision)![2], revision, paused: false, conditions: [], stalled: false, total: 2, observed: true, replicaSets: sets.map(([rev, createdAt, image]) => ({name: `rs-${rev}`, revision: rev, image, replicas: 2, ready: 2, createdAt, current: rev === revision}))}],
			pods: [],
			hpas: [],
			events: [],
		});
		store.setState({cluster: {data: view(2, [[2, t0 - 86_400_000, 'engine:1.4']]), updatedAt: now}});
		now += 1000;
		setContainers('running', 'id-new-engine');
		store.setState({cluster: {data: view(3, [[2, t0 - 86_400_000, 'engine:1.4'], [3, now, 'engine:1.5']]), updatedAt: now}});
		now += 1000;
		// rollout undo: the old replica set gets the next revision.
		store.setState({cluster: {data: view(4, [[4, t0 - 86_400_000, 'engine:1.4'], [3, now - 1000, 'engine:1.5']]), updatedAt: now}});
		const changes = timeline().filter(e => e.kind === 'deploy' || e.kind === 'rollback');
		expect(changes.map(e => [e.kind, e.text])).toEqual([
			['deploy', 'rust-core-engine: new container id-new-engin (same image img)'],
			['deploy', 'rust-core-engine rolled out: revision 2 -> 3 (engine:1.4 -> engine:1.5)'],
			['rollback', 'rust-core-engine rolled back: revision 3 -> 4 (engine:1.5 -> engine:1.4)'],
		]);
	});

	it('reloads the open incident after a restart, records what the audit log got meanwhile once, and reports a corrupt line', () => {
		setContainers('exited');
		setAlerts([alert('f1', 'EngineDown', 'rust-core-engine', t0)]);
		const first = startRecorder();
		const incident = first.declare('P0', 'outage');
		audit({type: 'run-end', runId: 'run-1', time: new Date(t0 + 1000).toISOString(), environment: 'local', runbook: 'rollback', outcome: 'failed', durationMs: 900, state: 'paused', ran: [], notRun: [], user: 'ops', host: 'h'});
		now = t0 + 2000;
		first.poll();
		const before = timeline();
		expect(kinds(before)).toEqual(['declared', 'alert-firing', 'service-down', 'rollback']);
		first.stop();

		// The crash: a torn line at the end, then a run while botops was not running.
		appendFileSync(createIncidentLog({directory: path.join(dir, 'incidents')}).fileOf(incident.id), '{"type":"entry","entry":{"at":');
		audit({type: 'run-end', runId: 'run-2', time: new Date(t0 + 3000).toISOString(), environment: 'local', runbook: 'restart-service', outcome: 'ok', durationMs: 900, state: 'up', ran: [], notRun: [], user: 'ops', host: 'h'});

		store = createAppStore();
		now = t0 + 10_000;
		const second = startRecorder();
		expect(store.getState().incident.open).toMatchObject({id: incident.id, severity: 'P0', title: 'outage'});
		expect(store.getState().incident.problems).toEqual([expect.stringMatching(new RegExp(`${incident.id}\\.jsonl:5: not JSON`))]);
		second.poll();
		// The same alert and service state as before the restart: nothing new about them; the alert is gone later.
		setContainers('exited');
		setAlerts([alert('f1', 'EngineDown', 'rust-core-engine', t0)]);
		now = t0 + 20_000;
		setAlerts([]);
		expect(kinds(timeline())).toEqual(['declared', 'alert-firing', 'service-down', 'rollback', 'runbook', 'alert-resolved']);
		expect(timeline()[4]).toMatchObject({refs: {auditRunId: 'run-2'}});
		// The torn line was ended before the next append: what came after it is read back, it alone is skipped.
		const reread = createIncidentLog({directory: path.join(dir, 'incidents')}).read(incident.id)!;
		expect(sortedTimeline(reread.entries)).toEqual(timeline());
		expect(reread.problems.map(p => p.line)).toEqual([5]);
	});

	it('closes with the post-mortem, refuses a second declaration while open, and notes need an open incident', () => {
		const rec = startRecorder();
		expect(() => rec.note('nothing open')).toThrow(/no incident is open in local/);
		rec.declare('P3', 'ui typo');
		expect(() => rec.declare('P1', 'another')).toThrow(/is open; close it first/);
		expect(() => rec.declare('P1', '  ')).toThrow(/needs a title/);
		now = t0 + 125_000;
		const file = rec.close();
		expect(file).toBe(path.join(dir, 'incidents', 'INC-20261202-003000-postmortem.md'));
		const markdown = readFileSync(file, 'utf8');
		expect(markdown).toContain('- Duration: 2 minutes 5 seconds');
		expect(store.getState().incident.open).toBeUndefined();
		expect(store.getState().incident.closed).toEqual({incident: expect.objectContaining({closedAt: t0 + 125_000}), postmortem: file});
		// Closed: a new one can be declared.
		expect(rec.declare('P2', 'next one').id).toBe('INC-20261202-003205');
	});

	it('picks up an incident declared and closed from a shell while it runs', () => {
		const rec = startRecorder();
		const shell = createIncidentLog({directory: path.join(dir, 'incidents')});
		const declared = shell.declare({environment: 'local', severity: 'P1', title: 'from the shell', declaredAt: t0, declaredBy: 'sam'});
		rec.poll();
		expect(store.getState().incident.open?.id).toBe(declared.incident.id);
		shell.append(declared.incident.id, {at: t0 + 1000, kind: 'note', text: 'shell note', by: 'sam'});
		rec.poll();
		expect(timeline().map(e => e.text)).toContain('shell note');
		shell.close(declared.incident.id, t0 + 2000, 'sam');
		rec.poll();
		expect(store.getState().incident.open).toBeUndefined();
	});
});
