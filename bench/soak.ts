/**
 * `npm run soak` (not in CI): the demo dashboard for SOAK_MINUTES (default 30) on a 120x40 pty with the Logs
 * screen following. RSS and CPU of the botops process are sampled every minute, and once a third of the way
 * in a resize storm is sent (SOAK_STORM_RESIZES window-size changes through sizes from 40x10 to 300x100), to
 * answer whether the memory it takes comes back. Reports every sample, then the trend: least-squares slope in
 * MB/min over the whole run and after the storm, and first/last/max. Figures only, nothing asserted.
 *
 *   SOAK_MINUTES=30 npm run soak
 *   SOAK_HEAPSNAPSHOT=1 npm run soak   # also writes heap snapshots after warm-up and at the end (see the path printed)
 */
import {mkdtempSync, readdirSync} from 'node:fs';
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

const stripped = (text: string) => text.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');

async function waitFor(output: {text: string}, marker: RegExp, what: string, timeoutMs = 20_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!marker.test(stripped(output.text))) {
		if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs / 1000} s; the terminal shows: ${JSON.stringify(stripped(output.text).slice(-400))}`);
		await sleep(50);
	}
}

type Sample = {minute: number; label: string; rssMb: number; treeRssMb: number; cpuPercent: number; terminalKbPerSecond: number};

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
const nodeOptions: Record<string, string> = snapshotDirectory ? {NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${snapshotDirectory}`} : {};
const {child, output} = spawnOnPty('node bin/botops.js demo --refresh 2', {columns: 120, rows: 40, env: nodeOptions});
const startedAt = Date.now();
const elapsedMinutes = () => (Date.now() - startedAt) / 60_000;

let exitedEarly: string | undefined;
child.once('exit', (code, signal) => {
	exitedEarly = `botops exited early (code ${code}, signal ${signal}); the terminal shows: ${JSON.stringify(stripped(output.text).slice(-400))}`;
});

try {
	await waitFor(output, /rust-core-engine/, 'dashboard with data');
	child.stdin!.write('4');
	await waitFor(output, /following/, 'Logs screen following');
	const botops = botopsProcess(child.pid!);
	const terminal = terminalOf(botops);
	console.log('soak: botops demo --refresh 2 on a 120x40 pty (%s), Logs screen following, %d min, sample every %d s, resize storm of %d at minute %d', terminal, minutes, sampleSeconds, stormResizes, stormAtMinute);
	console.log('  RSS is the botops node process; "tree" adds script(1).');
	console.log('  %s %s %s %s %s', 'min'.padStart(6), 'RSS MB'.padStart(7), 'tree MB'.padStart(8), 'CPU %'.padStart(6), 'term KB/s'.padStart(10));

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
		};
		previous = now;
		samples.push(entry);
		console.log(
			'  %s %s %s %s %s  %s',
			entry.minute.toFixed(1).padStart(6),
			entry.rssMb.toFixed(1).padStart(7),
			entry.treeRssMb.toFixed(1).padStart(8),
			entry.cpuPercent.toFixed(1).padStart(6),
			entry.terminalKbPerSecond.toFixed(1).padStart(10),
			label,
		);
	};
	sample('start (Logs following)');
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
		const pre = samples[storm - 1]!.rssMb;
		const peak = Math.max(...after.map(s => s.rssMb));
		const last = rss.at(-1)!;
		console.log(
			'  resize storm: %s MB before, %s MB just after, peak %s MB after, %s MB at the end: %s',
			pre.toFixed(1),
			samples[storm]!.rssMb.toFixed(1),
			peak.toFixed(1),
			last.toFixed(1),
			peak - pre < 1 ? 'the storm took no lasting memory' : `${(((peak - last) / (peak - pre)) * 100).toFixed(0)}% of the rise came back`,
		);
	}
	const cpu = samples.slice(1).map(s => s.cpuPercent);
	if (cpu.length > 0) console.log('CPU (botops process, per interval): mean %s%%, max %s%% of a core', (cpu.reduce((a, b) => a + b, 0) / cpu.length).toFixed(2), Math.max(...cpu).toFixed(2));
} finally {
	await stop(child);
}
