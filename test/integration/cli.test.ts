// The built command line (`npm run build` first; `npm test` does it in pretest), spawned as a user runs it.
import {spawn} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {commands} from '../../source/cli/commands.js';
import {type FlagName, flagOption, flagSpecs} from '../../source/cli/flags.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'bin/botops.js');
if (!existsSync(join(root, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` before this test');

let home: string;
let environment: NodeJS.ProcessEnv;
beforeAll(() => {
	home = mkdtempSync(join(tmpdir(), 'botops-cli-'));
	// No user config, audit log or NO_COLOR of the machine running the tests.
	environment = {...process.env, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state')};
	delete environment.BOTOPS_CONFIG;
	delete environment.NO_COLOR;
});
afterAll(() => {
	rmSync(home, {recursive: true, force: true});
});

type Result = {code: number | null; stdout: string; stderr: string};

/** Runs `command` (argv, or a bash line when a string) to its exit; `closeStdout` closes the reading end at once. */
function run(command: readonly string[] | string, options: {closeStdout?: boolean} = {}): Promise<Result> {
	const child =
		typeof command === 'string'
			? spawn('bash', ['-c', command], {cwd: root, env: environment, stdio: ['ignore', 'pipe', 'pipe']})
			: spawn(process.execPath, [cli, ...command], {cwd: root, env: environment, stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	if (options.closeStdout) child.stdout.destroy();
	else child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	return new Promise((resolve, reject) => {
		child.on('error', reject);
		child.on('close', code => resolve({code, stdout, stderr}));
	});
}

const words = (name: string) => name.split(' ');

describe('botops COMMAND --help', () => {
	it('botops --help lists every command and the global flags', async () => {
		const result = await run(['--help']);
		expect(result.code).toBe(0);
		expect(result.stderr).toBe('');
		for (const command of commands) expect(result.stdout).toContain(`botops ${command.isDefault ? `[${command.name}]` : command.name}`);
		for (const flag of ['--env NAME', '--config FILE', '--refresh SECONDS', '--read-only', '--no-color', '--ascii', '--version', '-h, --help']) expect(result.stdout).toContain(flag);
	});

	it.each(commands.map(command => [command.name, command] as const))('botops %s --help prints its own usage and flags, and runs nothing', async (name, command) => {
		const result = await run([...words(name), '--help']);
		expect(result.code).toBe(0);
		expect(result.stderr).toBe('');
		expect(result.stdout).toMatch(new RegExp(`^ {4}botops (\\[${name}\\]|${name})${command.operand ? ` ${command.operand.name}` : ''} \\[flags\\]$`, 'm'));
		const listed = [...result.stdout.matchAll(/^ {4}(?:-\w, )?(--[a-z0-9-]+)/gm)].map(match => match[1]);
		expect(listed).toEqual([...command.flags, 'help' as const].map(flagOption));
		expect((await run(['help', ...words(name)])).stdout).toBe(result.stdout);
	});

	it('logs --help is the help, not the logs; status --help has no logs flags', async () => {
		const logs = await run(['logs', '--help']);
		expect(logs.stdout).toMatch(/^ {4}--grep RE +only lines matching the regular expression$/m);
		expect(logs.stdout).not.toMatch(/^\d{4}-\d\d-\d\dT/m); // no log record
		const status = await run(['status', '-h']);
		expect(status.stdout).toMatch(/^ {4}--json +one JSON document instead of the table$/m);
		expect(status.stdout).not.toContain('--grep');
	});

	it('botops runbook --help lists the runbook commands', async () => {
		const result = await run(['runbook', '--help']);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^ {4}runbook list {5}the runbooks and their keys$/m);
		expect(result.stdout).toContain('botops runbook run ID [flags]');
	});

	it('--version prints the package version', async () => {
		const {version} = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {version: string};
		expect(await run(['--version'])).toEqual({code: 0, stdout: `${version}\n`, stderr: ''});
	});
});

describe('bad usage exits 2 with what the command takes', () => {
	it('status --grep x names the flag and the flags status takes', async () => {
		expect(await run(['status', '--grep', 'x'])).toEqual({
			code: 2,
			stdout: '',
			stderr: 'botops status: unknown flag --grep; status takes --json, --env, --config, --scenario, --no-color, --help\n',
		});
	});

	it.each(commands.map(command => [command.name, command] as const))('botops %s refuses a flag it does not take, and one no command takes', async (name, command) => {
		const other = (Object.keys(flagSpecs) as FlagName[]).find(flag => !(command.flags as readonly FlagName[]).includes(flag) && flag !== 'help' && flag !== 'version')!;
		const takes = [...command.flags, 'help' as const].map(flagOption).join(', ');
		for (const flag of [flagOption(other), '--frobnicate']) {
			const result = await run([...words(name), flag]);
			expect(result.code).toBe(2);
			expect(result.stdout).toBe('');
			expect(result.stderr).toBe(`botops ${name}: unknown flag ${flag}; ${name} takes ${takes}\n`);
		}
	});

	it('an unknown command, a runbook without its command and a missing ID', async () => {
		expect(await run(['statsu'])).toEqual({code: 2, stdout: '', stderr: 'botops: unknown command "statsu"; commands: dashboard, demo, status, db, logs, runbook, alerts, silence (see botops --help)\n'});
		expect(await run(['runbook'])).toEqual({code: 2, stdout: '', stderr: 'botops runbook: expected a command: list, history, show ID, run ID (see botops runbook --help)\n'});
		expect(await run(['runbook', 'start', 'x'])).toMatchObject({code: 2, stderr: expect.stringContaining('unknown command "runbook start"') as string});
		expect(await run(['runbook', 'run'])).toEqual({code: 2, stdout: '', stderr: 'botops runbook run: needs ID, the runbook (see botops runbook list)\n'});
		expect(await run(['status', 'now'])).toEqual({code: 2, stdout: '', stderr: 'botops status: unexpected argument "now"; status takes no arguments\n'});
	});

	it('bad values: a missing value, a number that is not one, a scenario that does not exist, a repeated flag', async () => {
		expect((await run(['status', '--env'])).stderr).toBe('botops status: --env needs a value: --env NAME\n');
		expect((await run(['logs', '--tail', 'many'])).stderr).toBe('botops logs: --tail: expected a number, got "many"\n');
		expect((await run(['demo', '--refresh', '0.1'])).stderr).toBe('botops demo: --refresh: expected seconds between 0.5 and 300, got 0.1\n');
		expect((await run(['demo', '--scenario', 'meteor'])).stderr).toBe('botops demo: --scenario: unknown demo scenario "meteor"; known: healthy, engine-crashloop, ai-slow, mongo-down, bad-deploy, mongo-replication-lag\n');
		expect((await run(['status', '--env', 'a', '--env', 'b'])).stderr).toBe('botops status: --env is given twice\n');
		expect((await run(['status', '--json=yes'])).stderr).toBe('botops status: --json takes no value (got "yes")\n');
		expect((await run(['demo', '--serve', '--ascii'])).stderr).toBe('botops demo: --serve runs the demo without the dashboard; --ascii is for the dashboard\n');
		expect((await run(['logs', '--ascii'])).stderr).toBe('botops logs: --ascii is for the Logs screen (--tui)\n');
	});

	it('the dashboard without a terminal says what to use instead, before starting anything', async () => {
		expect(await run(['--env', 'demo'])).toEqual({code: 2, stdout: '', stderr: 'botops dashboard: the dashboard needs a terminal; for scripts use `botops status` or `botops logs`\n'});
	});
});

describe('a closed pipe ends every command quietly', () => {
	let logFile: string;
	beforeAll(() => {
		logFile = join(home, 'big.log');
		writeFileSync(logFile, Array.from({length: 50_000}, (_, i) => `2026-11-25T12:00:00.000Z ERROR order ${i} rejected by the exchange\n`).join(''));
	});

	it.each([
		[['status', '--env', 'demo']],
		[['status', '--env', 'demo', '--json']],
		[['--help']],
		[['runbook', 'list']],
		[['runbook', 'show', 'restart-service', '--env', 'demo', '--param', 'service=python-ai-service']],
	])('botops %j with its reader gone before the first line exits without a word on stderr', async args => {
		const result = await run(args, {closeStdout: true});
		// status exits 1 when the demo is not healthy yet; a crash on EPIPE also exits 1, but with a stack trace on stderr.
		expect([0, 1]).toContain(result.code);
		expect(result.stderr).toBe('');
	});

	it('botops logs --file, its reader gone, exits 0 without a word on stderr', async () => {
		expect(await run(['logs', '--file', logFile], {closeStdout: true})).toEqual({code: 0, stdout: '', stderr: ''});
	});

	it('botops status --env demo | head -1 prints one line and exits quietly, every time', async () => {
		for (let attempt = 0; attempt < 4; attempt++) {
			const result = await run(`node ${cli} status --env demo | head -1; echo "botops exited \${PIPESTATUS[0]}" >&2`);
			expect(result.stdout).toBe('Environment demo (compose)\n');
			expect(result.stderr).toMatch(/^botops exited [01]\n$/);
		}
	});

	it('usage errors on a closed stderr still exit 2', async () => {
		const result = await run(`node ${cli} status --grep x 2>&1 | head -c 0; echo "\${PIPESTATUS[0]}"`);
		expect(result).toEqual({code: 0, stdout: '2\n', stderr: ''});
	});
});

describe('output piped to a slow reader arrives whole', () => {
	let configFile: string;
	beforeAll(() => {
		// 1,500 user runbooks make `runbook list` write ~160 KiB in one go, more than a pipe holds.
		const configDir = join(home, 'many');
		mkdirSync(join(configDir, 'runbooks'), {recursive: true});
		configFile = join(configDir, 'config.yaml');
		writeFileSync(configFile, 'defaultEnvironment: demo\nenvironments: {}\n');
		for (let i = 0; i < 1500; i++) {
			const id = `site-check-${String(i).padStart(4, '0')}`;
			writeFileSync(
				join(configDir, 'runbooks', `${id}.yaml`),
				`id: ${id}\ntitle: Site check ${i} of the morning routine, written out long so that the list is wide\nsteps:\n  - id: verify\n    title: Verify\n    kind: check\n    action: verify\n    params:\n      services: all\n`,
			);
		}
	});

	it('runbook list through a pipe whose reader starts late has every line a file gets', async () => {
		const toFile = join(home, 'list.txt');
		const direct = await run(`node ${cli} runbook list --config ${configFile} > ${toFile}`);
		expect(direct).toEqual({code: 0, stdout: '', stderr: ''});
		const expected = readFileSync(toFile, 'utf8');
		expect(expected.split('\n').filter(line => line.includes('site-check-'))).toHaveLength(1500);
		// The reader sleeps first, so botops finishes writing long before the pipe is read: exiting then would cut it at 64 KiB.
		const piped = await run(`node ${cli} runbook list --config ${configFile} | { sleep 1; cat; }; echo "botops exited \${PIPESTATUS[0]}" >&2`);
		expect(piped.stderr).toBe('botops exited 0\n');
		expect(piped.stdout).toBe(expected);
	});

	it('status --json through a late reader is one whole JSON document', async () => {
		const piped = await run(`node ${cli} status --env demo --json | { sleep 1; cat; }`);
		const status = JSON.parse(piped.stdout) as {environment: string; services: Array<{name: string}>};
		expect(status.environment).toBe('demo');
		expect(status.services.map(service => service.name)).toContain('rust-core-engine');
	});
});
