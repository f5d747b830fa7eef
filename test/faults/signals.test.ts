// Fault matrix, signals: SIGHUP, SIGTERM and SIGINT to every long-running command of the built CLI (npm test builds
// dist/ first). Each must wind down the way q does and exit with 128 + the signal: a runbook under way aborted after
// its step with its run-end in the audit log, the demo's directory (its .env of secrets, its socket) removed, the
// terminal restored. Every wait is for something the process or the screen shows, never a fixed time.
import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parse} from 'yaml';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {AuditRecord} from '../../source/services/audit.js';
import {startTmux, tmuxAvailable} from '../helpers/tmux.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = path.join(root, 'bin/botops.js');
const required = process.env.CI === 'true';
const available = tmuxAvailable();
if (!available && required) throw new Error('tmux is required in CI (.ci/run installs it)');

const signals = [
	['SIGHUP', 129],
	['SIGTERM', 143],
	['SIGINT', 130],
] as const;

type Served = {config: string; envFile: string; dockerSocket: string; http: Record<string, string>};

const homes: string[] = [];
function privateHome(): string {
	const home = mkdtempSync(path.join(tmpdir(), 'botops-faults-signals-'));
	homes.push(home);
	return home;
}
afterAll(() => {
	for (const home of homes) rmSync(home, {recursive: true, force: true});
});

/** Its own TMPDIR (the demo's directory lands there), XDG dirs, and none of this process's botops variables. */
function envFor(home: string): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {...process.env, TMPDIR: home, XDG_STATE_HOME: path.join(home, 'state'), XDG_CONFIG_HOME: path.join(home, 'config'), NO_COLOR: '1'};
	for (const name of Object.keys(env)) if (name.startsWith('BOTOPS_')) delete env[name];
	return env;
}

const demoDirectories = (home: string) => readdirSync(home).filter(name => name.startsWith('botops-demo-'));

/** The built CLI as a child; `output` resolves once stdout or stderr has shown `pattern`. */
function spawnBotops(args: string[], env: NodeJS.ProcessEnv) {
	const child = spawn(process.execPath, [cli, ...args], {cwd: root, env, stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	const waiters: Array<() => void> = [];
	const notify = () => waiters.splice(0).forEach(waiter => waiter());
	child.stdout!.on('data', (chunk: Buffer) => {
		stdout += chunk.toString('utf8');
		notify();
	});
	child.stderr!.on('data', (chunk: Buffer) => {
		stderr += chunk.toString('utf8');
		notify();
	});
	const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
	return {
		child,
		exited,
		get stdout() {
			return stdout;
		},
		get stderr() {
			return stderr;
		},
		shown(pattern: RegExp): Promise<void> {
			return new Promise((resolve, reject) => {
				const check = () => {
					if (pattern.test(stdout) || pattern.test(stderr)) resolve();
					else if (child.exitCode !== null) reject(new Error(`exited ${child.exitCode} before showing ${String(pattern)}:\n${stdout}\n${stderr}`));
					else waiters.push(check);
				};
				void exited.then(() => setImmediate(check));
				check();
			});
		},
	};
}

/** `botops demo --serve`: the deployment whose state directory (and audit log) outlives the clients signalled here. */
async function startServer(home: string): Promise<{process: ReturnType<typeof spawnBotops>; served: Served; auditFile: string}> {
	const server = spawnBotops(['demo', '--serve'], envFor(home));
	await server.shown(/^\{.*\}\n/);
	const served = JSON.parse(server.stdout.split('\n')[0]!) as Served;
	const stateDir = (parse(readFileSync(served.config, 'utf8')) as {environments: {demo: {stateDir: string}}}).environments.demo.stateDir;
	return {process: server, served, auditFile: path.join(stateDir, 'audit.jsonl')};
}

function auditRecords(file: string): AuditRecord[] {
	if (!existsSync(file)) return [];
	return readFileSync(file, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map(line => JSON.parse(line) as AuditRecord);
}

const killIfRunning = (child: ChildProcess) => {
	if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
};

describe('botops demo --serve on each signal', () => {
	for (const [signal, code] of signals) {
		it(`${signal}: exit ${code}, its directory with the .env and the socket removed`, async () => {
			const home = privateHome();
			const {process: server, served} = await startServer(home);
			try {
				expect(existsSync(served.envFile)).toBe(true);
				server.child.kill(signal);
				expect(await server.exited).toBe(code);
				expect(server.stderr).toContain(`botops: ${signal}: stopping the demo`);
				expect(existsSync(served.dockerSocket)).toBe(false);
				expect(demoDirectories(home)).toEqual([]);
			} finally {
				killIfRunning(server.child);
			}
		});
	}
});

describe('clients of a served demo on each signal', () => {
	let home: string;
	let server: Awaited<ReturnType<typeof startServer>>;
	beforeAll(async () => {
		home = privateHome();
		server = await startServer(home);
	});
	afterAll(() => killIfRunning(server.process.child));

	for (const [signal, code] of signals) {
		it(`botops runbook run, ${signal} during the drain wait: aborted after the step, run-end written, exit ${code}`, async () => {
			const before = auditRecords(server.auditFile).length;
			const run = spawnBotops(['--config', server.served.config, 'runbook', 'run', 'maintenance-mode', '--yes', '--param', 'drainSeconds=600'], envFor(privateHome()));
			try {
				await run.shown(/→ step 1\/7 drain:/);
				run.child.kill(signal);
				expect(await run.exited).toBe(code);
				expect(run.stderr).toContain('botops: aborting after the current step…');
				expect(run.stdout).toContain('maintenance-mode on demo: ABORTED');
				const records = auditRecords(server.auditFile).slice(before);
				expect(records.map(record => record.type)).toEqual(['run-start', 'step', 'run-end']);
				expect(records.at(-1)).toMatchObject({type: 'run-end', runbook: 'maintenance-mode', outcome: 'aborted', notRun: expect.arrayContaining(['stop', 'start'])});
			} finally {
				killIfRunning(run.child);
			}
		});

		it(`botops logs --follow, ${signal}: streams closed, whole lines only, exit ${code}`, async () => {
			const follow = spawnBotops(['--config', server.served.config, 'logs', '--follow', '--tail', '5'], envFor(privateHome()));
			try {
				await follow.shown(/rust-core-engine .*\n/);
				follow.child.kill(signal);
				expect(await follow.exited).toBe(code);
				expect(follow.stdout.endsWith('\n')).toBe(true);
				expect(follow.stderr).toBe('');
			} finally {
				killIfRunning(follow.child);
			}
		});
	}
});

describe.skipIf(!available)('the dashboard on each signal, in tmux', () => {
	let session: ReturnType<typeof startTmux> | undefined;
	afterEach(() => {
		session?.kill();
		session = undefined;
	});

	/** The shell reports botops' status on the normal screen (seeing it proves the alternate screen was left). */
	function startDashboard(args: string, home: string) {
		const env = `TMPDIR=${home} XDG_STATE_HOME=${home}/state XDG_CONFIG_HOME=${home}/config`;
		session = startTmux(`echo "starting botops"; ${env} node bin/botops.js ${args}; echo "botops exited $?"; sleep 60`, {columns: 100, rows: 30, cwd: root});
		return session;
	}

	/** The botops process: the pane's shell's one child. */
	function botopsPid(tmux: NonNullable<typeof session>): number {
		const shell = tmux.panePid();
		return Number(readFileSync(`/proc/${shell}/task/${shell}/children`, 'utf8').trim().split(/\s+/)[0]);
	}

	function expectRestored(after: string, tmux: NonNullable<typeof session>) {
		expect(after).toContain('starting botops');
		expect(after).not.toContain('Containers by CPU');
		expect(tmux.paneFormat('#{alternate_on} #{cursor_flag}')).toBe('0 1');
	}

	for (const [signal, code] of signals) {
		it(`botops demo, ${signal}: exit ${code}, the demo's directory removed, the terminal restored`, async () => {
			const home = privateHome();
			const tmux = startDashboard('demo', home);
			await tmux.waitFor(/rust-core-engine\s+up\s+200 OK/);
			expect(demoDirectories(home)).toHaveLength(1);
			process.kill(botopsPid(tmux), signal);
			const after = await tmux.waitFor(/botops exited \d+/);
			expect(after).toContain(`botops exited ${code}`);
			expectRestored(after, tmux);
			expect(demoDirectories(home)).toEqual([]);
		});

		it(`botops logs --tui, ${signal}: exit ${code}, the demo's directory removed, the terminal restored`, async () => {
			const home = privateHome();
			const tmux = startDashboard('logs --tui --env demo', home);
			await tmux.waitFor(/Logs/);
			await tmux.waitFor(/rust-core-engine/);
			process.kill(botopsPid(tmux), signal);
			const after = await tmux.waitFor(/botops exited \d+/);
			expect(after).toContain(`botops exited ${code}`);
			expectRestored(after, tmux);
			expect(demoDirectories(home)).toEqual([]);
		});
	}

	describe('a runbook under way in the dashboard', () => {
		let home: string;
		let server: Awaited<ReturnType<typeof startServer>>;
		beforeAll(async () => {
			home = privateHome();
			server = await startServer(home);
		});
		afterAll(() => killIfRunning(server.process.child));

		/** r, M (maintenance-mode), enter on its input form, y on its plan: the run stands in its drain wait. */
		async function startMaintenance(tmux: NonNullable<typeof session>) {
			await tmux.waitFor(/rust-core-engine\s+up\s+200 OK/);
			tmux.send('r');
			await tmux.waitFor(/M\s+maintenance-mode/);
			tmux.send('M');
			await tmux.waitFor('Runbook maintenance-mode: inputs');
			tmux.send('Enter');
			await tmux.waitFor('Run Maintenance mode on demo?');
			tmux.send('y');
			await tmux.waitFor(/Running: Maintenance mode[\s\S]*\[\.\.\]\s+drain/);
		}

		for (const [signal, code] of signals) {
			it(`${signal}: the run is aborted after its step with its run-end, then exit ${code} and the terminal restored`, async () => {
				const before = auditRecords(server.auditFile).length;
				const tmux = startDashboard(`--config ${server.served.config}`, privateHome());
				await startMaintenance(tmux);
				process.kill(botopsPid(tmux), signal);
				const after = await tmux.waitFor(/botops exited \d+/);
				expect(after).toContain(`botops exited ${code}`);
				expectRestored(after, tmux);
				const records = auditRecords(server.auditFile).slice(before);
				expect(records.map(record => record.type)).toEqual(['run-start', 'step', 'run-end']);
				expect(records.at(-1)).toMatchObject({type: 'run-end', runbook: 'maintenance-mode', outcome: 'aborted'});
			});
		}

		it('the terminal hangs up (its pty closed, as an SSH drop does): the run still writes its run-end, and botops exits 129', async () => {
			const before = auditRecords(server.auditFile).length;
			const clientHome = privateHome();
			const exitFile = path.join(clientHome, 'exit-status');
			// The shell outlives the hang-up (a trap) only to write botops' status where the test can read it.
			const env = `XDG_STATE_HOME=${clientHome}/state XDG_CONFIG_HOME=${clientHome}/config`;
			session = startTmux(`trap 'echo hup >/dev/null' HUP; ${env} node bin/botops.js --config ${server.served.config}; echo $? > ${exitFile}`, {columns: 100, rows: 30, cwd: root});
			const tmux = session;
			await startMaintenance(tmux);
			tmux.kill();
			session = undefined;
			await waitUntil(() => existsSync(exitFile) && readFileSync(exitFile, 'utf8').trim() !== '');
			expect(readFileSync(exitFile, 'utf8').trim()).toBe('129');
			const records = auditRecords(server.auditFile).slice(before);
			expect(records.at(-1)).toMatchObject({type: 'run-end', runbook: 'maintenance-mode', outcome: 'aborted'});
		});
	});
});

/** Polls a condition the test cannot be told about (a file another process writes). */
async function waitUntil(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('timed out waiting for the condition');
		await new Promise(resolve => setTimeout(resolve, 100));
	}
}
