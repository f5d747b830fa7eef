// Start-up to first frame: time from spawn until the dashboard's header is on the pseudo-terminal.
import {performance} from 'node:perf_hooks';
import {median, spawnOnPty, stop} from './terminal.js';

async function timeUntil(command: string, marker: RegExp): Promise<number> {
	const started = performance.now();
	const {child, output} = spawnOnPty(command);
	const deadline = started + 15_000;
	// Colour codes sit between words on screen; compare the text without them.
	while (!marker.test(output.text.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, ''))) {
		if (performance.now() > deadline) {
			await stop(child);
			throw new Error(`no ${marker} from "${command}" within 15 s; got: ${JSON.stringify(output.text.slice(0, 300))}`);
		}
		await new Promise(resolve => setTimeout(resolve, 2));
	}
	const elapsed = performance.now() - started;
	await stop(child);
	return elapsed;
}

const runs = Number(process.env.BENCH_RUNS ?? 7);
const baseline: number[] = [];
const dashboard: number[] = [];
const withData: number[] = [];
for (let i = 0; i < runs; i++) {
	baseline.push(await timeUntil(`node -e "process.stdout.write('ready')"`, /ready/));
	dashboard.push(await timeUntil('node bin/botops.js demo', /botops.*demo/));
	withData.push(await timeUntil('node bin/botops.js demo', /rust-core-engine\s+up/));
}
console.log('start-up (median of %d, on a 120x40 pty via script(1)):', runs);
console.log('  node printing one word          %s ms', median(baseline).toFixed(0));
console.log('  botops demo, first frame        %s ms   (target <= 300 ms)', median(dashboard).toFixed(0));
console.log('  botops demo, first live data    %s ms', median(withData).toFixed(0));
