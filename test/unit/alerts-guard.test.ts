import {describe, expect, it} from 'vitest';
import {defaultGroupBy, groupAlerts, mergeAlerts} from '../../source/alerts/grouping.js';
import {parseDuration, formatPromDuration} from '../../source/alerts/duration.js';
import {parseMatchers} from '../../source/alerts/matchers.js';
import {acknowledgement, defaultSilencePolicy, groupMatchers, guardExpire, guardSilence, previewExpire, previewSilence, silencePolicyFor, type SilenceRequest} from '../../source/alerts/silence-guard.js';
import {targetsByJob} from '../../source/alerts/targets.js';
import type {AmAlert, MergedAlert, Silence} from '../../source/alerts/types.js';

function alert(labels: Record<string, string>, extra: Partial<AmAlert> = {}): MergedAlert {
	return {
		fingerprint: Object.values(labels).join('-'),
		labels,
		annotations: {},
		startsAt: '2026-12-01T10:00:00.000Z',
		endsAt: '2026-12-01T11:00:00.000Z',
		updatedAt: '2026-12-01T10:00:00.000Z',
		receivers: ['oncall'],
		state: 'active',
		silencedBy: [],
		inhibitedBy: [],
		sources: ['http://am-1'],
		...extra,
	};
}

const alerts = [
	alert({alertname: 'HighLatencyP95', service: 'python-ai-service', severity: 'warning'}),
	alert({alertname: 'ServiceDown', service: 'rust-core-engine', severity: 'critical'}),
	alert({alertname: 'ContainerRestarting', service: 'rust-core-engine', severity: 'warning', container: 'rust-core-engine'}),
	alert({alertname: 'DiskFull', service: 'mongodb-primary', severity: 'critical', team: 'db'}),
];

const request = (matchers: string, extra: Partial<SilenceRequest> = {}): SilenceRequest => ({matchers: parseMatchers(matchers), durationMs: 3_600_000, comment: 'deploying', createdBy: 'oncall', ...extra});

describe('silence guard', () => {
	it('previews with Alertmanager semantics: anchored, absent labels as ""', () => {
		expect(previewSilence(parseMatchers('service=~"rust"'), alerts).caught).toEqual([]);
		expect(previewSilence(parseMatchers('service=~"rust.*"'), alerts).caught.map(a => a.labels['alertname'])).toEqual(['ServiceDown', 'ContainerRestarting']);
		expect(previewSilence(parseMatchers('{service=~"rust.*", container=""}'), alerts).caught.map(a => a.labels['alertname'])).toEqual(['ServiceDown']);
	});

	it('accepts a narrow silence of one service', () => {
		const verdict = guardSilence(request('service="rust-core-engine"'), alerts, 'production');
		expect(verdict.kind).toBe('ok');
		expect(verdict.kind === 'ok' && verdict.preview.services).toEqual(['rust-core-engine']);
	});

	it('refuses the !~ case Alertmanager lets through alone: it matches an alert with no labels', () => {
		const verdict = guardSilence(request('team!~"x.+"'), alerts, 'production');
		expect(verdict).toMatchObject({kind: 'refused', reason: expect.stringMatching(/matches an alert with no labels at all/)});
		expect(guardSilence(request('team=~".*"'), alerts, 'production').kind).toBe('refused');
		expect(guardSilence(request('team=""'), alerts, 'production').kind).toBe('refused');
	});

	it('refuses matchers that catch every current alert, even when each needs a label', () => {
		expect(guardSilence(request('severity=~".+"'), alerts, 'production')).toMatchObject({kind: 'refused', reason: expect.stringMatching(/every current alert \(4\)/)});
	});

	it('needs the environment name typed across services or above the alert limit, and then passes', () => {
		const wide = request('severity="critical"');
		const verdict = guardSilence(wide, alerts, 'production');
		expect(verdict).toMatchObject({kind: 'needs-typed-confirmation', environment: 'production', reason: expect.stringMatching(/spans 2 services \(mongodb-primary, rust-core-engine\).*type "production"/)});
		expect(guardSilence({...wide, confirmEnvironment: 'prod'}, alerts, 'production').kind).toBe('needs-typed-confirmation');
		expect(guardSilence({...wide, confirmEnvironment: 'production'}, alerts, 'production').kind).toBe('ok');
		const many = Array.from({length: 12}, (_, i) => alert({alertname: 'Flapping', service: 'rust-core-engine', pod: `p${i}`}));
		expect(guardSilence(request('alertname="Flapping"'), [...many, ...alerts], 'staging', {...defaultSilencePolicy, maxAlerts: 10})).toMatchObject({kind: 'needs-typed-confirmation', reason: expect.stringMatching(/catches 12 alerts \(more than 10\)/)});
	});

	it('requires a matcher, a comment, an author and a duration within the cap', () => {
		expect(guardSilence({...request('a="b"'), matchers: []}, alerts, 'x')).toMatchObject({kind: 'refused', reason: 'a silence needs at least one matcher'});
		expect(guardSilence(request('a="b"', {comment: '  '}), alerts, 'x')).toMatchObject({kind: 'refused', reason: 'a silence needs a comment saying why'});
		expect(guardSilence(request('a="b"', {createdBy: ''}), alerts, 'x')).toMatchObject({kind: 'refused', reason: 'a silence needs an author'});
		expect(guardSilence(request('a="b"', {durationMs: 0}), alerts, 'x').kind).toBe('refused');
		expect(guardSilence(request('a="b"', {durationMs: 3 * 3_600_000}), alerts, 'x')).toMatchObject({kind: 'refused', reason: '3h00m is longer than the 2h00m maximum for a silence'});
		expect(guardSilence(request('a="b"', {durationMs: 3 * 3_600_000}), alerts, 'x', silencePolicyFor({silences: {maxDuration: '4h'}})).kind).toBe('ok');
	});

	it('acknowledges with a 15 minute ACK silence of exactly the alert, which the guard accepts', () => {
		const ack = acknowledgement(alerts[1], 'oncall');
		expect(ack).toMatchObject({durationMs: 900_000, comment: 'ACK', createdBy: 'oncall'});
		const verdict = guardSilence(ack, alerts, 'production');
		expect(verdict.kind === 'ok' && verdict.preview.caught).toEqual([alerts[1]]);
	});

	it('expiring shows what fires again, and what another silence or an inhibition still holds', () => {
		const silence: Silence = {id: 's1', matchers: parseMatchers('service="rust-core-engine"'), startsAt: '', endsAt: '', updatedAt: '', createdBy: 'x', comment: 'x', state: 'active'};
		const other: Silence = {...silence, id: 's2', matchers: parseMatchers('alertname="ContainerRestarting"')};
		const held = [alert({alertname: 'ServiceDown', service: 'rust-core-engine'}, {state: 'suppressed', silencedBy: ['s1']}), alert({alertname: 'ContainerRestarting', service: 'rust-core-engine'}, {state: 'suppressed', silencedBy: ['s1', 's2']})];
		const preview = previewExpire(silence, held, [silence, other]);
		expect(preview.willFire.map(a => a.labels['alertname'])).toEqual(['ServiceDown']);
		expect(preview.staySuppressed.map(a => a.labels['alertname'])).toEqual(['ContainerRestarting']);
		expect(guardExpire(undefined, 'nope')).toEqual({kind: 'refused', reason: 'no silence with id nope'});
		expect(guardExpire({...silence, state: 'expired'}, 's1')).toEqual({kind: 'refused', reason: 'silence s1 has already expired'});
	});
});

describe('grouping and the HA merge', () => {
	it('shows alerts with the same label set once, tagged with every source, suppressed if any peer suppresses it', () => {
		const a = alert({alertname: 'X', service: 's'});
		const merged = mergeAlerts([
			{source: 'http://am-1', alerts: [a]},
			{source: 'http://am-2', alerts: [{...a, fingerprint: 'other', state: 'suppressed', silencedBy: ['s9']}, alert({alertname: 'Y', service: 's'})]},
		]);
		expect(merged).toHaveLength(2);
		expect(merged[0]).toMatchObject({sources: ['http://am-1', 'http://am-2'], state: 'suppressed', silencedBy: ['s9']});
		expect(merged[1].sources).toEqual(['http://am-2']);
	});

	it('merges by label set, not by fingerprint: a reused fingerprint with other labels stays a separate alert', () => {
		const a = alert({alertname: 'X', service: 's'}, {fingerprint: 'f1'});
		const b = alert({alertname: 'X', service: 't'}, {fingerprint: 'f1'});
		const c = alert({alertname: 'X', service: 's', extra: ''}, {fingerprint: 'f1'});
		const merged = mergeAlerts([
			{source: 'http://am-1', alerts: [a]},
			{source: 'http://am-2', alerts: [b, c, {...a}]},
		]);
		expect(merged.map(m => [m.labels['service'], Object.keys(m.labels).length, m.sources.length])).toEqual([
			['s', 2, 2],
			['t', 2, 1],
			['s', 3, 1],
		]);
	});

	it('groups by group_by (default alertname and service), absent labels as "", most severe and most active first', () => {
		const groups = groupAlerts([...alerts, alert({alertname: 'ServiceDown', service: 'rust-core-engine', instance: 'b', severity: 'critical'}), alert({alertname: 'NoService'})], defaultGroupBy);
		expect(groups.map(g => [g.labels['alertname'], g.labels['service'], g.alerts.length, g.severity])).toEqual([
			['ServiceDown', 'rust-core-engine', 2, 'critical'],
			['DiskFull', 'mongodb-primary', 1, 'critical'],
			['ContainerRestarting', 'rust-core-engine', 1, 'warning'],
			['HighLatencyP95', 'python-ai-service', 1, 'warning'],
			['NoService', '', 1, 'none'],
		]);
		expect(groupAlerts(alerts, ['...'])).toHaveLength(4);
		expect(groupAlerts(alerts, ['service']).map(g => g.labels)).toContainEqual({service: 'rust-core-engine'});
	});
});

describe('durations', () => {
	it('parses and prints Prometheus durations', () => {
		expect(parseDuration('15m')).toBe(900_000);
		expect(parseDuration('1h30m')).toBe(5_400_000);
		expect(parseDuration('12h')).toBe(43_200_000);
		expect(formatPromDuration(5_400_000)).toBe('1h30m');
		expect(() => parseDuration('2 hours')).toThrow('invalid duration "2 hours" (expected e.g. 15m, 2h, 1h30m, 7d)');
		expect(() => parseDuration('')).toThrow(/invalid duration/);
	});
});

describe('silencing a group, and targets per job', () => {
	it('a group silence catches exactly the group, an absent group label as =""', () => {
		const list = [...alerts, alert({alertname: 'ServiceDown'}), alert({alertname: 'ServiceDown', service: 'rust-core-engine', instance: 'b'})];
		for (const group of groupAlerts(list)) {
			const caught = previewSilence(groupMatchers(group), list).caught;
			expect(caught.map(a => a.fingerprint).sort()).toEqual(group.alerts.map(a => a.fingerprint).sort());
		}
		const noService = groupAlerts(list).find(g => g.labels['service'] === '')!;
		expect(groupMatchers(noService)).toEqual([
			{name: 'alertname', value: 'ServiceDown', isRegex: false, isEqual: true},
			{name: 'service', value: '', isRegex: false, isEqual: true},
		]);
	});

	it('lists jobs with targets down first, and inside a job the down targets first', () => {
		const target = (job: string, instance: string, health: 'up' | 'down' | 'unknown') => ({job, instance, health, scrapeUrl: '', lastScrape: '', lastError: '', lastScrapeDurationSeconds: 0, labels: {}});
		const jobs = targetsByJob([target('api', 'a:1', 'up'), target('db', 'd:2', 'up'), target('db', 'd:1', 'down'), target('web', 'w:1', 'unknown')]);
		expect(jobs.map(j => [j.job, j.up, j.down, j.unknown])).toEqual([
			['db', 1, 1, 0],
			['web', 0, 0, 1],
			['api', 1, 0, 0],
		]);
		expect(jobs[0].targets.map(t => t.instance)).toEqual(['d:1', 'd:2']);
	});
});
