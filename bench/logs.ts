/**
 * Logs benchmarks (figures only, never assertions). Every comparison is a ratio taken in one run, since the machine is
 * shared and absolute times are noisy; each figure is given in hl's form: file size, line count, CPU s, wall s.
 *  1. `botops logs --file F --grep LITERAL` and `--grep REGEX` against `grep -c` and against `lnav -n` (whole processes);
 *     the literal also in-process, as the first logs issue measured it;
 *  2. `botops logs --file F --level error` against the same;
 *  3. ingest throughput through parse + level + continuation + ring buffer, in lines/s on one core; and whole-process
 *     `botops logs --file F` (every line parsed and printed) with 1 and with 2 threads (a worker for the second half);
 *  4. RSS with a full 100k-line buffer.
 * botops' whole-process figures are taken with 1 thread and with 2 (BOTOPS_LOG_THREADS), its output going to a file.
 * A tool that is not installed is named, not installed. Run: npm run build && npx tsx bench/logs.ts [--lines 1000000]
 */
import {spawnSync} from 'node:child_process';
import {closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {Writable} from 'node:stream';
import {runLogsCommand} from '../source/commands/logs.js';
import {LineAssembler, type RawLine} from '../source/logs/parse.js';
import type {LogRecord} from '../source/logs/record.js';
import {RingBuffer} from '../source/logs/ring-buffer.js';
import {registerSecrets} from '../source/util/secrets.js';

const argLines = process.argv.indexOf('--lines');
const fileLines = argLines > 0 ? Number(process.argv[argLines + 1]) : 1_000_000;

/** A realistic mix: Rust tracing, Python logging with tracebacks, Next.js, MongoDB JSON, nginx access. */
function sampleLine(i: number, time: number): string {
	const iso = new Date(time).toISOString();
	switch (i % 10) {
		case 0:
			return `${iso}  INFO bot_core::engine: processed tick symbol="BTCUSDT" price=${(60000 + (i % 997)).toFixed(2)} latency_us=${i % 911}`;
		case 1:
			return `${iso}  WARN bot_core::binance::ws: websocket slow frame delay_ms=${i % 300}`;
		case 2:
			return `2026-11-25 12:00:00,${String(i % 1000).padStart(3, '0')} - ai_service - INFO - Analysis requested for ETHUSDT id=${i}`;
		case 3:
			return `{"t":{"$date":"${iso}"},"s":"I",  "c":"NETWORK",  "id":22943,   "ctx":"listener","msg":"Connection accepted","attr":{"remote":"172.18.0.3:${i % 65535}","connectionId":${i}}}`;
		case 4:
			return `172.18.0.1 - - [25/Nov/2026:12:00:00 +0000] "GET /api/market-data/BTCUSDT HTTP/1.1" ${i % 50 === 4 ? 502 : 200} ${i % 5000} "-" "axios/1.7"`;
		case 5:
			return ` ✓ Compiled /dashboard in ${i % 900}ms (${i % 3000} modules)`;
		case 6:
			return `${iso} ERROR bot_core::trading::executor: order rejected symbol="SOLUSDT" error=InsufficientBalance order=${i}`;
		case 7:
			return `    at processTicksAndRejections (node:internal/process/task_queues:95:5)`;
		case 8:
			return `ts=${iso} caller=scrape.go:1400 level=debug component="scrape manager" msg="Scrape failed" target=http://rust-core-engine:8080/metrics`;
		default:
			return `${iso} DEBUG hyper::proto::h1::io: flushed ${i % 4096} bytes`;
	}
}

function mb(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function ingestBench(label = ''): void {
	const count = 500_000;
	const start0 = Date.now();
	const lines: RawLine[] = [];
	for (let i = 0; i < count; i++) lines.push({stream: 'stdout', time: start0 + i, text: sampleLine(i, start0 + i)});
	for (let round = 0; round < 2; round++) {
		const assembler = new LineAssembler();
		const buffer = new RingBuffer<LogRecord>(100_000);
		const out: LogRecord[] = [];
		const begin = process.hrtime.bigint();
		const cpuBefore = process.cpuUsage();
		// Chunks of 256 lines, as a busy stream delivers them.
		for (let i = 0; i < count; i += 256) {
			out.length = 0;
			assembler.push('c', 'rust-core-engine', lines.slice(i, i + 256), start0, out);
			for (const record of out) buffer.push(record);
		}
		const seconds = Number(process.hrtime.bigint() - begin) / 1e9;
		const used = process.cpuUsage(cpuBefore);
		const cpu = (used.user + used.system) / 1e6;
		const name = `${round === 0 ? 'ingest, 1 worker (cold' : 'ingest, 1 worker (warm'}${label})`;
		console.log(
			`${name.padEnd(36)} ${Math.round(count / cpu).toLocaleString('en')} lines per CPU second, ${Math.round(count / seconds).toLocaleString('en')} lines/s wall  (${count.toLocaleString('en')} lines: ${cpu.toFixed(2)} s CPU, ${seconds.toFixed(2)} s wall; ${buffer.size.toLocaleString('en')} held, ${buffer.dropped.toLocaleString('en')} dropped)`,
		);
	}
}

function rssBench(): void {
	global.gc?.();
	const before = process.memoryUsage();
	const buffer = new RingBuffer<LogRecord>(100_000);
	const assembler = new LineAssembler();
	const out: LogRecord[] = [];
	const now = Date.now();
	for (let i = 0; i < 120_000; i += 500) {
		const batch: RawLine[] = [];
		for (let j = i; j < i + 500; j++) batch.push({stream: 'stdout', time: now + j, text: sampleLine(j, now + j)});
		out.length = 0;
		assembler.push('c', 'svc', batch, now, out);
		for (const record of out) buffer.push(record);
	}
	global.gc?.();
	const after = process.memoryUsage();
	console.log(
		`${'RSS, full 100k buffer'.padEnd(24)} ${mb(after.rss)} (heap used ${mb(after.heapUsed)}; +${mb(after.rss - before.rss)} RSS for the buffer of ${buffer.size.toLocaleString('en')})`,
	);
}

type Run = {label: string; wall: number; cpu: number; rssKb: number; out: number; status: number | null};

/**
 * Runs a command as its own process under /usr/bin/time: wall and CPU seconds and peak RSS, and the bytes it printed
 * (into `outFile` when given, as `> out` would: a pipe into this process would cost this process).
 */
function timed(label: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env, outFile?: string): Run {
	const fd = outFile === undefined ? undefined : openSync(outFile, 'w');
	const run = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', command, ...args], {env, maxBuffer: 1 << 30, timeout: 600_000, stdio: ['ignore', fd ?? 'pipe', 'pipe']});
	if (fd !== undefined) closeSync(fd);
	const lines = run.stderr.toString().trim().split('\n');
	const [wall, user, system, rss] = lines[lines.length - 1]!.split(' ').map(Number);
	return {label, wall: wall!, cpu: user! + system!, rssKb: rss!, out: outFile === undefined ? run.stdout.length : statSync(outFile).size, status: run.status};
}

function hl(run: Run, size: number, lines: number): string {
	return `${run.label.padEnd(44)} ${mb(size)}, ${lines.toLocaleString('en')} lines: ${run.cpu.toFixed(2)} s CPU, ${run.wall.toFixed(2)} s wall, ${Math.round(run.rssKb / 1024)} MB RSS${run.status === 0 || run.status === 1 ? '' : ` (exit ${run.status})`}`;
}

function ratio(ours: Run, theirs: Run | undefined): string {
	if (!theirs) return '';
	return `  → botops/${theirs.label.split(' ')[0]}: ${(ours.wall / theirs.wall).toFixed(1)}x wall, ${(ours.cpu / Math.max(theirs.cpu, 0.01)).toFixed(1)}x CPU`;
}

async function grepBench(): Promise<void> {
	const botops = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'botops.js');
	const bundle = join(dirname(botops), '..', 'dist');
	if (!existsSync(bundle)) {
		console.log('dist/ missing: run `npm run build` first for the whole-process figures');
		return;
	}
	const directory = mkdtempSync(join(tmpdir(), 'botops-bench-logs-'));
	const file = join(directory, 'big.log');
	try {
		const start = Date.UTC(2026, 10, 25, 12);
		const parts: string[] = [];
		for (let i = 0; i < fileLines; i++) parts.push(sampleLine(i, start + i));
		writeFileSync(file, parts.join('\n') + '\n');
		parts.length = 0;
		const size = statSync(file).size;
		const lnav = spawnSync('sh', ['-c', 'command -v lnav'], {encoding: 'utf8'}).stdout.trim();
		if (!lnav) console.log('lnav not installed (apt-get install -y lnav): no lnav figures');
		// lnav keeps its state under HOME: a fresh one per run, so that no earlier index is reused.
		const lnavEnv = {...process.env, HOME: directory};
		const out = join(directory, 'out.txt');
		const cases: Array<{name: string; botops: string[]; grep: string[]; lnav: string[]}> = [
			{name: '--grep ERROR (literal)', botops: ['--grep', 'ERROR'], grep: ['-c', 'ERROR'], lnav: [':filter-in ERROR']},
			{name: '--grep \'latency_us=[0-9]*7\\b\' (regex)', botops: ['--grep', 'latency_us=[0-9]*7\\b'], grep: ['-cE', 'latency_us=[0-9]*7\\b'], lnav: [':filter-in latency_us=[0-9]*7\\b']},
			// The nearest grep can come to "level error and above" in this mix of formats.
			{name: '--level error', botops: ['--level', 'error'], grep: ['-cE', 'ERROR|FATAL|level=error|"s":"[EF]"| 5[0-9][0-9] '], lnav: [':set-min-log-level error']},
		];
		// The floor under every whole-process figure: node and the CLI starting, on an empty file (grep starts in ~1 ms).
		const empty = join(directory, 'empty.log');
		writeFileSync(empty, '');
		const floor = timed('botops logs --file EMPTY --grep ERROR', process.execPath, [botops, 'logs', '--file', empty, '--grep', 'ERROR']);
		const bare = timed('node -e 0', process.execPath, ['-e', '0']);
		console.log(`\nstart-up floor: ${floor.label} ${floor.cpu.toFixed(2)} s CPU, ${floor.wall.toFixed(2)} s wall; ${bare.label} ${bare.cpu.toFixed(2)} s CPU, ${bare.wall.toFixed(2)} s wall`);
		for (const test of cases) {
			console.log(`\n${test.name}`);
			const grep = timed(`grep ${test.grep.join(' ')}`, 'grep', [...test.grep, file]);
			const theirs = lnav ? timed(`lnav -n -c '${test.lnav[0]}'`, lnav, ['-n', '-c', test.lnav[0]!, file], lnavEnv) : undefined;
			console.log(hl(grep, size, fileLines));
			if (theirs) console.log(hl(theirs, size, fileLines));
			for (const threads of [1, 2]) {
				const ours = timed(`botops logs --file F ${test.botops.join(' ')} (${threads} thread${threads > 1 ? 's' : ''})`, process.execPath, [botops, 'logs', '--file', file, ...test.botops], {...process.env, BOTOPS_LOG_THREADS: String(threads)}, out);
				console.log(hl(ours, size, fileLines) + ` (${mb(ours.out)} printed)`);
				console.log(ratio(ours, grep));
				if (theirs) console.log(ratio(ours, theirs));
			}
		}

		// Ingest as a whole process: every line split, parsed, level-detected, formatted and printed.
		console.log('\ningest, whole process: botops logs --file F (every line printed)');
		for (const threads of [1, 2]) {
			const run = timed(`botops logs --file F (${threads} thread${threads > 1 ? 's' : ''})`, process.execPath, [botops, 'logs', '--file', file], {...process.env, BOTOPS_LOG_THREADS: String(threads)}, out);
			console.log(hl(run, size, fileLines) + ` (${mb(run.out)} printed): ${Math.round(fileLines / run.wall).toLocaleString('en')} lines/s wall, ${Math.round(fileLines / run.cpu).toLocaleString('en')} lines per CPU second`);
		}

		// In-process, as the first logs issue measured it: the command's own time, without starting node.
		let printed = 0;
		const sink = new Writable({
			write(chunk: Buffer, _encoding, callback) {
				printed += chunk.length;
				callback();
			},
		});
		const grep = timed('grep -c ERROR', 'grep', ['-c', 'ERROR', file]);
		const cpuBefore = process.cpuUsage();
		const ourStart = process.hrtime.bigint();
		await runLogsCommand(
			{services: [], grep: 'ERROR', follow: false, json: false, file, stdin: false, color: false},
			{stdout: sink, stderr: process.stderr, stdin: process.stdin, knownServices: [], openDocker: () => Promise.reject(new Error('unused'))},
		);
		const wall = Number(process.hrtime.bigint() - ourStart) / 1e9;
		const cpuUsed = process.cpuUsage(cpuBefore);
		const cpu = (cpuUsed.user + cpuUsed.system) / 1e6;
		console.log(`\n--grep ERROR in-process`);
		console.log(hl(grep, size, fileLines));
		console.log(hl({label: 'runLogsCommand --grep ERROR', wall, cpu, rssKb: process.memoryUsage().rss / 1024, out: printed, status: 0}, size, fileLines) + ` (${mb(printed)} printed)`);
		console.log(`  → botops/grep: ${(wall / grep.wall).toFixed(1)}x wall, ${(cpu / Math.max(grep.cpu, 0.01)).toFixed(1)}x CPU`);
	} finally {
		rmSync(directory, {recursive: true, force: true});
	}
}

/** Ingest with known secret values registered (none of them in the lines): the cost every line pays for masking. */
function secretsBench(count: number): void {
	// An environment registers its admin token, its MongoDB URI and the URI's password; a rotating run adds more.
	registerSecrets(['mongodb://botops:6f1c0e2b9d4a7e3f@mongo:27017/trading_bot', ...Array.from({length: count - 2}, (_, i) => `admin-token-${i}-4b9f2c7d1e8a3f60`)]);
	ingestBench(`, ${count} secrets`);
}

const secretsArg = process.argv.indexOf('--secrets');
if (process.argv.includes('--rss')) {
	rssBench();
} else if (secretsArg > 0) {
	secretsBench(Number(process.argv[secretsArg + 1]));
} else {
	console.log(`node ${process.version}; ${spawnSync('nproc', {encoding: 'utf8'}).stdout.trim()} cores, load ${spawnSync('cat', ['/proc/loadavg'], {encoding: 'utf8'}).stdout.trim().split(' ').slice(0, 3).join(' ')} (shared machine: absolute figures are noisy, ratios within one run are what counts)`);
	ingestBench();
	// Each in a fresh process: registered secrets stay registered.
	for (const count of [3, 40]) spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, '--secrets', String(count)], {stdio: 'inherit'});
	// In a fresh process, so that the ingest benchmark's garbage does not count.
	spawnSync(process.execPath, [...process.execArgv, '--expose-gc', process.argv[1]!, '--rss'], {stdio: 'inherit'});
	await grepBench();
}
