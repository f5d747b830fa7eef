import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createDockerService} from '../../source/services/docker.js';
import {LogDemuxer} from '../../source/services/docker-frames.js';
import type {ContainerHealth, ContainerState, DockerService, RawLogLine, StatsSample} from '../../source/services/types.js';
import {createComposeContainer, dockerForTests, ensureBusyboxImage, eventually, removeProject, socketPath, uniqueProject} from '../helpers/docker.js';
import {startHttpServer, type TestServer} from '../helpers/http.js';

/**
 * One contract, two engines: botops must behave the same against the real Docker engine and against the demo
 * deployment's Docker API, or the demo teaches operators things production will not do.
 */
type Target = {
	docker: DockerService;
	project: string;
	/** Services the list must contain. */
	services: string[];
	/** A running container that logs, used for inspect, stats, logs and lifecycle. */
	subject: string;
	stop(): Promise<void>;
};

const availability = await dockerForTests();

const targets: Array<{name: string; skip?: string; start(): Promise<Target>}> = [
	{
		name: 'real Docker engine',
		skip: availability.reason,
		async start() {
			await ensureBusyboxImage();
			const project = uniqueProject('contract');
			const [api] = await Promise.all([
				createComposeContainer({
					project,
					service: 'api',
					cmd: ['sh', '-c', 'echo started; echo warming >&2; while :; do echo "tick $(date)"; sleep 0.5; done'],
					env: ['API_KEY=not-for-screens', 'LOG_LEVEL=info'],
				}),
				createComposeContainer({project, service: 'db', cmd: ['sleep', '600']}),
			]);
			const docker = createDockerService({socketPath, project, timeoutMs: 5000});
			return {
				docker,
				project,
				services: ['api', 'db'],
				subject: api.name,
				async stop() {
					docker.close();
					await removeProject(project);
				},
			};
		},
	},
	{
		name: 'demo deployment',
		async start() {
			const {startDemo} = await import('../../source/demo/index.js');
			const demo = await startDemo();
			const docker = createDockerService({socketPath: demo.dockerSocketPath, project: 'bot-core', timeoutMs: 5000});
			return {
				docker,
				project: 'bot-core',
				services: ['rust-core-engine', 'python-ai-service', 'nextjs-ui-dashboard', 'mongodb-primary', 'redis', 'prometheus', 'grafana'],
				subject: 'rust-core-engine',
				async stop() {
					docker.close();
					await demo.stop();
				},
			};
		},
	},
];

const states: ContainerState[] = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];
const healths: ContainerHealth[] = ['healthy', 'unhealthy', 'starting', 'none'];

describe.each(targets)('Docker contract: $name', ({name, skip, start}) => {
	let target: Target;

	beforeAll(async () => {
		if (skip) return;
		target = await start();
	});

	afterAll(async () => {
		await target?.stop();
	});

	describe.skipIf(Boolean(skip))(skip ? `skipped: ${skip}` : `against the ${name}`, () => {
		it('lists the project containers with sane fields', async () => {
			const list = await target.docker.listContainers();
			expect(list.map(c => c.service)).toEqual(expect.arrayContaining(target.services));
			for (const c of list) {
				expect(c.project).toBe(target.project);
				expect(c.id.length).toBeGreaterThanOrEqual(12);
				expect(c.name).not.toMatch(/^\//);
				expect(c.name.length).toBeGreaterThan(0);
				expect(c.service.length).toBeGreaterThan(0);
				expect(c.image.length).toBeGreaterThan(0);
				expect(states).toContain(c.state);
				expect(healths).toContain(c.health);
				expect(Number.isFinite(c.createdAt)).toBe(true);
				expect(c.createdAt).toBeGreaterThan(Date.parse('2000-01-01'));
				expect(c.createdAt).toBeLessThanOrEqual(Date.now() + 60_000);
				if (c.state === 'running') expect(c.status).toMatch(/^Up /);
			}
			expect(new Set(list.map(c => c.id)).size).toBe(list.length);
			expect(list.find(c => c.name === target.subject)?.state).toBe('running');
		});

		it('inspects by name and by id, exposing env names only', async () => {
			const byName = await target.docker.inspect(target.subject);
			const byId = await target.docker.inspect(byName.id);
			expect(byId.id).toBe(byName.id);
			expect(byName.name).toBe(target.subject);
			expect(byName.state).toBe('running');
			expect(byName.startedAt).toBeGreaterThan(Date.parse('2000-01-01'));
			expect(byName.restartCount).toBeGreaterThanOrEqual(0);
			expect(Number.isInteger(byName.restartCount)).toBe(true);
			expect(byName.command.length).toBeGreaterThan(0);
			expect(byName.labels['com.docker.compose.project']).toBe(target.project);
			expect(byName.envNames.length).toBeGreaterThan(0);
			for (const envName of byName.envNames) expect(envName).toMatch(/^[^=]+$/);
			expect(typeof byName.oomKilled).toBe('boolean');
			expect(Array.isArray(byName.healthLog)).toBe(true);
		});

		it('samples stats one-shot: finite figures, each later than the one before, CPU measured between them', async () => {
			const first = await target.docker.sampleStats(target.subject);
			const second = await target.docker.sampleStats(target.subject);
			for (const s of [first, second]) {
				for (const value of Object.values(s)) expect(Number.isFinite(value)).toBe(true);
				expect(s.cpuPercent).toBeGreaterThanOrEqual(0);
				expect(s.memUsage).toBeGreaterThan(0);
				expect(s.memUsage).toBeLessThanOrEqual(s.memLimit);
				expect(s.pids).toBeGreaterThanOrEqual(1);
			}
			expect(second.at).toBeGreaterThan(first.at);
		});

		it('streams stats samples that are finite and consistent', async () => {
			const samples: StatsSample[] = [];
			const unsubscribe = target.docker.streamStats(target.subject, s => samples.push(s), () => {});
			try {
				await eventually(async () => (samples.length >= 2 ? true : undefined), {what: 'two stats samples', timeoutMs: 10_000});
			} finally {
				unsubscribe();
			}
			for (const s of samples) {
				for (const value of Object.values(s)) expect(Number.isFinite(value)).toBe(true);
				expect(s.cpuPercent).toBeGreaterThanOrEqual(0);
				expect(s.memUsage).toBeGreaterThan(0);
				expect(s.memLimit).toBeGreaterThan(0);
				expect(s.memUsage).toBeLessThanOrEqual(s.memLimit);
				expect(s.memPercent).toBeCloseTo((s.memUsage / s.memLimit) * 100, 6);
				expect(s.pids).toBeGreaterThanOrEqual(1);
				expect(Math.abs(s.at - Date.now())).toBeLessThan(5 * 60_000);
			}
			expect(samples[1].at).toBeGreaterThan(samples[0].at);
		});

		it('returns logs demultiplexed, with timestamps parsed and stripped', async () => {
			const lines = await readLogs(target.docker, target.subject, {follow: false, timestamps: true, tail: 50});
			expect(lines.length).toBeGreaterThan(0);
			expect(lines.length).toBeLessThanOrEqual(50);
			for (const line of lines) {
				expect(['stdout', 'stderr']).toContain(line.stream);
				expect(Number.isFinite(line.time)).toBe(true);
				expect(Math.abs(line.time! - Date.now())).toBeLessThan(24 * 3_600_000);
				expect(line.text).not.toContain('\n');
				// A header byte leaking into text would mean the framing was not removed.
				expect(line.text).not.toMatch(/[\u0000-\u0002]\u0000\u0000\u0000/);
			}
			// The stamp is stripped: the same lines read without timestamps have the same text (applications may
			// print their own timestamps, so the text itself may well start with one).
			const plain = await readLogs(target.docker, target.subject, {follow: false, timestamps: false, tail: 500});
			const plainTexts = new Set(plain.map(l => l.text));
			for (const line of lines) expect(plainTexts.has(line.text)).toBe(true);
			for (const line of plain) expect(line.time).toBeUndefined();
			// stdout and stderr are copied separately by the engine, so only each stream on its own is in time order.
			for (const stream of ['stdout', 'stderr'] as const) {
				const times = lines.filter(l => l.stream === stream).map(l => l.time!);
				expect([...times].sort((a, b) => a - b)).toEqual(times);
			}
		});

		it('stops and starts, changing state', async () => {
			await target.docker.stop(target.subject, 1);
			expect((await target.docker.inspect(target.subject)).state).toBe('exited');
			expect((await target.docker.listContainers()).find(c => c.name === target.subject)?.state).toBe('exited');
			await target.docker.start(target.subject);
			const started = await target.docker.inspect(target.subject);
			expect(started.state).toBe('running');
			expect(started.finishedAt).toBeGreaterThan(0);
		});

		it('restarts, moving startedAt forward', async () => {
			const before = await target.docker.inspect(target.subject);
			await target.docker.restart(target.subject, 1);
			const after = await target.docker.inspect(target.subject);
			expect(after.state).toBe('running');
			expect(after.startedAt).toBeGreaterThan(before.startedAt!);
		});

		it('names an unknown container in a short error', async () => {
			await expect(target.docker.inspect('botops-missing-container')).rejects.toThrow(/^docker: no such container botops-missing-container$/);
			await expect(target.docker.stop('botops-missing-container', 1)).rejects.toThrow(/^docker: no such container botops-missing-container$/);
			const ended = await new Promise<Error | undefined>(resolve => target.docker.streamLogs('botops-missing-container', {follow: false, timestamps: true}, () => {}, resolve));
			expect(ended?.message).toBe('docker: no such container botops-missing-container');
		});
	});
});

describe('Docker wire handling (a byte-exact fake engine on a unix socket)', () => {
	const dir = mkdtempSync(join(tmpdir(), 'botops-wire-'));
	const socket = join(dir, 'docker.sock');
	let server: TestServer;
	let logBody: Buffer[] = [];
	let statsBody: string[] = [];

	beforeAll(async () => {
		server = await startHttpServer(
			(req, res) => {
				const url = new URL(req.url ?? '/', 'http://engine');
				if (url.pathname.endsWith('/silent/json')) return; // never answers
				if (url.pathname.endsWith('/broken/json')) {
					res.writeHead(500, {'content-type': 'application/json'});
					res.end(JSON.stringify({message: 'OCI runtime exec failed: token=abc123 leaked'}));
					return;
				}
				if (url.pathname.endsWith('/containers/json')) {
					res.writeHead(200, {'content-type': 'application/json'});
					res.end(JSON.stringify(fakeList(url, 'unix')));
					return;
				}
				if (url.pathname.endsWith('/logs')) {
					res.writeHead(200, {'content-type': 'application/vnd.docker.raw-stream'});
					writeSlowly(res, logBody);
					return;
				}
				if (url.pathname.endsWith('/stats')) {
					res.writeHead(200, {'content-type': 'application/json'});
					writeSlowly(
						res,
						statsBody.map(s => Buffer.from(s)),
					);
					return;
				}
				res.writeHead(404, {'content-type': 'application/json'});
				res.end(JSON.stringify({message: 'page not found'}));
			},
			{socketPath: socket},
		);
	});

	afterAll(async () => {
		await server?.close();
		rmSync(dir, {recursive: true, force: true});
	});

	const service = () => createDockerService({socketPath: socket, project: 'p', timeoutMs: 300});

	it('reassembles headers, lines and UTF-8 characters split anywhere, byte by byte', () => {
		const wire = Buffer.concat(sampleFrames());
		const demuxer = new LogDemuxer(true);
		const lines: RawLogLine[] = [];
		for (const byte of wire) lines.push(...demuxer.push(Buffer.from([byte])));
		lines.push(...demuxer.flush());
		expect(lines).toEqual(expectedLines);
	});

	it('gives the same lines for every single split point of the stream', () => {
		const wire = Buffer.concat(sampleFrames());
		for (let cut = 1; cut < wire.length; cut++) {
			const demuxer = new LogDemuxer(true);
			const lines = [...demuxer.push(wire.subarray(0, cut)), ...demuxer.push(wire.subarray(cut)), ...demuxer.flush()];
			expect(lines).toEqual(expectedLines);
		}
	});

	it('passes a TTY container stream (no framing) through as stdout lines', () => {
		const demuxer = new LogDemuxer(false);
		const lines = [...demuxer.push(Buffer.from('hello\r\nwor')), ...demuxer.push(Buffer.from('ld\npartial')), ...demuxer.flush()];
		expect(lines).toEqual([
			{stream: 'stdout', text: 'hello'},
			{stream: 'stdout', text: 'world'},
			{stream: 'stdout', text: 'partial'},
		]);
	});

	it('streams logs over HTTP in per-chunk batches and flushes the unterminated last line at the end', async () => {
		logBody = sampleFrames();
		const docker = service();
		const batches: RawLogLine[][] = [];
		const ended = await new Promise<Error | undefined>(resolve => docker.streamLogs('c1', {follow: true, timestamps: true}, b => batches.push(b), resolve));
		expect(ended).toBeUndefined();
		expect(batches.flat()).toEqual(expectedLines);
		for (const batch of batches) expect(batch.length).toBeGreaterThan(0);
		docker.close();
	});

	it('parses stats JSON split across chunks and ends when the engine closes the stream', async () => {
		const one = JSON.stringify({read: '2025-10-11T09:00:01Z', memory_stats: {usage: 100, limit: 400}, pids_stats: {current: 2}});
		const two = JSON.stringify({read: '2025-10-11T09:00:02Z', memory_stats: {usage: 200, limit: 400}, pids_stats: {current: 3}});
		const text = `${one}\n${two}\n`;
		statsBody = [text.slice(0, 10), text.slice(10, one.length + 5), text.slice(one.length + 5)];
		const docker = service();
		const samples: StatsSample[] = [];
		const ended = await new Promise<Error | undefined>(resolve => docker.streamStats('c1', s => samples.push(s), resolve));
		expect(ended).toBeUndefined();
		expect(samples.map(s => [s.at, s.memPercent, s.pids])).toEqual([
			[Date.parse('2025-10-11T09:00:01Z'), 25, 2],
			[Date.parse('2025-10-11T09:00:02Z'), 50, 3],
		]);
	});

	it('times out a silent engine and masks secrets in engine messages', async () => {
		const docker = service();
		await expect(docker.inspect('silent')).rejects.toThrow(/^docker: timeout after 300 ms$/);
		await expect(docker.inspect('broken')).rejects.toThrow(/^docker: OCI runtime exec failed: token=\*\*\* leaked$/);
		docker.close();
	});

	it('asks for all containers of the project label and maps compose names and health', async () => {
		const list = await service().listContainers();
		expect(list.map(c => [c.name, c.service, c.state, c.health, c.createdAt])).toEqual([
			['p-api-1', 'api', 'running', 'healthy', 1_700_000_000_000],
			['p-db-1', 'db', 'running', 'starting', 1_700_000_000_000],
			['p-web-1', 'p-web-1', 'exited', 'none', 1_700_000_000_000],
			['p-worker-1', 'worker', 'running', 'unhealthy', 1_700_000_000_000],
		]);
		expect(list[0].project).toBe('p');
		expect(list[0].status).toBe('Up 2 minutes (healthy)');
	});

	it('connects where told: socketPath over host over DOCKER_HOST', async () => {
		const tcp = await startHttpServer((req, res) => {
			res.writeHead(200, {'content-type': 'application/json'});
			res.end(JSON.stringify(fakeList(new URL(req.url ?? '/', 'http://engine'), 'tcp')));
		});
		const saved = process.env['DOCKER_HOST'];
		try {
			const tcpHost = `tcp://127.0.0.1:${tcp.port}`;
			const viaHost = await createDockerService({host: tcpHost, project: 'p'}).listContainers();
			expect(viaHost[0].image).toBe('via-tcp');
			process.env['DOCKER_HOST'] = tcpHost;
			expect((await createDockerService({project: 'p'}).listContainers())[0].image).toBe('via-tcp');
			expect((await createDockerService({socketPath: socket, project: 'p'}).listContainers())[0].image).toBe('via-unix');
			process.env['DOCKER_HOST'] = `unix://${socket}`;
			expect((await createDockerService({project: 'p'}).listContainers())[0].image).toBe('via-unix');
		} finally {
			if (saved === undefined) delete process.env['DOCKER_HOST'];
			else process.env['DOCKER_HOST'] = saved;
			await tcp.close();
		}
	});

	it('does not report an end after unsubscribe or close', async () => {
		logBody = sampleFrames();
		const docker = service();
		let ends = 0;
		const unsubscribe = docker.streamLogs('c1', {follow: true, timestamps: true}, () => {}, () => ends++);
		unsubscribe();
		docker.streamStats('c1', () => {}, () => ends++);
		docker.close();
		// Give the (already cancelled) requests a chance to complete; neither may report back.
		await new Promise(resolve => setTimeout(resolve, 100));
		expect(ends).toBe(0);
	});
});

/** The list endpoint's answer, only when botops asked for every container of project "p". */
function fakeList(url: URL, via: string): unknown[] {
	const filters = JSON.parse(url.searchParams.get('filters') ?? '{}') as {label?: string[]};
	if (url.searchParams.get('all') !== 'true' || JSON.stringify(filters.label) !== '["com.docker.compose.project=p"]') return [];
	const container = (name: string, service: string | undefined, state: string, status: string) => ({
		Id: `${name}-id`.padEnd(64, '0'),
		Names: [`/${name}`],
		Image: `via-${via}`,
		Created: 1_700_000_000,
		State: state,
		Status: status,
		Labels: {'com.docker.compose.project': 'p', ...(service ? {'com.docker.compose.service': service} : {})},
	});
	return [
		container('p-worker-1', 'worker', 'running', 'Up 5 seconds (unhealthy)'),
		container('p-web-1', undefined, 'exited', 'Exited (137) 3 hours ago'),
		container('p-api-1', 'api', 'running', 'Up 2 minutes (healthy)'),
		container('p-db-1', 'db', 'running', 'Up 1 second (health: starting)'),
	];
}

const t1 = '2025-10-11T09:00:01.123456789Z';
const t2 = '2025-10-11T09:00:02.5Z';

function frame(kind: 1 | 2, text: string): Buffer {
	const payload = Buffer.from(text, 'utf8');
	const header = Buffer.alloc(8);
	header[0] = kind;
	header.writeUInt32BE(payload.length, 4);
	return Buffer.concat([header, payload]);
}

/** Frames as the engine may cut them: a line over two frames, a multi-byte character over two frames, interleaving. */
function sampleFrames(): Buffer[] {
	const euro = Buffer.from('€'); // 3 bytes
	const splitChar = (kind: 1 | 2, before: string, after: string) => {
		const payload = Buffer.concat([Buffer.from(before), euro]);
		return [payload.subarray(0, payload.length - 2), Buffer.concat([payload.subarray(payload.length - 2), Buffer.from(after)])].map(p => {
			const header = Buffer.alloc(8);
			header[0] = kind;
			header.writeUInt32BE(p.length, 4);
			return Buffer.concat([header, p]);
		});
	};
	return [
		frame(1, `${t1} engine started\n${t1} listening on 8080\n`),
		frame(2, `${t1} WARN slow `),
		frame(1, `${t2} tick\r\n`),
		frame(2, `start\n`),
		...splitChar(1, `${t2} price 5`, ' per unit\n'),
		frame(2, `${t2} no newline at the end`),
	];
}

const expectedLines: RawLogLine[] = [
	{stream: 'stdout', time: Date.parse(t1), text: 'engine started'},
	{stream: 'stdout', time: Date.parse(t1), text: 'listening on 8080'},
	{stream: 'stdout', time: Date.parse(t2), text: 'tick'},
	{stream: 'stderr', time: Date.parse(t1), text: 'WARN slow start'},
	{stream: 'stdout', time: Date.parse(t2), text: 'price 5€ per unit'},
	{stream: 'stderr', time: Date.parse(t2), text: 'no newline at the end'},
];

/** Writes each buffer in its own tick so the client sees separate chunks (a test of reassembly, not of timing). */
function writeSlowly(res: import('node:http').ServerResponse, parts: Buffer[]): void {
	let i = 0;
	const next = () => {
		if (res.destroyed) return;
		if (i >= parts.length) {
			res.end();
			return;
		}
		res.write(parts[i++]);
		setTimeout(next, 5);
	};
	next();
}

function readLogs(docker: DockerService, id: string, options: {follow: false; timestamps: boolean; tail?: number}): Promise<RawLogLine[]> {
	return new Promise((resolve, reject) => {
		const lines: RawLogLine[] = [];
		docker.streamLogs(id, options, batch => lines.push(...batch), error => (error ? reject(error) : resolve(lines)));
	});
}
