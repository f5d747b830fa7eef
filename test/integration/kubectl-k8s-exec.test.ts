// The real kubectl's exec against the demo cluster: a client no one here wrote. kubectl 1.30 and later speak the
// WebSocket exec protocol (v5.channel.k8s.io) the demo serves; older ones speak SPDY only, and the demo must refuse
// them with a 400 that says what it serves. Skipped without kubectl, required in CI (as kubectl-demo.test.ts).
import {execFile, execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';

const kubectlPath = process.env.KUBECTL ?? '/usr/bin/kubectl';
const haveKubectl = existsSync(kubectlPath);
const inCi = process.env.CI === 'true';
if (!haveKubectl && !inCi) console.log(`kubectl-k8s-exec: skipped, no kubectl at ${kubectlPath} (set KUBECTL, or install kubernetes-client)`);

type Result = {code: number; stdout: string; stderr: string};

function kubectl(demo: DemoDeployment, args: string[]): Promise<Result> {
	return new Promise(resolve => {
		execFile(kubectlPath, ['--kubeconfig', demo.kubernetes!.kubeconfig, ...args], {timeout: 60_000}, (error, stdout, stderr) =>
			resolve({code: error ? ((error as {code?: number}).code ?? 1) : 0, stdout, stderr}),
		);
	});
}

/** The client's minor version: exec goes over WebSocket from 1.30 (KUBECTL_REMOTE_COMMAND_WEBSOCKETS on by default). */
function kubectlMinor(): number {
	const version = JSON.parse(execFileSync(kubectlPath, ['version', '--client', '-o', 'json']).toString('utf8')) as {clientVersion: {major: string; minor: string}};
	return Number.parseInt(version.clientVersion.minor, 10);
}

describe.skipIf(!haveKubectl && !inCi)('kubectl exec against the demo cluster', () => {
	let demo: DemoDeployment;
	let websocket = false;

	beforeAll(async () => {
		if (!haveKubectl) throw new Error(`CI needs kubectl at ${kubectlPath} (.ci/run installs kubernetes-client)`);
		websocket = kubectlMinor() >= 30;
		demo = await startDemo({kubernetes: true, seed: 17});
	});
	afterAll(async () => {
		await demo?.stop();
	});

	it('exec deploy/mongodb-primary -- ls /backup lists the backups, and exec by pod name runs in that pod', async () => {
		const listing = await kubectl(demo, ['exec', 'deploy/mongodb-primary', '--', 'ls', '/backup']);
		if (!websocket) {
			// SPDY-only kubectl: refused with the server's reason, not a hang or a half-open stream.
			expect(listing.code).toBe(1);
			expect(listing.stderr).toContain('Error from server (BadRequest): unable to upgrade: "SPDY/3.1" is not served here; exec speaks WebSocket (v5.channel.k8s.io, v4.channel.k8s.io)');
			return;
		}
		expect(listing).toEqual({code: 0, stdout: `${demo.world.backups.map(b => b.path.replace('/backup/', '')).join('\n')}\n`, stderr: ''});
		const pods = await kubectl(demo, ['get', 'pods', '-l', 'app=rust-core-engine', '-o', 'jsonpath={.items[*].metadata.name}']);
		const pod = pods.stdout.split(' ').sort().at(-1)!;
		expect(pod).toMatch(/^rust-core-engine-\w+-\w+$/);
		expect(await kubectl(demo, ['exec', pod, '-c', 'rust-core-engine', '--', 'hostname'])).toEqual({code: 0, stdout: `${pod}\n`, stderr: ''});
	});

	it("passes on a command's stderr and exit code, and reports a command that cannot start and a pod that does not exist", async () => {
		if (!websocket) return;
		const failing = await kubectl(demo, ['exec', 'deploy/mongodb-primary', '--', 'ls', '/backup/dump_19990101_000000']);
		expect(failing.code).toBe(2);
		expect(failing.stdout).toBe('');
		expect(failing.stderr).toBe("ls: cannot access '/backup/dump_19990101_000000': No such file or directory\ncommand terminated with exit code 2\n");

		const missing = await kubectl(demo, ['exec', 'deploy/mongodb-primary', '--', 'pg_dump']);
		expect(missing.code).toBe(1);
		expect(missing.stderr).toMatch(/^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "pg_dump": executable file not found in \$PATH: unknown\n$/);

		const noPod = await kubectl(demo, ['exec', 'mongodb-primary-nope', '--', 'ls']);
		expect(noPod.code).toBe(1);
		expect(noPod.stderr.trim()).toBe('Error from server (NotFound): pods "mongodb-primary-nope" not found');

		const wrongContainer = await kubectl(demo, ['exec', 'deploy/mongodb-primary', '-c', 'sidecar', '--', 'ls']);
		expect(wrongContainer.code).toBe(1);
		expect(wrongContainer.stderr.trim()).toMatch(/^Error from server \(BadRequest\): container sidecar is not valid for pod mongodb-primary-\w+-\w+$/);
	});

	it('a mongodump through kubectl exec is the same simulated dump botops makes: it shows up in the backup listing', async () => {
		if (!websocket) return;
		const before = demo.world.backups.length;
		const dump = await kubectl(demo, ['exec', 'deploy/mongodb-primary', '--', 'mongodump', '--db=trading_bot', '--out=/backup/dump_20300101_000000']);
		expect(dump.code).toBe(0);
		expect(dump.stderr).toMatch(/\twriting trading_bot\.trades to \/backup\/dump_20300101_000000\/trading_bot\/trades\.bson\n/);
		expect(demo.world.backups.length).toBe(before + 1);
		expect((await kubectl(demo, ['exec', 'deploy/mongodb-primary', '--', 'ls', '/backup'])).stdout).toContain('dump_20300101_000000\n');
	});
});
