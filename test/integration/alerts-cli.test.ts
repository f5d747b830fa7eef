// `botops alerts` and `botops silence …` through the built CLI (npm test builds dist/ first), against the demo's APIs.
import {execFile} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {stringify} from 'yaml';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';
import {createAlertJournal} from '../../source/services/alert-journal.js';
import {alertmanagerUrls, createAlertmanagerClient} from '../../source/services/alertmanager.js';
import {auditFilePath} from '../../source/services/audit.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'bin/botops.js');

describe('botops alerts and botops silence against the demo (mongo-down)', () => {
	let demo: DemoDeployment;
	let home: string;
	let configFile: string;
	let env: NodeJS.ProcessEnv;

	const botops = (...args: string[]) =>
		run(process.execPath, [cli, ...args, '--config', configFile], {cwd: root, env}).then(
			({stdout, stderr}) => ({code: 0, stdout, stderr}),
			(error: {code: number; stdout: string; stderr: string}) => ({code: error.code, stdout: error.stdout, stderr: error.stderr}),
		);
	const audit = () =>
		readFileSync(auditFilePath(env, demo.environment), 'utf8')
			.split('\n')
			.filter(Boolean)
			.map(line => JSON.parse(line) as {type: string; action: string; outcome: string; matchers: string; silenceId?: string});

	beforeAll(async () => {
		demo = await startDemo({scenario: 'mongo-down', tickMs: 200, alertFor: {ServiceDown: 0, HighLatencyP95: 0, ContainerRestarting: 0}});
		home = mkdtempSync(path.join(tmpdir(), 'botops-alerts-cli-'));
		env = {...process.env, XDG_STATE_HOME: path.join(home, 'state'), XDG_CONFIG_HOME: path.join(home, 'config'), NO_COLOR: '1'};
		const {name: _name, ...environment} = demo.environment;
		configFile = path.join(home, 'config.yaml');
		writeFileSync(configFile, stringify({defaultEnvironment: 'drill', environments: {drill: environment}}));
		const client = createAlertmanagerClient({url: alertmanagerUrls(demo.environment)[0]!, timeoutMs: 3000});
		// Waits for the rule's first evaluation to reach Alertmanager (a bound, not a pause).
		let firing = 0;
		const deadline = Date.now() + 10_000;
		while (firing === 0 && Date.now() < deadline) firing = (await client.alerts()).filter(a => a.labels['alertname'] === 'ServiceDown').length;
		expect(firing).toBe(1);
	});

	afterAll(async () => {
		await demo?.stop();
		rmSync(home, {recursive: true, force: true});
	});

	it('alerts --json lists the firing ServiceDown in its group', async () => {
		const {code, stdout} = await botops('alerts', '--json');
		expect(code).toBe(0);
		const answer = JSON.parse(stdout) as {environment: string; groups: Array<{labels: Record<string, string>; alerts: Array<{state: string; sources: string[]}>}>};
		expect(answer.environment).toBe('drill');
		const group = answer.groups.find(g => g.labels['alertname'] === 'ServiceDown');
		expect(group?.labels['service']).toBe('mongodb-primary');
		expect(group?.alerts[0]).toMatchObject({state: 'active', sources: alertmanagerUrls(demo.environment)});
		const table = await botops('alerts', '--firing');
		expect(table.stdout).toMatch(/critical\s+ServiceDown\s+mongodb-primary\s+\S+\s+active\s+mongodb-primary is down/);
	});

	it('silence add needs --yes, refuses match-everything and over-long silences, and creates one that passes the guards', async () => {
		const base = ['silence', 'add', '--matcher', 'alertname="ServiceDown"', '--matcher', 'service="mongodb-primary"', '--comment', 'db maintenance'];
		const unconfirmed = await botops(...base);
		expect(unconfirmed.code).toBe(2);
		expect(unconfirmed.stdout).toContain('catches 1 alert(s) now');
		expect(unconfirmed.stderr).toContain('pass --yes');
		const tooLong = await botops(...base, '--duration', '3h', '--yes');
		expect(tooLong.code).toBe(2);
		expect(tooLong.stderr).toContain('longer than the 2h');
		const everything = await botops('silence', 'add', '--matcher', 'foo!~"x.+"', '--comment', 'oops', '--yes');
		expect(everything.code).toBe(2);
		expect(everything.stderr).toContain('matches an alert with no labels');
		const created = await botops(...base, '--duration', '30m', '--yes');
		expect(created.code, created.stderr).toBe(0);
		expect(created.stdout).toMatch(/Created silence \S+ on http/);
		const records = audit().filter(r => r.type === 'silence');
		expect(records.map(r => r.outcome)).toEqual(['refused', 'refused', 'done']);
		const listed = await botops('silence', 'list', '--json');
		const silences = (JSON.parse(listed.stdout) as {silences: Array<{id: string; comment: string}>}).silences;
		expect(silences.map(s => s.comment)).toContain('db maintenance');
		const id = silences.find(s => s.comment === 'db maintenance')!.id;
		const silenced = JSON.parse((await botops('alerts', '--json')).stdout) as {groups: Array<{alerts: Array<{silencedBy: string[]}>}>};
		expect(silenced.groups.flatMap(g => g.alerts).some(a => a.silencedBy.includes(id))).toBe(true);

		const preview = await botops('silence', 'expire', id);
		expect(preview.code).toBe(2);
		expect(preview.stdout).toContain('starts 1 alert(s) firing again');
		const expired = await botops('silence', 'expire', id, '--yes');
		expect(expired.code, expired.stderr).toBe(0);
		expect(audit().some(r => r.action === 'expire' && r.outcome === 'done' && r.silenceId === id)).toBe(true);
	});

	it('a silence across services needs --confirm-env: --yes alone is refused', async () => {
		const client = createAlertmanagerClient({url: alertmanagerUrls(demo.environment)[0]!, timeoutMs: 3000});
		const endsAt = new Date(Date.now() + 3_600_000).toISOString();
		await client.postAlerts([
			{labels: {alertname: 'CliDrill', service: 'rust-core-engine'}, endsAt},
			{labels: {alertname: 'CliDrill', service: 'python-ai-service'}, endsAt},
		]);
		const args = ['silence', 'add', '--matcher', 'CliDrill', '--comment', 'drill'];
		const withYes = await botops(...args, '--yes');
		expect(withYes.code).toBe(2);
		expect(withYes.stderr).toContain('--yes is only allowed when the guards pass; pass --confirm-env drill');
		const wrong = await botops(...args, '--confirm-env', 'prod');
		expect(wrong.stderr).toContain('--confirm-env "prod" is not "drill"');
		const confirmed = await botops(...args, '--confirm-env', 'drill');
		expect(confirmed.code, confirmed.stderr).toBe(0);
		expect(confirmed.stdout).toContain('catches 2 alert(s) now');
	});

	it('alerts --since reads the journal: a firing that resolved, with how long it fired', async () => {
		const journal = createAlertJournal({environment: 'drill', stateDir: demo.environment.stateDir});
		const labels = {alertname: 'NightlyDrill', service: 'python-ai-service', severity: 'warning'};
		const firedAt = Date.now() - 3 * 3_600_000;
		journal.observe([{labels, startsAt: new Date(firedAt).toISOString(), annotations: {summary: 'overnight'}}], firedAt);
		journal.observe([], firedAt + 600_000);
		const {code, stdout} = await botops('alerts', '--since', '12h', '--json');
		expect(code).toBe(0);
		const entry = (JSON.parse(stdout) as {alerts: Array<{labels: Record<string, string>; firingMs?: number; resolvedAt?: string}>}).alerts.find(a => a.labels['alertname'] === 'NightlyDrill');
		expect(entry).toMatchObject({firingMs: 600_000, summary: 'overnight'});
		const table = await botops('alerts', '--since', '12h');
		expect(table.stdout).toMatch(/NightlyDrill\s+python-ai-service\s+warning\s+overnight/);
		const none = await botops('alerts', '--since', '1h');
		expect(none.stdout).not.toContain('NightlyDrill');
	});

	it('alerts --json --env demo on the embedded demo answers from its Alertmanager', async () => {
		const {code, stdout, stderr} = await run(process.execPath, [cli, 'alerts', '--json', '--env', 'demo'], {cwd: root, env}).then(
			r => ({code: 0, ...r}),
			(error: {code: number; stdout: string; stderr: string}) => error,
		);
		expect(code, stderr).toBe(0);
		const answer = JSON.parse(stdout) as {environment: string; groups: unknown[]; errors: unknown[]};
		expect(answer).toMatchObject({environment: 'demo', errors: []});
		expect(Array.isArray(answer.groups)).toBe(true);
	});
});
