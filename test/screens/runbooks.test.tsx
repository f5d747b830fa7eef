import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createComposePlatform} from '../../source/services/platform.js';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import React from 'react';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {buildKeymap} from '../../source/config/keymap.js';
import {configSchema} from '../../source/config/schema.js';
import type {EnvironmentConfig} from '../../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot, type DashboardRuntime} from '../../source/dashboard.js';
import {loadBuiltinRunbooks} from '../../source/runbooks/loader.js';
import {paletteCommands} from '../../source/app/palette.js';
import {helpLines} from '../../source/screens/HelpScreen.js';
import {registryBindings, registryHelp} from '../../source/screens/registry.js';
import type {AuditRecord} from '../../source/services/audit.js';
import {FakeDocker, FakeHealth, healthyAnswers, testEnvironment} from '../fixtures/runbooks/fakes.js';
import {keys, renderTui} from '../helpers/tui.js';
import {displayWidth} from '../../source/util/format.js';

const config = configSchema.parse({environments: {}});
const userConfigDir = fileURLToPath(new URL('../fixtures/runbooks/config', import.meta.url));
const backspace = '\u007F';

let stateDir: string;
let savedState: string | undefined;
let cleanup: Array<() => void> = [];

beforeEach(() => {
	// The audit log goes to $XDG_STATE_HOME/botops/audit.jsonl: keep it in a scratch directory.
	stateDir = mkdtempSync(path.join(tmpdir(), 'botops-runbook-tui-'));
	savedState = process.env.XDG_STATE_HOME;
	process.env.XDG_STATE_HOME = stateDir;
});

afterEach(() => {
	for (const fn of cleanup.reverse()) fn();
	cleanup = [];
	if (savedState === undefined) delete process.env.XDG_STATE_HOME;
	else process.env.XDG_STATE_HOME = savedState;
	rmSync(stateDir, {recursive: true, force: true});
});

/** Sets a variable of this process for one test. */
function withEnv(name: string, value: string | undefined) {
	const saved = process.env[name];
	if (value === undefined) delete process.env[name];
	else process.env[name] = value;
	cleanup.push(() => {
		if (saved === undefined) delete process.env[name];
		else process.env[name] = saved;
	});
}

function auditRecords(): AuditRecord[] {
	let text = '';
	try {
		text = readFileSync(path.join(stateDir, 'botops', 'audit.jsonl'), 'utf8');
	} catch {
		return [];
	}
	return text
		.split('\n')
		.filter(Boolean)
		.map(line => JSON.parse(line) as AuditRecord);
}

function start(options: {environment?: EnvironmentConfig; readOnly?: boolean; configDir?: string; columns?: number; rows?: number} = {}) {
	const environment = options.environment ?? testEnvironment();
	const docker = new FakeDocker(['rust-core-engine', 'python-ai-service', 'nextjs-ui-dashboard', 'mongodb-primary']);
	const health = new FakeHealth();
	for (const [url, answer] of healthyAnswers) health.answers.set(url, answer);
	const runtime: DashboardRuntime = createDashboardRuntime({
		config,
		environment,
		refreshMs: 60_000,
		readOnly: options.readOnly ?? false,
		color: false,
		ascii: false,
		configDir: options.configDir,
		openBackends: async () => ({environment, platform: createComposePlatform(docker, 'bot-core'), docker, health, close() {}}),
	});
	void runtime.connect();
	const tui = renderTui(<DashboardRoot runtime={runtime} />, {columns: options.columns ?? 110, rows: options.rows ?? 32});
	cleanup.push(() => tui.unmount(), () => runtime.close());
	return {tui, docker, health, runtime};
}

/** r opens the list (its catalogue loads on first use); the runbook's key is pressed once the list shows. */
async function pickRunbook(tui: ReturnType<typeof start>['tui'], key: string) {
	await tui.press('r');
	await tui.waitFor('restart-service');
	await tui.press(key);
}

describe('runbook dialog', () => {
	it('opens with r from the Dashboard, lists every runbook with its key, and closes with esc', async () => {
		const {tui} = start({columns: 80, rows: 24, configDir: userConfigDir});
		await tui.waitFor('Containers by CPU');
		await tui.press('r');
		const list = await tui.waitFor(/R\s+restart-all/);
		expect(list).toMatch(/D\s+disable-trading\s+Emergency - disable trading/);
		expect(list).toMatch(/R\s+restart-all/);
		// Broken user runbooks are reported, not thrown; the good one loads beside the built-ins.
		expect(list).toContain('bad-action.yaml:13: steps');
		expect(list).toMatch(/\d+ more runbook file problems/);
		expect(tui.lines().length).toBeLessThanOrEqual(23);
		expect(Math.max(...tui.lines().map(l => l.length))).toBeLessThanOrEqual(80);
		await tui.press(keys.escape);
		await tui.waitFor('Containers by CPU');
	});

	it('from the Services screen offers the selected service runbooks and pre-fills it: r, r, enter, y restarts it', async () => {
		const {tui, docker} = start();
		await tui.waitFor('Containers by CPU');
		await tui.press('2', 'r');
		const list = await tui.waitFor('Runbooks for rust-core-engine');
		expect(list).toContain('disable-trading');
		expect(list).not.toContain('db-backup');
		await tui.press('r');
		await tui.waitFor(/service\s+rust-core-engine/);
		await tui.press(keys.enter);
		const plan = await tui.waitFor('docker restart --time 10 rust-core-engine');
		expect(plan).toContain('target: rust-core-engine (container rust-core-engine 111111111111 running)');
		expect(plan).toContain('affects: rust-core-engine');
		expect(plan).toContain('[y/N]');
		await tui.press('y');
		const summary = await tui.waitFor(/OK in/);
		expect(summary).toMatch(/\[ok\]\s+pre-1\s+\d+ ms\s+rust-core-engine running/);
		expect(summary).toMatch(/\[ok\]\s+restart/);
		expect(summary).toContain('All 2 steps succeeded');
		expect(docker.mutations()).toEqual(['restart rust-core-engine']);
		const end = auditRecords().find(r => r.type === 'run-end');
		expect(end).toMatchObject({runbook: 'restart-service', environment: 'local', outcome: 'ok'});

		// esc closes; the Runbooks screen lists the run from the audit log.
		await tui.press(keys.escape);
		await tui.waitFor(/Services.*ok/);
		await tui.press('5');
		await tui.waitFor(/restart-service\s+ok/);
	});

	it('makes Cancel the default: enter at the confirmation runs nothing', async () => {
		const {tui, docker} = start();
		await tui.waitFor('Containers by CPU');
		await pickRunbook(tui, 'R');
		await tui.waitFor('docker restart --time 10 rust-core-engine && docker restart');
		await tui.press(keys.enter);
		await tui.waitFor('restart-all: cancelled, nothing was run');
		// esc and ctrl-c cancel just the same.
		await pickRunbook(tui, 'R');
		await tui.waitFor('Plan: Restart all services');
		await tui.press(keys.ctrlC);
		await tui.waitFor('Containers by CPU');
		await pickRunbook(tui, 'R');
		await tui.waitFor('Plan: Restart all services');
		await tui.press(keys.escape);
		await tui.waitFor('Containers by CPU');
		expect(docker.mutations()).toEqual([]);
		expect(auditRecords()).toEqual([]);
		// The dialog is gone and the keys are the dashboard's again.
		await tui.press('3');
		await tui.waitFor(/Stats.*sort cpu/);
	});

	it('on a protected environment refuses a wrong environment name and runs on the right one', async () => {
		const {tui, docker} = start({environment: testEnvironment({name: 'production', protected: true})});
		await tui.waitFor('PRODUCTION');
		await pickRunbook(tui, 'R');
		await tui.waitFor('Type production and press enter to confirm');
		await tui.press('p', 'r', 'o', 'd', keys.enter);
		await tui.waitFor('does not match "production"');
		// y is only a letter of the name here, not a yes.
		await tui.press('y');
		expect(docker.mutations()).toEqual([]);
		await tui.press(backspace, 'u', 'c', 't', 'i', 'o', 'n', keys.enter);
		await tui.waitFor(/OK in/);
		expect(docker.mutations()).toEqual(['restart rust-core-engine', 'restart python-ai-service', 'restart nextjs-ui-dashboard', 'restart mongodb-primary']);
		expect(auditRecords().find(r => r.type === 'run-end')).toMatchObject({environment: 'production', outcome: 'ok'});
	});

	it('aborts between steps with esc; the summary lists what did not run', async () => {
		const {tui, docker} = start();
		await tui.waitFor('Containers by CPU');
		await pickRunbook(tui, 'M');
		await tui.waitFor(/drainSeconds\s+60/);
		await tui.press(keys.enter);
		await tui.waitFor('sleep 60');
		await tui.press('y');
		await tui.waitFor(/\[\.\.\]\s+drain/);
		// q asks first while a runbook runs; n keeps botops (and the run) going.
		await tui.press('q');
		await tui.waitFor('A runbook is running. Quit botops?');
		await tui.press('n');
		await tui.waitFor(/\[\.\.\]\s+drain/);
		await tui.press(keys.escape);
		const summary = await tui.waitFor(/ABORTED in/);
		expect(summary).toContain('not run: stop, maintain, start, smoke-frontend, smoke-engine, smoke-ai');
		expect(summary).toMatch(/\[abrt\]\s+drain/);
		expect(summary).toContain('aborted by the operator');
		expect(docker.mutations()).toEqual([]);
		expect(auditRecords().find(r => r.type === 'run-end')).toMatchObject({runbook: 'maintenance-mode', outcome: 'aborted'});
	});

	it('in read-only mode shows the refusal and offers nothing to confirm', async () => {
		const {tui, docker} = start({readOnly: true});
		await tui.waitFor('READ-ONLY');
		await pickRunbook(tui, 'R');
		const plan = await tui.waitFor('Refused: read-only mode');
		expect(plan).toContain('REFUSED: read-only mode: refusing restart');
		expect(plan).not.toContain('[y/N]');
		await tui.press('y');
		expect(docker.mutations()).toEqual([]);
		await tui.press(keys.escape);
		await tui.waitFor('Containers by CPU');
		expect(docker.mutations()).toEqual([]);
		// Refused, and audited as the CLI's refusal is: the Runbooks screen lists it from the audit log.
		await tui.press('5');
		await tui.waitFor(/restart-all.*refused/);
		expect(auditRecords().map(r => [r.type, r.runbook])).toEqual([['run-start', 'restart-all'], ['run-end', 'restart-all']]);
		expect(auditRecords()[1]).toMatchObject({outcome: 'refused', ran: []});
	});

	it('shows input validation errors beside the form and keeps what was typed', async () => {
		const {tui} = start();
		await tui.waitFor('Containers by CPU');
		await pickRunbook(tui, 'a');
		await tui.waitFor(/symbol\s+\S?required/);
		await tui.press('b', 't', 'c', keys.enter);
		const form = await tui.waitFor('input symbol: expected a symbol like BTCUSDT');
		expect(form).toMatch(/symbol\s+btc/);
		await tui.press(backspace, backspace, backspace, 'A', 'D', 'A', 'U', 'S', 'D', 'T', keys.enter);
		await tui.waitFor('/api/market-data/ADAUSDT');
	});

	it('pauses at a confirm step: N declines and the change after it does not run', async () => {
		// The admin token is checked when the plan is built; declined, it is never sent.
		withEnv('ADMIN_TOKEN', 'tok-9a8b7c6d5e4f');
		const {tui} = start();
		await tui.waitFor('Containers by CPU');
		await pickRunbook(tui, 'E');
		await tui.waitFor('/api/admin/trading/enable');
		await tui.press('y');
		await tui.waitFor('Trading will place real orders on local');
		await tui.press('n');
		const summary = await tui.waitFor(/FAILED in/);
		expect(summary).toContain('not run: enable, verify');
		expect(summary).toContain('operator declined');
	});

	it('expands the tabs of step output in the Finished view: every line is the terminal width and the border holds', async () => {
		withEnv('DATABASE_URL', 'mongodb://bot:pw-for-tabs-1@127.0.0.1:27017/trading_bot');
		const columns = 100;
		const {tui, docker} = start({columns, rows: 30});
		// mongodump's own format: a timestamp, a tab, the message.
		docker.execResults.set('mongodump', {
			exitCode: 0,
			stdout: '',
			stderr: ['2026-12-01T10:00:00.000+0000\twriting trading_bot.trades to /backup/dump', '2026-12-01T10:00:01.000+0000\tdone dumping trading_bot.trades\t(42 documents)'].join('\n'),
		});
		await tui.waitFor('Containers by CPU');
		await pickRunbook(tui, 'b');
		await tui.waitFor(/service\s+mongodb-primary/);
		await tui.press(keys.enter);
		await tui.waitFor('mongodump');
		await tui.press('y');
		const frame = await tui.waitFor(/Finished: Back up the database/);
		expect(frame).toContain('output of');
		// Each tab runs to the next stop of 8: from column 28 to 32, and from 63 to 64.
		expect(frame).toContain('2026-12-01T10:00:01.000+0000    done dumping trading_bot.trades (42 documents)');
		expect(frame).not.toContain('\t');
		const lines = frame.split('\n');
		// The dialog, from its top edge to its bottom edge: every line the terminal's width, the side borders in place.
		const top = lines.findIndex(line => line.includes('Finished: Back up the database'));
		const bottom = lines.findIndex((line, i) => i > top && line.startsWith('╰'));
		expect(bottom).toBeGreaterThan(top + 3);
		const dialog = lines.slice(top, bottom + 1);
		expect(dialog.map((line, i) => [i, displayWidth(line)]).filter(([, w]) => w !== columns)).toEqual([]);
		expect(dialog[0]).toMatch(/^╭.*╮$/);
		for (const line of dialog.slice(1, -1)) expect(line).toMatch(/^│.*│$/);
	});

	it('lists a run that was killed mid-change as interrupted, naming the step in flight', async () => {
		const file = path.join(stateDir, 'botops', 'audit.jsonl');
		mkdirSync(path.dirname(file), {recursive: true});
		const ref = {runId: 'r-killed', time: '2026-12-01T10:00:00.000Z', environment: 'local', runbook: 'db-backup'};
		writeFileSync(
			file,
			[
				// A pid that is not running: the run's process is gone.
				{...ref, type: 'run-start', user: 'alice', host: 'elsewhere', inputs: {}, readOnly: false, plan: [], pid: 2 ** 22 + 1},
				{...ref, type: 'step-start', phase: 'step', step: 'dump', title: 'Run mongodump', call: 'docker exec mongodb-primary mongodump'},
			]
				.map(r => JSON.stringify(r))
				.join('\n') + '\n',
		);
		const {tui} = start({columns: 160});
		await tui.waitFor('Containers by CPU');
		await tui.press('5');
		await tui.waitFor(/db-backup\s+interrupted\s+-\s+interrupted in flight: dump \(docker exec mongodb-primary mongodump\)/);
	});

	it('is listed in help: r and 5 from the keymap, each runbook key from the runbooks; :runbooks opens the screen', async () => {
		const lines = helpLines(buildKeymap({}, registryBindings).bindings, {screens: registryHelp, commands: paletteCommands}, loadBuiltinRunbooks());
		expect(lines).toContainEqual({key: 'r', text: "runbooks (of the selected service on Services), then the runbook's key"});
		expect(lines).toContainEqual({key: '5 :runbooks', text: 'Runbooks: runbooks with their keys, and recent runs from the audit log'});
		expect(lines).toContainEqual({key: 'D', text: 'Emergency - disable trading (disable-trading)'});

		const {tui} = start();
		await tui.waitFor('Containers by CPU');
		await tui.press(':', 'r', 'b', keys.enter);
		const screen = await tui.waitFor('no runs recorded yet');
		expect(screen).toMatch(/D\s+disable-trading\s+Emergency - disable trading/);
		// On the Runbooks screen a runbook's key starts it too.
		await tui.press('R');
		await tui.waitFor('Plan: Restart all services');
	});
});
