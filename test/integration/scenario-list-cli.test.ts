// `botops demo --scenario list` from the built command line (`npm run build` first), and the drill flags' errors.
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';
import {describeScenarios} from '../../source/demo/scenarios.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'bin/botops.js');
if (!existsSync(join(root, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` before this test');
const home = mkdtempSync(join(tmpdir(), 'botops-scenarios-'));
afterAll(() => rmSync(home, {recursive: true, force: true}));

function botops(args: string[]) {
	const env: NodeJS.ProcessEnv = {...process.env, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state')};
	delete env.BOTOPS_CONFIG;
	const result = spawnSync(process.execPath, [cli, ...args], {cwd: root, env, encoding: 'utf8', timeout: 20_000});
	return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}

describe('botops demo --scenario list', () => {
	it('prints every drill, what it changes and the runbook that resolves it, and exits 0 without a terminal', () => {
		const {code, stdout, stderr} = botops(['demo', '--scenario', 'list']);
		expect(stderr).toBe('');
		expect(code).toBe(0);
		expect(stdout).toBe(`${describeScenarios()}\n`);
		expect(stdout).toMatch(/^engine-crashloop\n {2}rust-core-engine panics/m);
		expect(stdout).toContain('  resolve:  runbook update-ai-model (botops runbook run update-ai-model --param symbol=BTCUSDT)');
		expect(stdout).toContain('  alerts:   MongoReplicationLag (critical)');
		expect(stdout).toContain('  alerts:   DiskSpaceLow (critical) for mongodb-primary');
	});

	it('refuses the Kubernetes-only drill without --k8s, and an unknown name, with exit 2', () => {
		const kubernetes = botops(['demo', '--serve', '--scenario', 'bad-deploy']);
		expect(kubernetes).toMatchObject({code: 2, stdout: '', stderr: 'botops demo: --scenario bad-deploy is a Kubernetes drill: add --k8s\n'});
		const unknown = botops(['demo', '--scenario', 'meteor']);
		expect(unknown.code).toBe(2);
		expect(unknown.stderr).toContain('unknown demo scenario "meteor"; known: healthy, engine-crashloop, ai-latency-spike, mongo-replication-lag, disk-pressure, mongo-down, bad-deploy');
	});

	it('--war-room is a dashboard flag: --serve refuses it', () => {
		const served = botops(['demo', '--serve', '--war-room']);
		expect(served).toMatchObject({code: 2, stderr: 'botops demo: --serve runs the demo without the dashboard; --war-room is for the dashboard\n'});
	});
});
