import {spawn} from 'node:child_process';
import {LineSplitter} from '../logs/lines.js';
import {cutNote} from '../logs/parse.js';

export type ShellRequest = {
	/** Program and arguments; passed to spawn as an array, never through a shell. */
	argv: string[];
	cwd?: string;
	/** Added to the inherited environment. */
	env?: Record<string, string>;
	timeoutMs: number;
	signal?: AbortSignal;
	onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
};

export type ShellResult = {
	exitCode: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	timedOut: boolean;
};

/** Keeps the tail of the output: a chatty command must not grow memory without bound. */
const maxKeep = 64 * 1024;

export function runArgv(request: ShellRequest): Promise<ShellResult> {
	const [program, ...args] = request.argv;
	if (!program) return Promise.reject(new Error('shell: empty argv'));
	return new Promise((resolve, reject) => {
		const child = spawn(program, args, {
			cwd: request.cwd,
			env: {...process.env, ...request.env},
			shell: false,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		const lines = {stdout: new LineSplitter(), stderr: new LineSplitter()};
		const lineOf = (stream: 'stdout' | 'stderr') => (text: string, cut: number) => request.onLine?.(cut > 0 ? text + cutNote(cut) : text, stream);
		const onLine = {stdout: lineOf('stdout'), stderr: lineOf('stderr')};
		const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
			const text = chunk.toString('utf8');
			if (stream === 'stdout') stdout = (stdout + text).slice(-maxKeep);
			else stderr = (stderr + text).slice(-maxKeep);
			if (request.onLine) lines[stream].push(chunk, onLine[stream]);
		};
		child.stdout.on('data', collect('stdout'));
		child.stderr.on('data', collect('stderr'));
		const kill = () => child.kill('SIGTERM');
		const timer = setTimeout(() => {
			timedOut = true;
			kill();
		}, request.timeoutMs);
		request.signal?.addEventListener('abort', kill, {once: true});
		child.on('error', error => {
			clearTimeout(timer);
			request.signal?.removeEventListener('abort', kill);
			reject(new Error(`${program}: ${(error as NodeJS.ErrnoException).code ?? error.message}`));
		});
		child.on('close', (exitCode, signal) => {
			clearTimeout(timer);
			request.signal?.removeEventListener('abort', kill);
			for (const stream of ['stdout', 'stderr'] as const) lines[stream].end(onLine[stream]);
			resolve({exitCode, signal, stdout, stderr, timedOut});
		});
	});
}
