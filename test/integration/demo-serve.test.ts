// `botops demo --serve` as another process sees it: the built CLI (npm test builds dist/ first), spawned for real.
import {spawn, execFile, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {createInterface} from 'node:readline';
import {promisify} from 'node:util';
import {parse} from 'yaml';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'bin/botops.js');
const run = promisify(execFile);

type Served = {config: string; envFile: string; dockerSocket: string; http: Record<string, string>};

/** The environment of a separate shell: its own XDG dirs, and none of the demo's secrets. */
function clientEnv(home: string): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {...process.env, XDG_STATE_HOME: path.join(home, 'state'), XDG_CONFIG_HOME: path.join(home, 'config'), NO_COLOR: '1'};
	for (const name of Object.keys(env)) if (name.startsWith('BOTOPS_')) delete env[name];
	return env;
}

/** Spawns the server and resolves with its first stdout line, parsed; rejects if it exits first. */
function serve(args: string[], env: NodeJS.ProcessEnv): {child: ChildProcess; served: Promise<Served>; exited: Promise<{code: number | null; stderr: string}>} {
	const child = spawn(process.execPath, [cli, 'demo', '--serve', ...args], {cwd: root, env, stdio: ['ignore', 'pipe', 'pipe']});
	let stderr = '';
	child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
	const exited = new Promise<{code: number | null; stderr: string}>(resolve => child.once('exit', code => resolve({code, stderr})));
	const served = new Promise<Served>((resolve, reject) => {
		const lines = createInterface({input: child.stdout!});
		lines.once('line', line => resolve(JSON.parse(line) as Served));
		void exited.then(({code}) => reject(new Error(`demo --serve exited ${code} before its JSON line: ${stderr}`)));
	});
	return {child, served, exited};
}

function botops(args: string[], env: NodeJS.ProcessEnv): Promise<{code: number; stdout: string; stderr: string}> {
	return run(process.execPath, [cli, ...args], {cwd: root, env}).then(
		({stdout, stderr}) => ({code: 0, stdout, stderr}),
		(error: {code: number; stdout: string; stderr: string}) => ({code: error.code, stdout: error.stdout, stderr: error.stderr}),
	);
}

describe('botops demo --serve', () => {
	let home: string;
	let server: ReturnType<typeof serve>;
	let served: Served;

	beforeAll(async () => {
		home = mkdtempSync(path.join(tmpdir(), 'botops-serve-test-'));
		server = serve([], clientEnv(home));
		served = await server.served;
	});

	afterAll(() => {
		if (server.child.exitCode === null) server.child.kill('SIGKILL');
		rmSync(home, {recursive: true, force: true});
	});

	it('prints one JSON line: the config, the .env, the Docker socket and each service base URL', () => {
		expect(Object.keys(served)).toEqual(['config', 'envFile', 'dockerSocket', 'http', 'prometheusUrl', 'alertmanagerUrls', 'mongodbUri']);
		for (const file of [served.config, served.envFile, served.dockerSocket]) expect(existsSync(file), file).toBe(true);
		expect(Object.keys(served.http)).toEqual(['rust-core-engine', 'python-ai-service', 'nextjs-ui-dashboard']);
		for (const url of Object.values(served.http)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		const config = parse(readFileSync(served.config, 'utf8')) as {defaultEnvironment: string; environments: Record<string, {backend: {socketPath: string}}>};
		expect(config.defaultEnvironment).toBe('demo');
		expect(config.environments.demo.backend.socketPath).toBe(served.dockerSocket);
		// Secrets are named in the config and kept in the .env, never written into the config.
		const secrets = readFileSync(served.envFile, 'utf8').match(/^BOTOPS_DEMO_ADMIN_TOKEN=(.+)$/m)?.[1];
		expect(secrets).toBeTruthy();
		expect(readFileSync(served.config, 'utf8')).not.toContain(secrets);
	});

	it('names the Prometheus and the Alertmanager pair, and its config points at them', async () => {
		const line = served as unknown as {prometheusUrl: string; alertmanagerUrls: string[]};
		const config = parse(readFileSync(served.config, 'utf8')) as {environments: Record<string, {prometheusUrl: string; alertmanagerUrls: string[]}>};
		expect(config.environments.demo).toMatchObject({prometheusUrl: line.prometheusUrl, alertmanagerUrls: line.alertmanagerUrls});
		expect(line.alertmanagerUrls).toHaveLength(2);
		const rules = (await (await fetch(`${line.prometheusUrl}/api/v1/rules`)).json()) as {status: string};
		expect(rules.status).toBe('success');
		for (const url of line.alertmanagerUrls) expect(Array.isArray(await (await fetch(`${url}/api/v2/alerts`)).json())).toBe(true);
	});

	it('answers botops --config PATH status --json from another process', async () => {
		const {code, stdout} = await botops(['--config', served.config, 'status', '--json'], clientEnv(home));
		expect(code).toBe(0);
		const status = JSON.parse(stdout) as {environment: string; ok: boolean; services: Array<{name: string; ok: boolean; container: {state: string}; health?: {url: string; status: number}}>};
		expect(status).toMatchObject({environment: 'demo', ok: true});
		expect(status.services.map(s => [s.name, s.ok, s.container.state])).toEqual([
			['rust-core-engine', true, 'running'],
			['python-ai-service', true, 'running'],
			['nextjs-ui-dashboard', true, 'running'],
			['mongodb-primary', true, 'running'],
		]);
		expect(status.services[0].health).toMatchObject({url: `${served.http['rust-core-engine']}/api/health`, status: 200});
	});

	it('serves logs to another process', async () => {
		const {code, stdout} = await botops(['--config', served.config, 'logs', '--service', 'mongodb-primary', '--tail', '3'], clientEnv(home));
		expect(code).toBe(0);
		expect(stdout.trim().split('\n')).toHaveLength(3);
		expect(stdout).toMatch(/"t":{"\$date":/);
	});

	it('runs a runbook from another process with the token from the .env, audited in the demo state directory', async () => {
		const env = clientEnv(home);
		const {code, stdout, stderr} = await botops(['--config', served.config, 'runbook', 'run', 'disable-trading', '--yes'], env);
		expect({code, stderr}).toEqual({code: 0, stderr: ''});
		expect(stdout).toContain('disable-trading on demo: OK');
		const engine = (await (await fetch(`${served.http['rust-core-engine']}/api/health`)).json()) as {trading_enabled: boolean};
		expect(engine.trading_enabled).toBe(false);

		const stateDir = (parse(readFileSync(served.config, 'utf8')) as {environments: {demo: {stateDir: string}}}).environments.demo.stateDir;
		expect(path.dirname(stateDir)).toBe(path.dirname(served.config));
		const records = readFileSync(path.join(stateDir, 'audit.jsonl'), 'utf8').trim().split('\n').map(line => JSON.parse(line) as {type: string; runbook?: string});
		expect(records.find(r => r.type === 'run-start')).toMatchObject({runbook: 'disable-trading'});
		expect(existsSync(path.join(env.XDG_STATE_HOME!, 'botops', 'audit.jsonl'))).toBe(false);
	});

	it('stops on SIGTERM: exit 143 (128 + SIGTERM), socket and directory removed', async () => {
		server.child.kill('SIGTERM');
		const {code} = await server.exited;
		expect(code).toBe(143);
		expect(existsSync(served.dockerSocket)).toBe(false);
		expect(existsSync(path.dirname(served.config))).toBe(false);
	});
});

describe('botops demo --serve with a scenario', () => {
	it('serves the mongo-down drill: status from another process exits 1 with mongodb-primary down; SIGINT stops it', async () => {
		const home = mkdtempSync(path.join(tmpdir(), 'botops-serve-test-'));
		const server = serve(['--scenario', 'mongo-down'], clientEnv(home));
		try {
			const served = await server.served;
			const {code, stdout} = await botops(['--config', served.config, 'status', '--json'], clientEnv(home));
			expect(code).toBe(1);
			const status = JSON.parse(stdout) as {services: Array<{name: string; ok: boolean; container: {state: string}}>};
			expect(status.services.find(s => s.name === 'mongodb-primary')).toMatchObject({ok: false, container: {state: 'exited'}});
			server.child.kill('SIGINT');
			expect((await server.exited).code).toBe(130);
			expect(existsSync(served.dockerSocket)).toBe(false);
		} finally {
			if (server.child.exitCode === null) server.child.kill('SIGKILL');
			rmSync(home, {recursive: true, force: true});
		}
	});

	it('ends quietly with exit 0 when its reader closes the pipe before the JSON line', async () => {
		const home = mkdtempSync(path.join(tmpdir(), 'botops-serve-test-'));
		try {
			const child = spawn(process.execPath, [cli, 'demo', '--serve'], {cwd: root, env: clientEnv(home), stdio: ['ignore', 'pipe', 'pipe']});
			child.stdout!.destroy();
			let stderr = '';
			child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
			const code = await new Promise<number | null>(resolve => child.once('exit', resolve));
			expect({code, stderr}).toEqual({code: 0, stderr: 'botops: stdout closed: stopping the demo\n'});
		} finally {
			rmSync(home, {recursive: true, force: true});
		}
	});

	it('refuses an unknown scenario with exit 2 and the known ones, before printing anything', async () => {
		const home = mkdtempSync(path.join(tmpdir(), 'botops-serve-test-'));
		try {
			const {code, stdout, stderr} = await botops(['demo', '--serve', '--scenario', 'meteor'], clientEnv(home));
			expect({code, stdout}).toEqual({code: 2, stdout: ''});
			expect(stderr).toBe('botops demo: --scenario: unknown demo scenario "meteor"; known: healthy, engine-crashloop, ai-slow, mongo-down, bad-deploy, mongo-replication-lag\n');
		} finally {
			rmSync(home, {recursive: true, force: true});
		}
	});
});
