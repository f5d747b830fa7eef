// `botops check all` against the demo served by another process (`botops demo --serve`): wall time of the whole
// command (node start, config, every check), median of 7 after one warm-up. Figures only; nothing asserted.
import {execFile, spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {createInterface} from 'node:readline';
import {median} from './terminal.js';

const runs = Number(process.env.BENCH_RUNS ?? 7);
const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'bin/botops.js');
const home = mkdtempSync(path.join(tmpdir(), 'botops-bench-check-'));
const env: NodeJS.ProcessEnv = {...process.env, XDG_STATE_HOME: path.join(home, 'state'), XDG_CONFIG_HOME: path.join(home, 'config'), NO_COLOR: '1'};
for (const name of Object.keys(env)) if (name.startsWith('BOTOPS_')) delete env[name];

const server = spawn(process.execPath, [cli, 'demo', '--serve'], {cwd: root, env, stdio: ['ignore', 'pipe', 'inherit']});
try {
	const served = await new Promise<{config: string}>((resolve, reject) => {
		createInterface({input: server.stdout!}).once('line', line => resolve(JSON.parse(line) as {config: string}));
		server.once('exit', code => reject(new Error(`demo --serve exited ${code}`)));
	});
	const once = () =>
		new Promise<{ms: number; code: number; runMs: number}>(resolve => {
			const started = performance.now();
			execFile(process.execPath, [cli, 'check', 'all', '--format', 'json', '--config', served.config], {cwd: root, env}, (error, stdout) => {
				// The checks' own time (the JSON's durationMs): the wall time less node's start, the config and the imports.
				const runMs = (JSON.parse(stdout) as {durationMs: number}).durationMs;
				resolve({ms: performance.now() - started, code: error ? Number((error as {code?: number}).code ?? 1) : 0, runMs});
			});
		});
	await once();
	const times: number[] = [];
	const runTimes: number[] = [];
	const codes = new Set<number>();
	for (let i = 0; i < runs; i++) {
		const {ms, code, runMs} = await once();
		times.push(ms);
		runTimes.push(runMs);
		codes.add(code);
	}
	console.log(`botops check all against demo --serve: median ${median(times).toFixed(0)} ms of ${runs} (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}); exit codes ${[...codes].join(', ')}; target < 1500 ms`);
	console.log(`  of which the checks themselves: median ${median(runTimes).toFixed(0)} ms (the resources check waits for Docker's second stats sample, 1 s apart)`);
} finally {
	server.kill('SIGTERM');
	rmSync(home, {recursive: true, force: true});
}
