// `botops check` through the built CLI (npm test builds dist/ first) against `botops demo --serve` in another process:
// the JSON schema and exit codes in the healthy and mongo-down scenarios, the Prometheus output through promtool,
// the JUnit output through an XML parser, pending deployments from a real git checkout.
import {execFile, execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {createInterface} from 'node:readline';
import {promisify} from 'node:util';
import {parse, stringify} from 'yaml';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {CheckJson} from '../../source/checks/format.js';
import {alertJournalPath, createAlertJournal} from '../../source/services/alert-journal.js';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'bin/botops.js');
const run = promisify(execFile);

type Served = {config: string};

function clientEnv(home: string): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {...process.env, XDG_STATE_HOME: path.join(home, 'state'), XDG_CONFIG_HOME: path.join(home, 'config'), NO_COLOR: '1'};
	for (const name of Object.keys(env)) if (name.startsWith('BOTOPS_')) delete env[name];
	return env;
}

function serve(args: string[], env: NodeJS.ProcessEnv): {child: ChildProcess; served: Promise<Served>} {
	const child = spawn(process.execPath, [cli, 'demo', '--serve', ...args], {cwd: root, env, stdio: ['ignore', 'pipe', 'pipe']});
	let stderr = '';
	child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
	const served = new Promise<Served>((resolve, reject) => {
		createInterface({input: child.stdout!}).once('line', line => resolve(JSON.parse(line) as Served));
		child.once('exit', code => reject(new Error(`demo --serve exited ${code}: ${stderr}`)));
	});
	return {child, served};
}

function botops(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<{code: number; stdout: string; stderr: string}> {
	const child = run(process.execPath, [cli, ...args], {cwd: root, env});
	if (input !== undefined) child.child.stdin!.end(input);
	return child.then(
		({stdout, stderr}) => ({code: 0, stdout, stderr}),
		(error: {code: number; stdout: string; stderr: string}) => ({code: error.code, stdout: error.stdout, stderr: error.stderr}),
	);
}

function tool(command: string, args: string[], input: string): {code: number; output: string} {
	try {
		return {code: 0, output: execFileSync(command, args, {input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe']})};
	} catch (error) {
		const failed = error as {status: number; stdout: string; stderr: string};
		return {code: failed.status, output: `${failed.stdout}${failed.stderr}`};
	}
}

/** The documented JSON shape, field by field. */
function expectSchema(answer: CheckJson): void {
	expect(Object.keys(answer)).toEqual(['schema', 'environment', 'routine', 'at', 'durationMs', 'status', 'exitCode', 'counts', 'checks']);
	expect(answer.schema).toBe('botops.check/v1');
	expect(Number.isNaN(Date.parse(answer.at))).toBe(false);
	expect(answer.durationMs).toBeGreaterThanOrEqual(0);
	expect(Object.keys(answer.counts)).toEqual(['pass', 'warn', 'fail', 'unknown', 'leftOut']);
	for (const check of answer.checks) {
		expect(check.id).toMatch(/^[a-z0-9-]+$/);
		expect(typeof check.title).toBe('string');
		expect(['pass', 'warn', 'fail', 'unknown', 'left-out']).toContain(check.status);
		expect(check.reason.length).toBeGreaterThan(0);
		expect(check.reason).not.toContain('\n');
		if (check.status === 'left-out') expect(check.durationMs).toBeUndefined();
		else expect(typeof check.durationMs).toBe('number');
		if (check.value !== undefined) expect(Number.isFinite(check.value)).toBe(true);
	}
	const counted = answer.checks.reduce<Record<string, number>>((c, check) => ({...c, [check.status]: (c[check.status] ?? 0) + 1}), {});
	expect(answer.counts).toEqual({pass: counted['pass'] ?? 0, warn: counted['warn'] ?? 0, fail: counted['fail'] ?? 0, unknown: counted['unknown'] ?? 0, leftOut: counted['left-out'] ?? 0});
}

const byId = (answer: CheckJson) => new Map(answer.checks.map(check => [check.id, check]));

/** What each scenario must make of the checks that its fault touches. */
const scenarioVerdicts: Record<string, Record<string, {status: string; reason?: unknown}>> = {
	// Health answers within the demo's latencies, but a loaded machine can make a probe slow (a warning, never a fail).
	healthy: {'services-up': {status: 'pass'}, 'prom-targets': {status: 'pass'}, health: {status: expect.stringMatching(/^(pass|warn)$/)}},
	'mongo-down': {
		'services-up': {status: 'fail', reason: 'down: mongodb-primary exited'},
		'prom-targets': {status: 'fail'},
		health: {status: 'fail', reason: expect.stringContaining('rust-core-engine')},
	},
	'ai-slow': {'services-up': {status: 'pass'}, 'api-p95': {status: 'fail', reason: expect.stringMatching(/^python-ai-service [\d.]+ s over the 500 ms target$/)}},
	// The engine answers 503 between its crashes, and its panics are error lines in its log.
	'engine-crashloop': {health: {status: 'fail', reason: expect.stringContaining('rust-core-engine HTTP 503')}, 'log-errors': {status: expect.stringMatching(/^(warn|fail)$/), reason: expect.stringContaining('rust-core-engine')}},
	// The replica set's lag, corrected for heartbeat age, is over the 1 s bound; the engine's writes wait on it.
	'mongo-replication-lag': {'replication-lag': {status: 'fail', reason: expect.stringMatching(/^replication lag [\d.]+ s on \S+ \(limit 1 s\)$/)}, 'mongo-pool': {status: 'pass'}, 'api-p95': {status: 'fail'}},
	// The filling data volume slows the engine's database calls past the p95 target.
	'disk-pressure': {'api-p95': {status: 'fail', reason: expect.stringContaining('rust-core-engine')}, 'replication-lag': {status: 'pass'}},
};

describe.each([
	{scenario: 'healthy', exitCode: 0, morningExitCode: 0},
	{scenario: 'mongo-down', exitCode: 1, morningExitCode: 1},
	// A slow AI service fails the midday checks (p95, health); the morning ones pass.
	{scenario: 'ai-slow', exitCode: 1, morningExitCode: 0},
	// The panics are counted as errors: a warning or, past checks.logErrorsFail, a fail of the morning routine.
	{scenario: 'engine-crashloop', exitCode: 1, morningExitCode: [0, 1]},
	{scenario: 'mongo-replication-lag', exitCode: 1, morningExitCode: 0},
	{scenario: 'disk-pressure', exitCode: 1, morningExitCode: 0},
])('botops check against demo --serve ($scenario)', ({scenario, exitCode, morningExitCode}) => {
	let home: string;
	let server: ReturnType<typeof serve>;
	let served: Served;
	let env: NodeJS.ProcessEnv;

	beforeAll(async () => {
		home = mkdtempSync(path.join(tmpdir(), 'botops-check-test-'));
		env = clientEnv(home);
		server = serve(scenario === 'healthy' ? [] : ['--scenario', scenario], env);
		served = await server.served;
	});

	afterAll(() => {
		if (server.child.exitCode === null) server.child.kill('SIGKILL');
		rmSync(home, {recursive: true, force: true});
	});

	it(`--format json follows the schema and exits ${exitCode}`, async () => {
		const {code, stdout, stderr} = await botops(['check', 'all', '--format', 'json', '--config', served.config], env);
		const answer = JSON.parse(stdout) as CheckJson;
		expectSchema(answer);
		expect(answer).toMatchObject({environment: 'demo', routine: 'all', exitCode});
		expect(code, stderr).toBe(exitCode);
		const checks = byId(answer);
		for (const id of ['k8s-deployments', 'pending-deploys']) expect(checks.get(id)?.status, id).toBe('left-out');
		// The demo has MongoDB (its wire server) and a backup listing: the Database checks run.
		for (const id of ['backup-age', 'trading', 'mongo-pool', 'replication-lag']) expect(checks.get(id)?.status, id).not.toBe('left-out');
		if (scenario === 'healthy') for (const id of ['backup-age', 'trading', 'mongo-pool', 'replication-lag']) expect(checks.get(id)?.status, `${id}: ${checks.get(id)?.reason}`).toBe('pass');
		if (scenario === 'healthy') expect(answer.counts.fail + answer.counts.unknown).toBe(0);
		for (const [id, verdict] of Object.entries(scenarioVerdicts[scenario]!)) expect(checks.get(id), id).toMatchObject(verdict);
	});

	it('the table fits 80 columns, names what was left out and why, and a routine runs only its checks', async () => {
		const {code, stdout} = await botops(['check', 'morning', '--ascii', '--config', served.config], env);
		expect([morningExitCode].flat(), stdout).toContain(code);
		const lines = stdout.trimEnd().split('\n');
		for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
		expect(stdout).toMatch(/^[\x20-\x7e\n]*$/);
		expect(stdout).toContain('left out: k8s-deployments - not a Kubernetes environment');
		expect(stdout).toMatch(/backup-age/);
		expect(stdout).toMatch(/services-up/);
		expect(stdout).not.toMatch(/api-p95|prom-targets/);
		expect(lines.at(-1)).toMatch(/^morning on demo: \d+ pass, \d+ warn, \d+ fail, \d+ unknown, \d+ left out/);
	});

	it('--format prom passes promtool check metrics', async () => {
		const {stdout} = await botops(['check', '--format', 'prom', '--config', served.config], env);
		expect(stdout).toMatch(/^# HELP botops_check_status /m);
		expect(stdout).toMatch(/^botops_check_status\{environment="demo",routine="all",check="services-up"\} [0-3]$/m);
		const lint = tool('promtool', ['check', 'metrics'], stdout);
		expect(lint, lint.output).toEqual({code: 0, output: ''});
	});

	it('--format junit is well-formed XML with a testcase per check', async () => {
		const {stdout} = await botops(['check', '--format', 'junit', '--config', served.config], env);
		const script = 'import sys, xml.dom.minidom as m\nd = m.parseString(sys.stdin.buffer.read())\nprint(len(d.getElementsByTagName("testcase")), len(d.getElementsByTagName("failure")), len(d.getElementsByTagName("skipped")))';
		const parsed = tool('python3', ['-c', script], stdout);
		expect(parsed.code, parsed.output).toBe(0);
		const [cases, failures, skipped] = parsed.output.trim().split(' ').map(Number);
		expect(cases).toBe(14);
		expect(skipped).toBe(2);
		expect(failures! > 0).toBe(scenario !== 'healthy');
	});

	if (scenario === 'healthy') {
		it('exits 3 when a backend does not answer and nothing fails; 2 for a bad routine or bad thresholds', async () => {
			const config = parse(readFileSync(served.config, 'utf8')) as {environments: Record<string, Record<string, unknown>>};
			config.environments['demo']!['prometheusUrl'] = 'http://127.0.0.1:1';
			const broken = path.join(home, 'no-prometheus.yaml');
			writeFileSync(broken, stringify(config));
			const {code, stdout} = await botops(['check', 'evening', '--format', 'json', '--config', broken], env);
			const answer = JSON.parse(stdout) as CheckJson;
			expect(byId(answer).get('prom-targets')).toMatchObject({status: 'unknown', reason: expect.stringContaining('127.0.0.1:1')});
			expect(answer.counts.fail).toBe(0);
			expect(code).toBe(3);

			const help = await botops(['check', '--help'], env);
			expect(help.stdout).toContain('Exit codes: 0 all pass (warnings allowed), 1 any fail, 2 usage or config error, 3 unknowns but no fail.');
			const usage = await botops(['check', 'tonight', '--config', served.config], env);
			expect(usage.code).toBe(2);
			expect(usage.stderr).toContain('unknown routine "tonight"; one of morning, midday, evening, all');
			const format = await botops(['check', '--format', 'xml', '--config', served.config], env);
			expect(format.code).toBe(2);
			const thresholds = path.join(home, 'bad-thresholds.yaml');
			writeFileSync(thresholds, stringify({...parse(readFileSync(served.config, 'utf8')), checks: {cpuWarnPercent: 99, cpuFailPercent: 90}}));
			const bad = await botops(['check', '--config', thresholds], env);
			expect(bad.code).toBe(2);
			expect(bad.stderr).toContain('checks.cpuWarnPercent (99) is above checks.cpuFailPercent (90)');
			const typo = path.join(home, 'typo.yaml');
			writeFileSync(typo, stringify({...parse(readFileSync(served.config, 'utf8')), checks: {logWindow: 'twelve hours'}}));
			const typoed = await botops(['check', '--config', typo], env);
			expect(typoed.code).toBe(2);
			expect(typoed.stderr).toContain('logWindow');
		});

		it('alerts: no journal is said so; an alert the journal saw fire and resolve overnight is a warning', async () => {
			const before = await botops(['check', 'evening', '--format', 'json', '--config', served.config], env);
			expect(byId(JSON.parse(before.stdout) as CheckJson).get('alerts')).toMatchObject({status: 'pass', reason: 'none firing, no alert journal yet (the dashboard keeps it)'});
			const config = parse(readFileSync(served.config, 'utf8')) as {environments: Record<string, {stateDir?: string}>};
			const journal = createAlertJournal({environment: 'demo', file: alertJournalPath(env, config.environments['demo'])});
			const labels = {alertname: 'HighLatencyP95', service: 'python-ai-service', severity: 'warning'};
			journal.observe([{labels, startsAt: new Date(Date.now() - 3_600_000).toISOString()}], Date.now() - 3_600_000);
			journal.observe([], Date.now() - 3_000_000);
			const after = await botops(['check', 'evening', '--format', 'json', '--config', served.config], env);
			expect(byId(JSON.parse(after.stdout) as CheckJson).get('alerts')).toMatchObject({status: 'warn', reason: 'none firing; in 12h: HighLatencyP95 python-ai-service, resolved'});
			expect(after.code).toBe(0);
		});

		it('pending deployments: the commits on origin/main that HEAD lacks, from a real checkout', async () => {
			const git = (cwd: string, ...args: string[]) => execFileSync('git', args, {cwd, env: {...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t'}, encoding: 'utf8'});
			const origin = path.join(home, 'origin.git');
			const work = path.join(home, 'work');
			const checkout = path.join(home, 'deployed');
			git(home, 'init', '--quiet', '--bare', '-b', 'main', origin);
			git(home, 'clone', '--quiet', origin, work);
			git(work, 'commit', '--quiet', '--allow-empty', '-m', 'Release 1.4.0');
			git(work, 'push', '--quiet', 'origin', 'HEAD:main');
			git(home, 'clone', '--quiet', origin, checkout);
			git(work, 'commit', '--quiet', '--allow-empty', '-m', 'Fix order sizing');
			git(work, 'push', '--quiet', 'origin', 'HEAD:main');
			const config = parse(readFileSync(served.config, 'utf8')) as {environments: Record<string, Record<string, unknown>>};
			config.environments['demo']!['deployCheckout'] = {path: checkout, fetch: true};
			const file = path.join(home, 'with-checkout.yaml');
			writeFileSync(file, stringify(config));
			const {code, stdout} = await botops(['check', 'evening', '--format', 'json', '--config', file], env);
			expect(byId(JSON.parse(stdout) as CheckJson).get('pending-deploys')).toMatchObject({status: 'warn', value: 1, reason: expect.stringMatching(/^1 commit on origin\/main not deployed; newest: [0-9a-f]+ Fix order sizing$/)});
			expect(code).toBe(0);
		});
	}
});

describe('botops check against demo --serve --k8s (bad-deploy)', () => {
	let home: string;
	let server: ReturnType<typeof serve>;
	let served: Served;
	let env: NodeJS.ProcessEnv;

	beforeAll(async () => {
		home = mkdtempSync(path.join(tmpdir(), 'botops-check-k8s-test-'));
		env = clientEnv(home);
		server = serve(['--k8s', '--scenario', 'bad-deploy'], env);
		served = await server.served;
	});

	afterAll(() => {
		if (server.child.exitCode === null) server.child.kill('SIGKILL');
		rmSync(home, {recursive: true, force: true});
	});

	it('the stalled rollout fails k8s-deployments (exit 1) while the compose face leaves that check out', async () => {
		const k8s = await botops(['check', 'midday', '--format', 'json', '--env', 'demo-k8s', '--config', served.config], env);
		const answer = JSON.parse(k8s.stdout) as CheckJson;
		expectSchema(answer);
		expect(byId(answer).get('k8s-deployments')).toMatchObject({status: 'fail', reason: expect.stringContaining('rust-core-engine rollout stalled (ProgressDeadlineExceeded)')});
		expect(k8s.code).toBe(1);
		const compose = await botops(['check', 'midday', '--format', 'json', '--env', 'demo', '--config', served.config], env);
		expect(byId(JSON.parse(compose.stdout) as CheckJson).get('k8s-deployments')).toMatchObject({status: 'left-out', reason: 'not a Kubernetes environment (compose has no deployments)'});
	});
});
