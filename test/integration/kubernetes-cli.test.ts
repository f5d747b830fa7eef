// The built command line on the demo's Kubernetes environment (`npm run build` first; `npm test` does it in pretest).
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'bin/botops.js');
if (!existsSync(join(root, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` before this test');

let home: string;
let environment: NodeJS.ProcessEnv;
beforeAll(() => {
	home = mkdtempSync(join(tmpdir(), 'botops-k8s-cli-'));
	environment = {...process.env, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state')};
	delete environment.BOTOPS_CONFIG;
	delete environment.KUBECONFIG;
});
afterAll(() => rmSync(home, {recursive: true, force: true}));

function run(argv: string[]): Promise<{code: number | null; stdout: string; stderr: string}> {
	const child = spawn(process.execPath, [cli, ...argv], {cwd: root, env: environment, stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	return new Promise((resolve, reject) => {
		child.on('error', reject);
		child.on('close', code => resolve({code, stdout, stderr}));
	});
}

describe('botops on --env demo-k8s', () => {
	it('status --json reports every deployment with its pods', async () => {
		const result = await run(['status', '--env', 'demo-k8s', '--json']);
		expect(result.stderr).toBe('');
		const status = JSON.parse(result.stdout) as {environment: string; backend: string; ok: boolean; platformError?: string; services: Array<{name: string; ok: boolean; container: {name: string; state: string} | null; instances: Array<{name: string; state: string}>}>};
		expect(status.environment).toBe('demo-k8s');
		expect(status.backend).toBe('kubernetes');
		expect(status.platformError).toBeUndefined();
		const engine = status.services.find(s => s.name === 'rust-core-engine')!;
		expect(engine.instances.map(i => i.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^rust-core-engine-[a-z0-9]+-[a-z0-9]+$/)]));
		expect(engine.instances.length).toBe(2);
		expect(engine.container?.state).toBe('running');
		expect(status.ok).toBe(true);
		expect(result.code).toBe(0);
	}, 30_000);

	it('logs prints the merged lines of a deployment\'s pods', async () => {
		const result = await run(['logs', '--env', 'demo-k8s', '--service', 'nextjs-ui-dashboard', '--tail', '5']);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const lines = result.stdout.trim().split('\n');
		// Two pods, five lines each at most.
		expect(lines.length).toBeGreaterThan(5);
		expect(lines.length).toBeLessThanOrEqual(10);
		for (const line of lines) expect(line).toContain('nextjs-ui-dashboard');
	}, 30_000);

	it('a context the kubeconfig lacks is a configuration error naming the file and its contexts', async () => {
		const kubeconfig = join(home, 'kubeconfig');
		writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:9"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: dev, context: {cluster: c, user: u}}, {name: staging, context: {cluster: c, user: u}}]\ncurrent-context: dev\n');
		const config = join(home, 'botops.yaml');
		writeFileSync(config, `defaultEnvironment: prod\nenvironments:\n  prod:\n    backend: {type: kubernetes, kubeconfig: ${kubeconfig}, context: production}\n    services: [{name: api}]\n`);
		const result = await run(['status', '--config', config]);
		expect(result).toEqual({code: 2, stdout: '', stderr: `botops status: environment "prod": context "production" is not in kubeconfig ${kubeconfig} (contexts: dev, staging)\n`});
	});
});
