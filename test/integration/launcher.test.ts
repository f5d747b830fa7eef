// bin/botops, the package's bin: a shell script that exec's node with V8 flags. Spawned for real (npm test builds
// dist/ first): the flags reach node, node replaces the script (one process, so signals reach botops and its exit
// code is the caller's), and npm's symlink to it works.
import {execFile, spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {createInterface} from 'node:readline';
import {promisify} from 'node:util';
import {afterAll, describe, expect, it} from 'vitest';
import packageJson from '../../package.json' with {type: 'json'};

const root = path.resolve(import.meta.dirname, '../..');
const launcher = path.join(root, 'bin/botops');
const run = promisify(execFile);
const home = mkdtempSync(path.join(tmpdir(), 'botops-launcher-test-'));
const env = {...process.env, XDG_STATE_HOME: home, XDG_CONFIG_HOME: home, TMPDIR: home, NO_COLOR: '1'};

afterAll(() => rmSync(home, {recursive: true, force: true}));

/** Runs the launcher to its end: exit code and output. */
function botops(file: string, args: string[]) {
	return run(file, args, {cwd: home, env}).then(
		({stdout, stderr}) => ({code: 0, stdout, stderr}),
		(error: {code: number; stdout: string; stderr: string}) => ({code: error.code, stdout: error.stdout, stderr: error.stderr}),
	);
}

describe('bin/botops', () => {
	it('is the package bin and npm start', () => {
		expect(packageJson.bin.botops).toBe('bin/botops');
		expect(packageJson.scripts.start).toBe('sh bin/botops demo');
	});

	it('runs the CLI from any directory, and through a chain of symlinks as npm links it', async () => {
		expect(await botops(launcher, ['--version'])).toEqual({code: 0, stdout: `${packageJson.version}\n`, stderr: ''});
		const bin = path.join(home, 'node_modules/.bin');
		await run('mkdir', ['-p', bin]);
		// Each link relative to its own directory, as npm writes them.
		symlinkSync(path.relative(home, launcher), path.join(home, 'botops-link'));
		symlinkSync(path.relative(bin, path.join(home, 'botops-link')), path.join(bin, 'botops'));
		expect(await botops(path.join(bin, 'botops'), ['--version'])).toEqual({code: 0, stdout: `${packageJson.version}\n`, stderr: ''});
	});

	it("passes the CLI's exit code and its arguments through", async () => {
		const result = await botops(launcher, ['no-such-command', 'with spaces']);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/no-such-command/);
	});

	for (const [signal, code] of [
		['SIGTERM', 143],
		['SIGINT', 130],
	] as const) {
		it(`becomes node itself, with its flags, so ${signal} reaches botops (exit ${code})`, async () => {
			const child = spawn(launcher, ['demo', '--serve'], {cwd: home, env, stdio: ['ignore', 'pipe', 'pipe']});
			let stderr = '';
			child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
			const exited = new Promise<number | null>(resolve => child.once('exit', resolve));
			await new Promise<void>((resolve, reject) => {
				createInterface({input: child.stdout}).once('line', () => resolve());
				void exited.then(status => reject(new Error(`demo --serve exited ${status}: ${stderr}`)));
			});
			// The spawned process is node running the bundle, not a shell waiting for it.
			const argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
			expect(path.basename(argv[0])).toMatch(/^node/);
			expect(argv.slice(1)).toEqual(['--max-semi-space-size=1', path.join(root, 'bin/botops.js'), 'demo', '--serve']);
			child.kill(signal);
			expect(await exited).toBe(code);
			expect(stderr).toContain(`${signal}: stopping the demo`);
		}, 30_000);
	}
});
