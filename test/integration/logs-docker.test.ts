import {Writable} from 'node:stream';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runLogsCommand} from '../../source/commands/logs.js';
import type {LogRecord} from '../../source/logs/record.js';
import {createDockerService} from '../../source/services/docker.js';
import {createDockerLogSource, type LogSourceStatus} from '../../source/services/log-source.js';
import type {DockerService} from '../../source/services/types.js';
import {createComposeContainer, dockerForTests, engine, ensureBusyboxImage, eventually, removeProject, socketPath, uniqueProject} from '../helpers/docker.js';

const availability = await dockerForTests();

// A run id per process start: after a restart the counter starts again, but no line repeats unless botops duplicates it.
const ticker = (word: string, every: string) => [
	'sh',
	'-c',
	`run=$(cat /proc/sys/kernel/random/uuid | cut -c1-8); i=0; while true; do i=$((i+1)); echo "INFO ${word} $run $i"; echo "ERROR ${word}-err $run $i" >&2; sleep ${every}; done`,
];

describe.skipIf(!availability.available)('Docker log source against the real engine', () => {
	const project = uniqueProject('logs');
	let docker: DockerService;
	let tickerId: string;

	beforeAll(async () => {
		await ensureBusyboxImage();
		tickerId = (await createComposeContainer({project, service: 'ticker', cmd: ticker('tick', '0.1')})).id;
		await createComposeContainer({project, service: 'other', cmd: ticker('other', '0.15')});
		docker = createDockerService({socketPath, project});
	});

	afterAll(async () => {
		docker?.close();
		await removeProject(project);
	});

	it('without follow: merges both services in time order, stdout and stderr, then ends', async () => {
		await eventually(async () => ((await docker.listContainers()).length === 2 ? true : undefined), {what: 'two containers'});
		await new Promise(resolve => setTimeout(resolve, 600));
		const records: LogRecord[] = [];
		const statuses: LogSourceStatus[] = [];
		await new Promise<void>(resolve => {
			createDockerLogSource({docker}).subscribe(['ticker', 'other'], {follow: false}, batch => records.push(...batch), status => {
				statuses.push(status);
				if (status.service === '*') resolve();
			});
		});
		expect(statuses.at(-1)).toMatchObject({service: '*', state: 'ended'});
		expect(new Set(records.map(r => r.service))).toEqual(new Set(['ticker', 'other']));
		expect(records.some(r => r.stream === 'stderr' && r.level === 'error')).toBe(true);
		expect(records.some(r => r.stream === 'stdout' && r.level === 'info')).toBe(true);
		const times = records.map(r => r.time);
		expect(times).toEqual([...times].sort((a, b) => a - b));
		expect(records.map(r => r.seq)).toEqual(records.map((_, i) => i + 1));
	});

	it('follows across a container restart: writes the restart marker and duplicates nothing', async () => {
		const records: LogRecord[] = [];
		const unsubscribe = createDockerLogSource({docker, backoff: {initialMs: 100, maxMs: 1000}}).subscribe(
			['ticker'],
			{follow: true, tail: 5},
			batch => records.push(...batch),
			() => undefined,
		);
		try {
			await eventually(async () => (records.length >= 10 ? true : undefined), {what: 'ten lines before the restart'});
			await engine().getContainer(tickerId).restart({t: 1});
			const marker = await eventually(async () => records.find(r => r.stream === 'marker' && r.text.includes('ticker restarted')), {
				what: 'the restart marker',
				timeoutMs: 20_000,
			});
			const runs = () => new Set(records.filter(r => r.stream !== 'marker').map(r => r.text.split(' ')[2]));
			// Lines of the new process (a second run id) after the marker.
			await eventually(async () => (runs().size >= 2 && records.indexOf(marker) < records.length - 4 ? true : undefined), {
				what: 'lines after the restart',
			});
			expect(marker.text).toMatch(/^— ticker restarted \d\d:\d\d:\d\d —$/);
			const lines = records.filter(r => r.stream !== 'marker').map(r => `${r.stream} ${r.text}`);
			expect(new Set(lines).size).toBe(lines.length);
			const before = records.slice(0, records.indexOf(marker)).filter(r => r.stream !== 'marker');
			const after = records.slice(records.indexOf(marker) + 1).filter(r => r.stream !== 'marker');
			const oldRun = before[0]!.text.split(' ')[2];
			expect(after.every(r => r.text.split(' ')[2] !== oldRun)).toBe(true);
			expect(new Set(after.map(r => r.stream))).toEqual(new Set(['stdout', 'stderr']));
		} finally {
			unsubscribe();
		}
	});

	it('botops logs --level error --json reads the containers through the same pipeline', async () => {
		let out = '';
		const stdout = new Writable({
			write(chunk: Buffer, _encoding, callback) {
				out += chunk.toString();
				callback();
			},
		});
		const code = await runLogsCommand(
			{services: ['other'], level: 'error', json: true, follow: false, stdin: false, color: false, tail: 20},
			{stdout, stderr: process.stderr, stdin: process.stdin, knownServices: ['ticker', 'other'], openDocker: async () => createDockerService({socketPath, project})},
		);
		expect(code).toBe(0);
		const objects = out.trimEnd().split('\n').map(line => JSON.parse(line) as {service: string; level: string; message: string; time: string});
		expect(objects.length).toBeGreaterThan(0);
		expect(objects.length).toBeLessThanOrEqual(20);
		expect(objects.every(o => o.service === 'other' && o.level === 'error' && o.message.startsWith('ERROR other-err'))).toBe(true);
		expect(Number.isNaN(Date.parse(objects[0]!.time))).toBe(false);
	});
});
