// A `botops runbook run` killed with SIGKILL in the middle of a mutating step: the audit log must show what was
// in flight. Spawns the built command line (`npm run build` first; `npm test` does it in pretest).
import {spawn} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, describe, expect, it} from 'vitest';
import {runNote} from '../../source/screens/runbooks/runColumns.js';
import {createAuditLog, type AuditRecord} from '../../source/services/audit.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = path.join(root, 'bin/botops.js');
if (!existsSync(path.join(root, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` before this test');

let home: string | undefined;
afterEach(() => {
	if (home) rmSync(home, {recursive: true, force: true});
	home = undefined;
});

/** A config dir with one environment (its Docker socket does not exist: the shell step needs none) and one user runbook. */
function configWithSlowChange(dir: string): string {
	mkdirSync(path.join(dir, 'runbooks'), {recursive: true});
	const file = path.join(dir, 'config.yaml');
	writeFileSync(
		file,
		[
			'defaultEnvironment: scratch',
			'environments:',
			'  scratch:',
			`    backend: {type: compose, project: botops-killed, socketPath: ${JSON.stringify(path.join(dir, 'no-docker.sock'))}}`,
			'    services: [{name: app}]',
			'',
		].join('\n'),
	);
	writeFileSync(
		path.join(dir, 'runbooks', 'slow-change.yaml'),
		[
			'id: slow-change',
			'title: Slow change',
			'steps:',
			'  - id: change',
			'    title: Change something slowly',
			'    kind: mutate',
			'    action: shell',
			"    params: {argv: [sh, -c, 'echo change started; sleep 30']}",
			'  - id: after',
			'    title: After',
			'    kind: check',
			'    action: shell',
			"    params: {argv: ['true'], mutating: false}",
			'',
		].join('\n'),
	);
	return file;
}

describe('a runbook killed mid-mutation', () => {
	it('leaves a step-start with no result, which the reader reports as interrupted in flight', async () => {
		home = mkdtempSync(path.join(tmpdir(), 'botops-killed-'));
		const config = configWithSlowChange(path.join(home, 'config'));
		const state = path.join(home, 'state');
		// Its own process group, so the SIGKILL takes the `sleep 30` it started with it.
		const child = spawn(process.execPath, [cli, 'runbook', 'run', 'slow-change', '--config', config, '--yes'], {
			cwd: root,
			env: {...process.env, XDG_STATE_HOME: state, XDG_CONFIG_HOME: path.join(home, 'xdg')},
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		let stdout = '';
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const closed = new Promise<NodeJS.Signals | null>(resolve => child.on('close', (_code, signal) => resolve(signal)));
		// The step's own output: by then its step-start is on disk (it is written before the call starts).
		await new Promise<void>((resolve, reject) => {
			child.stdout.on('data', (chunk: Buffer) => {
				stdout += chunk.toString();
				// The output line, not the plan's call line that quotes it.
				if (/^ {4}change started$/m.test(stdout)) resolve();
			});
			child.on('close', () => reject(new Error(`botops exited before the step started:\n${stdout}\n${stderr}`)));
		});
		process.kill(-child.pid!, 'SIGKILL');
		expect(await closed).toBe('SIGKILL');

		const file = path.join(state, 'botops', 'audit.jsonl');
		const records = readFileSync(file, 'utf8').trimEnd().split('\n').map(line => JSON.parse(line) as AuditRecord);
		expect(records.map(r => `${r.type}${'step' in r ? ` ${r.step}` : ''}`)).toEqual(['run-start', 'step-start change']);
		expect(records[0]).toMatchObject({type: 'run-start', runbook: 'slow-change', pid: child.pid});
		expect(records[1]).toMatchObject({type: 'step-start', call: "sh -c 'echo change started; sleep 30'"});

		const [run] = createAuditLog({file}).readRecentRuns(1);
		expect(run).toMatchObject({runbook: 'slow-change', outcome: 'interrupted', inFlight: {step: 'change', title: 'Change something slowly'}, steps: []});
		expect(runNote(run!)).toBe("interrupted in flight: change (sh -c 'echo change started; sleep 30'); its effect is unknown");

		// And `botops runbook history` says so to the operator who logs back in.
		const history = await new Promise<{code: number | null; stdout: string; stderr: string}>((resolve, reject) => {
			const reader = spawn(process.execPath, [cli, 'runbook', 'history', '--config', config], {cwd: root, env: {...process.env, XDG_STATE_HOME: state}, stdio: ['ignore', 'pipe', 'pipe']});
			let out = '';
			let err = '';
			reader.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
			reader.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
			reader.on('error', reject);
			reader.on('close', code => resolve({code, stdout: out, stderr: err}));
		});
		expect(history).toMatchObject({code: 0, stderr: ''});
		expect(history.stdout).toMatch(/^TIME \(UTC\) +USER +ENV +RUNBOOK +OUTCOME +DURATION WHAT HAPPENED$/m);
		expect(history.stdout).toMatch(/ scratch +slow-change +interrupted +- interrupted in flight: change \(sh -c 'echo change started; sleep 30'\); its effect is unknown$/m);
	});
});
