// Preloaded into botops by bench/soak.ts (NODE_OPTIONS=--import): appends process.memoryUsage() as one JSON line to
// SOAK_PROBE_FILE every SOAK_PROBE_SECONDS, so that the soak can tell the JS heap from buffers and native memory.
import {appendFileSync} from 'node:fs';

const file = process.env.SOAK_PROBE_FILE;
if (file) {
	const timer = setInterval(() => appendFileSync(file, JSON.stringify({pid: process.pid, time: Date.now(), ...process.memoryUsage()}) + '\n'), Number(process.env.SOAK_PROBE_SECONDS ?? 10) * 1000);
	timer.unref();
}
