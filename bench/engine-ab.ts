// Alternating A/B of botops builds or node flags on the real engine: the idle Dashboard's CPU (its main thread and
// V8's helper threads apart), the engine's own CPU while it watches, RSS, and the first frame with the service rows.
// Each variant is a command line without the config; they run in turn, round after round, so that a machine's drift
// falls on all of them alike. Figures only, nothing asserted.
//   tsx bench/engine-ab.ts 'node dist/cli.js' 'node --max-semi-space-size=1 dist/cli.js'
//   BENCH_AB_SECONDS (30), BENCH_AB_ROUNDS (3)
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {createComposeContainer, dockerAvailable, ensureBusyboxImage, removeProject, uniqueProject} from '../test/helpers/docker.js';
import {botopsProcess, processUsage, sleep, spawnOnPty, stop} from './terminal.js';

const seconds = Number(process.env.BENCH_AB_SECONDS ?? 30);
const rounds = Number(process.env.BENCH_AB_ROUNDS ?? 3);
const variants = process.argv.slice(2);
if (variants.length === 0 || !(seconds > 0) || !(rounds > 0)) throw new Error("usage: tsx bench/engine-ab.ts 'COMMAND A' ['COMMAND B' ...] (BENCH_AB_SECONDS, BENCH_AB_ROUNDS positive)");
const services = ['rust-core-engine', 'python-ai-service', 'nextjs-ui-dashboard', 'mongodb-primary', 'redis', 'prometheus'];
const ready = /rust-core-engine\s+running/;

/** CPU seconds of one process's threads: the main thread (its tid is the pid) and all the others. */
function threadCpu(pid: number): {main: number; helpers: number} {
	let main = 0;
	let helpers = 0;
	for (const tid of readdirSync(`/proc/${pid}/task`)) {
		try {
			const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			const cpu = (Number(fields[11]) + Number(fields[12])) / 100;
			if (Number(tid) === pid) main += cpu;
			else helpers += cpu;
		} catch {
			// The thread ended.
		}
	}
	return {main, helpers};
}

function engineCpu(): number {
	let cpu = 0;
	for (const pid of readdirSync('/proc').filter(entry => /^\d+$/.test(entry))) {
		try {
			if (!['dockerd', 'containerd'].includes(readFileSync(`/proc/${pid}/comm`, 'utf8').trim())) continue;
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			cpu += (Number(fields[11]) + Number(fields[12])) / 100;
		} catch {
			// Gone.
		}
	}
	return cpu;
}

const availability = await dockerAvailable();
if (!availability.available) {
	console.log(`  ${availability.reason}: nothing measured (this bench needs a Docker engine)`);
	process.exit(0);
}
await ensureBusyboxImage();
const project = uniqueProject('engine-ab');
const directory = mkdtempSync(path.join(tmpdir(), 'botops-engine-ab-'));
try {
	const busy = 'while true; do i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; sleep 1; done';
	await Promise.all(services.map(service => createComposeContainer({project, service, cmd: ['sh', '-c', busy]})));
	const configFile = path.join(directory, 'config.yaml');
	const environment = {backend: {type: 'compose', project}, services: services.map(name => ({name, container: name, critical: false}))};
	writeFileSync(configFile, JSON.stringify({defaultEnvironment: 'ab', environments: {ab: environment}}));
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
				const [threadsBefore, engineBefore, bytesBefore, from] = [threadCpu(node), engineCpu(), output.bytes, performance.now()];
				await sleep(seconds * 1000);
				const wall = (performance.now() - from) / 1000;
				const [threadsAfter, engineAfter] = [threadCpu(node), engineCpu()];
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
