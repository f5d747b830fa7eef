// Exec in a pod: the official client's Exec against the demo's API server (the WebSocket channels and the kubelet's
// Status), botops' execInPod and platform on top of it, and db-backup/db-restore on demo-k8s through the engine.
import http from 'node:http';
import {Writable} from 'node:stream';
import {AppsV1Api, Exec, PatchStrategy, setHeaderOptions, type V1Status} from '@kubernetes/client-node';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';
import {buildPlan, executePlan, type RunEvent} from '../../source/runbooks/engine.js';
import {renderPlan} from '../../source/runbooks/render.js';
import {loadBuiltinRunbooks} from '../../source/runbooks/loader.js';
import {ServiceError} from '../../source/services/errors.js';
import {createHealthProber} from '../../source/services/health.js';
import {createBackupLister} from '../../source/services/mongo/backup-listing.js';
import {deploymentPods, ExecTimeoutError, execInPod, firstReadyPod} from '../../source/services/kubernetes/exec.js';
import {loadKubeContext, type KubeContext} from '../../source/services/kubernetes/kubeconfig.js';
import {createKubernetesPlatform} from '../../source/services/kubernetes/platform.js';
import {MemoryAudit} from '../fixtures/runbooks/fakes.js';

const builtin = (id: string) => loadBuiltinRunbooks().find(r => r.id === id)!;

type Captured = {stdout: string; stderr: string; status?: V1Status};

/** The client's Exec as an application would call it: streams for stdout and stderr, the Status by callback. */
function clientExec(kube: KubeContext, pod: string, command: string[]): Promise<Captured> {
	const captured: Captured = {stdout: '', stderr: ''};
	const sink = (key: 'stdout' | 'stderr') => new Writable({write: (chunk: Buffer, _e, callback) => ((captured[key] += chunk.toString('utf8')), callback())});
	return new Promise((resolve, reject) => {
		new Exec(kube.kubeConfig)
			.exec(kube.namespace, pod, 'mongodb-primary', command, sink('stdout'), sink('stderr'), null, false, status => {
				captured.status = status;
				resolve(captured);
			})
			.then(ws => ws.on('close', () => resolve(captured)), reject);
	});
}

/** A raw upgrade request, to read what the server answers when it does not switch protocols. */
function upgradeRequest(demo: DemoDeployment, path: string, headers: Record<string, string>): Promise<{code: number; body: Record<string, unknown>}> {
	return new Promise((resolve, reject) => {
		const req = http.request(`${demo.kubernetes!.url}${path}`, {headers: {Connection: 'Upgrade', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version': '13', ...headers}});
		req.on('response', res => {
			let text = '';
			res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
			res.on('end', () => resolve({code: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown>}));
		});
		req.on('upgrade', () => reject(new Error('the server switched protocols')));
		req.on('error', reject);
		req.end();
	});
}

describe('exec in a pod of the demo cluster', () => {
	let demo: DemoDeployment;
	let kube: KubeContext;
	let mongoPod: string;

	beforeAll(async () => {
		demo = await startDemo({kubernetes: true, seed: 13});
		kube = loadKubeContext(demo.kubernetes!.environment);
		mongoPod = firstReadyPod(await deploymentPods(kube, 'mongodb-primary'))!.metadata!.name!;
	});
	afterAll(async () => {
		await demo?.stop();
	});

	it("the client's Exec gets stdout and the Success Status, stderr and the exit code of a failing command", async () => {
		const listing = await clientExec(kube, mongoPod, ['ls', '/backup']);
		expect(listing.status).toEqual({metadata: {}, status: 'Success'});
		expect(listing.stdout.trim().split('\n')).toEqual(demo.world.backups.map(b => b.path.replace('/backup/', '')));
		expect(listing.stderr).toBe('');

		const missing = await clientExec(kube, mongoPod, ['ls', '/backup/nope']);
		expect(missing.stdout).toBe('');
		expect(missing.stderr).toBe("ls: cannot access '/backup/nope': No such file or directory\n");
		expect(missing.status).toMatchObject({status: 'Failure', reason: 'NonZeroExitCode', details: {causes: [{reason: 'ExitCode', message: '2'}]}});
	});

	it('a command that does not exist is an InternalError Status with runc\'s reason, and no output', async () => {
		const result = await clientExec(kube, mongoPod, ['mongosh-nope', '--eval', '1']);
		expect(result.stdout + result.stderr).toBe('');
		expect(result.status).toMatchObject({status: 'Failure', reason: 'InternalError', code: 500});
		expect(result.status!.message).toMatch(/^Internal error occurred: error executing command in container: .*exec: "mongosh-nope": executable file not found in \$PATH/);
	});

	it('a pod that does not exist is a 404 NotFound Status; an upgrade other than WebSocket is a 400 that names what is served', async () => {
		await expect(clientExec(kube, 'mongodb-primary-nope', ['ls'])).rejects.toMatchObject({message: 'Unexpected server response: 404'});
		const ns = demo.kubernetes!.namespace;
		const notFound = await upgradeRequest(demo, `/api/v1/namespaces/${ns}/pods/mongodb-primary-nope/exec?command=ls&stdout=true`, {Upgrade: 'websocket', 'Sec-WebSocket-Protocol': 'v5.channel.k8s.io'});
		expect(notFound).toEqual({code: 404, body: {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "mongodb-primary-nope" not found', reason: 'NotFound', details: {name: 'mongodb-primary-nope', kind: 'pods'}, code: 404}});
		const spdy = await upgradeRequest(demo, `/api/v1/namespaces/${ns}/pods/${mongoPod}/exec?command=ls&stdout=true`, {Upgrade: 'SPDY/3.1'});
		expect(spdy.code).toBe(400);
		expect(spdy.body.message).toBe('unable to upgrade: "SPDY/3.1" is not served here; exec speaks WebSocket (v5.channel.k8s.io, v4.channel.k8s.io)');
		const noCommand = await upgradeRequest(demo, `/api/v1/namespaces/${ns}/pods/${mongoPod}/exec?stdout=true`, {Upgrade: 'websocket', 'Sec-WebSocket-Protocol': 'v4.channel.k8s.io'});
		expect(noCommand).toMatchObject({code: 400, body: {reason: 'BadRequest', message: 'you must specify at least one command for the container'}});
	});

	it('execInPod returns the exit code and output, and fails plainly for a command that cannot start, a missing pod, a timeout and an abort', async () => {
		expect(await execInPod(kube, mongoPod, ['ls', '/backup/nope'], {timeoutMs: 10_000})).toEqual({exitCode: 2, stdout: '', stderr: "ls: cannot access '/backup/nope': No such file or directory\n"});
		expect(await execInPod(kube, mongoPod, ['hostname'], {timeoutMs: 10_000})).toEqual({exitCode: 0, stdout: `${mongoPod}\n`, stderr: ''});
		await expect(execInPod(kube, mongoPod, ['nope'], {timeoutMs: 10_000})).rejects.toThrow(new RegExp(`^kubernetes: nope could not run in pod ${mongoPod} in namespace bot-core-production: Internal error occurred: .*executable file not found`));
		await expect(execInPod(kube, 'mongodb-primary-nope', ['ls'], {timeoutMs: 10_000})).rejects.toEqual(new ServiceError('kubernetes: pod mongodb-primary-nope not found in namespace bot-core-production (exec)', 404));
		// mongosh answers after 300 ms of simulated work: a 1 ms limit closes the exec first.
		await expect(execInPod(kube, mongoPod, ['mongosh', '--eval', 'db.ping()'], {timeoutMs: 1})).rejects.toBeInstanceOf(ExecTimeoutError);
		const controller = new AbortController();
		const aborted = execInPod(kube, mongoPod, ['mongosh', '--eval', 'db.ping()'], {timeoutMs: 10_000, signal: controller.signal});
		controller.abort(new Error('stopped by the operator'));
		await expect(aborted).rejects.toThrow('stopped by the operator');
	});

	it('the Kubernetes platform can exec now, in the pod its watch holds', async () => {
		const platform = createKubernetesPlatform(demo.kubernetes!.environment, {timeoutMs: 5000});
		try {
			expect(platform.supports('exec')).toEqual({ok: true});
			const pods = (await platform.listInstances()).filter(instance => instance.service === 'mongodb-primary');
			expect(pods.map(p => p.id)).toContain(mongoPod);
			expect(await platform.exec(mongoPod, ['ls', '/backup'])).toMatchObject({exitCode: 0, stdout: expect.stringContaining(demo.world.backups[0]!.path.replace('/backup/', ''))});
			// The Database screen's Backups list the directory inside the service through the platform: now on Kubernetes too.
			const listing = await createBackupLister(demo.kubernetes!.environment, {platform, timeoutMs: 5000})!.list();
			expect(listing.source).toBe('mongodb-primary:/backup');
			expect(listing.entries.map(entry => entry.name)).toEqual(expect.arrayContaining(demo.world.backups.map(b => b.path.replace('/backup/', ''))));
		} finally {
			platform.close();
		}
	});

	it('db-backup on demo-k8s: the plan names the pod, mongodump runs in it, and the URI password is nowhere', async () => {
		const environment = demo.kubernetes!.environment;
		const uriEnv = environment.mongo!.uriEnv;
		const env = {[uriEnv]: process.env[uriEnv]!};
		const password = new URL(env[uriEnv]!).password;
		expect(password.length).toBeGreaterThan(0);
		const planned = await buildPlan(builtin('db-backup'), {}, {environment, kube, env});
		if (!planned.ok) throw new Error(planned.errors.join('\n'));
		const plan = planned.plan;
		expect(plan.blockers).toEqual([]);
		expect(plan.preconditions.map(s => [s.action, s.via])).toEqual([['k8s.check', 'service.check']]);
		const [dump, verify] = plan.steps;
		expect([dump!.action, dump!.via, verify!.action, verify!.via]).toEqual(['k8s.exec', 'service.exec', 'k8s.exec', 'service.exec']);
		expect(dump!.line.call).toMatch(new RegExp(`^kubectl exec -n bot-core-production deploy/mongodb-primary -- mongodump '--uri=\\$${uriEnv}' --out=/backup/dump_\\d{8}_\\d{6}$`));
		expect(dump!.line.details).toEqual([`runs in pod ${mongoPod} (container mongodb-primary), the first ready pod of deployment mongodb-primary`]);

		const before = demo.world.backups.length;
		const events: RunEvent[] = [];
		const audit = new MemoryAudit();
		const result = await executePlan(plan, {health: createHealthProber({timeoutMs: 3000}), kube, env, audit}, {confirmation: true, confirm: async () => true, onEvent: e => events.push(e)});
		expect(result.outcome).toBe('ok');
		expect(demo.world.backups.length).toBe(before + 1);
		const made = demo.world.backups.at(-1)!;
		expect(result.steps.map(s => [s.id, s.status, s.detail])).toEqual([
			['pre-1', 'ok', 'mongodb-primary 1/1 available'],
			['dump', 'ok', `mongodump in pod ${mongoPod} exited 0`],
			['verify', 'ok', `ls in pod ${mongoPod} exited 0`],
		]);
		const output = events.flatMap(e => (e.type === 'step-output' && e.step.id === 'dump' ? [e.line] : []));
		expect(output[0]).toBe(`exec in pod ${mongoPod} (container mongodb-primary)`);
		expect(output).toContainEqual(expect.stringMatching(new RegExp(`\\twriting trading_bot\\.trades to ${made.path}/trading_bot/trades\\.bson$`)));
		expect(JSON.stringify({plan: renderPlan(plan), events, result, audit: audit.records})).not.toContain(password);
		expect(audit.records.length).toBeGreaterThan(0);

		const restore = await buildPlan(builtin('db-restore'), {dir: made.path}, {environment, kube, env});
		if (!restore.ok) throw new Error(restore.errors.join('\n'));
		const restored = await executePlan(restore.plan, {health: createHealthProber({timeoutMs: 3000}), kube, env}, {confirmation: 'demo-k8s', confirm: async () => true});
		expect(restored.outcome).toBe('ok');
		expect(restored.steps.map(s => [s.id, s.status, s.detail])).toEqual([
			['pre-1', 'ok', `ls in pod ${mongoPod} exited 0`],
			['restore', 'ok', `mongorestore in pod ${mongoPod} exited 0`],
			['verify', 'ok', 'mongodb-primary 1/1 available'],
		]);
	});

	it('a deployment without a ready pod is refused in the plan, naming its pods', async () => {
		const apps = kube.kubeConfig.makeApiClient(AppsV1Api);
		await apps.patchNamespacedDeploymentScale({name: 'nextjs-ui-dashboard', namespace: kube.namespace, body: {spec: {replicas: 0}}}, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
		const environment = demo.kubernetes!.environment;
		const uriEnv = environment.mongo!.uriEnv;
		// Pods leave over their grace period; the plan is built once none is ready any more.
		for (;;) {
			if (!firstReadyPod(await deploymentPods(kube, 'nextjs-ui-dashboard'))) break;
			await new Promise(resolve => setTimeout(resolve, 200));
		}
		const planned = await buildPlan(builtin('db-backup'), {service: 'nextjs-ui-dashboard'}, {environment, kube, env: {[uriEnv]: process.env[uriEnv]!}});
		if (!planned.ok) throw new Error(planned.errors.join('\n'));
		expect(planned.plan.blockers).toContainEqual(expect.stringMatching(/^dump: deployment nextjs-ui-dashboard in namespace bot-core-production has no ready pod to exec in \(/));
	});
});
