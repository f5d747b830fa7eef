/**
 * Logs benchmarks (figures only, never assertions):
 *  1. ingest throughput through parse + level + continuation + ring buffer, in lines/s (target ≥ 100k/s);
 *  2. RSS with a full 100k-line buffer (target ≤ 200 MB);
 *  3. `botops logs --file F --grep ERROR` over 1M generated lines against `grep ERROR F` (ratio).
 * Run: npx tsx bench/logs.ts [--lines 1000000]
 */
import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
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
		// Chunks of 256 lines, as a busy stream delivers them.
		for (let i = 0; i < count; i += 256) {
			out.length = 0;
			assembler.push('c', 'rust-core-engine', lines.slice(i, i + 256), start0, out);
			for (const record of out) buffer.push(record);
		}
		const seconds = Number(process.hrtime.bigint() - begin) / 1e9;
		const name = `${round === 0 ? 'ingest (cold' : 'ingest (warm'}${label})`;
		console.log(`${name.padEnd(24)} ${Math.round(count / seconds).toLocaleString('en')} lines/s  (${count.toLocaleString('en')} lines in ${seconds.toFixed(2)} s; ${buffer.size.toLocaleString('en')} held, ${buffer.dropped.toLocaleString('en')} dropped)`);
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

async function grepBench(): Promise<void> {
	const directory = mkdtempSync(join(tmpdir(), 'botops-bench-logs-'));
	const file = join(directory, 'big.log');
	try {
		const start = Date.UTC(2026, 10, 25, 12);
		const parts: string[] = [];
		for (let i = 0; i < fileLines; i++) parts.push(sampleLine(i, start + i));
		writeFileSync(file, parts.join('\n') + '\n');
		parts.length = 0;
		const grepStart = process.hrtime.bigint();
		const grep = spawnSync('grep', ['ERROR', file], {maxBuffer: 1 << 30});
		const grepSeconds = Number(process.hrtime.bigint() - grepStart) / 1e9;
		const grepLines = grep.stdout.toString().split('\n').length - 1;

		let bytes = 0;
		let newlines = 0;
		const sink = new Writable({
			write(chunk: Buffer, _encoding, callback) {
				bytes += chunk.length;
				for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++;
				callback();
			},
		});
		const ourStart = process.hrtime.bigint();
		await runLogsCommand(
			{services: [], grep: 'ERROR', follow: false, json: false, file, stdin: false, color: false},
			{stdout: sink, stderr: process.stderr, stdin: process.stdin, knownServices: [], openDocker: () => Promise.reject(new Error('unused'))},
		);
		const ourSeconds = Number(process.hrtime.bigint() - ourStart) / 1e9;
		console.log(`${'grep ERROR'.padEnd(24)} ${grepSeconds.toFixed(3)} s, ${grepLines.toLocaleString('en')} lines over ${fileLines.toLocaleString('en')}`);
		console.log(
			`${'botops logs --grep ERROR'.padEnd(24)} ${ourSeconds.toFixed(3)} s in-process, ${newlines.toLocaleString('en')} output lines (${mb(bytes)}); ratio ${(ourSeconds / grepSeconds).toFixed(1)}x grep; ${Math.round(fileLines / ourSeconds).toLocaleString('en')} lines/s`,
		);
		// lnav headless (-n): open the file, index it, apply the same filter and print what passes.
		const lnav = spawnSync('sh', ['-c', 'command -v lnav'], {encoding: 'utf8'}).stdout.trim();
		if (lnav) {
			const lnavStart = process.hrtime.bigint();
			const run = spawnSync(lnav, ['-n', '-c', ':filter-in ERROR', file], {env: {...process.env, HOME: directory}, stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000});
			const lnavSeconds = Number(process.hrtime.bigint() - lnavStart) / 1e9;
			if (run.status === 0) console.log(`${'lnav -n :filter-in ERROR'.padEnd(24)} ${lnavSeconds.toFixed(3)} s; botops/lnav ratio ${(ourSeconds / lnavSeconds).toFixed(2)}x`);
			else console.log(`lnav failed (exit ${run.status}): ${run.stderr.toString().slice(0, 200)}`);
		} else {
			console.log('lnav not installed (apt-get install lnav): no lnav figure');
		}
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
	console.log(`node ${process.version}`);
	ingestBench();
	// Each in a fresh process: registered secrets stay registered.
	for (const count of [3, 40]) spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, '--secrets', String(count)], {stdio: 'inherit'});
	// In a fresh process, so that the ingest benchmark's garbage does not count.
	spawnSync(process.execPath, [...process.execArgv, '--expose-gc', process.argv[1]!, '--rss'], {stdio: 'inherit'});
	await grepBench();
}
