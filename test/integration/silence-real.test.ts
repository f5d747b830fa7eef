// `botops silence` and `botops alerts` through the built CLI against the real Alertmanager (Debian's prometheus-alertmanager).
import {execFile} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {stringify} from 'yaml';
import {createAlertmanagerClient} from '../../source/services/alertmanager.js';
import {eventually} from '../helpers/docker.js';
import {monitoringForTests, startAlertmanager, type RunningServer} from '../helpers/prometheus.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'bin/botops.js');
const availability = monitoringForTests();

describe.skipIf(!availability.available)(`botops silence against the real Alertmanager${availability.reason ? ` (skipped: ${availability.reason})` : ''}`, () => {
	let server: RunningServer;
	let home: string;
	let configFile: string;
	let env: NodeJS.ProcessEnv;
	const stateDir = () => path.join(home, 'state-real');

	const botops = (...args: string[]) =>
		run(process.execPath, [cli, ...args, '--config', configFile, '--env', 'real'], {cwd: root, env}).then(
			({stdout, stderr}) => ({code: 0, stdout, stderr}),
			(error: {code: number; stdout: string; stderr: string}) => ({code: error.code, stdout: error.stdout, stderr: error.stderr}),
		);
	const alertsJson = async () => JSON.parse((await botops('alerts', '--json')).stdout) as {groups: Array<{labels: Record<string, string>; alerts: Array<{state: string; silencedBy: string[]}>}>};

	beforeAll(async () => {
		server = await startAlertmanager();
		home = mkdtempSync(path.join(tmpdir(), 'botops-silence-real-'));
		env = {...process.env, XDG_STATE_HOME: path.join(home, 'xdg'), XDG_CONFIG_HOME: path.join(home, 'config'), NO_COLOR: '1'};
		configFile = path.join(home, 'config.yaml');
		writeFileSync(
			configFile,
			stringify({
				defaultEnvironment: 'real',
				environments: {real: {backend: {type: 'compose', socketPath: path.join(home, 'no-docker.sock')}, services: [{name: 'rust-core-engine'}], alertmanagerUrl: server.url, stateDir: stateDir()}},
			}),
		);
		const client = createAlertmanagerClient({url: server.url, timeoutMs: 3000});
		await client.postAlerts([{labels: {alertname: 'RealDrill', service: 'rust-core-engine', severity: 'critical'}, endsAt: new Date(Date.now() + 3_600_000).toISOString()}]);
		await eventually(async () => {
			const answer = await alertsJson();
			expect(answer.groups.find(g => g.labels['alertname'] === 'RealDrill')?.alerts[0]?.state).toBe('active');
			return true;
		}, {what: 'RealDrill active'});
	});

	afterAll(async () => {
		await server?.dispose();
		if (home) rmSync(home, {recursive: true, force: true});
	});

	it('adds a silence that the real Alertmanager applies, and expires it again, both audited', async () => {
		const refused = await botops('silence', 'add', '--matcher', 'foo!~"x.+"', '--comment', 'x', '--yes');
		expect(refused.code).toBe(2);
		const created = await botops('silence', 'add', '--matcher', 'RealDrill', '--comment', 'real drill', '--duration', '15m', '--yes');
		expect(created.code, created.stderr).toBe(0);
		const id = /Created silence (\S+)/.exec(created.stdout)![1]!;
		await eventually(async () => {
			const alert = (await alertsJson()).groups.find(g => g.labels['alertname'] === 'RealDrill')!.alerts[0]!;
			expect(alert).toMatchObject({state: 'suppressed', silencedBy: [id]});
			return true;
		}, {what: 'RealDrill silenced'});
		const listed = await botops('silence', 'list');
		expect(listed.stdout).toMatch(new RegExp(`${id}\\s+active`));
		const expired = await botops('silence', 'expire', id, '--yes');
		expect(expired.code, expired.stderr).toBe(0);
		expect(expired.stdout).toContain('1 alert(s) fire again');
		await eventually(async () => {
			const alert = (await alertsJson()).groups.find(g => g.labels['alertname'] === 'RealDrill')!.alerts[0]!;
			expect(alert.state).toBe('active');
			return true;
		}, {what: 'RealDrill active again'});
		const audit = readFileSync(path.join(stateDir(), 'audit.jsonl'), 'utf8')
			.split('\n')
			.filter(Boolean)
			.map(line => JSON.parse(line) as {action: string; outcome: string});
		expect(audit.map(r => `${r.action} ${r.outcome}`)).toEqual(['create refused', 'create done', 'expire done']);
	});
});
