import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, describe, expect, it} from 'vitest';
import {startTmux, tmuxAvailable} from '../helpers/tmux.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const required = process.env.CI === 'true';
const available = tmuxAvailable();
if (!available && required) throw new Error('tmux is required in CI (.ci/run installs it)');

let session: ReturnType<typeof startTmux> | undefined;
let stateDir: string | undefined;
afterEach(() => {
	session?.kill();
	if (stateDir) rmSync(stateDir, {recursive: true, force: true});
});

describe.skipIf(!available)('incident mode in a drill, in tmux', () => {
	it('engine-crashloop: the alert fires, P1 is declared, restart-service runs, closing writes the post-mortem', async () => {
		stateDir = mkdtempSync(path.join(tmpdir(), 'botops-e2e-incident-'));
		const exitFile = path.join(stateDir, 'exit-status');
		session = startTmux(`TMPDIR=${stateDir} XDG_STATE_HOME=${stateDir} XDG_CONFIG_HOME=${stateDir} node bin/botops.js demo --scenario engine-crashloop --refresh 1; echo $? > ${exitFile}`, {columns: 100, rows: 30, cwd: root});
		await session.waitFor('Containers by CPU');

		// The alert, on the Alerts screen (the demo's Alertmanager starts it once the engine keeps restarting).
		session.send(':');
		session.send('alerts');
		session.send('Enter');
		const alerts = await session.waitFor(/Alerts ─+ [1-9]\d* firing[\s\S]*rust-core-engine/, 60_000);
		expect(alerts).toMatch(/active +rust-core-engine/);

		// Declare P1: the header shows severity, clock and target at once.
		session.send('I');
		await session.waitFor('Declare an incident');
		session.send('1');
		session.send('engine crash loop');
		await session.waitFor('Title: engine crash loop');
		session.send('Enter');
		await session.waitFor(/botops demo +P1 0:00:\d\d\/30m/);

		// The fixing runbook: restart-service on the engine.
		session.send('r');
		await session.waitFor(/r\s+restart-service/);
		session.send('r');
		const form = await session.waitFor('Runbook restart-service: inputs');
		// From the Alerts screen the selected alert's service is filled in already.
		if (!/service +rust-core-engine/.test(form)) session.send('rust-core-engine');
		await session.waitFor(/service +rust-core-engine\S/);
		session.send('Enter');
		await session.waitFor('[y/N]');
		session.send('y');
		// The manual restart is the drill's fix: the engine comes back and stays up.
		const ran = await session.waitFor(/(OK|FAILED) in [\d.]+ s/, 150_000);
		expect(ran).toMatch(/OK in [\d.]+ s/);
		const outcome = 'ok';
		session.send('Escape');
		await session.waitFor(/Alerts ─+ \d+ firing/);

		// The timeline recorded the alert and the run with its outcome, by itself.
		session.send(':');
		session.send('incident');
		session.send('Enter');
		const screen = await session.waitFor(new RegExp(`Runbook +restart-service ${outcome}`));
		expect(screen).toMatch(/INCIDENT P1 High 0:\d\d:\d\d of 30m response target INC-\d{8}-\d{6} engine crash loop/);
		expect(screen).toMatch(/Alert firing +\S+ \(rust-core-engine\)/);
		expect(screen).toMatch(/Declared +P1 declared: engine crash loop/);

		// Close: y writes the post-mortem and says where.
		session.send('I');
		await session.waitFor('Close it and write the post-mortem?');
		session.send('y');
		const closed = await session.waitFor(/INC-\d{8}-\d{6} closed; post-mortem written to/);
		expect(closed).not.toMatch(/botops demo +P1/);

		// The demo keeps its state (audit log, incidents) in its own temporary directory.
		const demoDir = readdirSync(stateDir).find(name => name.startsWith('botops-demo-'))!;
		const incidents = path.join(stateDir, demoDir, 'state', 'incidents');
		const file = readdirSync(incidents).find(name => name.endsWith('-postmortem.md'))!;
		const markdown = readFileSync(path.join(incidents, file), 'utf8');
		expect(markdown).toContain('# Incident Post-Mortem: engine crash loop');
		expect(markdown).toMatch(/- Severity: P1 \(High/);
		expect(markdown).toMatch(/- Services Affected: .*rust-core-engine/);
		expect(markdown).toMatch(/- \d\d:\d\d:\d\d - Alert firing: \S+ \(rust-core-engine\)/);
		// The run, with its outcome and its audit id, is in the timeline, under Resolution, and is the fix applied.
		const runLines = markdown.split('\n').filter(line => line.includes(`Runbook: restart-service ${outcome}`));
		expect(runLines).toHaveLength(3);
		expect(markdown).toMatch(/- \d\d:\d\d:\d\d - Fix applied: Runbook: restart-service ok/);
		const runId = /\[audit (\S+)\]/.exec(runLines[0]!)?.[1];
		const audit = readFileSync(path.join(stateDir, demoDir, 'state', 'audit.jsonl'), 'utf8');
		expect(audit).toContain(`"runId":"${runId}"`);
		expect(markdown).toMatch(/- \d\d:\d\d:\d\d - Incident resolved \(closed\)/);
		expect(markdown).toContain('## Root Cause\nDetailed explanation of what caused the incident.');

		session.send('q');
		await session.waitFor(() => existsSync(exitFile) && readFileSync(exitFile, 'utf8').trim() !== '');
		expect(readFileSync(exitFile, 'utf8').trim()).toBe('0');
	}, 300_000);
});
