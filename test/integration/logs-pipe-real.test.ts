import {spawn} from 'node:child_process';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {Writable} from 'node:stream';
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';
import {runLogsCommand} from '../../source/commands/logs.js';
import {createDockerService} from '../../source/services/docker.js';
import type {DockerService} from '../../source/services/types.js';
import {createComposeContainer, dockerForTests, engine, ensureBusyboxImage, eventually, removeProject, socketPath, uniqueProject} from '../helpers/docker.js';

const availability = await dockerForTests();
const root = fileURLToPath(new URL('../..', import.meta.url));

const services = ['alpha', 'beta', 'gamma'];
const linesEach = 20_000;
/** Prints its lines as fast as busybox can, then exits: the whole log is there before botops reads it. */
const burst = (service: string) => [
	'sh',
	'-c',
	`i=0; while [ $i -lt ${linesEach} ]; do echo "2026-11-25 12:00:00,100 - ${service} - INFO - line $i of a burst"; i=$((i+1)); done`,
];

/** Wraps a Docker service to see, per log stream, whether botops holds it (a slow writer) or it ended. */
function watchStreams(docker: DockerService) {
	const state = new Map<string, 'flowing' | 'held' | 'ended'>();
	const watched: DockerService = {
		...docker,
		streamLogs(id, options, onLines, onEnd) {
			state.set(id, 'flowing');
			return docker.streamLogs(
				id,
				options,
				lines => {
					const pending = onLines(lines);
					if (pending instanceof Promise) {
						state.set(id, 'held');
						void pending.then(() => state.get(id) === 'held' && state.set(id, 'flowing'));
					}
					return pending;
				},
				error => {
					state.set(id, 'ended');
					onEnd(error);
				},
			);
		},
	};
	return {watched, state};
}

describe.skipIf(!availability.available)('botops logs into a slow or closed pipe, against the real engine', () => {
	const project = uniqueProject('logs-pipe');
	let directory: string;
	let configFile: string;
	let docker: DockerService;

	beforeAll(async () => {
		await ensureBusyboxImage();
		const ids = await Promise.all(services.map(async service => (await createComposeContainer({project, service, cmd: burst(service)})).id));
		await eventually(async () => ((await Promise.all(ids.map(id => engine().getContainer(id).inspect()))).every(c => c.State.Status === 'exited') ? true : undefined), {
			what: 'the burst containers to finish',
			timeoutMs: 30_000,
		});
		directory = await mkdtemp(join(tmpdir(), 'botops-logs-pipe-'));
		configFile = join(directory, 'config.yaml');
		const serviceList = services.map(name => `      - {name: ${name}}`).join('\n');
		await writeFile(configFile, `defaultEnvironment: local\nenvironments:\n  local:\n    backend: {type: compose, socketPath: ${socketPath}, project: ${project}}\n    services:\n${serviceList}\n`);
		docker = createDockerService({socketPath, project});
	});

	afterAll(async () => {
		docker?.close();
		await removeProject(project);
		if (directory) await rm(directory, {recursive: true, force: true});
	});

	it('waits for a full writer: one drain listener at most, the engine streams held, and every line arrives', async () => {
		const warnings: Error[] = [];
		const onWarning = (warning: Error) => warnings.push(warning);
		process.on('warning', onWarning);
		let held: Array<() => void> | undefined = [];
		let text = '';
		const stdout = new Writable({
			highWaterMark: 1024,
			write(chunk: Buffer, _encoding, callback) {
				text += chunk.toString();
				// Until released, nothing is written: the pipe is full, as behind `| less` or a stalled `| head`.
				if (held) held.push(callback);
				else setImmediate(callback);
			},
		});
		let maxDrainListeners = 0;
		stdout.on('newListener', event => {
			if (event === 'drain') maxDrainListeners = Math.max(maxDrainListeners, stdout.listenerCount('drain') + 1);
		});
		const {watched, state} = watchStreams(docker);
		const stderr = new Writable({write: (_chunk, _encoding, callback) => callback()});
		const run = runLogsCommand(
			{services: [], follow: false, json: false, stdin: false, color: false},
			{stdout, stderr, stdin: process.stdin, knownServices: services, openDocker: async () => watched},
		);
		try {
			// Every stream is either held by botops or has ended: from here on nothing more would be read or written.
			await vi.waitFor(
				() => {
					expect(state.size).toBe(services.length);
					expect([...state.values()].every(s => s !== 'flowing')).toBe(true);
				},
				{timeout: 20_000, interval: 20},
			);
			expect([...state.values()]).toContain('held');
			expect(stdout.listenerCount('drain')).toBeLessThanOrEqual(1);
			const release = held!;
			held = undefined;
			for (const callback of release) callback();
			expect(await run).toBe(0);
		} finally {
			process.off('warning', onWarning);
		}
		expect(maxDrainListeners).toBeLessThanOrEqual(1);
		expect(warnings.map(w => w.name)).not.toContain('MaxListenersExceededWarning');
		const lines = text.trimEnd().split('\n');
		expect(lines).toHaveLength(services.length * linesEach);
		for (const service of services) expect(lines.filter(line => line.includes(` - ${service} - INFO - line ${linesEach - 1} of`))).toHaveLength(1);
	});

	it('`botops logs | head` ends quietly: no MaxListenersExceededWarning, exit 0', async () => {
		const headLines = 20_000;
		const script = `node --import tsx source/cli.tsx --config "$CONFIG" logs 2>"$ERR" | head -n ${headLines} | wc -l; echo "botops exit \${PIPESTATUS[0]}"`;
		const errFile = join(directory, 'stderr.txt');
		const child = spawn('bash', ['-c', script], {cwd: root, env: {...process.env, CONFIG: configFile, ERR: errFile, NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'inherit']});
		let out = '';
		child.stdout.on('data', (chunk: Buffer) => {
			out += chunk.toString();
		});
		const code = await new Promise<number | null>(resolve => child.once('close', resolve));
		const {readFile} = await import('node:fs/promises');
		const stderr = await readFile(errFile, 'utf8');
		expect(stderr).not.toContain('MaxListenersExceededWarning');
		expect(stderr).toBe('');
		expect(code).toBe(0);
		expect(out.trim().split('\n')).toEqual([String(headLines), 'botops exit 0']);
	});
});
