// Start-up, piece by piece: node alone, the bundle loaded (--version), the dashboard's first frame and its first
// live data, each as wall time from spawn (noisy on a shared machine) and as the CPU time the process had used by
// then (steadier: it does not count waiting for a core). BOTOPS_BIN picks another build to compare against.
import {performance} from 'node:perf_hooks';
import {median, processUsage, spawnOnPty, stop} from './terminal.js';

// The launcher (bin/botops, as the package's bin runs it) unless BOTOPS_BIN names another, a .js file run by node.
const bin = process.env.BOTOPS_BIN ?? 'bin/botops';
const botops = bin.endsWith('.js') ? `node ${bin}` : bin;
const runs = Number(process.env.BENCH_RUNS ?? 7);

type Sample = {wallMs: number; cpuMs: number};

async function timeUntil(command: string, marker: RegExp): Promise<Sample> {
	const started = performance.now();
	const {child, output} = spawnOnPty(command);
	const deadline = started + 15_000;
	try {
		while (!marker.test(output.screen.text().join('\n'))) {
			if (performance.now() > deadline) throw new Error(`no ${marker} from "${command}" within 15 s; got: ${JSON.stringify(output.text.slice(0, 300))}`);
			await new Promise(resolve => setTimeout(resolve, 2));
		}
		return {wallMs: performance.now() - started, cpuMs: processUsage(child.pid!).cpuSeconds * 1000};
	} finally {
		await stop(child);
	}
}

const pieces: Array<{label: string; command: string; marker: RegExp}> = [
	{label: 'node printing one word', command: `node -e "process.stdout.write('ready')"`, marker: /ready/},
	{label: 'botops --version (bundle loaded)', command: `${botops} --version`, marker: /\d+\.\d+\.\d+/},
	{label: 'botops demo, first frame', command: `${botops} demo`, marker: /botops\s+demo/},
	{label: 'botops demo, service names', command: `${botops} demo`, marker: /rust-core-engine\s+up/},
];
const samples = pieces.map(() => [] as Sample[]);
for (let i = 0; i < runs; i++) {
	for (const [index, piece] of pieces.entries()) samples[index].push(await timeUntil(piece.command, piece.marker));
}
console.log('start-up from %s (median of %d, on a 120x40 pty via script(1)); wall time is noisy here, CPU time less so:', bin, runs);
for (const [index, piece] of pieces.entries()) {
	const wall = median(samples[index].map(s => s.wallMs));
	const cpu = median(samples[index].map(s => s.cpuMs));
	console.log('  %s %s ms wall   %s ms CPU', piece.label.padEnd(34), wall.toFixed(0).padStart(5), cpu.toFixed(0).padStart(5));
}
console.log('  (target: first frame with the service names <= 150 ms median on a quiet machine)');
