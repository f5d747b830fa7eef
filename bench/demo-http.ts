// The demo's HTTP latency per scenario: how far over the 500 ms p95 target ai-slow puts the AI service.
import {performance} from 'node:perf_hooks';
import {startDemo} from '../source/demo/index.js';
import {median} from './terminal.js';

const runs = Number(process.env.BENCH_RUNS ?? 7);

async function healthLatencies(scenario: string): Promise<Record<string, number[]>> {
	const demo = await startDemo({scenario});
	try {
		const out: Record<string, number[]> = {};
		for (const service of demo.environment.services) {
			if (!service.healthUrl) continue;
			out[service.name] = [];
			for (let i = 0; i < runs; i++) {
				const started = performance.now();
				const res = await fetch(service.healthUrl);
				await res.arrayBuffer();
				out[service.name].push(performance.now() - started);
			}
		}
		return out;
	} finally {
		await demo.stop();
	}
}

for (const scenario of ['healthy', 'ai-slow']) {
	console.log(`demo health latency, ${scenario} (median of ${runs}):`);
	for (const [service, values] of Object.entries(await healthLatencies(scenario))) console.log(`  ${service.padEnd(22)} ${median(values).toFixed(0).padStart(5)} ms`);
}
