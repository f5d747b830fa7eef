import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';
import type {LogRecord} from '../../source/logs/record.js';
import {createKubernetesPlatform, type KubernetesPlatform} from '../../source/services/kubernetes/platform.js';
import {eventually} from '../helpers/docker.js';

/**
 * A crash-looping pod between runs: its last termination (exit code) is in its details, and its log reads the
 * crashed run, as `kubectl logs` does while the container waits in CrashLoopBackOff.
 */
describe('logs of a crashed pod', () => {
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

	it('shows the exit code and reads the crashed run of a container waiting in CrashLoopBackOff', async () => {
		const crashed = await eventually(async () => (await platform.listInstances()).find(i => i.service === 'rust-core-engine' && i.status.startsWith('CrashLoopBackOff')), {what: 'a pod in CrashLoopBackOff', timeoutMs: 25_000});
		const detail = await platform.inspect(crashed.id);
		expect(detail.restartCount).toBeGreaterThan(0);
		expect(detail.lastTermination?.exitCode).toBe(101);
		const lines = await new Promise<string[]>((resolve, reject) => {
			const got: string[] = [];
			platform.instanceLogs.streamLogs(crashed.id, {follow: false, tail: 30, timestamps: true}, batch => void got.push(...batch.map(l => l.text)), error => (error ? reject(error) : resolve(got)));
		});
		expect(lines.length).toBeGreaterThan(0);
		expect(lines.join('\n')).toMatch(/panic/i);
	}, 40_000);
});
