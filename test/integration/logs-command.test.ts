import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {PassThrough, Readable, Writable} from 'node:stream';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type LogsCommandOptions, runLogsCommand} from '../../source/commands/logs.js';
import type {DockerService} from '../../source/services/types.js';

const base: LogsCommandOptions = {services: [], follow: false, json: false, stdin: false, color: false};

function collector() {
	let text = '';
	const stream = new Writable({
		write(chunk: Buffer, _encoding, callback) {
			text += chunk.toString();
			callback();
		},
	});
	return {stream, text: () => text};
}

async function run(options: Partial<LogsCommandOptions>, input = '') {
	const stdout = collector();
	const stderr = collector();
	const code = await runLogsCommand(
		{...base, ...options},
		{
			stdout: stdout.stream,
			stderr: stderr.stream,
			stdin: Readable.from([Buffer.from(input)]),
			knownServices: ['rust-core-engine', 'python-ai-service'],
			openDocker: () => Promise.reject(new Error('no docker in this test')),
		},
	);
	return {code, stdout: stdout.text(), stderr: stderr.text()};
}

const pythonLog = [
	'2026-11-25 12:00:00,100 - ai_service - INFO - Analysis requested for BTCUSDT',
	'2026-11-25 12:00:00,123 - ai_service - ERROR - analysis failed for BTCUSDT',
	'Traceback (most recent call last):',
	'  File "/app/main.py", line 42, in analyze',
	'ValueError: bad input shape',
	'2026-11-25 12:00:01,000 - ai_service - WARNING - slow model 812 ms',
	'\x1b[2J\x1b[Hplain line with an escape',
	'',
].join('\n');

describe('botops logs on a file and on stdin', () => {
	let directory: string;
	let file: string;
	beforeAll(async () => {
		directory = await mkdtemp(join(tmpdir(), 'botops-logs-cmd-'));
		file = join(directory, 'python-ai-service.log');
		await writeFile(file, pythonLog);
	});
	afterAll(async () => {
		await rm(directory, {recursive: true, force: true});
	});

	it('prints a file with timestamp, service and level, tracebacks kept with their record, escapes neutralised', async () => {
		const result = await run({file});
		expect(result.code).toBe(0);
		const lines = result.stdout.split('\n');
		expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.100Z python-ai-service INFO {2}2026-11-25 12:00:00,100 - ai_service - INFO/);
		expect(lines[1]).toContain(' ERROR ');
		expect(lines[2]).toBe('Traceback (most recent call last):');
		expect(result.stdout).toContain('\\x1b[2J\\x1b[Hplain line');
		expect(result.stdout).not.toContain('\x1b');
	});

	it('--level warn --json on stdin prints one object per record with time, service, level, message', async () => {
		const result = await run({stdin: true, level: 'warn', json: true, services: ['python-ai-service']}, pythonLog);
		expect(result.code).toBe(0);
		const objects = result.stdout.trimEnd().split('\n').map(line => JSON.parse(line) as Record<string, string>);
		expect(objects.map(object => object['level'])).toEqual(['error', 'warn']);
		expect(objects[0]).toMatchObject({service: 'python-ai-service', stream: 'stdout'});
		expect(objects[0]!['message']).toContain('ValueError: bad input shape');
		expect(new Date(objects[1]!['time']!).getSeconds()).toBe(1);
	});

	it('--grep and --exclude filter whole records; --tail keeps the last ones', async () => {
		const grep = await run({file, grep: 'BTCUSDT', exclude: 'requested'});
		expect(grep.stdout.split('\n')[0]).toContain('analysis failed');
		expect(grep.stdout).not.toContain('requested');
		const tail = await run({file, tail: 1});
		expect(tail.stdout.trimEnd().split('\n')).toHaveLength(1);
		expect(tail.stdout).toContain('plain line');
	});

	it('--since drops older lines', async () => {
		const result = await run({file, since: '2026-11-25T12:00:00.500', level: 'info'});
		expect(result.stdout).toContain('slow model');
		expect(result.stdout).not.toContain('requested');
	});

	it('usage errors exit 2 with a clear message', async () => {
		expect(await run({services: ['nope']})).toMatchObject({code: 2, stderr: 'botops logs: unknown service nope; known services: rust-core-engine, python-ai-service\n'});
		const regex = await run({file, grep: '(oops'});
		expect(regex.code).toBe(2);
		expect(regex.stderr).toMatch(/invalid --grep regex "\(oops": Unterminated group/);
		expect((await run({file, level: 'loud'})).code).toBe(2);
		expect((await run({file, since: 'last tuesday'})).code).toBe(2);
		expect((await run({file, stdin: true})).code).toBe(2);
		expect((await run({file: join(directory, 'missing.log')})).code).toBe(2);
	});

	it('a docker that cannot be reached exits 1 with its reason', async () => {
		const result = await run({services: ['rust-core-engine']});
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('no docker in this test');
	});

	it('ends quietly with code 0 when the reader closes the pipe (| head)', async () => {
		const big = Array.from({length: 200_000}, (_, i) => `2026-11-25T12:00:00Z ERROR line ${i}`).join('\n');
		await writeFile(join(directory, 'big.log'), big);
		let written = 0;
		const stdout = new Writable({
			highWaterMark: 1024,
			write(chunk: Buffer, _encoding, callback) {
				written += chunk.length;
				if (written > 4096) {
					const error = Object.assign(new Error('write EPIPE'), {code: 'EPIPE'});
					callback(error);
					return;
				}
				callback();
			},
		});
		stdout.on('error', () => undefined);
		const stderr = collector();
		const code = await runLogsCommand(
			{...base, file: join(directory, 'big.log')},
			{stdout, stderr: stderr.stream, stdin: new PassThrough(), knownServices: [], openDocker: () => Promise.reject(new Error('unused')) as Promise<DockerService>},
		);
		expect(code).toBe(0);
		expect(stderr.text()).toBe('');
	});
});
