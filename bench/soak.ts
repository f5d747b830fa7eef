/**
 * `npm run soak` (not in CI): the demo dashboard for SOAK_MINUTES (default 30) on a 120x40 pty with the Logs
 * screen following. RSS and CPU of the botops process are sampled every minute, and once a third of the way
 * in a resize storm is sent (SOAK_STORM_RESIZES window-size changes through sizes from 40x10 to 300x100), to
 * answer whether the memory it takes comes back. Reports every sample, then the trend: least-squares slope in
 * MB/min over the whole run and after the storm, and first/last/max. Beside RSS: the JS heap, external memory and
 * array buffers (process.memoryUsage() inside botops, from bench/soak-probe.mjs) and the lines the Logs screen
 * holds, so that growth can be told apart from the log buffer filling up to its capacity. Figures only, nothing asserted.
 *
 *   SOAK_MINUTES=30 npm run soak
 *   SOAK_HEAPSNAPSHOT=1 npm run soak   # also writes heap snapshots after warm-up and at the end (see the path printed)
 *   SOAK_NODE_OPTIONS=--max-semi-space-size=32 npm run soak   # V8 flags for botops, to see what changes the trend
 */
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {botopsProcess, processUsage, resizePty, sleep, spawnOnPty, stop, terminalOf} from './terminal.js';

const minutes = positiveNumber('SOAK_MINUTES', 30);
const sampleSeconds = positiveNumber('SOAK_SAMPLE_SECONDS', 60);
const stormResizes = positiveNumber('SOAK_STORM_RESIZES', 400);
const stormAtMinute = Math.max(1, Math.floor(minutes / 3));
const heapSnapshots = process.env.SOAK_HEAPSNAPSHOT === '1';

function positiveNumber(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value <= 0) {
		console.error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
		process.exit(2);
	}
	return value;
}

/** What the screen shows: botops writes only changed cells, so its text is not in the byte stream in order. */
const shown = (output: {screen: {text(): string[]}}) => output.screen.text().join('\n');

async function waitFor(output: {screen: {text(): string[]}}, marker: RegExp, what: string, timeoutMs = 20_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!marker.test(shown(output))) {
		if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs / 1000} s; the screen shows: ${JSON.stringify(shown(output).slice(-400))}`);
		await sleep(50);
	}
}

type Sample = {minute: number; label: string; rssMb: number; treeRssMb: number; cpuPercent: number; terminalKbPerSecond: number; memory?: Memory; lines: string};

/** Least-squares slope of y over x (MB per minute when x is minutes). */
function slope(points: {x: number; y: number}[]): number {
	if (points.length < 2) return Number.NaN;
	const n = points.length;
	const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
	const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
	let num = 0;
	let den = 0;
	for (const p of points) {
		num += (p.x - meanX) * (p.y - meanY);
		den += (p.x - meanX) ** 2;
	}
	return den === 0 ? Number.NaN : num / den;
}

const snapshotDirectory = heapSnapshots ? mkdtempSync(path.join(tmpdir(), 'botops-soak-heap-')) : undefined;
const probeDirectory = mkdtempSync(path.join(tmpdir(), 'botops-soak-'));
const probeFile = path.join(probeDirectory, 'memory.jsonl');
const probe = new URL('soak-probe.mjs', import.meta.url).href;
// SOAK_NODE_OPTIONS adds V8 flags (`--trace-gc`, `--max-semi-space-size=32`) to try what changes the trend.
const nodeOptions = [`--import=${probe}`, ...(snapshotDirectory ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapshotDirectory}`] : []), process.env.SOAK_NODE_OPTIONS ?? '']
	.join(' ')
	.trim();
const {child, output} = spawnOnPty('node bin/botops.js demo --refresh 2', {
	columns: 120,
	rows: 40,
	env: {NODE_OPTIONS: nodeOptions, SOAK_PROBE_FILE: probeFile, SOAK_PROBE_SECONDS: String(Math.min(10, sampleSeconds / 2))},
});
type Memory = {pid: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number};

/** The latest process.memoryUsage() botops (pid) wrote, if any yet. */
function latestMemory(pid: number): Memory | undefined {
	if (!existsSync(probeFile)) return undefined;
	const lines = readFileSync(probeFile, 'utf8').trimEnd().split('\n');
	for (let i = lines.length - 1; i >= 0; i--) {
		const entry = JSON.parse(lines[i]!) as Memory;
		if (entry.pid === pid) return entry;
	}
	return undefined;
}

/** The lines the Logs pane holds ("1.2k of 1.2k lines" in its title), as the screen shows it now. */
function linesHeld(): string {
	const all = [...shown(output).matchAll(/([\d.,]+k?) of ([\d.,]+k?) lines/g)];
	return all.at(-1)?.[1] ?? '?';
}
const startedAt = Date.now();
const elapsedMinutes = () => (Date.now() - startedAt) / 60_000;

let exitedEarly: string | undefined;
child.once('exit', (code, signal) => {
	exitedEarly = `botops exited early (code ${code}, signal ${signal}); the screen shows: ${JSON.stringify(shown(output).slice(-400))}`;
});

try {
	await waitFor(output, /rust-core-engine/, 'dashboard with data');
	// SOAK_SCREEN=dashboard stays on the first screen: tells growth of the Logs screen from the rest.
	const onLogs = process.env.SOAK_SCREEN !== 'dashboard';
	if (onLogs) {
		child.stdin!.write('4');
		await waitFor(output, /following/, 'Logs screen following');
	}
	const botops = botopsProcess(child.pid!);
	const terminal = terminalOf(botops);
	console.log('soak: botops demo --refresh 2 on a 120x40 pty (%s), %s, %d min, sample every %d s, resize storm of %d at minute %d%s', terminal, onLogs ? 'Logs screen following' : 'Dashboard screen', minutes, sampleSeconds, stormResizes, stormAtMinute, process.env.SOAK_NODE_OPTIONS ? `, node ${process.env.SOAK_NODE_OPTIONS}` : '');
	console.log('  RSS is the botops node process; "tree" adds script(1). heap/ext/buf: heapUsed, external, arrayBuffers (MB) from inside it.');
	console.log('  %s %s %s %s %s %s %s %s %s', 'min'.padStart(6), 'RSS MB'.padStart(7), 'tree MB'.padStart(8), 'heap'.padStart(6), 'ext'.padStart(5), 'buf'.padStart(5), 'lines'.padStart(7), 'CPU %'.padStart(6), 'term KB/s'.padStart(10));

	const samples: Sample[] = [];
	let previous = {time: Date.now(), usage: processUsage(botops), bytes: output.bytes};
	const sample = (label: string) => {
		const now = {time: Date.now(), usage: processUsage(botops), bytes: output.bytes};
		const seconds = (now.time - previous.time) / 1000;
		const entry: Sample = {
			minute: elapsedMinutes(),
			label,
			rssMb: now.usage.rssBytes / 2 ** 20,
			treeRssMb: processUsage(child.pid!).rssBytes / 2 ** 20,
			cpuPercent: seconds > 0 ? ((now.usage.cpuSeconds - previous.usage.cpuSeconds) / seconds) * 100 : 0,
			terminalKbPerSecond: seconds > 0 ? (now.bytes - previous.bytes) / seconds / 1024 : 0,
			memory: latestMemory(botops),
			lines: linesHeld(),
		};
		previous = now;
		samples.push(entry);
		const megabytes = (bytes: number | undefined, width: number) => (bytes === undefined ? '?' : (bytes / 2 ** 20).toFixed(1)).padStart(width);
		console.log(
			'  %s %s %s %s %s %s %s %s %s  %s',
			entry.minute.toFixed(1).padStart(6),
			entry.rssMb.toFixed(1).padStart(7),
			entry.treeRssMb.toFixed(1).padStart(8),
			megabytes(entry.memory?.heapUsed, 6),
			megabytes(entry.memory?.external, 5),
			megabytes(entry.memory?.arrayBuffers, 5),
			entry.lines.padStart(7),
			entry.cpuPercent.toFixed(1).padStart(6),
			entry.terminalKbPerSecond.toFixed(1).padStart(10),
			label,
		);
	};
	sample(onLogs ? 'start (Logs following)' : 'start (Dashboard)');
	if (heapSnapshots) process.kill(botops, 'SIGUSR2');

	let stormDone = false;
	const endAt = startedAt + minutes * 60_000;
	while (Date.now() < endAt) {
		if (exitedEarly) throw new Error(exitedEarly);
		const nextSampleAt = Math.min(endAt, previous.time + sampleSeconds * 1000);
		const stormAt = startedAt + stormAtMinute * 60_000;
		if (!stormDone && stormAt <= nextSampleAt) {
			await sleep(Math.max(0, stormAt - Date.now()));
			sample('before the storm');
			const sizes = [
				[40, 10],
				[300, 100],
				[80, 24],
				[200, 60],
				[100, 30],
				[160, 50],
			] as const;
			const stormStarted = Date.now();
			for (let i = 0; i < stormResizes; i++) {
				const [columns, rows] = sizes[i % sizes.length]!;
				resizePty(terminal, columns, rows);
				await sleep(25);
			}
			resizePty(terminal, 120, 40);
			console.log('  (storm: %d resizes in %s s, back to 120x40)', stormResizes, ((Date.now() - stormStarted) / 1000).toFixed(1));
			sample('just after the storm');
			stormDone = true;
			continue;
		}
		await sleep(Math.max(0, nextSampleAt - Date.now()));
		if (exitedEarly) throw new Error(exitedEarly);
		sample('');
	}
	if (heapSnapshots) {
		process.kill(botops, 'SIGUSR2');
		await sleep(15_000);
		console.log('heap snapshots in %s: %s', snapshotDirectory, readdirSync(snapshotDirectory!).join(', '));
	}

	const rss = samples.map(s => s.rssMb);
	const storm = samples.findIndex(s => s.label === 'just after the storm');
	const after = storm >= 0 ? samples.slice(storm) : [];
	const before = storm >= 0 ? samples.slice(0, storm) : samples;
	const fmt = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : 'n/a');
	console.log('\nRSS (botops process): first %s MB, last %s MB, max %s MB (at minute %s), min %s MB', rss[0]!.toFixed(1), rss.at(-1)!.toFixed(1), Math.max(...rss).toFixed(1), samples[rss.indexOf(Math.max(...rss))]!.minute.toFixed(1), Math.min(...rss).toFixed(1));
	console.log('  trend, whole run:          %s MB/min (least squares over %d samples)', fmt(slope(samples.map(s => ({x: s.minute, y: s.rssMb})))), samples.length);
	console.log('  trend, before the storm:   %s MB/min', fmt(slope(before.map(s => ({x: s.minute, y: s.rssMb})))));
	console.log('  trend, after the storm:    %s MB/min', fmt(slope(after.map(s => ({x: s.minute, y: s.rssMb})))));
	if (storm >= 1) {
		// The storm's own rise, and what is left of it once the next samples are in (the run's trend goes on apart).
		const pre = samples[storm - 1]!.rssMb;
		const justAfter = samples[storm]!.rssMb;
		const settled = samples.slice(storm + 1, storm + 4).map(s => s.rssMb);
		const rise = justAfter - pre;
		const lowest = settled.length > 0 ? Math.min(...settled) : Number.NaN;
		const cameBack = rise < 1 ? 'the storm took no memory' : settled.length === 0 ? 'no sample after it yet' : `${Math.min(100, Math.max(0, ((justAfter - lowest) / rise) * 100)).toFixed(0)}% of its rise came back within ${settled.length} sample${settled.length > 1 ? 's' : ''}`;
		console.log('  resize storm: %s MB before, %s MB just after (%s%s MB), lowest %s MB in the %d samples after: %s', pre.toFixed(1), justAfter.toFixed(1), rise >= 0 ? '+' : '', rise.toFixed(1), Number.isFinite(lowest) ? lowest.toFixed(1) : 'n/a', settled.length, cameBack);
	}
	const heap = samples.filter(s => s.memory).map(s => ({x: s.minute, y: s.memory!.heapUsed / 2 ** 20}));
	if (heap.length > 1) console.log('JS heap used: first %s MB, last %s MB, max %s MB; trend %s MB/min', heap[0]!.y.toFixed(1), heap.at(-1)!.y.toFixed(1), Math.max(...heap.map(p => p.y)).toFixed(1), fmt(slope(heap)));
	console.log('Logs pane lines held: %s at the start, %s at the end', samples[0]!.lines, samples.at(-1)!.lines);
	const cpu = samples.slice(1).map(s => s.cpuPercent);
	if (cpu.length > 0) console.log('CPU (botops process, per interval): mean %s%%, max %s%% of a core', (cpu.reduce((a, b) => a + b, 0) / cpu.length).toFixed(2), Math.max(...cpu).toFixed(2));
} finally {
	await stop(child);
	rmSync(probeDirectory, {recursive: true, force: true});
}
