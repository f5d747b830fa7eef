/**
 * Owns the terminal modes botops changes, and puts them back on every way out: quit and stop signals restore it
 * through restore() once the app has unmounted (cli/shutdown.ts), a crash or process.exit through the 'exit' hook.
 */
const enterAlternateScreen = '\u001B[?1049h\u001B[H';
const leaveAlternateScreen = '\u001B[?25h\u001B[?1049l';

export type TerminalSession = {restore(): void};

export function takeTerminal(stdout: NodeJS.WriteStream, stdin: NodeJS.ReadStream): TerminalSession {
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
		process.off('exit', restore);
	};
	process.on('exit', restore);
	return {restore};
}
