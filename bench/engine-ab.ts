// Alternating A/B of botops builds or node flags on the real engine: the idle Dashboard's CPU (its main thread and
// V8's helper threads apart), the engine's own CPU while it watches, RSS, and the first frame with the service rows.
// Each variant is a command line without the config; they run in turn, round after round, so that a machine's drift
// falls on all of them alike. Figures only, nothing asserted.
//   tsx bench/engine-ab.ts 'node dist/cli.js' 'node --max-semi-space-size=1 dist/cli.js'
//   BENCH_AB_SECONDS (30), BENCH_AB_ROUNDS (3)
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {removeProject} from '../test/helpers/docker.js';
import {busyEngine, cpuSecondsOf, cpuSecondsOfStats, engineProcesses} from './engine.js';
import {botopsProcess, processUsage, sleep, spawnOnPty, stop} from './terminal.js';

const seconds = Number(process.env.BENCH_AB_SECONDS ?? 30);
const rounds = Number(process.env.BENCH_AB_ROUNDS ?? 3);
const variants = process.argv.slice(2);
if (variants.length === 0 || !(seconds > 0) || !(rounds > 0)) throw new Error("usage: tsx bench/engine-ab.ts 'COMMAND A' ['COMMAND B' ...] (BENCH_AB_SECONDS, BENCH_AB_ROUNDS positive)");
const ready = /rust-core-engine\s+running/;

/** CPU seconds of one process's threads: the main thread (its tid is the pid) and all the others. */
function threadCpu(pid: number): {main: number; helpers: number} {
	const helpers = readdirSync(`/proc/${pid}/task`).filter(tid => Number(tid) !== pid);
	return {main: cpuSecondsOfStats([`/proc/${pid}/task/${pid}/stat`]), helpers: cpuSecondsOfStats(helpers.map(tid => `/proc/${pid}/task/${tid}/stat`))};
}

const directory = mkdtempSync(path.join(tmpdir(), 'botops-engine-ab-'));
const setup = await busyEngine(directory, 'engine-ab');
if ('unavailable' in setup) {
	console.log(`  ${setup.unavailable}: nothing measured (this bench needs a Docker engine)`);
	rmSync(directory, {recursive: true, force: true});
	process.exit(0);
}
const {configFile, project} = setup;
try {
	console.log(`idle Dashboard on the real engine, 120x40, --refresh 2, ${seconds} s windows, ${rounds} rounds:`);
	for (let round = 1; round <= rounds; round++) {
		for (const variant of variants) {
			const started = performance.now();
			const {child, output} = spawnOnPty(`${variant} --config ${configFile} --refresh 2`, {columns: 120, rows: 40, env: {LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8'}});
			try {
				while (!ready.test(output.screen.text().join('\n'))) {
					if (performance.now() - started > 30_000 || child.exitCode !== null) throw new Error(`${variant}: no service rows on screen; it shows:\n${output.screen.text().join('\n')}`);
					await sleep(5);
				}
				const firstFrameMs = performance.now() - started;
				await sleep(5000);
				const node = botopsProcess(child.pid!);
				const [threadsBefore, engineBefore, bytesBefore, from] = [threadCpu(node), cpuSecondsOf(engineProcesses()), output.bytes, performance.now()];
				await sleep(seconds * 1000);
				const wall = (performance.now() - from) / 1000;
				const [threadsAfter, engineAfter] = [threadCpu(node), cpuSecondsOf(engineProcesses())];
				const percent = (cpu: number) => `${((100 * cpu) / wall).toFixed(2).padStart(5)} %`;
				const main = threadsAfter.main - threadsBefore.main;
				const helpers = threadsAfter.helpers - threadsBefore.helpers;
				console.log(
					'  round %d  %s  CPU %s (main %s, helpers %s)  engine %s  %s B/s  RSS %s MB  first frame %s ms',
					round,
					variant.padEnd(48),
					percent(main + helpers),
					percent(main),
					percent(helpers),
					percent(engineAfter - engineBefore),
					((output.bytes - bytesBefore) / wall).toFixed(0).padStart(5),
					(processUsage(node).rssBytes / 1e6).toFixed(0),
					firstFrameMs.toFixed(0),
				);
			} finally {
				await stop(child);
			}
		}
	}
} finally {
	await removeProject(project);
	rmSync(directory, {recursive: true, force: true});
}
