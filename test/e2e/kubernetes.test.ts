import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {createInterface} from 'node:readline';
import {fileURLToPath} from 'node:url';
import {parseDocument} from 'yaml';
import {afterEach, describe, expect, it} from 'vitest';
import {startTmux, tmuxAvailable} from '../helpers/tmux.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const required = process.env.CI === 'true';
const available = tmuxAvailable();
if (!available && required) throw new Error('tmux is required in CI (.ci/run installs it)');

let session: ReturnType<typeof startTmux> | undefined;
let server: ChildProcess | undefined;
let stateDir: string | undefined;
afterEach(async () => {
	session?.kill();
	session = undefined;
	if (server && server.exitCode === null) {
		const exited = new Promise(resolve => server!.once('exit', resolve));
		server.kill('SIGTERM');
		await exited;
	}
	server = undefined;
	if (stateDir) rmSync(stateDir, {recursive: true, force: true});
	stateDir = undefined;
});

/** `botops demo --serve --k8s` in its own process; resolves with its config file once its JSON line is out. */
function serveDemo(directory: string): Promise<{config: string}> {
	const child = spawn(process.execPath, ['bin/botops.js', 'demo', '--serve', '--k8s'], {cwd: root, env: {...process.env, TMPDIR: directory, XDG_STATE_HOME: directory, XDG_CONFIG_HOME: directory}, stdio: ['ignore', 'pipe', 'pipe']});
	server = child;
	let stderr = '';
	child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
	return new Promise((resolve, reject) => {
		createInterface({input: child.stdout!}).once('line', line => resolve(JSON.parse(line) as {config: string}));
		child.once('exit', code => reject(new Error(`demo --serve exited ${code} before its JSON line: ${stderr}`)));
	});
}

/** Rows of the Pods pane that belong to this deployment. */
const podRows = (screen: string, deployment: string) => screen.split('\n').filter(line => new RegExp(`^│[ ›]${deployment}-[a-z0-9]+-`).test(line));

describe.skipIf(!available)('Kubernetes in tmux, on demo-k8s', () => {
	it('scales a deployment through the scale runbook with the typed environment name, and its new pod appears', async () => {
		stateDir = mkdtempSync(path.join(tmpdir(), 'botops-e2e-k8s-'));
		const served = await serveDemo(stateDir);
		// The served config's demo-k8s environment, made protected: its plans ask for the typed environment name.
		const document = parseDocument(readFileSync(served.config, 'utf8'));
		document.setIn(['environments', 'demo-k8s', 'protected'], true);
		const config = path.join(stateDir, 'protected.yaml');
		writeFileSync(config, document.toString());
		session = startTmux(`XDG_STATE_HOME=${stateDir} XDG_CONFIG_HOME=${stateDir} node bin/botops.js --config ${config} --env demo-k8s --refresh 1`, {columns: 110, rows: 40, cwd: root});
		await session.waitFor(/DEMO-K8S .*\(k8s bot-core-production\)/);

		// The Kubernetes screen, its pods filtered to the deployment: two before.
		session.send('8');
		await session.waitFor('Deployments in bot-core-production');
		session.send('/');
		session.send('-l', 'nextjs-ui-dashboard');
		session.send('Enter');
		const before = await session.waitFor(() => {
			const screen = session!.capture();
			return podRows(screen, 'nextjs-ui-dashboard').length === 2 && /Pods .* 2 of \d+/.test(screen);
		});
		expect(podRows(before, 'nextjs-ui-dashboard').every(row => /1\/1\s+Running/.test(row))).toBe(true);

		session.send('r');
		await session.waitFor(/c\s+scale-service/);
		session.send('c');
		await session.waitFor('Runbook scale-service: inputs');
		session.send('-l', 'nextjs-ui-dashboard');
		session.send('Tab');
		session.send('-l', '3');
		session.send('Enter');
		const plan = await session.waitFor('Type demo-k8s and press enter to confirm');
		expect(plan).toContain('kubectl scale deployment nextjs-ui-dashboard --replicas=3 -n bot-core-production');
		expect(plan).toContain('nextjs-ui-dashboard: 2 -> 3 replicas');
		expect(plan).toContain('confirmation: type "demo-k8s" (default: cancel)');
		// A wrong name runs nothing; the right one runs it.
		session.send('-l', 'demo');
		session.send('Enter');
		await session.waitFor('does not match "demo-k8s"');
		expect(session.capture()).not.toContain('Finished: Scale a service');
		session.send('-l', '--', '-k8s');
		session.send('Enter');
		const done = await session.waitFor(/All 2 steps succeeded/, 60_000);
		expect(done).toContain('scaled nextjs-ui-dashboard 2 -> 3');
		expect(done).toMatch(/deployment "nextjs-ui-dashboard" successfully rolled out/);

		session.send('Escape');
		// The rollout status came from the API; the screen shows it once the pod's ready event has reached its watch.
		const after = await session.waitFor(() => {
			const frame = session!.capture();
			return podRows(frame, 'nextjs-ui-dashboard').length === 3 && /nextjs-ui-dashboard\s+3\/3\s+3\s+3/.test(frame);
		}, 20_000);
		expect(after).toMatch(/nextjs-ui-dashboard\s+3\/3\s+3\s+3/);
		// The new pod is seconds old; the two others are days old.
		expect(podRows(after, 'nextjs-ui-dashboard').filter(row => /\s\d+s\s/.test(row))).toHaveLength(1);
		session.send('q');
	}, 120_000);

	it('undoes a bad-deploy rollout from the rollout panel', async () => {
		stateDir = mkdtempSync(path.join(tmpdir(), 'botops-e2e-k8s-'));
		session = startTmux(`TMPDIR=${stateDir} XDG_STATE_HOME=${stateDir} XDG_CONFIG_HOME=${stateDir} node bin/botops.js demo --k8s --scenario bad-deploy --refresh 1`, {columns: 110, rows: 40, cwd: root});
		await session.waitFor(/demo-k8s .*\(k8s bot-core-production\)/);
		session.send('8');
		await session.waitFor(/rust-core-engine\s+2\/2\s+1\s+2\s.*stalled: ProgressDeadline/);
		// Deployments are in name order: the engine is the last.
		session.send('G');
		session.send('Enter');
		const panel = await session.waitFor('Rollout of deployment/rust-core-engine');
		expect(panel).toMatch(/STALLED · revision 4 · bot-core\/rust-core-engine:1\.5\.0/);
		await session.waitFor(/ProgressDeadlineExceeded: ReplicaSet "rust-core-engine-\w+" has timed out progressing/);
		await session.waitFor(/\+ image: bot-core\/rust-core-engine:1\.4\.2/);
		await session.waitFor(/Unhealthy.*Readiness probe failed/, 20_000);

		session.send('u');
		const plan = await session.waitFor('[y/N]', 20_000);
		expect(plan).toContain('kubectl rollout undo deployment/rust-core-engine -n bot-core-production');
		expect(plan).toMatch(/back to revision 3/);
		session.send('y');
		const done = await session.waitFor(/All 3 steps succeeded/, 60_000);
		expect(done).toMatch(/rolled rust-core-engine back to revision 3/);
		session.send('Escape');
		const after = await session.waitFor(/complete · revision 5 · bot-core\/rust-core-engine:1\.4\.2/, 30_000);
		expect(after).toMatch(/2 desired · 2 updated · 2 ready · 2 available · 2 total/);
		session.send('Escape');
		await session.waitFor(/rust-core-engine\s+2\/2\s+2\s+2\s.*complete/);
		session.send('q');
	}, 120_000);
});
