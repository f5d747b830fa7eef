import {spawn, type ChildProcess} from 'node:child_process';
import {readFileSync} from 'node:fs';

/** Runs a command on a real pseudo-terminal of a given size (util-linux `script`), collecting everything it writes. */
export function spawnOnPty(command: string, {columns = 120, rows = 40, env = {}}: {columns?: number; rows?: number; env?: Record<string, string>} = {}) {
	const child = spawn('script', ['-qfec', `stty cols ${columns} rows ${rows}; exec ${command}`, '/dev/null'], {
		env: {...process.env, TERM: 'xterm-256color', ...env},
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	const output = {bytes: 0, text: ''};
	child.stdout!.on('data', (chunk: Buffer) => {
		output.bytes += chunk.length;
		if (output.text.length < 1_000_000) output.text += chunk.toString('utf8');
	});
	return {child, output};
}

/** CPU seconds (user + system) and RSS of a process and its descendants, from /proc. */
export function processUsage(rootPid: number): {cpuSeconds: number; rssBytes: number} {
	const ticksPerSecond = 100;
	let cpuTicks = 0;
	let rss = 0;
	for (const pid of descendants(rootPid)) {
		try {
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			cpuTicks += Number(fields[11]) + Number(fields[12]);
			const status = readFileSync(`/proc/${pid}/status`, 'utf8');
			rss += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
		} catch {
			// The process ended between listing and reading.
		}
	}
	return {cpuSeconds: cpuTicks / ticksPerSecond, rssBytes: rss};
}

function descendants(pid: number): number[] {
	const all = [pid];
	for (let i = 0; i < all.length; i++) {
		try {
			const children = readFileSync(`/proc/${all[i]}/task/${all[i]}/children`, 'utf8').trim();
			if (children) all.push(...children.split(/\s+/).map(Number));
		} catch {
			// Gone already.
		}
	}
	return all;
}

export async function stop(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null) return;
	const exited = new Promise(resolve => child.once('exit', resolve));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
	await exited;
	clearTimeout(timer);
}

export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
