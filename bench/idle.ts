// Idle dashboard at 2 s refresh on a 120x40 pty: CPU, bytes written to the terminal and RSS, next to htop's.
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {startDemo} from '../source/demo/index.js';
import {processUsage, sleep, spawnOnPty, stop} from './terminal.js';

const seconds = Number(process.env.BENCH_IDLE_SECONDS ?? 60);

async function measure(label: string, command: string) {
	const {child, output} = spawnOnPty(command, {columns: 120, rows: 40});
	await sleep(5000);
	const before = processUsage(child.pid!);
	const bytesBefore = output.bytes;
	await sleep(seconds * 1000);
	const after = processUsage(child.pid!);
	const bytes = output.bytes - bytesBefore;
	await stop(child);
	const cpu = ((after.cpuSeconds - before.cpuSeconds) / seconds) * 100;
	console.log(
		'  %s %s%% of a core   %s KB/s to the terminal   RSS %s MB',
		label.padEnd(26),
		cpu.toFixed(2).padStart(5),
		(bytes / seconds / 1024).toFixed(2).padStart(6),
		(after.rssBytes / 2 ** 20).toFixed(0).padStart(4),
	);
	return {cpu, bytesPerSecond: bytes / seconds};
}

console.log('idle over %d s at 120x40, 2 s refresh (after 5 s warm-up):', seconds);
const botops = await measure('botops demo', 'node bin/botops.js demo --refresh 2');
// The same dashboard with the demo deployment in another process (this one): botops' own cost, as against a real platform.
const demo = await startDemo();
const directory = mkdtempSync(path.join(tmpdir(), 'botops-bench-'));
const {name: _name, ...environment} = demo.environment;
const configFile = path.join(directory, 'config.yaml');
writeFileSync(configFile, JSON.stringify({defaultEnvironment: 'bench', environments: {bench: environment}}));
const alone = await measure('botops, demo elsewhere', `node bin/botops.js --config ${configFile} --refresh 2`);
await demo.stop();
rmSync(directory, {recursive: true, force: true});
if (existsSync('/usr/bin/htop')) {
	const htop = await measure('htop -d 20', 'htop -d 20');
	for (const [label, figures] of [['botops demo', botops], ['botops, demo elsewhere', alone]] as const) {
		console.log('  %s / htop: CPU %sx, bytes %sx (targets: bytes <= 0.2x htop; CPU <= half of glances)', label, (figures.cpu / htop.cpu).toFixed(2), (figures.bytesPerSecond / htop.bytesPerSecond).toFixed(2));
	}
} else {
	console.log('  htop not installed (apt-get install htop) — no peer in this run');
}
