// The real kubectl against the demo's Kubernetes API: a client no one here wrote. Required in CI (.ci/run installs
// Debian's kubernetes-client); skipped with a reason elsewhere when there is no kubectl.
import {execFile, spawn} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {createInterface} from 'node:readline';
import {parse} from 'yaml';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {configSchema} from '../../source/config/schema.js';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';

const kubectlPath = process.env.KUBECTL ?? '/usr/bin/kubectl';
const haveKubectl = existsSync(kubectlPath);
const inCi = process.env.CI === 'true';
if (!haveKubectl && !inCi) console.log(`kubectl-demo: skipped, no kubectl at ${kubectlPath} (set KUBECTL, or install kubernetes-client)`);

type Result = {code: number; stdout: string; stderr: string};

function kubectl(demo: DemoDeployment, args: string[], input?: string): Promise<Result> {
	return new Promise(resolve => {
		const child = execFile(kubectlPath, ['--kubeconfig', demo.kubernetes!.kubeconfig, ...args], {timeout: 60_000}, (error, stdout, stderr) =>
			resolve({code: error ? ((error as {code?: number}).code ?? 1) : 0, stdout, stderr}),
		);
		if (input !== undefined) child.stdin!.end(input);
	});
}

async function ok(demo: DemoDeployment, args: string[], input?: string): Promise<string> {
	const result = await kubectl(demo, args, input);
	if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
	return result.stdout;
}

async function json<T>(demo: DemoDeployment, args: string[]): Promise<T> {
	return JSON.parse(await ok(demo, [...args, '-o', 'json'])) as T;
}

/** Polls until `check` holds; the test's own timeout bounds it. */
async function eventually<T>(probe: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
	for (;;) {
		const value = await probe();
		if (check(value)) return value;
		await new Promise(resolve => setTimeout(resolve, 250));
	}
}

/** Runs kubectl in the background and resolves once its output matches, then stops it. */
function streamUntil(demo: DemoDeployment, args: string[], pattern: RegExp, onStarted?: () => Promise<void>): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = spawn(kubectlPath, ['--kubeconfig', demo.kubernetes!.kubeconfig, ...args], {stdio: ['ignore', 'pipe', 'pipe']});
		let out = '';
		let started = false;
		child.stdout.on('data', (chunk: Buffer) => {
			out += chunk.toString('utf8');
			if (!started && onStarted) {
				started = true;
				onStarted().catch(reject);
			}
			if (pattern.test(out)) {
				child.kill('SIGTERM');
				resolve(out);
			}
		});
		let err = '';
		child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
		child.on('exit', code => {
			if (!pattern.test(out)) reject(new Error(`kubectl ${args.join(' ')} exited ${code} before ${pattern}: ${out}${err}`));
		});
	});
}

type Pod = {metadata: {name: string; labels: Record<string, string>}; status: {containerStatuses?: Array<{ready: boolean; restartCount: number; lastState: {terminated?: {exitCode: number; reason: string}}; state: {waiting?: {reason: string}}}>}};
type Deployment = {metadata: {annotations: Record<string, string>}; spec: {replicas: number; template: {metadata: {annotations?: Record<string, string>}; spec: {containers: Array<{image: string}>}}}};
type ReplicaSet = {metadata: {name: string; annotations: Record<string, string>}; spec: {replicas: number; template: {spec: {containers: Array<{image: string}>}}}};

const enginePods = (demo: DemoDeployment) => json<{items: Pod[]}>(demo, ['get', 'pods', '-l', 'app=rust-core-engine']);
const readyCount = (pods: {items: Pod[]}) => pods.items.filter(pod => pod.status.containerStatuses?.[0]?.ready).length;

describe.skipIf(!haveKubectl && !inCi)('kubectl against the demo cluster (healthy)', () => {
	let demo: DemoDeployment;

	beforeAll(async () => {
		if (!haveKubectl) throw new Error(`CI needs kubectl at ${kubectlPath} (.ci/run installs kubernetes-client)`);
		demo = await startDemo({kubernetes: true});
	});

	afterAll(async () => {
		await demo?.stop();
	});

	it('gets deployments, replica sets, pods, HPAs and events, as tables and as JSON', async () => {
		const table = await ok(demo, ['get', 'deploy,rs,pods,hpa,events']);
		expect(table).toMatch(/deployment\.apps\/rust-core-engine\s+2\/2\s+2\s+2\s/);
		expect(table).toMatch(/horizontalpodautoscaler\.autoscaling\/rust-core-engine-hpa\s+Deployment\/rust-core-engine\s+\S*\s*\d+%\/70%\s+2\s+10\s+2/);
		expect(table).toMatch(/pod\/mongodb-primary-\w+-\w+\s+1\/1\s+Running\s+0/);
		const list = await json<{kind: string; items: Array<{kind: string; metadata: {name: string}}>}>(demo, ['get', 'deploy,rs,pods,hpa']);
		expect(new Set(list.items.map(item => item.kind))).toEqual(new Set(['Deployment', 'ReplicaSet', 'Pod', 'HorizontalPodAutoscaler']));
		expect(list.items.filter(item => item.kind === 'Deployment').map(item => item.metadata.name).sort()).toEqual(['mongodb-primary', 'nextjs-ui-dashboard', 'python-ai-service', 'rust-core-engine']);
	});

	it('answers a missing object as the API server does', async () => {
		const result = await kubectl(demo, ['get', 'deploy', 'nope']);
		expect(result.code).toBe(1);
		expect(result.stderr.trim()).toBe('Error from server (NotFound): deployments.apps "nope" not found');
	});

	it('scales: new pods start (watched with get -w), become ready, and describe shows their events', async () => {
		let scaling: Promise<string> | undefined;
		// The scale starts once the watch has printed the current pods; the new pod must then come through the watch.
		const watched = streamUntil(demo, ['get', 'pods', '-w', '-l', 'app=rust-core-engine'], /rust-core-engine-\w+-\w+\s+0\/1\s+(Pending|ContainerCreating)/, async () => {
			scaling = ok(demo, ['scale', 'deployment/rust-core-engine', '--replicas=3']);
			await scaling;
		});
		expect(await watched).toMatch(/rust-core-engine/);
		expect(await scaling).toContain('deployment.apps/rust-core-engine scaled');
		const pods = await eventually(() => enginePods(demo), value => value.items.length === 3 && readyCount(value) === 3);
		expect(readyCount(pods)).toBe(3);
		const events = await ok(demo, ['get', 'events']);
		expect(events).toMatch(/ScalingReplicaSet\s+deployment\/rust-core-engine\s+Scaled up replica set rust-core-engine-\w+ to 3 from 2/);
		const newest = await ok(demo, ['get', 'pods', '-l', 'app=rust-core-engine', '--sort-by=.metadata.creationTimestamp', '-o', 'jsonpath={.items[-1:].metadata.name}']);
		const described = await ok(demo, ['describe', 'pod', newest]);
		expect(described).toMatch(/Controlled By:\s+ReplicaSet\/rust-core-engine-\w+/);
		expect(described).toMatch(/Normal\s+Scheduled\s+.*Successfully assigned bot-core-production\/.* to demo-node-\d/);
		expect(described).toMatch(/Normal\s+Started\s+.*Started container rust-core-engine/);
	}, 60_000);

	it('restarts a rollout, waits for it, lists the history and undoes it to the old template under a new revision', async () => {
		const before = await json<Deployment>(demo, ['get', 'deploy', 'rust-core-engine']);
		const revision = Number(before.metadata.annotations['deployment.kubernetes.io/revision']);
		expect(await ok(demo, ['rollout', 'restart', 'deployment/rust-core-engine'])).toContain('deployment.apps/rust-core-engine restarted');
		expect(await ok(demo, ['rollout', 'status', 'deployment/rust-core-engine', '--timeout=60s'])).toContain('deployment "rust-core-engine" successfully rolled out');
		const restarted = await json<Deployment>(demo, ['get', 'deploy', 'rust-core-engine']);
		expect(restarted.metadata.annotations['deployment.kubernetes.io/revision']).toBe(String(revision + 1));
		expect(restarted.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-\d\d-\d\dT/);
		const history = await ok(demo, ['rollout', 'history', 'deployment/rust-core-engine']);
		expect(history).toMatch(new RegExp(`\\n${revision + 1}\\s+kubectl set image`));

		expect(await ok(demo, ['rollout', 'undo', 'deployment/rust-core-engine'])).toContain('deployment.apps/rust-core-engine rolled back');
		expect(await ok(demo, ['rollout', 'status', 'deployment/rust-core-engine', '--timeout=60s'])).toContain('successfully rolled out');
		const undone = await json<Deployment>(demo, ['get', 'deploy', 'rust-core-engine']);
		expect(undone.metadata.annotations['deployment.kubernetes.io/revision']).toBe(String(revision + 2));
		expect(undone.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeUndefined();
		expect(undone.spec.template.spec.containers[0].image).toBe(before.spec.template.spec.containers[0].image);
		// The old replica set came back as the newest revision; no third one was made for the same template.
		const sets = await json<{items: ReplicaSet[]}>(demo, ['get', 'rs', '-l', 'app=rust-core-engine']);
		const live = sets.items.filter(rs => rs.spec.replicas > 0);
		expect(live).toHaveLength(1);
		expect(live[0].metadata.annotations['deployment.kubernetes.io/revision']).toBe(String(revision + 2));
		expect(live[0].metadata.annotations['deployment.kubernetes.io/revision-history']).toBe(String(revision));
	}, 120_000);

	it('patches the HPA as the manual does, and a deleted pod is replaced by its replica set', async () => {
		expect(await ok(demo, ['patch', 'hpa', 'rust-core-engine-hpa', '--patch', '{"spec":{"minReplicas":3,"maxReplicas":15}}'])).toContain('horizontalpodautoscaler.autoscaling/rust-core-engine-hpa patched');
		expect(await ok(demo, ['get', 'hpa', 'rust-core-engine-hpa'])).toMatch(/rust-core-engine-hpa\s+Deployment\/rust-core-engine\s+\S+\s+\S+\s+3\s+15\s/);
		const victim = (await json<{items: Pod[]}>(demo, ['get', 'pods', '-l', 'app=nextjs-ui-dashboard'])).items[0].metadata.name;
		expect(await ok(demo, ['delete', 'pod', victim])).toContain(`pod "${victim}" deleted`);
		const after = await eventually(
			() => json<{items: Pod[]}>(demo, ['get', 'pods', '-l', 'app=nextjs-ui-dashboard']),
			value => value.items.length === 2 && readyCount(value) === 2 && value.items.every(pod => pod.metadata.name !== victim),
		);
		expect(after.items.map(pod => pod.metadata.name)).not.toContain(victim);
	}, 60_000);

	it('follows the logs of a deployment', async () => {
		const out = await streamUntil(demo, ['logs', '-f', '--tail=2', 'deploy/python-ai-service'], /(.*\n){4}/);
		expect(out.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(4);
		expect(out).toMatch(/INFO|WARNING|GET \/health/);
	});

	it('shows pod metrics with top pods', async () => {
		const out = await ok(demo, ['top', 'pods']);
		expect(out).toMatch(/^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
		expect(out).toMatch(/python-ai-service-\w+-\w+\s+\d+m\s+\d+Mi/);
	});

	it('applies a secret made with create --dry-run=client -o yaml, as the manual rotates them', async () => {
		const manifest = await ok(demo, ['create', 'secret', 'generic', 'bot-core-secrets', '--from-literal=inter-service-token=rotated-token', '--from-literal=rust-api-key=rotated-key', '--dry-run=client', '-o', 'yaml']);
		const applied = await ok(demo, ['apply', '-f', '-'], manifest);
		expect(applied).toContain('secret/bot-core-secrets configured');
		const secret = await json<{data: Record<string, string>; metadata: {annotations: Record<string, string>}}>(demo, ['get', 'secret', 'bot-core-secrets']);
		expect(Buffer.from(secret.data['inter-service-token'], 'base64').toString()).toBe('rotated-token');
		expect(secret.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toContain('"name":"bot-core-secrets"');
		const created = await ok(demo, ['apply', '-f', '-'], (await ok(demo, ['create', 'secret', 'generic', 'fresh-secrets', '--from-literal=k=v', '--dry-run=client', '-o', 'yaml'])));
		expect(created).toContain('secret/fresh-secrets created');
	});
});

describe.skipIf(!haveKubectl && !inCi)('kubectl against the demo cluster (drills)', () => {
	it('engine-crashloop: CrashLoopBackOff with restarts, exit 101, and the previous container logs', async () => {
		const demo = await startDemo({kubernetes: true, scenario: 'engine-crashloop'});
		try {
			const pods = await eventually(() => enginePods(demo), value => value.items.some(pod => pod.status.containerStatuses?.[0]?.lastState.terminated?.exitCode === 101));
			const crashed = pods.items.find(pod => pod.status.containerStatuses?.[0]?.lastState.terminated?.exitCode === 101)!;
			expect(crashed.status.containerStatuses![0].restartCount).toBeGreaterThan(0);
			expect(crashed.status.containerStatuses![0].lastState.terminated!.reason).toBe('Error');
			const previous = await ok(demo, ['logs', crashed.metadata.name, '--previous']);
			expect(previous).toMatch(/panicked|position manager/);
			const table = await eventually(() => ok(demo, ['get', 'pods', '-l', 'app=rust-core-engine']), out => /CrashLoopBackOff/.test(out));
			expect(table).toMatch(/rust-core-engine-\w+-\w+\s+0\/1\s+CrashLoopBackOff\s+\d+ \(\w+ ago\)/);
			const healthy = (await json<{items: Pod[]}>(demo, ['get', 'pods', '-l', 'app=python-ai-service'])).items[0];
			const none = await kubectl(demo, ['logs', healthy.metadata.name, '--previous']);
			expect(none.code).toBe(1);
			expect(none.stderr).toContain(`previous terminated container "python-ai-service" in pod "${healthy.metadata.name}" not found`);
		} finally {
			await demo.stop();
		}
	}, 60_000);

	it('bad-deploy: the rollout exceeds its progress deadline until it is undone', async () => {
		const demo = await startDemo({kubernetes: true, scenario: 'bad-deploy'});
		try {
			const stalled = await kubectl(demo, ['rollout', 'status', 'deployment/rust-core-engine', '--timeout=20s']);
			expect(stalled.code).toBe(1);
			expect(stalled.stderr).toContain('deployment "rust-core-engine" exceeded its progress deadline');
			const deployment = await json<Deployment & {status: {conditions: Array<{type: string; status: string; reason: string}>}}>(demo, ['get', 'deploy', 'rust-core-engine']);
			expect(deployment.status.conditions.find(c => c.type === 'Progressing')).toMatchObject({status: 'False', reason: 'ProgressDeadlineExceeded'});
			expect(deployment.spec.template.spec.containers[0].image).toBe('bot-core/rust-core-engine:1.5.0');
			expect(await ok(demo, ['rollout', 'undo', 'deployment/rust-core-engine'])).toContain('rolled back');
			expect(await ok(demo, ['rollout', 'status', 'deployment/rust-core-engine', '--timeout=60s'])).toContain('successfully rolled out');
			const undone = await json<Deployment>(demo, ['get', 'deploy', 'rust-core-engine']);
			expect(undone.spec.template.spec.containers[0].image).toBe('bot-core/rust-core-engine:1.4.2');
			expect(undone.metadata.annotations['deployment.kubernetes.io/revision']).toBe('5');
		} finally {
			await demo.stop();
		}
	}, 90_000);
});

describe.skipIf(!haveKubectl && !inCi)('botops demo --serve --k8s', () => {
	it('prints the kubeconfig in its JSON line and writes a demo-k8s environment that kubectl and the config schema accept', async () => {
		const root = path.resolve(import.meta.dirname, '../..');
		const child = spawn(process.execPath, [path.join(root, 'bin/botops.js'), 'demo', '--serve', '--k8s'], {cwd: root, stdio: ['ignore', 'pipe', 'pipe']});
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
		try {
			const line = await new Promise<string>((resolve, reject) => {
				createInterface({input: child.stdout}).once('line', resolve);
				child.once('exit', code => reject(new Error(`demo --serve --k8s exited ${code}: ${stderr}`)));
			});
			const served = JSON.parse(line) as {config: string; kubeconfig: string};
			expect(served.kubeconfig).toBe(path.join(path.dirname(served.config), 'kubeconfig'));
			const config = configSchema.parse(parse(readFileSync(served.config, 'utf8')));
			expect(config.environments['demo-k8s']).toMatchObject({
				backend: {type: 'kubernetes', kubeconfig: served.kubeconfig, context: 'demo-k8s', namespace: 'bot-core-production'},
				services: [{name: 'rust-core-engine', deployment: 'rust-core-engine'}, {name: 'python-ai-service', deployment: 'python-ai-service'}, {name: 'nextjs-ui-dashboard', deployment: 'nextjs-ui-dashboard'}, {name: 'mongodb-primary', deployment: 'mongodb-primary'}],
			});
			const out = await new Promise<string>((resolve, reject) =>
				execFile(kubectlPath, ['--kubeconfig', served.kubeconfig, '--context', 'demo-k8s', 'get', 'deploy', '-o', 'name'], (error, stdout, err) => (error ? reject(new Error(err)) : resolve(stdout))),
			);
			expect(out.trim().split('\n').sort()).toEqual(['deployment.apps/mongodb-primary', 'deployment.apps/nextjs-ui-dashboard', 'deployment.apps/python-ai-service', 'deployment.apps/rust-core-engine']);
		} finally {
			child.kill('SIGTERM');
		}
	});
});
