import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createAlertmanagerClient, createAlertmanagerSet, createGuardedSilence, expireGuardedSilence, type AlertmanagerClient} from '../../source/services/alertmanager.js';
import {acknowledgement, defaultSilencePolicy} from '../../source/alerts/silence-guard.js';
import {parseMatchers} from '../../source/alerts/matchers.js';
import {eventually} from '../helpers/docker.js';
import {closedPort} from '../helpers/http.js';
import {monitoringForTests, startAlertmanager, type RunningServer} from '../helpers/prometheus.js';
import {checkPreviewAgreement, checkServerValidation, checkSilenceLifecycle, newRun, postContractAlerts, runAlerts} from './alertmanager-contract.js';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir, userInfo} from 'node:os';
import {join} from 'node:path';

const availability = monitoringForTests();

describe.skipIf(!availability.available)(`Alertmanager service against the real Alertmanager${availability.reason ? ` (skipped: ${availability.reason})` : ''}`, () => {
	let server: RunningServer;
	let client: AlertmanagerClient;
	const run = newRun();
	const stateDir = mkdtempSync(join(tmpdir(), 'botops-am-audit-'));

	beforeAll(async () => {
		server = await startAlertmanager();
		client = createAlertmanagerClient({url: server.url, timeoutMs: 3000});
		await postContractAlerts(client, run);
	});
	afterAll(async () => {
		await server?.dispose();
		rmSync(stateDir, {recursive: true, force: true});
	});

	it('reads posted alerts with their status, receivers and fingerprints, and the groups by alertname and service', async () => {
		const alerts = await runAlerts(client, run);
		expect(alerts).toHaveLength(7);
		for (const alert of alerts) {
			expect(alert.fingerprint).toMatch(/^[0-9a-f]{16}$/);
			expect(alert.receivers).toEqual(['blackhole']);
			expect(['active', 'unprocessed']).toContain(alert.state);
		}
		const groups = (await client.groups()).filter(g => g.alerts.some(a => a.labels['run'] === run));
		expect(groups.map(g => `${g.labels['alertname']}/${g.labels['service']}`).sort()).toEqual(
			['DiskFull/core', 'HighLatency/rust-core-engine', 'HighLatency/rusty', 'HighLatency/trust-engine', 'MemoryHigh/python-ai-service', 'OddText/odd', 'ServiceDown/RUST-UPPER'].sort(),
		);
	});

	it('the preview names exactly the alerts the real Alertmanager silences, for every matcher in the table', async () => {
		const rows = await checkPreviewAgreement(client, run);
		for (const row of rows) expect({matchers: row.matchers, caught: row.preview}).toEqual({matchers: row.matchers, caught: row.server});
		// The table decides something: anchoring keeps "core" from catching rust-core-engine, and absent labels count.
		expect(rows.find(r => r.matchers === 'service=~"core"')!.server).toEqual(['DiskFull/core']);
		expect(rows.find(r => r.matchers === 'team=""')!.server).toEqual(['HighLatency/rusty', 'OddText/odd', 'ServiceDown/RUST-UPPER']);
		expect(rows.find(r => r.matchers === 'note=~"a.b"')!.server).toEqual(['OddText/odd']);
		expect(rows.find(r => r.matchers === 'gap=~"x\\sy"')!.server).toEqual([]);
	});

	it('validates silences as it does: all-empty = and =~ refused, a lone !~ let through (alertmanager#3905)', async () => {
		await checkServerValidation(client, run);
	});

	it('a silence suppresses its alert and expiring it makes the alert active again', async () => {
		await checkSilenceLifecycle(server.url, run);
	});

	it('guarded silence actions: created and expired on the real server, refusals never sent, every action audited', async () => {
		const auditFile = join(stateDir, 'audit.jsonl');
		const context = {set: createAlertmanagerSet([server.url], {timeoutMs: 3000}), environment: 'staging', policy: defaultSilencePolicy, auditFile};
		const refused = await createGuardedSilence(context, {matchers: parseMatchers('team!~"x.+"'), durationMs: 600_000, comment: 'too wide', createdBy: 'tester'});
		expect(refused).toMatchObject({kind: 'not-created', verdict: {kind: 'refused'}});
		const created = await createGuardedSilence(context, {matchers: parseMatchers(`{alertname="MemoryHigh", run="${run}"}`), durationMs: 600_000, comment: 'looking', createdBy: 'tester'});
		expect(created.kind).toBe('created');
		const id = created.kind === 'created' ? created.id : '';
		const silenced = await runAlerts(client, run);
		expect(silenced.find(a => a.labels['alertname'] === 'MemoryHigh')!.silencedBy).toEqual([id]);
		const expired = await expireGuardedSilence(context, id, 'tester');
		expect(expired.kind).toBe('expired');
		expect(expired.kind === 'expired' ? expired.willFire.map(a => a.labels['alertname']) : []).toEqual(['MemoryHigh']);
		const ack = await createGuardedSilence(context, acknowledgement(silenced.find(a => a.labels['alertname'] === 'DiskFull')!, 'tester'), 'ack');
		expect(ack.kind).toBe('created');
		const ackSilence = (await client.silences()).find(s => ack.kind === 'created' && s.id === ack.id)!;
		expect(ackSilence).toMatchObject({comment: 'ACK', createdBy: 'tester', state: 'active'});
		expect(Date.parse(ackSilence.endsAt) - Date.parse(ackSilence.startsAt)).toBeCloseTo(900_000, -4);
		expect((await runAlerts(client, run)).filter(a => a.silencedBy.includes(ackSilence.id)).map(a => a.labels['alertname'])).toEqual(['DiskFull']);
		await client.expireSilence(ackSilence.id);
		const defaulted = await createGuardedSilence(context, {matchers: parseMatchers(`{alertname="ServiceDown", run="${run}"}`), durationMs: 60_000, comment: 'author defaults'});
		expect(defaulted.kind).toBe('created');
		expect((await client.silences()).find(s => defaulted.kind === 'created' && s.id === defaulted.id)!.createdBy).toBe(userInfo().username);
		if (defaulted.kind === 'created') await client.expireSilence(defaulted.id);
		const records = readFileSync(auditFile, 'utf8').trim().split('\n').map(line => JSON.parse(line));
		expect(records.map(r => [r.type, r.action, r.outcome])).toEqual([
			['silence', 'create', 'refused'],
			['silence', 'create', 'done'],
			['silence', 'expire', 'done'],
			['silence', 'ack', 'done'],
			['silence', 'create', 'done'],
		]);
		expect(records[1]).toMatchObject({silenceId: id, user: 'tester', comment: 'looking', alerts: 1});
	});

	it('reads inhibition: an alert muted by another carries inhibitedBy and is suppressed', async () => {
		const other = newRun();
		const now = Date.now();
		const post = (labels: Record<string, string>) => ({labels: {...labels, run: other}, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 600_000).toISOString()});
		await client.postAlerts([post({alertname: 'InhibitorAlert', service: 'db'}), post({alertname: 'Muted', service: 'db', inhibited: 'yes'}), post({alertname: 'Muted', service: 'web', inhibited: 'yes'})]);
		const muted = await eventually(async () => {
			const list = await runAlerts(client, other);
			const db = list.find(a => a.labels['alertname'] === 'Muted' && a.labels['service'] === 'db');
			return db && db.inhibitedBy.length > 0 ? list : undefined;
		}, {timeoutMs: 10_000, what: 'Muted{service=db} inhibited'});
		const inhibitor = muted.find(a => a.labels['alertname'] === 'InhibitorAlert')!;
		expect(muted.find(a => a.labels['service'] === 'db' && a.labels['alertname'] === 'Muted')).toMatchObject({state: 'suppressed', inhibitedBy: [inhibitor.fingerprint], silencedBy: []});
		expect(muted.find(a => a.labels['service'] === 'web')).toMatchObject({state: 'active', inhibitedBy: []});
	});

	it('an HA pair with one peer down still lists the alerts, with the down peer as an error', async () => {
		const down = `http://127.0.0.1:${await closedPort()}`;
		const set = createAlertmanagerSet([server.url, down], {timeoutMs: 2000});
		const answer = await set.alerts();
		expect(answer.alerts.filter(a => a.labels['run'] === run)).toHaveLength(7);
		expect(answer.alerts.find(a => a.labels['run'] === run)!.sources).toEqual([server.url]);
		expect(answer.errors).toHaveLength(1);
		expect(answer.errors[0].error).toMatch(/alertmanager 127\.0\.0\.1:\d+: \/api\/v2\/alerts: connect ECONNREFUSED/);
	});

	it('the same Alertmanager listed twice shows each alert once, from both', async () => {
		const set = createAlertmanagerSet([server.url, `${server.url}/`.replace('127.0.0.1', 'localhost')], {timeoutMs: 2000});
		const answer = await set.alerts();
		const mine = answer.alerts.filter(a => a.labels['run'] === run);
		expect(mine).toHaveLength(7);
		expect(mine[0].sources).toHaveLength(2);
	});
});
