import {readFileSync} from 'node:fs';
import React from 'react';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {configSchema} from '../../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot, type DashboardRuntime} from '../../source/dashboard.js';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';
import {alertmanagerUrls, createAlertmanagerClient} from '../../source/services/alertmanager.js';
import {auditFilePath} from '../../source/services/audit.js';
import {keys, renderTui} from '../helpers/tui.js';

type Tui = ReturnType<typeof renderTui>;

/** The silence records of the demo's audit log. */
function silenceAudit(demo: DemoDeployment): Array<{action: string; outcome: string; matchers: string; comment: string; silenceId?: string; alerts: number}> {
	let text = '';
	try {
		text = readFileSync(auditFilePath(process.env, demo.environment), 'utf8');
	} catch {
		return [];
	}
	return text
		.split('\n')
		.filter(Boolean)
		.map(line => JSON.parse(line))
		.filter(record => record.type === 'silence');
}

/** Types a string key by key (the TextInput reads one key per read). */
async function type(tui: Tui, text: string) {
	for (const char of text) await tui.press(char);
}

describe('the Alerts screen and the silence modal against the demo (mongo-down)', () => {
	let demo: DemoDeployment;
	let runtime: DashboardRuntime;
	let tui: Tui;

	beforeAll(async () => {
		demo = await startDemo({scenario: 'mongo-down', tickMs: 200, alertFor: {ServiceDown: 0, HighLatencyP95: 0, ContainerRestarting: 0}});
		runtime = createDashboardRuntime({config: configSchema.parse({environments: {}}), environment: demo.environment, refreshMs: 500, readOnly: false, color: false, ascii: false});
		void runtime.connect();
		tui = renderTui(<DashboardRoot runtime={runtime} />, {columns: 80, rows: 24});
	});

	afterAll(async () => {
		tui?.unmount();
		runtime?.close();
		await demo?.stop();
	});

	it('shows the firing ServiceDown in its group, at 80x24, and its labels, annotations and URLs on enter', async () => {
		await tui.press('6');
		const frame = await tui.waitFor(/critical\s+ServiceDown mongodb-primary/);
		expect(frame).toMatch(/critical\s+ServiceDown\s+\d/);
		expect(tui.lines().length).toBeLessThanOrEqual(23);
		expect(Math.max(...tui.lines().map(l => l.length))).toBeLessThanOrEqual(80);
		await tui.press('j', keys.enter);
		const detail = await tui.waitFor('runbook    runbook://restart-service');
		expect(detail).toContain('service="mongodb-primary"');
		expect(detail).toMatch(/generator\s+http/);
		expect(detail).toContain('summary: mongodb-primary is down');
		await tui.press(keys.escape);
		await tui.waitFor('1 firing');
	});

	it('creates a silence of the selected alert after its preview and y, audited, and the alert shows silenced', async () => {
		await tui.press('s');
		await tui.waitFor('Silence ServiceDown');
		await tui.waitFor(/catches 1 alert\(s\) of mongodb-primary/);
		await type(tui, 'db maintenance');
		await tui.press(keys.enter);
		await tui.waitFor('[y/N]');
		await tui.press('y');
		await tui.waitFor(/silence \S+ created: 1 alert\(s\) silenced/);
		await tui.press(keys.escape);
		await tui.waitFor(/ServiceDown\s+\d+\S*\s+silenced/);
		const created = silenceAudit(demo).find(r => r.action === 'create' && r.outcome === 'done');
		expect(created).toMatchObject({comment: 'db maintenance', alerts: 1});
		expect(created!.matchers).toContain('alertname="ServiceDown"');
	});

	it('expires it through the modal, which shows the alert that fires again', async () => {
		await tui.press('x');
		await tui.waitFor('Starts firing again: 1 alert(s)');
		await tui.press('y');
		await tui.waitFor(/expired: 1 alert\(s\) fire again/);
		await tui.press(keys.escape);
		await tui.waitFor(/ServiceDown\s+\d+\S*\s+active/);
		expect(silenceAudit(demo).some(r => r.action === 'expire' && r.outcome === 'done' && r.alerts === 1)).toBe(true);
	});

	it('refuses a matcher that silences every alert lacking a label, and audits the refusal', async () => {
		await tui.press('m');
		await tui.waitFor('New silence');
		await type(tui, 'foo!~"x.+"');
		await tui.press(keys.tab);
		await type(tui, 'oops');
		await tui.waitFor(/refused: .*matches an alert with no labels/);
		await tui.press(keys.enter);
		await tui.waitFor('not created');
		expect(silenceAudit(demo).some(r => r.outcome === 'refused' && r.matchers === '{foo!~"x.+"}')).toBe(true);
		await tui.press(keys.escape);
	});

	it('asks for the environment name typed when the silence spans services', async () => {
		const client = createAlertmanagerClient({url: alertmanagerUrls(demo.environment)[0]!, timeoutMs: 3000});
		const endsAt = new Date(Date.now() + 3_600_000).toISOString();
		await client.postAlerts([
			{labels: {alertname: 'Drill', service: 'rust-core-engine', severity: 'warning'}, endsAt},
			{labels: {alertname: 'Drill', service: 'python-ai-service', severity: 'warning'}, endsAt},
		]);
		await tui.waitFor(/warning\s+Drill python-ai-service/);
		await tui.press('m');
		await type(tui, 'alertname="Drill"');
		await tui.waitFor(/catches 2 alert\(s\) of python-ai-service, r/);
		await tui.press(keys.tab);
		await type(tui, 'drill');
		await tui.waitFor(/spans 2 services/);
		await tui.press(keys.enter);
		await tui.waitFor('Type demo and press enter');
		await type(tui, 'dem');
		await tui.press(keys.enter);
		await tui.waitFor('does not match "demo"');
		await type(tui, 'o');
		await tui.press(keys.enter);
		await tui.waitFor(/silence \S+ created: 2 alert\(s\)/);
		await tui.press(keys.escape);
		expect(silenceAudit(demo).some(r => r.action === 'create' && r.outcome === 'done' && r.alerts === 2 && r.comment === 'drill')).toBe(true);
	});

	it('acknowledges the selected alert with a 15 minute ACK silence', async () => {
		await tui.press('g', 'j');
		await tui.press('a');
		await tui.waitFor(/acknowledged: silence \S+ for 15m/);
		const ack = silenceAudit(demo).find(r => r.action === 'ack' && r.outcome === 'done');
		expect(ack).toMatchObject({comment: 'ACK', alerts: 1});
	});

	it('lists the silences on v, and expires the selected one through the modal', async () => {
		await tui.press('v');
		await tui.waitFor(/Silences.*active or pending/);
		const frame = await tui.waitFor(/active\s+\S+\s+root\s+\{alertname="ServiceDown"/);
		expect(frame).toContain('ACK');
		const ack = silenceAudit(demo).find(r => r.action === 'ack' && r.outcome === 'done')!;
		const row = tui.lines().findIndex(line => line.includes(ack.silenceId!.slice(0, 8)));
		expect(row).toBeGreaterThan(0);
		// Selected by identity: move until the ACK silence's row is the selected one.
		for (let i = 0; i < 5 && !tui.lines().some(line => line.includes(`>${ack.silenceId!.slice(0, 8)}`) || line.includes(`›${ack.silenceId!.slice(0, 8)}`)); i++) await tui.press('j');
		await tui.press('x');
		await tui.waitFor(`Expire silence ${ack.silenceId!.slice(0, 8)}`);
		await tui.press('y');
		await tui.waitFor(/expired: 1 alert\(s\) fire again/);
		await tui.press(keys.escape);
		expect(silenceAudit(demo).some(r => r.action === 'expire' && r.silenceId === ack.silenceId && r.outcome === 'done')).toBe(true);
	});
});
