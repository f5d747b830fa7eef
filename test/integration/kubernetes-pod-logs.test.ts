import {Writable} from 'node:stream';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runLogsCommand, type LogsCommandOptions} from '../../source/commands/logs.js';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';
import type {LogRecord} from '../../source/logs/record.js';
import {createDockerLogSource, dockerKeepsNoPreviousLog} from '../../source/services/log-source.js';
import {createKubernetesPlatform, type KubernetesPlatform} from '../../source/services/kubernetes/platform.js';
import type {DockerService} from '../../source/services/types.js';
import {eventually} from '../helpers/docker.js';

function sink() {
	let text = '';
	const stream = new Writable({
		write(chunk: Buffer, _encoding, callback) {
			text += chunk.toString();
			callback();
		},
	});
	return {stream, text: () => text};
}

const options = (overrides: Partial<LogsCommandOptions>): LogsCommandOptions => ({services: [], follow: false, json: false, stdin: false, color: false, ...overrides});

describe('pod logs on demo-k8s', () => {
	let demo: DemoDeployment;
	let platform: KubernetesPlatform;
	beforeAll(async () => {
		demo = await startDemo({kubernetes: true, scenario: 'engine-crashloop'});
		platform = createKubernetesPlatform(demo.kubernetes!.environment, {timeoutMs: 5000});
	}, 30_000);
	afterAll(async () => {
		platform?.close();
		await demo?.stop();
	});

	it('each record names its pod, and a pod added by a scale-up joins the follow', async () => {
		const source = await platform.logs();
		const records: LogRecord[] = [];
		const unsubscribe = source.subscribe(['nextjs-ui-dashboard'], {follow: true, tail: 5}, batch => void records.push(...batch), () => {});
		try {
			const before = (await platform.listInstances()).filter(i => i.service === 'nextjs-ui-dashboard').map(i => i.name);
			expect(before).toHaveLength(2);
			// Both replicas' lines, told apart by pod.
			await eventually(async () => before.every(pod => records.some(r => r.instance === pod)) || undefined, {what: 'lines from both pods', timeoutMs: 15_000});
			expect(records.every(r => r.instance === undefined || before.includes(r.instance) || r.stream === 'marker')).toBe(true);
			await platform.scale('nextjs-ui-dashboard', 3);
			const added = await eventually(async () => (await platform.listInstances()).find(i => i.service === 'nextjs-ui-dashboard' && !before.includes(i.name)), {what: 'the third pod', timeoutMs: 15_000});
			await eventually(async () => records.some(r => r.instance === added.name && r.stream !== 'marker') || undefined, {what: `lines from the new pod ${added.name}`, timeoutMs: 20_000});
		} finally {
			unsubscribe();
		}
	}, 60_000);

	it('botops logs --previous prints a crashed pod\'s last run; a pod that never restarted says so', async () => {
		await eventually(async () => (await platform.listInstances()).find(i => i.service === 'rust-core-engine' && i.status.startsWith('CrashLoopBackOff')), {what: 'a pod in CrashLoopBackOff', timeoutMs: 25_000});
		const crashed = (await platform.listInstances()).filter(i => i.service === 'rust-core-engine');
		const out = sink();
		const err = sink();
		const code = await runLogsCommand(options({services: ['rust-core-engine'], previous: true, tail: 20}), {
			stdout: out.stream,
			stderr: err.stream,
			stdin: process.stdin,
			knownServices: ['rust-core-engine', 'nextjs-ui-dashboard'],
			openLogSource: () => platform.logs(),
		});
		// Every engine pod crash-loops in this scenario: each has a previous run, ending in its panic.
		expect(crashed.length).toBeGreaterThan(0);
		expect(err.text()).toBe('');
		expect(code).toBe(0);
		expect(out.text()).toMatch(/rust-core-engine FATAL thread '.*' panicked/);

		const quiet = sink();
		const quietErr = sink();
		const failed = await runLogsCommand(options({services: ['nextjs-ui-dashboard'], previous: true}), {
			stdout: quiet.stream,
			stderr: quietErr.stream,
			stdin: process.stdin,
			knownServices: ['rust-core-engine', 'nextjs-ui-dashboard'],
			openLogSource: () => platform.logs(),
		});
		expect(failed).toBe(1);
		expect(quietErr.text()).toMatch(/pod nextjs-ui-dashboard-\S+ has no previous terminated container \(it has not restarted; restarts: 0\)/);
	}, 60_000);
});

describe('botops logs --previous where it cannot work', () => {
	it('compose: Docker keeps no previous container log, said before anything is read', async () => {
		const out = sink();
		const err = sink();
		// A Docker client that is never called: the refusal comes first.
		const docker = new Proxy({}, {get: (_target, name) => (name === 'then' ? undefined : () => Promise.reject(new Error(`docker.${String(name)} was called`)))}) as DockerService;
		const code = await runLogsCommand(options({previous: true}), {stdout: out.stream, stderr: err.stream, stdin: process.stdin, knownServices: ['rust-core-engine'], openLogSource: async () => createDockerLogSource({docker})});
		expect(code).toBe(1);
		expect(err.text()).toBe(`botops logs: ${dockerKeepsNoPreviousLog}\n`);
		expect(out.text()).toBe('');
	});

	it('with --follow, --file or --stdin it is a usage error', async () => {
		for (const [flags, message] of [
			[{follow: true}, "--previous prints a container's finished run; it cannot --follow"],
			[{file: '/nonexistent'}, '--previous reads container logs; it cannot be used with --file or --stdin'],
		] as const) {
			const err = sink();
			const code = await runLogsCommand(options({previous: true, ...flags}), {stdout: sink().stream, stderr: err.stream, stdin: process.stdin, knownServices: []});
			expect(code).toBe(2);
			expect(err.text()).toBe(`botops logs: ${message}\n`);
		}
	});
});
