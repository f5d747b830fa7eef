// `npm run bench:peers`: botops' Dashboard and Stats screen against glances -t 2, htop -d 20 and btop, one after the
// other in the same run, on the same pseudo-terminal size and (when a Docker engine answers) the same six labelled
// containers of the real engine; the demo otherwise. For each: CPU % of a core, bytes/s written to the terminal,
// RSS, first frame (spawn until its screen shows what it is for), and the engine's own extra CPU while it watches.
// Installs nothing: a missing peer is named and skipped. CPU and first frame are noisy on a shared machine.
//   BENCH_PEERS_SECONDS (60), BENCH_PEERS_SIZE (120x40), BOTOPS_BIN (bin/botops, the launcher; a .js file is run by node)
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {removeProject} from '../test/helpers/docker.js';
import {busyEngine, cpuSecondsOf, engineProcesses, engineServices} from './engine.js';
import {processUsage, sleep, spawnOnPty, stop} from './terminal.js';

const seconds = Number(process.env.BENCH_PEERS_SECONDS ?? 60);
const sizeMatch = /^(\d+)x(\d+)$/.exec(process.env.BENCH_PEERS_SIZE ?? '120x40');
if (!sizeMatch || !(seconds > 0)) throw new Error('BENCH_PEERS_SIZE must be COLUMNSxROWS and BENCH_PEERS_SECONDS a positive number');
const [columns, rows] = [Number(sizeMatch[1]), Number(sizeMatch[2])];
const bin = process.env.BOTOPS_BIN ?? 'bin/botops';
const launch = bin.endsWith('.js') ? `node ${bin}` : bin;
const warmUpMs = 5000;

type Program = {label: string; command: string; ready: RegExp; afterReady?: {keys: string; shows: RegExp}};
type Figures = {label: string; cpu: number; bytesPerSecond: number; rssBytes: number; firstFrameMs: number; engineCpu?: number};

const installed = (name: string) => spawnSync('sh', ['-c', `command -v ${name}`], {encoding: 'utf8'}).status === 0;

/** The program's own RSS: its processes under script(1), without script itself (the same for every program). */
function programRss(scriptPid: number): number {
	const own = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${scriptPid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
	return processUsage(scriptPid).rssBytes - own;
}

async function measure(program: Program, engine: number[]): Promise<Figures> {
	const started = performance.now();
	const {child, output} = spawnOnPty(program.command, {columns, rows, env: {LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8'}});
	try {
		const deadline = started + 30_000;
		while (!program.ready.test(output.screen.text().join('\n'))) {
			if (performance.now() > deadline || child.exitCode !== null) throw new Error(`${program.label}: no ${program.ready} on screen; it shows:\n${output.screen.text().join('\n')}`);
			await sleep(5);
		}
		const firstFrameMs = performance.now() - started;
		if (program.afterReady) {
			child.stdin!.write(program.afterReady.keys);
			while (!program.afterReady.shows.test(output.screen.text().join('\n'))) {
				if (performance.now() > deadline) throw new Error(`${program.label}: no ${program.afterReady.shows} after ${JSON.stringify(program.afterReady.keys)}`);
				await sleep(5);
			}
		}
		await sleep(warmUpMs);
		const before = processUsage(child.pid!);
		const engineBefore = cpuSecondsOf(engine);
		const bytesBefore = output.bytes;
		await sleep(seconds * 1000);
		const after = processUsage(child.pid!);
		const rssBytes = programRss(child.pid!);
		return {
			label: program.label,
			cpu: ((after.cpuSeconds - before.cpuSeconds) / seconds) * 100,
			bytesPerSecond: (output.bytes - bytesBefore) / seconds,
			rssBytes,
			firstFrameMs,
			engineCpu: engine.length > 0 ? ((cpuSecondsOf(engine) - engineBefore) / seconds) * 100 : undefined,
		};
	} finally {
		await stop(child);
	}
}

const directory = mkdtempSync(path.join(tmpdir(), 'botops-peers-'));
console.log('peers at %dx%d, %d s windows after %d s warm-up, one program at a time:', columns, rows, seconds, warmUpMs / 1000);
const engineSetup = await busyEngine(directory, 'peers');
if ('unavailable' in engineSetup) console.log(`  ${engineSetup.unavailable}: botops is measured against its demo instead`);
const real = 'unavailable' in engineSetup ? undefined : engineSetup;
const engine = real ? engineProcesses() : [];
try {
	const botops = real ? `${launch} --config ${real.configFile} --refresh 2` : `${launch} demo --refresh 2`;
	const programs: Program[] = [
		// The first frame that shows the services' containers (up in the demo, running on an engine).
		{label: 'botops Dashboard', command: botops, ready: /rust-core-engine\s+(up|running)/},
		{label: 'botops Stats', command: botops, ready: /rust-core-engine\s+(up|running)/, afterReady: {keys: ':stats\r', shows: /─ Stats ─/}},
	];
	const peers: Array<Program & {binary: string}> = [
		{label: 'glances -t 2', binary: 'glances', command: 'glances -t 2', ready: /CPU/},
		{label: 'htop -d 20', binary: 'htop', command: 'htop -d 20', ready: /Load average/},
		{label: 'btop (2 s)', binary: 'btop', command: 'btop --utf-force', ready: /cpu/i},
	];
	const missing = peers.filter(peer => !installed(peer.binary)).map(peer => peer.binary);
	if (missing.length > 0) console.log(`  not installed, not measured: ${missing.join(', ')} (Debian: apt-get install ${missing.join(' ')})`);
	programs.push(...peers.filter(peer => !missing.includes(peer.binary)));

	let engineIdle: number | undefined;
	if (engine.length > 0) {
		const before = cpuSecondsOf(engine);
		await sleep(Math.min(seconds, 30) * 1000);
		engineIdle = ((cpuSecondsOf(engine) - before) / Math.min(seconds, 30)) * 100;
		console.log(`  the engine with nobody watching: ${engineIdle.toFixed(2)} % of a core (${real!.project}, ${engineServices.length} containers)`);
	}
	const results: Figures[] = [];
	for (const program of programs) {
		const figures = await measure(program, engine);
		results.push(figures);
		const engineExtra = figures.engineCpu === undefined || engineIdle === undefined ? '' : `   engine +${(figures.engineCpu - engineIdle).toFixed(2)} %`;
		console.log(
			'  %s %s %% CPU   %s B/s   RSS %s MB   first frame %s ms%s',
			figures.label.padEnd(18),
			figures.cpu.toFixed(2).padStart(5),
			figures.bytesPerSecond.toFixed(0).padStart(6),
			(figures.rssBytes / 2 ** 20).toFixed(0).padStart(4),
			figures.firstFrameMs.toFixed(0).padStart(5),
			engineExtra,
		);
	}
	const find = (label: string) => results.find(result => result.label.startsWith(label));
	const dashboard = find('botops Dashboard')!;
	const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}x` : 'n/a');
	console.log('botops Dashboard against the peers (targets: CPU <= 0.5x glances, bytes <= 0.2x htop, RSS <= 60 MB, first frame <= 150 ms):');
	for (const peer of ['glances', 'htop', 'btop']) {
		const figures = find(peer);
		if (!figures) continue;
		console.log('  / %s CPU %s   bytes %s   RSS %s   first frame %s', peer.padEnd(8), ratio(dashboard.cpu, figures.cpu), ratio(dashboard.bytesPerSecond, figures.bytesPerSecond), ratio(dashboard.rssBytes, figures.rssBytes), ratio(dashboard.firstFrameMs, figures.firstFrameMs));
	}
} finally {
	if (real) await removeProject(real.project);
	rmSync(directory, {recursive: true, force: true});
}
