import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';
import {alertmanagerUrls, createAlertmanagerClient, createAlertmanagerSet, type AlertmanagerClient} from '../../source/services/alertmanager.js';
import {checkPreviewAgreement, checkServerValidation, checkSilenceLifecycle, newRun, postContractAlerts, runAlerts} from './alertmanager-contract.js';

describe("the Alertmanager contract against the demo's Alertmanager pair", () => {
	let demo: DemoDeployment;
	let client: AlertmanagerClient;
	const run = newRun();

	beforeAll(async () => {
		demo = await startDemo();
		client = createAlertmanagerClient({url: alertmanagerUrls(demo.environment)[0], timeoutMs: 3000});
		await postContractAlerts(client, run);
	});
	afterAll(() => demo?.stop());

	it('serves an HA pair: both peers list the same alerts, shown once with both sources', async () => {
		const urls = alertmanagerUrls(demo.environment);
		expect(urls).toHaveLength(2);
		const answer = await createAlertmanagerSet(urls, {timeoutMs: 3000}).alerts();
		const mine = answer.alerts.filter(a => a.labels['run'] === run);
		expect(mine).toHaveLength(7);
		expect(mine.every(a => a.sources.length === 2)).toBe(true);
		expect(answer.errors).toEqual([]);
	});

	it('the preview agrees with what the demo silences, for every matcher in the table', async () => {
		const rows = await checkPreviewAgreement(client, run);
		for (const row of rows) expect({matchers: row.matchers, caught: row.preview}).toEqual({matchers: row.matchers, caught: row.server});
		expect(rows.find(r => r.matchers === 'service=~"core"')!.server).toEqual(['DiskFull/core']);
	});

	it('a silence suppresses its alert and expiring it makes the alert active again', async () => {
		await checkSilenceLifecycle(client.url, run);
	});

	it('validates silences as Alertmanager 0.25 does, including letting a lone !~ through', async () => {
		await checkServerValidation(client, run);
	});

	it('inhibits as the platform config does: a service down mutes that service\'s warnings', async () => {
		const other = newRun();
		const now = Date.now();
		const post = (labels: Record<string, string>) => ({labels: {...labels, run: other}, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 600_000).toISOString()});
		await client.postAlerts([post({alertname: 'ServiceDown', service: 'db', severity: 'critical'}), post({alertname: 'Slow', service: 'db', severity: 'warning'}), post({alertname: 'Slow', service: 'web', severity: 'warning'})]);
		const list = await runAlerts(client, other);
		const down = list.find(a => a.labels['alertname'] === 'ServiceDown')!;
		expect(list.find(a => a.labels['alertname'] === 'Slow' && a.labels['service'] === 'db')).toMatchObject({state: 'suppressed', inhibitedBy: [down.fingerprint]});
		expect(list.find(a => a.labels['alertname'] === 'Slow' && a.labels['service'] === 'web')).toMatchObject({state: 'active', inhibitedBy: []});
		expect(down).toMatchObject({state: 'active', inhibitedBy: []});
	});

	it('groups by alertname and service', async () => {
		const groups = (await client.groups()).filter(g => g.alerts.some(a => a.labels['run'] === run));
		expect(groups).toHaveLength(7);
		expect(groups.every(g => Object.keys(g.labels).sort().join() === 'alertname,service')).toBe(true);
	});
});
