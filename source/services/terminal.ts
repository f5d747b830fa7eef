/** Owns the terminal modes botops changes, and puts them back on every way out (quit, crash, signals, SSH drop). */
const enterAlternateScreen = '\u001B[?1049h\u001B[H';
const leaveAlternateScreen = '\u001B[?25h\u001B[?1049l';

export type TerminalSession = {restore(): void};

export function takeTerminal(stdout: NodeJS.WriteStream, stdin: NodeJS.ReadStream, onSignal: (signal: NodeJS.Signals) => void): TerminalSession {
	let restored = false;
	stdout.write(enterAlternateScreen);
	const restore = () => {
		if (restored) return;
		restored = true;
		try {
			if (stdin.isTTY && stdin.isRaw) stdin.setRawMode(false);
		} catch {
			// stdin may already be gone (SSH drop); the screen reset below still matters.
		}
		try {
			stdout.write(leaveAlternateScreen);
		} catch {
			// Nothing more can be done for a closed terminal.
		}
		for (const [signal, handler] of handlers) process.off(signal, handler);
		process.off('exit', restore);
	};
	const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map(signal => {
		const handler = () => {
			restore();
			onSignal(signal);
		};
		process.on(signal, handler);
		return [signal, handler] as const;
	});
	process.on('exit', restore);
	return {restore};
}
