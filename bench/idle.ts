// Idle dashboard at 2 s refresh on a pty, at 120x40 and 80x24: CPU, bytes written to the terminal and RSS, next to
// htop's in the same run. BOTOPS_BIN picks another build (a checkout of an older commit) to compare against.
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {startDemo} from '../source/demo/index.js';
import {processUsage, sleep, spawnOnPty, stop} from './terminal.js';

const seconds = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const bin = process.env.BOTOPS_BIN ?? 'bin/botops.js';
const sizes = (process.env.BENCH_IDLE_SIZES ?? '120x40,80x24').split(',').map(size => {
	const match = /^(\d+)x(\d+)$/.exec(size.trim());
	if (!match) throw new Error(`BENCH_IDLE_SIZES: "${size}" is not COLUMNSxROWS`);
	return {columns: Number(match[1]), rows: Number(match[2])};
});

type Figures = {cpu: number; bytesPerSecond: number; writesPerSecond: number; rssBytes: number};

async function measure(label: string, command: string, columns: number, rows: number): Promise<Figures> {
	const {child, output} = spawnOnPty(command, {columns, rows});
	let writes = 0;
	child.stdout!.on('data', () => writes++);
	try {
		await sleep(5000);
		const before = processUsage(child.pid!);
		const bytesBefore = output.bytes;
		const writesBefore = writes;
		await sleep(seconds * 1000);
		const after = processUsage(child.pid!);
		const figures = {
			cpu: ((after.cpuSeconds - before.cpuSeconds) / seconds) * 100,
			bytesPerSecond: (output.bytes - bytesBefore) / seconds,
			writesPerSecond: (writes - writesBefore) / seconds,
			rssBytes: after.rssBytes,
		};
		console.log(
			'  %s %s%% of a core   %s B/s to the terminal (%s reads/s)   RSS %s MB',
			label.padEnd(26),
			figures.cpu.toFixed(2).padStart(5),
			figures.bytesPerSecond.toFixed(0).padStart(6),
			figures.writesPerSecond.toFixed(2),
			(figures.rssBytes / 2 ** 20).toFixed(0).padStart(4),
		);
		return figures;
	} finally {
		await stop(child);
	}
}

console.log('idle over %d s, 2 s refresh (after 5 s warm-up), botops from %s; CPU is noisy on a shared machine, bytes are not:', seconds, bin);
// The same dashboard with the demo deployment in another process (this one): botops' own cost, as against a real platform.
const demo = await startDemo();
const directory = mkdtempSync(path.join(tmpdir(), 'botops-bench-'));
const {name: _name, ...environment} = demo.environment;
const configFile = path.join(directory, 'config.yaml');
writeFileSync(configFile, JSON.stringify({defaultEnvironment: 'bench', environments: {bench: environment}}));
try {
	for (const {columns, rows} of sizes) {
		console.log(`${columns}x${rows}:`);
		const botops = await measure('botops demo', `node ${bin} demo --refresh 2`, columns, rows);
		const alone = await measure('botops, demo elsewhere', `node ${bin} --config ${configFile} --refresh 2`, columns, rows);
		if (!existsSync('/usr/bin/htop')) {
			console.log('  htop not installed (apt-get install htop) — no peer in this run');
			continue;
		}
		const htop = await measure('htop -d 20', 'htop -d 20', columns, rows);
		for (const [label, figures] of [['botops demo', botops], ['botops, demo elsewhere', alone]] as const) {
			console.log('  %s / htop: bytes %sx (target <= 0.2x), CPU %sx', label.padEnd(22), (figures.bytesPerSecond / htop.bytesPerSecond).toFixed(2), (figures.cpu / htop.cpu).toFixed(2));
		}
	}
} finally {
	await demo.stop();
	rmSync(directory, {recursive: true, force: true});
}
