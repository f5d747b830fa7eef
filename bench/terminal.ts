import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {readFileSync, readlinkSync} from 'node:fs';
import {StringDecoder} from 'node:string_decoder';
import {FrameScreen} from '../test/helpers/frame-screen.js';

/**
 * Runs a command on a real pseudo-terminal of a given size (util-linux `script`), collecting everything it writes
 * and what the screen shows: a program that writes only changed cells never writes its screen's text in order.
 */
export function spawnOnPty(command: string, {columns = 120, rows = 40, env = {}}: {columns?: number; rows?: number; env?: Record<string, string>} = {}) {
	const child = spawn('script', ['-qfec', `stty cols ${columns} rows ${rows}; exec ${command}`, '/dev/null'], {
		env: {...process.env, TERM: 'xterm-256color', ...env},
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	const output = {bytes: 0, text: '', screen: new FrameScreen(columns, rows, true)};
	const decoder = new StringDecoder('utf8');
	child.stdout!.on('data', (chunk: Buffer) => {
		output.bytes += chunk.length;
		const text = decoder.write(chunk);
		if (output.text.length < 1_000_000) output.text += text;
		output.screen.write(text);
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

/** The node process under `script` and its shell (the one whose usage is botops' own). */
export function botopsProcess(rootPid: number): number {
	const pid = descendants(rootPid).find(candidate => {
		try {
			return readFileSync(`/proc/${candidate}/comm`, 'utf8').trim() === 'node';
		} catch {
			return false;
		}
	});
	if (pid === undefined) throw new Error(`no node process under pid ${rootPid}`);
	return pid;
}

/** The pseudo-terminal a process runs on (its stdin), e.g. /dev/pts/3. */
export function terminalOf(pid: number): string {
	const device = readlinkSync(`/proc/${pid}/fd/0`);
	if (!device.startsWith('/dev/pts/')) throw new Error(`pid ${pid} is not on a pseudo-terminal (stdin is ${device})`);
	return device;
}

/**
 * Resizes a pseudo-terminal from outside, as a terminal emulator does when its window changes: the kernel sends
 * SIGWINCH to the terminal's foreground process group when the size really changes.
 */
export function resizePty(device: string, columns: number, rows: number): void {
	const result = spawnSync('stty', ['-F', device, 'cols', String(columns), 'rows', String(rows)], {encoding: 'utf8'});
	if (result.status !== 0) throw new Error(`stty -F ${device} failed: ${result.stderr || result.error?.message}`);
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
