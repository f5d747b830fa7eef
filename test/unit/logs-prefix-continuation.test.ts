import {readFileSync} from 'node:fs';
import {Readable, Writable} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {runLogsCommand} from '../../source/commands/logs.js';
import {LineSplitter} from '../../source/logs/lines.js';
import {LineAssembler, parseLine, type RawLine} from '../../source/logs/parse.js';
import {LogPipeline} from '../../source/logs/pipeline.js';
import {monthIndex, peelPrefix, serviceOfReplica} from '../../source/logs/prefix.js';
import type {LogRecord} from '../../source/logs/record.js';
import {sanitise} from '../../source/logs/sanitise.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/logs/${name}`, import.meta.url)), 'utf8').trimEnd().split('\n');

function assemble(lines: Array<string | RawLine>, adoptService = false): LogRecord[] {
	const assembler = new LineAssembler(undefined, {adoptService});
	const out: LogRecord[] = [];
	assembler.push('file', 'file', lines.map(line => (typeof line === 'string' ? {stream: 'stdout' as const, text: line} : line)), Date.UTC(2026, 10, 25, 12), out);
	return out;
}

const now = new Date(2026, 10, 25, 12, 0, 0).getTime();

describe('prefix peeling', () => {
	it('peels a journald line: the app is the service, the host the instance, the klog level underneath is the level', () => {
		const record = parseLine({stream: 'stdout', text: fixture('journald-kubelet.log')[2]!}, 'journal', now, undefined, {adoptService: true});
		expect(record).toMatchObject({service: 'kubelet', instance: 'instance', level: 'error'});
		expect(record.text.startsWith('E0915 17:29:35.631091')).toBe(true);
		const stamp = new Date(record.time);
		expect([stamp.getMonth(), stamp.getDate(), stamp.getHours(), stamp.getMinutes(), stamp.getSeconds()]).toEqual([8, 15, 17, 29, 35]);
	});

	it('keeps the service botops gave the stream unless told to adopt the prefix', () => {
		const record = parseLine({stream: 'stdout', text: fixture('journald-kubelet.log')[2]!}, 'node-1', now);
		expect(record.service).toBe('node-1');
		expect(record.instance).toBe('instance');
	});

	it('reads month names in the locales servers are set to', () => {
		expect(['Mär', 'déc.', 'Okt', '10月', 'Dez', 'mrt', 'Mar'].map(monthIndex)).toEqual([2, 11, 9, 9, 11, 2, 2]);
		const french = peelPrefix('déc. 13 12:00:47 horous sshd[4036]: Connection closed by invalid user toto 192.168.1.92 port 51956 [preauth]', now);
		expect(french).toMatchObject({service: 'sshd', instance: 'horous', text: 'Connection closed by invalid user toto 192.168.1.92 port 51956 [preauth]'});
		expect(new Date(french!.time!).getFullYear()).toBe(2025); // December read in November: last year's
	});

	it('reads the RFC 5424 header, its severity standing in for a line without a level', () => {
		const record = parseLine({stream: 'stdout', text: '<165>8 2023-10-11T22:14:15.003Z mymachineexamplecom evntslog 1370 ID47 [exampleSDID@32473 eventSource="Application" eventID="1011"] Event log entry'}, 's', now, undefined, {adoptService: true});
		expect(record).toMatchObject({service: 'evntslog', instance: 'mymachineexamplecom', text: 'Event log entry', level: 'info', time: Date.UTC(2023, 9, 11, 22, 14, 15, 3)});
	});

	it('names compose, swarm, foreman and kubectl sources', () => {
		expect(peelPrefix('hub-dev-webserver | 10-listen-on-ipv6-by-default.sh: error: x', now)).toMatchObject({service: 'hub-dev-webserver', instance: 'hub-dev-webserver', text: '10-listen-on-ipv6-by-default.sh: error: x'});
		expect(peelPrefix('chatgpt-web-app-1  | > esno ./build/index.js', now)).toMatchObject({service: 'chatgpt-web-app', instance: 'chatgpt-web-app-1'});
		expect(peelPrefix('20:06:43 redis.1   | started with pid 5032', now)).toMatchObject({service: 'redis', instance: 'redis.1', text: 'started with pid 5032'});
		expect(peelPrefix('[pod/echo-req-7cfd7bf68f-nk5kr/hello] 172.17.0.1 - - x', now)).toMatchObject({service: 'hello', instance: 'echo-req-7cfd7bf68f-nk5kr', text: '172.17.0.1 - - x'});
		expect(serviceOfReplica('web.1.18t5r6j642rhncm76vbc2s8h5@moby')).toBe('web');
		// `docker service logs -f webapp_web` as a public swarm walk-through (a WildFly service) prints it.
		const swarm = parseLine({stream: 'stdout', text: 'webapp_web.1.lf3y5k7pkpt9@moby    | 00:17:47,296 INFO  [org.jboss.msc] (main) JBoss MSC version 1.2.6.Final'}, 'file', now, undefined, {adoptService: true});
		expect(swarm).toMatchObject({service: 'webapp_web', instance: 'webapp_web.1.lf3y5k7pkpt9@moby', level: 'info', text: '00:17:47,296 INFO  [org.jboss.msc] (main) JBoss MSC version 1.2.6.Final'});
		expect(serviceOfReplica('server_1')).toBe('server');
	});

	it('does not take a pipe-separated level column, or prose, for a prefix', () => {
		expect(peelPrefix('INFO | started', now)).toBeUndefined();
		expect(peelPrefix('2026-11-25 12:00:00.000 | INFO     | __main__:<module>:1 - hello', now)).toBeUndefined();
		expect(peelPrefix('2026-11-25T12:00:00.000000Z ERROR bot_core::storage: cannot open trade store', now)).toBeUndefined();
	});

	it('unwraps the docker json-file format: its time and stream, the inner line parsed as usual', () => {
		const record = parseLine({stream: 'stdout', text: '{"log":"time=\\"2020-04-10T14:04:50.847156802Z\\" level=warning msg=\\"x\\"\\n","stream":"stderr","time":"2020-04-10T14:04:50.847690847Z"}'}, 's', now);
		expect(record).toMatchObject({stream: 'stderr', level: 'warn', time: Date.parse('2020-04-10T14:04:50.847Z'), json: false});
		expect(record.text).toBe('time="2020-04-10T14:04:50.847156802Z" level=warning msg="x"');
	});

	it('peels a Kubernetes timestamp in front of JSON, so that the JSON is parsed', () => {
		const record = parseLine({stream: 'stdout', text: '2026-11-25T12:00:00.123456789Z {"level":"error","msg":"boom"}'}, 's', now);
		expect(record).toMatchObject({json: true, level: 'error', time: Date.UTC(2026, 10, 25, 12, 0, 0, 123)});
	});
});

describe('colour codes', () => {
	it('are dropped in every spelling, for detection and display', () => {
		for (const line of ['\x1b[32mINFO\x1b[0m: ready', '[32mINFO[0m: ready', '?[32mINFO?[0m: ready', '\\33[32mINFO\\33[0m: ready', '\\x1b[32mINFO\\x1b[0m: ready', '\\033[0;32mINFO\\033[0m: ready', 'ESC[1;34mINFO ESC[0m: ready'.replace(' ', '')]) {
			expect(sanitise(line)).toBe('INFO: ready');
		}
	});

	it('leave brackets in prose alone', () => {
		expect(sanitise('retry [m] after [5m] or [12]; [ok]')).toBe('retry [m] after [5m] or [12]; [ok]');
		expect(sanitise('[ok] [m] [12] done')).toBe('[ok] [m] [12] done');
	});
});

describe('continuation rules keep records apart', () => {
	it('folds a Go panic and its goroutine trace into the panic record', () => {
		const records = assemble(fixture('go-panic.log'));
		expect(records.map(record => record.level)).toEqual(['unknown', 'fatal']);
		expect(records[1]!.text.split('\n')).toEqual(fixture('go-panic.log').slice(1));
	});

	it('keeps Java stack traces with their exception line, one record per exception', () => {
		const records = assemble(fixture('java-stack.log'));
		expect(records.map(record => record.level)).toEqual(['error', 'error']);
		expect(records[0]!.text.split('\n')).toHaveLength(5);
		expect(records[1]!.text).toContain('Preconditions.java:52');
	});

	it('keeps a Rust "Caused by:" chain, blank line and all, with its error', () => {
		const records = assemble(fixture('rust-caused-by.log'));
		expect(records.map(record => record.level)).toEqual(['error', 'error']);
		expect(records[0]!.text.split('\n')).toEqual(fixture('rust-caused-by.log').slice(0, 6));
		expect(records[1]!.text).toContain('Unable to establish connection');
	});

	it('keeps the records of two interleaved compose services apart: the traceback stays whole', () => {
		const records = assemble(fixture('compose-interleaved.log'), true);
		expect(records.map(record => `${record.service}:${record.level}`)).toEqual(['redis:warn', 'redis:info', 'backend:error', 'redis:info', 'redis:info', 'redis:info']);
		expect(records[2]!.text.split('\n')).toEqual([
			'Traceback (most recent call last):',
			'  File "/opt/stocknear-backend/app/main.py", line 116, in <module>',
			'    cursor.execute("SELECT DISTINCT symbol FROM stocks")',
			'sqlite3.OperationalError: no such table: stocks',
		]);
	});

	it('keeps a chained Python traceback whole, blank lines and "The above exception …" included', () => {
		// The Python tutorial's exception-chaining example (docs.python.org/3/tutorial/errors.html, 8.5).
		const records = assemble(fixture('python-chained.log'));
		expect(records).toHaveLength(1);
		expect(records[0]!.level).toBe('error');
		expect(records[0]!.text.split('\n')).toEqual(fixture('python-chained.log'));
	});

	it('starts a record at an indented line that has a level of its own', () => {
		const records = assemble(fixture('tracing-uptime.log'));
		expect(records.map(record => record.level)).toEqual(['info', 'info', 'info']);
		expect(records[2]!.text).toBe(' 17.13s  INFO Compiled [689/695]: crabcloud_filecache');
	});

	it('starts a record at every syslog-prefixed line, even right after an error', () => {
		const records = assemble(['ERROR bot: failed', ...fixture('journald-kubelet.log')]);
		expect(records.map(record => record.level)).toEqual(['error', 'info', 'info', 'error']);
	});

	it('gives a line without a time of its own the time of the line before it from the same source', () => {
		const records = assemble(['2026-11-25T10:00:00Z  INFO app: starting', 'INFO:     Uvicorn running on http://0.0.0.0:8000', 'INFO:     Application startup complete.']);
		expect(records.map(record => record.time)).toEqual([Date.UTC(2026, 10, 25, 10), Date.UTC(2026, 10, 25, 10), Date.UTC(2026, 10, 25, 10)]);
	});
});

describe('blank lines in a live stream', () => {
	const line = (text: string, time: number): RawLine => ({stream: 'stdout', time, text});

	it('keeps a blank line whose record left the window before the next line came, in front of that line', () => {
		const pipeline = new LogPipeline({follow: true, holdMs: 250});
		pipeline.open('c', 0);
		pipeline.ingest('c', 'web', [line('Error: tmq to td task exec error', 1000), line('', 1001)], 1000);
		// Held 300 ms: the record leaves (sealed) while the blank after it is still undecided.
		expect(pipeline.flush(1300).map(record => record.text)).toEqual(['Error: tmq to td task exec error']);
		pipeline.ingest('c', 'web', [line('Caused by:', 5000), line('    0: Error occurred while creating a new object: [0x000B] Unable to establish connection', 5000)], 5000);
		expect(pipeline.flush(6000, true).map(record => record.text)).toEqual(['', 'Caused by:\n    0: Error occurred while creating a new object: [0x000B] Unable to establish connection']);
	});

	it('keeps the blank lines inside a traceback that arrives a line at a time', () => {
		const pipeline = new LogPipeline({follow: true, holdMs: 250});
		pipeline.open('c', 0);
		const lines = fixture('python-chained.log');
		const out: LogRecord[] = [];
		lines.forEach((text, i) => {
			pipeline.ingest('c', 'api', [line(text, 1000)], 1000 + i * 10);
			out.push(...pipeline.flush(1000 + i * 10));
		});
		out.push(...pipeline.flush(2000, true));
		expect(out.map(record => record.text)).toEqual([lines.join('\n')]);
	});

	it('keeps every line, blank ones where the source put them, for CRLF and LF input split at every byte', () => {
		const lines = [...fixture('rust-caused-by.log'), '', '2026-11-25T12:00:01.000000Z  INFO bot_core::engine: retrying in 5 s'];
		/** The records' lines, the second chunk arriving `gapMs` after the first (the window holds lines 250 ms). */
		const records = (bytes: Buffer, at: number, gapMs: number) => {
			const pipeline = new LogPipeline({follow: true, holdMs: 250});
			pipeline.open('c', 0);
			const splitter = new LineSplitter();
			const out: LogRecord[] = [];
			[bytes.subarray(0, at), bytes.subarray(at)].forEach((chunk, i) => {
				const now = 1000 + i * gapMs;
				// The follow timer's flush when the chunk arrives: after a pause, what came before has left the window.
				out.push(...pipeline.flush(now));
				const batch: RawLine[] = [];
				splitter.push(chunk, text => batch.push(line(text, now)));
				pipeline.ingest('c', 'svc', batch, now);
			});
			out.push(...pipeline.flush(10_000, true));
			return out.map(record => record.text);
		};
		const whole = records(Buffer.from(lines.join('\n') + '\n'), 0, 0);
		// Two errors with their chains, the blank line between records as one of its own, the INFO line.
		expect(whole.map(text => text.split('\n')[0])).toEqual([lines[0], lines[6], '', lines[11]]);
		expect(whole.join('\n').split('\n')).toEqual(lines);
		for (const bytes of [Buffer.from(lines.join('\n') + '\n'), Buffer.from(lines.join('\r\n') + '\r\n')]) {
			for (let at = 1; at < bytes.length; at++) {
				// Within the hold time the split changes nothing.
				expect(records(bytes, at, 100), `split at ${at}`).toEqual(whole);
				// After a pause the record before it is done, so a chain may start anew; but no line is lost, blank or not.
				expect(records(bytes, at, 1000).join('\n').split('\n'), `split at ${at}, a pause between`).toEqual(lines);
			}
		}
	});
});

describe('hostile lines never reach the terminal raw', () => {
	async function printed(input: Buffer): Promise<string> {
		const chunks: Buffer[] = [];
		const stdout = new Writable({
			write(chunk: Buffer, _encoding, callback) {
				chunks.push(chunk);
				callback();
			},
		});
		const stderr = new Writable({write: (_chunk, _encoding, callback) => callback()});
		const code = await runLogsCommand({services: [], follow: false, json: false, stdin: true, color: false}, {stdout, stderr, stdin: Readable.from([input]), knownServices: []});
		expect(code).toBe(0);
		return Buffer.concat(chunks).toString('utf8');
	}

	it('escapes control sequences, cuts a 1 MB line and marks invalid UTF-8, prefixed or not', async () => {
		const input = Buffer.concat([
			Buffer.from('web-1  | \x1b[2J\x1b[H\x1b]0;owned\x07 ERROR cleared the screen\n'),
			Buffer.from('Oct 05 06:27:03 host app[1]: \x9b31m\u202eexe.txt\n'),
			Buffer.from('x'.repeat(1024 * 1024) + '\n'),
			Buffer.from([0x61, 0xff, 0xfe, 0x0a]),
			Buffer.from('{"log":"\\u001b[2Jinside json-file\\n","stream":"stdout","time":"2020-04-10T14:04:50Z"}\n'),
		]);
		const out = await printed(input);
		expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
		expect(out).toContain('\\x1b[2J');
		expect(out).toContain('[cut ');
		expect(out).toContain('a\\ufffd\\ufffd');
		expect(out.length).toBeLessThan(64 * 1024);
		expect(out.split('\n').filter(Boolean)).toHaveLength(5);
	});
});

describe('a saved view reads back', () => {
	it('with its services, levels, times and multi-line records intact', async () => {
		const {mkdtemp, rm} = await import('node:fs/promises');
		const {tmpdir} = await import('node:os');
		const {join} = await import('node:path');
		const {exportRecords} = await import('../../source/logs/export.js');
		const {makeRecord} = await import('../../source/logs/record.js');
		const directory = await mkdtemp(join(tmpdir(), 'botops-logs-roundtrip-'));
		try {
			const saved = [
				makeRecord(Date.UTC(2026, 10, 25, 12, 0, 0, 100), 'rust-core-engine', 'stdout', 'info', 'bot_core::engine: tick'),
				makeRecord(Date.UTC(2026, 10, 25, 12, 0, 0, 200), 'python-ai-service', 'stderr', 'error', 'analysis failed\nTraceback (most recent call last):\n  File "/app/main.py", line 42, in analyze\nValueError: bad input'),
				makeRecord(Date.UTC(2026, 10, 25, 12, 0, 0, 300), 'mongodb', 'stdout', 'unknown', 'no level here'),
			];
			const path = await exportRecords(saved, {directory, now: Date.UTC(2026, 10, 25, 12)});
			const chunks: Buffer[] = [];
			const stdout = new Writable({
				write(chunk: Buffer, _encoding, callback) {
					chunks.push(chunk);
					callback();
				},
			});
			const stderr = new Writable({write: (_chunk, _encoding, callback) => callback()});
			await runLogsCommand({services: [], follow: false, json: true, file: path, stdin: false, color: false}, {stdout, stderr, stdin: Readable.from([]), knownServices: []});
			const read = Buffer.concat(chunks).toString('utf8').trim().split('\n').map(line => JSON.parse(line) as Record<string, unknown>);
			expect(read.map(object => [object['service'], object['level'], object['time'], object['message']])).toEqual(
				saved.map(record => [record.service, record.level, new Date(record.time).toISOString(), record.text]),
			);
		} finally {
			await rm(directory, {recursive: true, force: true});
		}
	});
});

describe('--since', () => {
	it('takes compound durations, RFC 3339 times and a local day and clock time', async () => {
		const {parseSince, sinceProblem} = await import('../../source/logs/time.js');
		const now = new Date(2026, 10, 25, 9, 15, 0).getTime();
		expect(parseSince('1h30m', now)).toBe(now - 90 * 60_000);
		expect(parseSince('2d4h', now)).toBe(now - (48 + 4) * 3_600_000);
		expect(parseSince('2026-11-25T06:00:00+02:00', now)).toBe(Date.UTC(2026, 10, 25, 4));
		expect(parseSince('yesterday 18:00', now)).toBe(new Date(2026, 10, 24, 18, 0, 0).getTime());
		expect(parseSince('today 09:30:15', now)).toBe(new Date(2026, 10, 25, 9, 30, 15).getTime());
		expect(parseSince('yesterday', now)).toBe(new Date(2026, 10, 24, 0, 0, 0).getTime());
		expect(sinceProblem('yesterday 25:00', now)).toMatch(/not a clock time/);
		expect(sinceProblem('1h30', now)).toMatch(/expected a duration/);
	});

	it('drops the lines of an old file that are older, untimed lines by the time of the line before them', async () => {
		const chunks: Buffer[] = [];
		const stdout = new Writable({
			write(chunk: Buffer, _encoding, callback) {
				chunks.push(chunk);
				callback();
			},
		});
		const stderr = new Writable({write: (_chunk, _encoding, callback) => callback()});
		const input = Buffer.from(['2026-11-25T10:00:00Z  INFO app: old', 'INFO:     old too, no time of its own', '2026-11-25T12:00:00Z  INFO app: new', 'INFO:     new too', ''].join('\n'));
		await runLogsCommand({services: [], follow: false, json: false, stdin: true, color: false, since: '2026-11-25T11:00:00Z'}, {stdout, stderr, stdin: Readable.from([input]), knownServices: [], now: () => Date.UTC(2026, 10, 25, 13)});
		expect(Buffer.concat(chunks).toString('utf8').trim().split('\n')).toHaveLength(2);
		expect(Buffer.concat(chunks).toString('utf8')).not.toContain('old');
	});
});
