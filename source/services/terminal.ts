/**
 * Owns the terminal modes botops changes, and puts them back on every way out: quit and stop signals restore it
 * through restore() once the app has unmounted (cli/shutdown.ts), a crash or process.exit through the 'exit' hook.
 */
import {closeSync, fstatSync} from 'node:fs';

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

/**
 * Before exiting from a terminal that has hung up (an SSH drop): Node restores the terminal modes of stdio at exit
 * and aborts the process (SIGABRT, exit 134, "Assertion failed" in ResetStdio) when tcsetattr fails with EIO, as it
 * does on a hung-up terminal. Node skips a descriptor that is closed, so those of the dead terminal are closed.
 * Only for a terminal known to be gone: a live one keeps Node's restore as the last safety net.
 */
export function releaseHungUpTerminal(): void {
	for (const fd of [0, 1, 2]) {
		try {
			// isatty() is false by now (it asks the terminal, which answers EIO): a character device is the terminal.
			if (fstatSync(fd).isCharacterDevice()) closeSync(fd);
		} catch {
			// Already closed: nothing to release.
		}
	}
}
