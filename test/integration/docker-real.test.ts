import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createDockerService} from '../../source/services/docker.js';
import type {DockerService, RawLogLine, StatsSample} from '../../source/services/types.js';
import {
	createComposeContainer,
	dockerForTests,
	ensureBusyboxImage,
	eventually,
	removeProject,
	socketPath,
	uniqueProject,
} from '../helpers/docker.js';

const availability = await dockerForTests();

describe.skipIf(!availability.available)(`DockerService against the real engine${availability.reason ? ` (skipped: ${availability.reason})` : ''}`, () => {
	const project = uniqueProject('real');
	const otherProject = uniqueProject('other');
	let docker: DockerService;
	const names: Record<string, string> = {};

	beforeAll(async () => {
		await ensureBusyboxImage();
		const made = await Promise.all([
			createComposeContainer({project, service: 'busy', cmd: ['sh', '-c', 'while :; do :; done']}),
			createComposeContainer({
				project,
				service: 'web',
				cmd: ['sh', '-c', 'echo ready; echo warn >&2; while :; do sleep 0.2; echo tick; done'],
				env: ['SECRET_TOKEN=hunter2-do-not-show', 'MODE=test'],
				healthcheck: {test: ['CMD', 'true'], intervalMs: 500, retries: 3},
				restartPolicy: {name: 'unless-stopped'},
			}),
			createComposeContainer({project, service: 'failing', cmd: ['sh', '-c', 'echo bye; exit 3']}),
			createComposeContainer({project: otherProject, service: 'stranger', cmd: ['sleep', '600']}),
		]);
		for (const [i, service] of ['busy', 'web', 'failing', 'stranger'].entries()) names[service] = made[i].name;
		docker = createDockerService({socketPath, project, timeoutMs: 5000});
	});

	afterAll(async () => {
		docker?.close();
		await Promise.all([removeProject(project), removeProject(otherProject)]);
	});

	it('lists only the project containers, with compose service names and parsed health', async () => {
		const list = await eventually(
			async () => {
				const containers = await docker.listContainers();
				return containers.find(c => c.service === 'web')?.health === 'healthy' ? containers : undefined;
			},
			{what: 'web to become healthy'},
		);
		expect(list.map(c => c.service)).toEqual(['busy', 'failing', 'web']);
		for (const c of list) {
			expect(c.project).toBe(project);
			expect(c.name).toBe(names[c.service]);
			expect(c.name.startsWith('/')).toBe(false);
			expect(c.image).toBe('botops-test/busybox:latest');
			expect(c.id).toMatch(/^[0-9a-f]{64}$/);
			expect(Math.abs(c.createdAt - Date.now())).toBeLessThan(10 * 60_000);
		}
		const web = list.find(c => c.service === 'web')!;
		expect(web.state).toBe('running');
		expect(web.status).toMatch(/^Up .*\(healthy\)$/);
		expect(list.find(c => c.service === 'busy')!.health).toBe('none');
	});

	it('inspects env names without values, command, restart policy and restart count', async () => {
		const detail = await docker.inspect(names['web']);
		expect(detail.envNames).toEqual(expect.arrayContaining(['SECRET_TOKEN', 'MODE', 'PATH']));
		expect(JSON.stringify(detail)).not.toContain('hunter2');
		expect(detail.command).toEqual(['sh', '-c', 'echo ready; echo warn >&2; while :; do sleep 0.2; echo tick; done']);
		expect(detail.restartCount).toBe(0);
		expect(detail.restartPolicy).toBe('unless-stopped');
		expect(detail.networks).toEqual(['none']);
		expect(detail.labels['com.docker.compose.service']).toBe('web');
		expect(detail.state).toBe('running');
		expect(detail.startedAt).toBeGreaterThan(0);
		expect(detail.finishedAt).toBeUndefined();
		expect(detail.exitCode).toBeUndefined();
		expect(detail.oomKilled).toBe(false);
	});

	it('streams stats over one connection: a busy loop shows CPU, memory and a pid', async () => {
		const samples: StatsSample[] = [];
		let ended: Error | undefined | 'no';
		ended = 'no';
		const {id} = (await docker.listContainers()).find(c => c.service === 'busy')!;
		const unsubscribe = docker.streamStats(
			id,
			sample => samples.push(sample),
			error => {
				ended = error;
			},
		);
		try {
			await eventually(async () => (samples.length >= 2 ? true : undefined), {what: 'two stats samples', timeoutMs: 10_000});
		} finally {
			unsubscribe();
			// The busy loop has served its purpose; it would only slow the rest of the suite down.
			await docker.stop(id, 0);
		}
		const last = samples[samples.length - 1];
		expect(last.cpuPercent).toBeGreaterThan(0);
		expect(last.memUsage).toBeGreaterThan(0);
		expect(last.memLimit).toBeGreaterThanOrEqual(last.memUsage);
		expect(last.pids).toBeGreaterThanOrEqual(1);
		expect(samples[1].at).toBeGreaterThan(samples[0].at);
		for (const sample of samples) for (const value of Object.values(sample)) expect(Number.isFinite(value)).toBe(true);
		// Unsubscribing is the caller's own act: it is not reported back as an end.
		expect(ended).toBe('no');
	});

	it('reports a container that exited with its exit code', async () => {
		const failing = await eventually(
			async () => {
				const c = (await docker.listContainers()).find(x => x.service === 'failing');
				return c?.state === 'exited' ? c : undefined;
			},
			{what: 'failing to exit'},
		);
		expect(failing.status).toMatch(/^Exited \(3\) /);
		const detail = await docker.inspect(failing.id);
		expect(detail.exitCode).toBe(3);
		// Not compared with startedAt: for a process that exits at once the engine may stamp FinishedAt a hair earlier.
		expect(detail.finishedAt).toBeGreaterThan(Date.now() - 10 * 60_000);
		expect(detail.status).toMatch(/^Exited \(3\) .* ago$/);
	});

	it('execs argv and returns stdout, stderr and the exit code separately', async () => {
		expect(await docker.exec(names['web'], ['echo', 'hi'])).toEqual({exitCode: 0, stdout: 'hi\n', stderr: ''});
		const result = await docker.exec(names['web'], ['sh', '-c', 'echo out; echo err >&2; exit 5']);
		expect(result).toEqual({exitCode: 5, stdout: 'out\n', stderr: 'err\n'});
		// argv, not a shell string: the metacharacters reach echo untouched.
		expect((await docker.exec(names['web'], ['echo', '$HOME; rm -rf /'])).stdout).toBe('$HOME; rm -rf /\n');
		// Output comes back byte for byte: carriage returns kept, no newline invented.
		expect((await docker.exec(names['web'], ['printf', 'a\\r\\nb'])).stdout).toBe('a\r\nb');
		await expect(docker.exec(names['web'], [])).rejects.toThrow('docker: exec needs a command');
	});

	it('reads logs demultiplexed into stdout and stderr with parsed timestamps', async () => {
		const lines = await collectLogs(docker, names['web'], {follow: false, timestamps: true});
		const ready = lines.find(l => l.text === 'ready');
		const warn = lines.find(l => l.text === 'warn');
		expect(ready?.stream).toBe('stdout');
		expect(warn?.stream).toBe('stderr');
		for (const line of lines) {
			expect(line.time).toBeGreaterThan(Date.now() - 10 * 60_000);
			expect(line.time).toBeLessThanOrEqual(Date.now() + 1000);
			expect(line.text).not.toMatch(/^\d{4}-\d\d-\d\dT/);
		}
		const plain = await collectLogs(docker, names['web'], {follow: false, timestamps: false, tail: 1});
		expect(plain).toHaveLength(1);
		expect(plain[0].time).toBeUndefined();
	});

	it('follows logs: new lines arrive in batches until unsubscribed', async () => {
		const since = Math.floor(Date.now() / 1000);
		const batches: RawLogLine[][] = [];
		const unsubscribe = docker.streamLogs(names['web'], {follow: true, timestamps: true, tail: 0, since}, lines => batches.push(lines), () => {});
		try {
			await eventually(async () => (batches.flat().filter(l => l.text === 'tick').length >= 3 ? true : undefined), {what: 'three followed ticks'});
		} finally {
			unsubscribe();
		}
		for (const batch of batches) expect(batch.length).toBeGreaterThan(0);
		for (const line of batches.flat()) expect(line.time).toBeGreaterThanOrEqual(since * 1000);
	});

	it('stops and starts (both idempotent), and restart moves StartedAt', async () => {
		const before = await docker.inspect(names['web']);
		await docker.restart(names['web'], 1);
		const restarted = await docker.inspect(names['web']);
		expect(restarted.state).toBe('running');
		expect(restarted.startedAt).toBeGreaterThan(before.startedAt!);

		await docker.stop(names['web'], 1);
		const stopped = await docker.inspect(names['web']);
		expect(stopped.state).toBe('exited');
		await docker.stop(names['web'], 1);

		await docker.start(names['web']);
		const started = await docker.inspect(names['web']);
		expect(started.state).toBe('running');
		expect(started.startedAt).toBeGreaterThan(restarted.startedAt!);
		await docker.start(names['web']);
	});

	it('ends a followed log stream without error when the container stops', async () => {
		const {name} = await createComposeContainer({project, service: 'short', cmd: ['sh', '-c', 'while :; do sleep 0.1; done']});
		const end = new Promise<Error | undefined>(resolve => {
			docker.streamLogs(name, {follow: true, timestamps: false}, () => {}, resolve);
		});
		await docker.stop(name, 1);
		expect(await end).toBeUndefined();
	});

	it('turns failures into short messages: unknown container, missing socket, silent engine', async () => {
		await expect(docker.inspect('botops-no-such-container')).rejects.toThrow(/^docker: no such container botops-no-such-container$/);
		await expect(docker.restart('botops-no-such-container', 1)).rejects.toThrow('docker: no such container botops-no-such-container');
		const error = await new Promise<Error | undefined>(resolve => docker.streamStats('botops-no-such-container', () => {}, resolve));
		expect(error?.message).toBe('docker: no such container botops-no-such-container');

		const nowhere = createDockerService({socketPath: '/tmp/botops-missing.sock', project});
		await expect(nowhere.listContainers()).rejects.toThrow(/^docker: connect ENOENT \/tmp\/botops-missing\.sock$/);
		nowhere.close();
	});
});

function collectLogs(docker: DockerService, id: string, options: {follow: false; timestamps: boolean; tail?: number}): Promise<RawLogLine[]> {
	return new Promise((resolve, reject) => {
		const lines: RawLogLine[] = [];
		docker.streamLogs(id, options, batch => lines.push(...batch), error => (error ? reject(error) : resolve(lines)));
	});
}
