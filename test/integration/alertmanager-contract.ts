/**
 * The Alertmanager contract botops relies on, run against the real Alertmanager and against the demo's: alerts
 * posted as Prometheus posts them come back with their status, a silence suppresses what it matches and expiring it
 * makes them active again, and botops's preview names exactly the alerts the server then silences.
 */
import {randomBytes} from 'node:crypto';
import {expect} from 'vitest';
import {parseMatchers, type Labels} from '../../source/alerts/matchers.js';
import {previewSilence} from '../../source/alerts/silence-guard.js';
import type {MergedAlert} from '../../source/alerts/types.js';
import {createAlertmanagerClient, type AlertmanagerClient} from '../../source/services/alertmanager.js';
import {eventually} from '../helpers/docker.js';

/** Label sets chosen so anchoring, absent labels and alternation each decide something. */
export const contractAlerts: Labels[] = [
	{alertname: 'HighLatency', service: 'rust-core-engine', severity: 'critical', team: 'payments', instance: '10.0.0.12:9100'},
	{alertname: 'HighLatency', service: 'rusty', severity: 'warning'},
	{alertname: 'HighLatency', service: 'trust-engine', severity: 'warning', team: 'pay.ments'},
	{alertname: 'DiskFull', service: 'core', severity: 'crit', team: 'payxments'},
	{alertname: 'MemoryHigh', service: 'python-ai-service', severity: 'warning', team: 'ml', quote: 'say "hi"'},
	{alertname: 'ServiceDown', service: 'RUST-UPPER', severity: 'critical'},
	// RE2's "." takes \r and its \s does not take \v; JavaScript's differ on both.
	{alertname: 'OddText', service: 'odd', severity: 'info', note: 'a\rb', gap: 'x\vy'},
];

/** amtool syntax; each set also gets `run="…"` so only this run's alerts count. */
export const contractMatchers: string[] = [
	'service=~"rust.*"',
	'service=~"core"',
	'service=~"(?i)rust.*"',
	'team!="payments"',
	'team!~"pay.+"',
	'team=""',
	'team=~".*"',
	'team=~"pay\\.ments"',
	'severity=~"crit|warn.*"',
	'alertname=~"Disk.*|Mem.*"',
	'instance=~"10\\.0\\.0\\.[0-9]+:9100"',
	'{service=~"rust.*", team!="payments"}',
	'quote="say \\"hi\\""',
	'service!~"rust.*|core"',
	'note=~"a.b"',
	'gap=~"x\\sy"',
	'gap=~"x[\\s]y"',
];

export function newRun(): string {
	return randomBytes(6).toString('hex');
}

export async function postContractAlerts(client: AlertmanagerClient, run: string): Promise<Labels[]> {
	const now = Date.now();
	const labels: Labels[] = contractAlerts.map(l => ({...l, run}));
	await client.postAlerts(labels.map(l => ({labels: l, annotations: {summary: `contract ${l['alertname']}`}, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 3_600_000).toISOString()})));
	await eventually(async () => ((await runAlerts(client, run)).length === labels.length ? true : undefined), {timeoutMs: 10_000, what: `${labels.length} posted alerts listed`});
	return labels;
}

export async function runAlerts(client: AlertmanagerClient, run: string): Promise<MergedAlert[]> {
	return (await client.alerts()).filter(a => a.labels['run'] === run).map(a => ({...a, sources: [client.url]}));
}

/** For each matcher set: create the silence, read what the server marks silenced, compare with the preview, expire. */
export async function checkPreviewAgreement(client: AlertmanagerClient, run: string): Promise<Array<{matchers: string; preview: string[]; server: string[]}>> {
	const alerts = await runAlerts(client, run);
	const rows: Array<{matchers: string; preview: string[]; server: string[]}> = [];
	const name = (a: MergedAlert) => `${a.labels['alertname']}/${a.labels['service']}`;
	for (const text of contractMatchers) {
		const matchers = [...parseMatchers(text), {name: 'run', value: run, isRegex: false, isEqual: true}];
		const preview = previewSilence(matchers, alerts).caught.map(name).sort();
		const now = Date.now();
		const id = await client.createSilence({matchers, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 600_000).toISOString(), createdBy: 'botops-contract', comment: `contract ${text}`});
		const server = (await runAlerts(client, run)).filter(a => a.silencedBy.includes(id)).map(name).sort();
		await client.expireSilence(id);
		rows.push({matchers: text, preview, server});
	}
	return rows;
}

export async function checkSilenceLifecycle(url: string, run: string): Promise<void> {
	const client = createAlertmanagerClient({url, timeoutMs: 3000});
	const target = (await runAlerts(client, run)).find(a => a.labels['alertname'] === 'DiskFull');
	expect(target).toBeDefined();
	const now = Date.now();
	const id = await client.createSilence({
		matchers: [
			{name: 'alertname', value: 'DiskFull', isRegex: false, isEqual: true},
			{name: 'run', value: run, isRegex: false, isEqual: true},
		],
		startsAt: new Date(now).toISOString(),
		endsAt: new Date(now + 600_000).toISOString(),
		createdBy: 'botops-contract',
		comment: 'lifecycle',
	});
	const suppressed = await eventually(async () => (await runAlerts(client, run)).find(a => a.labels['alertname'] === 'DiskFull' && a.state === 'suppressed'), {timeoutMs: 10_000, what: 'DiskFull suppressed'});
	expect(suppressed.silencedBy).toEqual([id]);
	expect((await client.silences()).find(s => s.id === id)).toMatchObject({state: 'active', createdBy: 'botops-contract', comment: 'lifecycle'});
	await client.expireSilence(id);
	const active = await eventually(async () => (await runAlerts(client, run)).find(a => a.labels['alertname'] === 'DiskFull' && a.state === 'active'), {timeoutMs: 10_000, what: 'DiskFull active again'});
	expect(active.silencedBy).toEqual([]);
	expect((await client.silences()).find(s => s.id === id)?.state).toBe('expired');
}

/**
 * What the server itself refuses: Alertmanager 0.25 rejects matchers that all match "" only for = and =~, so
 * `!~` alone passes (alertmanager#3905), which is why botops's guard evaluates against {} itself. (It takes an
 * empty comment too: botops requires one.)
 */
export async function checkServerValidation(client: AlertmanagerClient, run: string): Promise<void> {
	const now = Date.now();
	const base = {startsAt: new Date(now).toISOString(), endsAt: new Date(now + 60_000).toISOString(), createdBy: 'botops-contract', comment: 'validation'};
	for (const text of ['team=~".*"', 'team=""', 'team=~"a*"'])
		await expect(client.createSilence({...base, matchers: parseMatchers(text)})).rejects.toThrow(/HTTP 400: silence invalid: at least one matcher must not match the empty string$/);
	// Accepted, and it silences every alert of this run that lacks `team`, as the preview says it would.
	const id = await client.createSilence({...base, matchers: parseMatchers('team!~"x.+"')});
	try {
		const alerts = await runAlerts(client, run);
		expect(alerts.filter(a => a.silencedBy.includes(id)).map(a => a.labels['alertname']).sort()).toEqual(previewSilence(parseMatchers('team!~"x.+"'), alerts).caught.map(a => a.labels['alertname']).sort());
		expect(alerts.filter(a => a.silencedBy.includes(id)).length).toBeGreaterThan(0);
	} finally {
		await client.expireSilence(id);
	}
}
