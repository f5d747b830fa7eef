import {describe, expect, it} from 'vitest';
import {incidentId, sortedTimeline, type Incident, type TimelineEntry} from '../../source/incident/model.js';
import {durationText, renderPostmortem} from '../../source/incident/postmortem.js';
import {parseSeverity, responseTargetText, severityLevels} from '../../source/incident/severity.js';
import {whatChanged} from '../../source/incident/what-changed.js';
import {incidentBannerText} from '../../source/screens/incident/banner.js';
import {container} from '../helpers/fake-backends.js';

const t0 = Date.parse('2026-12-02T00:30:00Z');
const incident: Incident = {id: 'INC-20261202-003000', environment: 'production', severity: 'P1', title: 'engine crash loop\n# not a heading', declaredAt: t0, declaredBy: 'ops', closedAt: t0 + 3_725_000};
const entries: TimelineEntry[] = [
	{at: t0, kind: 'declared', text: 'P1 declared: engine crash loop', by: 'ops'},
	{at: t0 - 120_000, kind: 'alert-firing', text: 'EngineDown (rust-core-engine) critical', refs: {alert: 'f1', alertname: 'EngineDown', service: 'rust-core-engine'}},
	{at: t0 + 5000, kind: 'service-down', text: 'mongodb-primary down: container exited (1)', refs: {service: 'mongodb-primary'}},
	{at: t0 + 60_000, kind: 'note', text: 'negative BTCUSDT position in the logs', by: 'sam'},
	{at: t0 + 90_000, kind: 'runbook', text: 'restart-service failed in 1m30s by ops', refs: {auditRunId: 'run-1', runbook: 'restart-service', outcome: 'failed'}},
	{at: t0 + 300_000, kind: 'rollback', text: 'rollback ok in 40s by ops', refs: {auditRunId: 'run-2', runbook: 'rollback', outcome: 'ok'}},
	{at: t0 + 400_000, kind: 'service-up', text: 'rust-core-engine up again', refs: {service: 'rust-core-engine'}},
	{at: t0 + 3_725_000, kind: 'closed', text: 'closed by ops', by: 'ops'},
];

describe('the post-mortem', () => {
	const markdown = renderPostmortem(incident, entries, t0 + 4_000_000);
	const section = (title: string) => markdown.split(`## ${title}\n`)[1]!.split('\n## ')[0]!;

	it("follows the manual's 8.4 template, its sections in order", () => {
		const headings = markdown.split('\n').filter(line => line.startsWith('#'));
		expect(headings).toEqual(['# Incident Post-Mortem: engine crash loop # not a heading', '## Incident Summary', '## Timeline', '## Root Cause', '## Impact', '## Resolution', '## Action Items', '## Lessons Learned']);
	});

	it('fills in the summary: date, time, duration, severity and the services affected in order of appearance', () => {
		expect(section('Incident Summary').split('\n').filter(Boolean)).toEqual([
			'- Incident: INC-20261202-003000 (production), declared by ops',
			'- Date: 2026-12-02',
			'- Time: 00:30 UTC',
			'- Duration: 1 hour 2 minutes',
			'- Severity: P1 (High: Major degradation; response time 30 minutes)',
			'- Services Affected: rust-core-engine, mongodb-primary',
		]);
	});

	it("places the template's milestones from the timeline and leaves root cause as its prompt, then lists everything in order", () => {
		const lines = section('Timeline').split('\n').filter(Boolean);
		expect(lines.slice(0, 6)).toEqual([
			'- 00:28:00 - Incident detected: Alert firing: EngineDown (rust-core-engine) critical',
			'- 00:30:00 - On-call acknowledged: ops declared P1 "engine crash loop # not a heading"',
			'- HH:MM - Root cause identified',
			'- 00:35:00 - Fix applied: Rollback: rollback ok in 40s by ops [audit run-2]',
			'- 00:36:40 - Service restored: Service up: rust-core-engine up again',
			'- 01:32:05 - Incident resolved (closed)',
		]);
		const all = lines.slice(lines.indexOf('Everything recorded, in order (UTC):') + 1);
		expect(all).toHaveLength(entries.length);
		expect(all[0]).toBe('- 00:28:00 - Alert firing: EngineDown (rust-core-engine) critical');
		expect(all[3]).toBe('- 00:31:00 - Note: negative BTCUSDT position in the logs (sam)');
		expect(all[4]).toBe('- 00:31:30 - Runbook: restart-service failed in 1m30s by ops [audit run-1]');
	});

	it('lists the runbooks run under Resolution, and keeps the prompts of root cause, impact, action items and lessons', () => {
		expect(section('Resolution')).toContain('Runbooks run:\n- 00:31:30 Runbook: restart-service failed in 1m30s by ops [audit run-1]\n- 00:35:00 Rollback: rollback ok in 40s by ops [audit run-2]');
		expect(section('Root Cause').trim()).toBe('Detailed explanation of what caused the incident.');
		expect(section('Impact')).toContain('- Users affected: X');
		expect(section('Action Items')).toContain('1. [ ] Action item 1 - Owner - Due date');
		expect(section('Lessons Learned')).toContain('What could be improved:');
	});

	it('says so for an open incident, with prompts for the milestones not reached', () => {
		const open = renderPostmortem({...incident, closedAt: undefined}, entries.slice(0, 2), t0 + 600_000);
		expect(open).toContain('- Duration: 10 minutes so far (still open)');
		expect(open).toContain('- HH:MM - Fix applied\n- HH:MM - Service restored\n- HH:MM - Incident resolved');
		expect(open).toContain('Runbooks run: none recorded.');
	});
});

describe('severities, ids, clock and duration', () => {
	it("has the manual's response times", () => {
		expect(Object.values(severityLevels).map(l => [l.severity, l.responseTime, l.responseMs])).toEqual([
			['P0', '15 minutes', 900_000],
			['P1', '30 minutes', 1_800_000],
			['P2', '2 hours', 7_200_000],
			['P3', 'Next business day', undefined],
		]);
		expect(['P0', 'P1', 'P2', 'P3'].map(s => responseTargetText(s as 'P0'))).toEqual(['15m', '30m', '2h', 'next bd']);
		expect(parseSeverity(' p2 ')).toBe('P2');
		expect(parseSeverity('P4')).toBeUndefined();
		expect(parseSeverity('high')).toBeUndefined();
	});

	it('names an incident by its UTC declaration time, and says durations in words', () => {
		expect(incidentId(Date.parse('2026-01-05T07:08:09.999Z'))).toBe('INC-20260105-070809');
		expect(durationText(40_000)).toBe('40 seconds');
		expect(durationText(61_000)).toBe('1 minute 1 second');
		expect(durationText(7_200_000 + 59_000)).toBe('2 hours');
		expect(durationText(0)).toBe('0 seconds');
	});

	it('shows the running clock against the target, and when it is past', () => {
		expect(incidentBannerText(incident, t0 + 754_000, 'compact')).toEqual({text: 'P1 0:12:34/30m', overdue: false});
		expect(incidentBannerText(incident, t0 + 1_900_000, 'compact')).toEqual({text: 'P1 0:31:40>30m', overdue: true});
		expect(incidentBannerText({...incident, severity: 'P3'}, t0 + 90_000_000, 'compact')).toEqual({text: 'P3 25:00:00/next bd', overdue: false});
		expect(incidentBannerText(incident, t0 + 1_900_000, 'long').text).toContain('over the 30m response target');
	});

	it('orders a timeline by time, keeping the order of entries of the same moment', () => {
		const same: TimelineEntry[] = [
			{at: 2, kind: 'note', text: 'b'},
			{at: 1, kind: 'note', text: 'a'},
			{at: 2, kind: 'note', text: 'c'},
		];
		expect(sortedTimeline(same).map(e => e.text)).toEqual(['a', 'b', 'c']);
	});
});

describe('what changed in the last 2 h', () => {
	it('finds new containers, restarts, rollouts and audited changes, newest first, and nothing older', () => {
		const now = t0;
		const engine = container('rust-core-engine', {id: 'e', createdAt: now - 86_400_000, image: 'engine:1.4'});
		const ai = container('python-ai-service', {id: 'a', createdAt: now - 600_000, image: 'ai:2.0'});
		const old = container('mongodb-primary', {id: 'm', createdAt: now - 86_400_000});
		const detail = (c: typeof engine, startedAt: number, restartCount: number) => ({...c, startedAt, restartCount, oomKilled: false, command: [], ports: [], envNames: [], mounts: [], networks: [], labels: {}, healthLog: []});
		const changes = whatChanged(
			{
				instances: [engine, ai, old],
				details: {e: {...detail(engine, now - 30_000, 7), lastTermination: {reason: 'Error', exitCode: 101}}, a: detail(ai, now - 600_000, 0), m: detail(old, now - 3 * 3_600_000, 0)},
				cluster: {
					namespace: 'ns',
					deployments: [{name: 'rust-core-engine', desired: 1, ready: 1, updated: 1, available: 1, image: 'engine:1.5', revision: 3, paused: false, conditions: [], stalled: false, total: 1, observed: true, replicaSets: [
						{name: 'rs-3', revision: 3, image: 'engine:1.5', replicas: 1, ready: 0, createdAt: now - 1_200_000, changeCause: 'deploy 1.5', current: true},
						{name: 'rs-2', revision: 2, image: 'engine:1.4', replicas: 0, ready: 0, createdAt: now - 86_400_000, current: false},
					]}],
					pods: [],
					hpas: [],
					events: [],
				},
				audit: [
					{at: now - 60_000, kind: 'runbook', text: 'rotate-secrets ok', refs: {auditRunId: 'r1', runbook: 'rotate-secrets', outcome: 'ok'}},
					{at: now - 50_000, kind: 'runbook', text: 'restart-all refused', refs: {auditRunId: 'r2', runbook: 'restart-all', outcome: 'refused'}},
					{at: now - 40_000, kind: 'silence', text: 'silence created', refs: {silenceId: 's'}},
					{at: now - 3 * 3_600_000, kind: 'runbook', text: 'too old', refs: {auditRunId: 'r0', runbook: 'restart-service', outcome: 'ok'}},
				],
			},
			now,
		);
		expect(changes.map(c => [c.kind, c.subject, now - c.at])).toEqual([
			['restart', 'rust-core-engine', 30_000],
			['silence', 'alertmanager', 40_000],
			['config', 'rotate-secrets', 60_000],
			['deploy', 'python-ai-service', 600_000],
			['rollout', 'rust-core-engine', 1_200_000],
		]);
		expect(changes[0]!.text).toBe('started 30s ago, 7 restarts in all, last exit Error (101)');
		expect(changes[2]!.auditRunId).toBe('r1');
		expect(changes[4]!.text).toBe('replica set rs-3 (revision 3, engine:1.5) created, 0/1 ready: deploy 1.5');
	});
});
