// Secrets in log lines, through the built CLI (`npm run build` first; `npm test` does it in pretest): masked on every
// path by default — printed, --json, --file, --stdin, Docker streams, the Logs screen and its `s` export — and raw
// on each of them with --no-mask.
import {type ChildProcess, spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {SimContainer} from '../../source/demo/container.js';
import {type DemoDeployment, startDemo} from '../../source/demo/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'bin/botops.js');
if (!existsSync(join(root, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` before this test');

let demo: DemoDeployment;
let home: string;
let configFile: string;
let logFile: string;
let environment: NodeJS.ProcessEnv;
/** A known value (the admin token the config names) and a secret-shaped one, in one line with a marker to filter on. */
let line: string;
const shaped = 'password=hunter2-in-a-log';

beforeAll(async () => {
	// In this process: its Docker API serves the containers' logs over a unix socket to the spawned CLI.
	demo = await startDemo();
	line = `WARN auth-check sent token ${demo.adminToken} with ${shaped}`;
	const engine = demo.world.resolve('rust-core-engine') as SimContainer;
	engine.logs.push({time: Date.now(), nanos: 0, stream: 'stdout', text: line});
	home = mkdtempSync(join(tmpdir(), 'botops-mask-'));
	const {name: _name, ...demoEnvironment} = demo.environment;
	configFile = join(home, 'config.yaml');
	writeFileSync(configFile, JSON.stringify({defaultEnvironment: 'masked', environments: {masked: demoEnvironment}}));
	logFile = join(home, 'rust-core-engine.log');
	writeFileSync(logFile, `2026-11-25T12:00:00.000Z  INFO bot_core::engine: started\n2026-11-25T12:00:01.000Z ${line}\n`);
	// startDemo put the admin token in this process's environment, under the name the config gives: the CLI reads it there.
	environment = {...process.env, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state'), NO_COLOR: '1'};
	delete environment.BOTOPS_CONFIG;
}, 30_000);

afterAll(async () => {
	await demo?.stop();
	if (home) rmSync(home, {recursive: true, force: true});
});

type Result = {code: number | null; stdout: string; stderr: string};

function run(args: readonly string[], stdin?: string): Promise<Result> {
	const child = spawn(process.execPath, [cli, '--config', configFile, ...args], {cwd: home, env: environment, stdio: ['pipe', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	child.stdin.end(stdin ?? '');
	return new Promise((resolve, reject) => {
		child.on('error', reject);
		child.on('close', code => resolve({code, stdout, stderr}));
	});
}

/** The output line that carries the secret line, checked to be there at all (a missing line would pass "not masked"). */
function secretLine(output: string): string {
	const found = output.split('\n').find(text => text.includes('auth-check'));
	if (found === undefined) throw new Error(`no auth-check line in:\n${output}`);
	return found;
}

function expectMasked(text: string): void {
	expect(text).toContain('sent token *** with password=***');
	expect(text).not.toContain(demo.adminToken);
	expect(text).not.toContain('hunter2-in-a-log');
}

function expectRaw(text: string): void {
	expect(text).toContain(`sent token ${demo.adminToken} with ${shaped}`);
}

const printed: Array<[string, string[], boolean]> = [
	['Docker streams, plain', ['logs', '--service', 'rust-core-engine', '--grep', 'auth-check'], false],
	['Docker streams, --json', ['logs', '--service', 'rust-core-engine', '--grep', 'auth-check', '--json'], false],
	['--file', ['logs', '--file', '<file>'], false],
	['--file --json', ['logs', '--file', '<file>', '--json'], false],
	['--stdin', ['logs', '--stdin'], true],
	['--stdin --json', ['logs', '--stdin', '--json'], true],
];

describe('botops logs masks secrets in printed lines', () => {
	it.each(printed)('%s: masked by default, raw with --no-mask', async (_path, template, viaStdin) => {
		const args = template.map(arg => (arg === '<file>' ? logFile : arg));
		const input = viaStdin ? readFileSync(logFile, 'utf8') : undefined;
		const masked = await run(args, input);
		expect(masked.stderr).toBe('');
		expect(masked.code).toBe(0);
		const maskedLine = secretLine(masked.stdout);
		if (args.includes('--json')) expectMasked((JSON.parse(maskedLine) as {message: string}).message);
		else expectMasked(maskedLine);

		const raw = await run([...args, '--no-mask'], input);
		expect(raw.code).toBe(0);
		const rawLine = secretLine(raw.stdout);
		if (args.includes('--json')) expectRaw((JSON.parse(rawLine) as {message: string}).message);
		else expectRaw(rawLine);
	}, 30_000);

	it('--no-mask is refused where no log line is shown', async () => {
		const result = await run(['demo', '--serve', '--no-mask']);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('--no-mask');
	}, 30_000);
});

/** The Logs screen on a real pseudo-terminal (util-linux script), 200x40, everything it drew kept. */
function onPty(args: readonly string[], cwd: string): {child: ChildProcess; screen: () => string; exited: Promise<number | null>} {
	const quoted = [process.execPath, cli, '--config', configFile, ...args].map(arg => `'${arg.replaceAll("'", "'\\''")}'`).join(' ');
	const child = spawn('script', ['-qfec', `stty cols 200 rows 40; exec ${quoted}`, '/dev/null'], {cwd, env: {...environment, TERM: 'xterm-256color'}, stdio: ['pipe', 'pipe', 'pipe']});
	let output = '';
	child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
	const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
	// Cursor moves and colours sit between the words on screen; the text without them is what a reader sees.
	return {child, screen: () => output.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, ''), exited};
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 50));
	}
}

const screens: Array<[string, string[]]> = [
	['Docker streams', ['logs', '--tui', '--service', 'rust-core-engine', '--grep', 'auth-check']],
	['--file', ['logs', '--tui', '--file', '<file>']],
];

describe('the Logs screen masks secrets on screen and in the `s` export', () => {
	it.each(screens)('%s: masked by default, raw with --no-mask', async (_path, template) => {
		for (const noMask of [false, true]) {
			const cwd = mkdtempSync(join(home, 'export-'));
			const args = [...template.map(arg => (arg === '<file>' ? logFile : arg)), ...(noMask ? ['--no-mask'] : [])];
			const {child, screen, exited} = onPty(args, cwd);
			try {
				// The line is drawn whole once its end is on screen (a frame may be written in pieces).
				const drawn = await until('the auth-check line on screen', () => {
					const text = screen();
					const at = text.lastIndexOf('auth-check sent token');
					return at >= 0 && /hunter2-in-a-log|password=\*\*\*/.test(text.slice(at)) ? text.slice(at) : undefined;
				});
				if (noMask) expect(drawn).toContain(`${demo.adminToken} with ${shaped}`);
				else {
					expect(drawn).toContain('sent token *** with password=***');
					expect(screen()).not.toContain(demo.adminToken);
					expect(screen()).not.toContain('hunter2-in-a-log');
				}
				child.stdin!.write('s');
				// Written under a temporary name and renamed: once the .log is there, it is whole.
				const saved = await until('the exported file', () => readdirSync(cwd).find(name => name.endsWith('.log')));
				const text = readFileSync(join(cwd, saved), 'utf8');
				const exportedLine = secretLine(text);
				if (noMask) expectRaw(exportedLine);
				else expectMasked(text);
				child.stdin!.write('q');
				expect(await exited).toBe(0);
			} finally {
				if (child.exitCode === null) child.kill('SIGKILL');
			}
		}
	}, 60_000);
});
