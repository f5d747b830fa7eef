import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, describe, expect, it} from 'vitest';
import type {AuditRecord} from '../../source/services/audit.js';
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

describe.skipIf(!available)('runbooks from the dashboard, in tmux', () => {
	it('r, D, y disables trading on the demo: the summary, the engine health body and the audit log say so', async () => {
		stateDir = mkdtempSync(path.join(tmpdir(), 'botops-e2e-runbooks-'));
		// The config dir points at an empty directory so no user runbooks of this machine join in.
		// The shell writes botops' exit status to a file: pane_dead_status can lag behind pane_dead.
		const exitFile = path.join(stateDir, 'exit-status');
		session = startTmux(`TMPDIR=${stateDir} XDG_STATE_HOME=${stateDir} XDG_CONFIG_HOME=${stateDir} node bin/botops.js demo --refresh 1; echo $? > ${exitFile}`, {columns: 100, rows: 30, cwd: root});
		await session.waitFor(/rust-core-engine\s+up\s+200 OK/);

		session.send('r');
		await session.waitFor(/D\s+disable-trading/);
		session.send('D');
		const plan = await session.waitFor('[y/N]');
		expect(plan).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/api\/admin\/trading\/disable/);
		session.send('y');
		const summary = await session.waitFor(/OK in/);
		expect(summary).toContain('All 2 steps succeeded');
		// The admin token is sent, never shown.
		expect(summary).not.toMatch(/Bearer [A-Za-z0-9_-]{8,}/);

		// One key per send: an escape followed at once by "2" reads as alt-2.
		session.send('Escape');
		await session.waitFor('Containers by CPU');
		session.send('2');
		await session.waitFor(/Services.*ok/);
		session.send('Enter');
		await session.waitFor('Service rust-core-engine');
		// The newest probe comes first in the detail view; the run asked for a poll right after it finished.
		const detail = await session.waitFor(/probe [\d:]+\s+200 .*trading_enabled=false/);
		expect(detail).toContain('trading_enabled=false');

		// The demo audits in its own state directory (its temporary directory, under TMPDIR), never in the operator's log.
		expect(existsSync(path.join(stateDir, 'botops', 'audit.jsonl'))).toBe(false);
		const demoDir = readdirSync(stateDir).find(name => name.startsWith('botops-demo-'))!;
		const records = readFileSync(path.join(stateDir, demoDir, 'state', 'audit.jsonl'), 'utf8')
			.split('\n')
			.filter(Boolean)
			.map(line => JSON.parse(line) as AuditRecord);
		expect(records.map(r => r.type)).toEqual(['run-start', 'step-start', 'step', 'step', 'run-end']);
		expect(records.at(-1)).toMatchObject({type: 'run-end', runbook: 'disable-trading', environment: 'demo', outcome: 'ok'});

		session.send('q');
		await session.waitFor(() => existsSync(exitFile) && readFileSync(exitFile, 'utf8').trim() !== '');
		expect(readFileSync(exitFile, 'utf8').trim()).toBe('0');
		expect(session.capture()).not.toContain('Containers by CPU');
	});
});
