import http from 'node:http';
import {existsSync} from 'node:fs';
import {PassThrough, type Readable} from 'node:stream';
import Docker from 'dockerode';
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';

let demo: DemoDeployment;
let docker: Docker;

beforeAll(async () => {
	demo = await startDemo({seed: 42});
	docker = new Docker({socketPath: demo.dockerSocketPath});
});

afterAll(async () => {
	const socket = demo.dockerSocketPath;
	await demo.stop();
	expect(existsSync(socket)).toBe(false);
});

type Frame = {stream: 'stdout' | 'stderr'; text: string};

/** Parses the stdcopy framing by hand so a framing bug cannot hide behind the client's demuxer. */
function parseFrames(buffer: Buffer): Frame[] {
	const frames: Frame[] = [];
	let offset = 0;
	while (offset < buffer.length) {
		expect(buffer.length - offset).toBeGreaterThanOrEqual(8);
		const kind = buffer[offset];
		expect([1, 2]).toContain(kind);
		expect([...buffer.subarray(offset + 1, offset + 4)]).toEqual([0, 0, 0]);
		const length = buffer.readUInt32BE(offset + 4);
		frames.push({stream: kind === 1 ? 'stdout' : 'stderr', text: buffer.subarray(offset + 8, offset + 8 + length).toString('utf8')});
		offset += 8 + length;
	}
	return frames;
}

/** Collects a dockerode stream demultiplexed with docker-modem's own demuxer. */
function demux(stream: Readable): Promise<{stdout: string; stderr: string}> {
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	let out = '';
	let err = '';
	stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
	stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
	docker.modem.demuxStream(stream, stdout, stderr);
	return new Promise((resolve, reject) => {
		stream.on('end', () => resolve({stdout: out, stderr: err}));
		stream.on('error', reject);
	});
}

function raw(path: string, method = 'GET'): Promise<{status: number; body: string; headers: http.IncomingHttpHeaders}> {
	return new Promise((resolve, reject) => {
		const req = http.request({socketPath: demo.dockerSocketPath, path, method}, res => {
			let body = '';
			res.on('data', d => (body += d));
			res.on('end', () => resolve({status: res.statusCode ?? 0, body, headers: res.headers}));
		});
		req.on('error', reject);
		req.end();
	});
}

describe('demo Docker Engine API through dockerode', () => {
	it('answers ping, version and info', async () => {
		expect((await docker.ping()).toString()).toBe('OK');
		const version = await docker.version();
		expect(version.ApiVersion).toMatch(/^1\.\d+$/);
		const info = await docker.info();
		expect(info.ContainersRunning).toBe(7);
		expect(info.NCPU).toBeGreaterThan(0);
	});

	it('lists the compose project with a label filter, in the engine shape', async () => {
		const list = await docker.listContainers({all: true, filters: {label: ['com.docker.compose.project=bot-core']}});
		expect(list.map(c => c.Names[0]).sort()).toEqual(['/grafana', '/mongodb-primary', '/nextjs-ui-dashboard', '/prometheus', '/python-ai-service', '/redis', '/rust-core-engine']);
		const engine = list.find(c => c.Names[0] === '/rust-core-engine')!;
		expect(engine.Id).toMatch(/^[0-9a-f]{64}$/);
		expect(engine.Image).toBe('bot-core/rust-core-engine:1.4.2');
		expect(engine.ImageID).toMatch(/^sha256:[0-9a-f]{64}$/);
		expect(engine.State).toBe('running');
		expect(engine.Status).toMatch(/^Up \d+ hours \(healthy\)$/);
		expect(engine.Labels['com.docker.compose.service']).toBe('rust-core-engine');
		expect(engine.Created).toBeLessThan(Date.now() / 1000);
		expect(engine.Ports[0]).toMatchObject({PrivatePort: 8080, Type: 'tcp'});
		const none = await docker.listContainers({all: true, filters: {label: ['com.docker.compose.project=other']}});
		expect(none).toEqual([]);
		const bad = await raw('/v1.47/containers/json?filters=%7Bnot-json');
		expect(bad.status).toBe(400);
		expect(JSON.parse(bad.body).message).toMatch(/^invalid filter/);
	});

	it('inspects by name, id and id prefix, and 404s an unknown container like Docker', async () => {
		const byName = await docker.getContainer('python-ai-service').inspect();
		expect(byName.Name).toBe('/python-ai-service');
		expect(byName.State.Health?.Status).toBe('healthy');
		expect(byName.State.StartedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
		expect(byName.HostConfig.Memory).toBe(2 * 1024 ** 3);
		expect(byName.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
		expect(byName.Config.Env.every(e => e.includes('='))).toBe(true);
		expect(Object.keys(byName.NetworkSettings.Networks)).toEqual(['bot-core_bot-network']);
		expect((await docker.getContainer(byName.Id).inspect()).Name).toBe('/python-ai-service');
		expect((await docker.getContainer(byName.Id.slice(0, 12)).inspect()).Id).toBe(byName.Id);
		const missing = await raw('/v1.47/containers/nope/json');
		expect(missing.status).toBe(404);
		expect(JSON.parse(missing.body)).toEqual({message: 'No such container: nope'});
		await expect(docker.getContainer('nope').inspect()).rejects.toMatchObject({statusCode: 404});
		expect((await raw('/containers/nope/json')).status).toBe(404);
		expect((await raw('/v1.47/nowhere')).status).toBe(404);
	});

	it('answers an unknown route like the daemon: 404 page not found, whatever the path names', async () => {
		const notFound = {status: 404, message: 'page not found'};
		const routes: Array<[string, string]> = [
			['GET', '/v1.47/nowhere'],
			['POST', '/version'],
			['PUT', '/containers/json'],
			['DELETE', '/_ping'],
			['GET', '/containers/rust-core-engine/stop'],
			['POST', '/containers/rust-core-engine/json'],
			['GET', '/containers/nope/bogus'],
			['GET', '/containers/rust-core-engine/json/extra'],
			['GET', '/exec/abc/start'],
		];
		for (const [method, path] of routes) {
			const answer = await raw(path, method);
			expect({status: answer.status, message: JSON.parse(answer.body).message}, `${method} ${path}`).toEqual(notFound);
			expect(answer.headers['api-version']).toBeDefined();
		}
		const exec = await raw('/v1.47/exec/0123abcd/json');
		expect({status: exec.status, body: JSON.parse(exec.body)}).toEqual({status: 404, body: {message: 'No such exec instance: 0123abcd'}});
		expect((await raw('/v1.47/_ping', 'HEAD')).status).toBe(200);
	});

	it('serves one-shot stats in the cgroup v2 shape', async () => {
		const stats = await docker.getContainer('python-ai-service').stats({stream: false, 'one-shot': true} as {stream: false});
		expect(stats.memory_stats.limit).toBe(2 * 1024 ** 3);
		const shown = (stats.memory_stats.usage - (stats.memory_stats.stats as unknown as {inactive_file: number}).inactive_file) / 1024 ** 2;
		expect(shown).toBeGreaterThan(700);
		expect(shown).toBeLessThan(1100);
		expect(stats.cpu_stats.online_cpus).toBeGreaterThan(0);
		expect(stats.networks?.eth0.rx_bytes).toBeGreaterThan(0);
		expect(stats.blkio_stats?.io_service_bytes_recursive?.map(e => e.op)).toEqual(['read', 'write']);
		expect(stats.pids_stats?.current).toBeGreaterThan(0);
		expect(stats.precpu_stats.cpu_usage.total_usage).toBe(0);
	});

	it('streams stats one sample a second with positive CPU deltas', async () => {
		const stream = (await docker.getContainer('rust-core-engine').stats({stream: true})) as unknown as Readable;
		const samples: Array<Record<string, any>> = [];
		let buffer = '';
		await new Promise<void>((resolve, reject) => {
			stream.on('data', (chunk: Buffer) => {
				buffer += chunk.toString('utf8');
				let newline: number;
				while ((newline = buffer.indexOf('\n')) >= 0) {
					samples.push(JSON.parse(buffer.slice(0, newline)));
					buffer = buffer.slice(newline + 1);
				}
				if (samples.length >= 2) resolve();
			});
			stream.on('error', reject);
		});
		(stream as unknown as {destroy(): void}).destroy();
		const [first, second] = samples;
		expect(first.preread).toBe('0001-01-01T00:00:00Z');
		expect(second.preread).toBe(first.read);
		const cpuDelta = second.cpu_stats.cpu_usage.total_usage - second.precpu_stats.cpu_usage.total_usage;
		const systemDelta = second.cpu_stats.system_cpu_usage - second.precpu_stats.system_cpu_usage;
		expect(cpuDelta).toBeGreaterThan(0);
		expect(systemDelta).toBeGreaterThan(0);
		const percent = (cpuDelta / systemDelta) * second.cpu_stats.online_cpus * 100;
		expect(percent).toBeGreaterThan(0.5);
		expect(percent).toBeLessThan(100);
		expect(Date.parse(second.read) - Date.parse(first.read)).toBeGreaterThan(800);
	});

	it('returns multiplexed logs with RFC3339NanoFixed timestamps, honouring tail and streams', async () => {
		const logs = (await docker.getContainer('rust-core-engine').logs({follow: false, stdout: true, stderr: true, timestamps: true, tail: 20})) as unknown as Buffer;
		const frames = parseFrames(logs);
		expect(frames).toHaveLength(20);
		for (const f of frames) {
			expect(f.text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z \d{4}-\d\d-\d\dT.*\n$/);
		}
		const stderrOnly = (await docker.getContainer('python-ai-service').logs({follow: false, stdout: false, stderr: true, tail: 100})) as unknown as Buffer;
		const stderrFrames = parseFrames(stderrOnly);
		expect(stderrFrames.length).toBeGreaterThan(0);
		expect(stderrFrames.every(f => f.stream === 'stderr')).toBe(true);
		expect(stderrFrames.every(f => !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z /.test(f.text))).toBe(true);
		const since = Math.floor(Date.now() / 1000) + 3600;
		expect(parseFrames((await docker.getContainer('redis').logs({stdout: true, stderr: true, since, follow: false})) as unknown as Buffer)).toEqual([]);
	});

	it('stamps every line with nine fraction digits, rising within each stream', async () => {
		for (const name of ['rust-core-engine', 'python-ai-service', 'mongodb-primary', 'nextjs-ui-dashboard']) {
			const frames = parseFrames((await docker.getContainer(name).logs({follow: false, stdout: true, stderr: true, timestamps: true})) as unknown as Buffer);
			expect(frames.length).toBeGreaterThan(200);
			for (const stream of ['stdout', 'stderr'] as const) {
				const stamps = frames.filter(f => f.stream === stream).map(f => f.text.slice(0, f.text.indexOf(' ')));
				for (const stamp of stamps) expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
				// Fixed width, so string order is time order.
				for (let i = 1; i < stamps.length; i++) expect(stamps[i] > stamps[i - 1], `${name} ${stream} line ${i}: ${stamps[i]} after ${stamps[i - 1]}`).toBe(true);
			}
		}
	});

	it('follows logs: new lines arrive as the world writes them', async () => {
		const ring = demo.world.get('rust-core-engine').logs;
		const stream = (await docker.getContainer('rust-core-engine').logs({follow: true, stdout: true, stderr: true, tail: 0, timestamps: true})) as unknown as Readable;
		const stdout = new PassThrough();
		let text = '';
		stdout.on('data', (d: Buffer) => (text += d.toString('utf8')));
		docker.modem.demuxStream(stream, stdout, new PassThrough());
		await vi.waitFor(() => expect(ring.listenerCount).toBe(1));
		demo.world.setTradingEnabled(false, '10.0.0.9');
		demo.world.setTradingEnabled(true, '10.0.0.9');
		await vi.waitFor(() => {
			expect(text).toContain('trading disabled via admin API remote_addr=10.0.0.9');
			expect(text).toContain('trading enabled via admin API remote_addr=10.0.0.9');
		});
		(stream as unknown as {destroy(): void}).destroy();
		await vi.waitFor(() => expect(ring.listenerCount).toBe(0));
	});

	it('restarts: StartedAt moves, RestartCount stays, restart lines are logged, a follower ends', async () => {
		const container = docker.getContainer('nextjs-ui-dashboard');
		const before = await container.inspect();
		const follow = (await container.logs({follow: true, stdout: true, stderr: true, tail: 0})) as unknown as Readable;
		const followed = demux(follow);
		await container.restart({t: 1});
		const after = await container.inspect();
		expect(Date.parse(after.State.StartedAt)).toBeGreaterThan(Date.parse(before.State.StartedAt));
		expect(after.RestartCount).toBe(before.RestartCount);
		expect(after.State.Health?.Status).toBe('starting');
		expect(Date.parse(after.State.FinishedAt)).toBeGreaterThan(0);
		await followed; // the follower ends when the old process dies, as with the real engine
		const logs = parseFrames((await container.logs({follow: false, stdout: true, stderr: true, tail: 12})) as unknown as Buffer);
		expect(logs.map(f => f.text).join('')).toContain('> next start');
	});

	it('stops and starts, answering 304 when there is nothing to do', async () => {
		const container = docker.getContainer('grafana');
		await container.stop({t: 1});
		const stopped = await container.inspect();
		expect(stopped.State.Status).toBe('exited');
		expect(stopped.State.Running).toBe(false);
		expect(stopped.State.Health?.Status).toBe('unhealthy');
		const listed = (await docker.listContainers({all: true})).find(c => c.Names[0] === '/grafana')!;
		expect(listed.Status).toMatch(/^Exited \(0\) (Less than a second|\d+ seconds?) ago$/);
		expect((await docker.listContainers()).some(c => c.Names[0] === '/grafana')).toBe(false);
		expect((await raw('/v1.47/containers/grafana/stop', 'POST')).status).toBe(304);
		const zero = await container.stats({stream: false});
		expect(zero.read).toBe('0001-01-01T00:00:00Z');
		expect(zero.memory_stats).toEqual({});
		const follow = (await container.logs({follow: true, stdout: true, stderr: true, tail: 1})) as unknown as Readable;
		await demux(follow); // a stopped container's follow ends at once
		await container.start();
		expect((await raw('/v1.47/containers/grafana/start', 'POST')).status).toBe(304);
		expect((await container.inspect()).State.Running).toBe(true);
	});

	it('runs mongodump through a hijacked exec and records the backup', async () => {
		const exec = await docker.getContainer('mongodb-primary').exec({Cmd: ['mongodump', '--uri=mongodb://botuser:x@localhost:27017/trading_bot?authSource=admin', '--out=/backup/dump_20261125_120000'], AttachStdout: true, AttachStderr: true});
		const stream = await exec.start({hijack: true, stdin: false});
		const output = await demux(stream);
		expect(output.stderr).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000\twriting trading_bot\.trades to \/backup\/dump_20261125_120000\/trading_bot\/trades\.bson$/m);
		expect(output.stderr).toContain('done dumping trading_bot.trades (48213 documents)');
		const info = await exec.inspect();
		expect(info.ExitCode).toBe(0);
		expect(info.Running).toBe(false);
		expect(demo.world.backups.map(b => b.path)).toContain('/backup/dump_20261125_120000');
	});

	it('reports an unknown command the way runc does: output on stdout, exit code 126', async () => {
		const exec = await docker.getContainer('redis').exec({Cmd: ['nosuchcmd', '-x'], AttachStdout: true, AttachStderr: true});
		const output = await demux(await exec.start({hijack: true, stdin: false}));
		expect(output.stdout).toContain('exec: "nosuchcmd": executable file not found in $PATH');
		expect((await exec.inspect()).ExitCode).toBe(126);
	});

	it('refuses exec in a stopped container with 409', async () => {
		const container = docker.getContainer('prometheus');
		await container.stop();
		await expect(container.exec({Cmd: ['true'], AttachStdout: true})).rejects.toMatchObject({statusCode: 409});
		await container.start();
	});
});
