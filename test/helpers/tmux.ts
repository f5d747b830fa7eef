import {execFileSync, spawnSync} from 'node:child_process';

export function tmuxAvailable(): boolean {
	return spawnSync('tmux', ['-V']).status === 0;
}

/** One private tmux server per session (its own socket), so tests never touch a user's tmux. */
export function startTmux(command: string, {columns, rows, cwd}: {columns: number; rows: number; cwd: string}) {
	const socket = `botops-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
	const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8', cwd});
	// The pane stays after the command ends so its last screen can be read; the command runs for seconds at least.
	tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', String(columns), '-y', String(rows), '-e', 'TERM=xterm-256color', command);
	tmux('set-option', '-t', 'main', 'remain-on-exit', 'on');
	const capture = () => tmux('capture-pane', '-p', '-t', 'main');
	return {
		capture,
		/** The screen with its SGR sequences (colours, bold, inverse), as `capture-pane -e` gives them. */
		captureWithEscapes: () => tmux('capture-pane', '-p', '-e', '-t', 'main'),
		resize: (toColumns: number, toRows: number) => tmux('resize-window', '-t', 'main', '-x', String(toColumns), '-y', String(toRows)),
		/** A format of the pane (`#{alternate_on}`, `#{cursor_flag}`), as tmux knows it. */
		paneFormat: (format: string) => tmux('display-message', '-p', '-t', 'main', format).trim(),
		/** tmux key names: "q", "Enter", "Escape", "Tab", "C-c". */
		send: (...keys: string[]) => tmux('send-keys', '-t', 'main', ...keys),
		panePid: () => Number(tmux('display-message', '-p', '-t', 'main', '#{pane_pid}').trim()),
		paneDead: () => tmux('display-message', '-p', '-t', 'main', '#{pane_dead} #{pane_dead_status}').trim(),
		async waitFor(predicate: string | RegExp | (() => boolean), timeoutMs = 15_000): Promise<string> {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const screen = capture();
				const ok = typeof predicate === 'function' ? predicate() : typeof predicate === 'string' ? screen.includes(predicate) : predicate.test(screen);
				if (ok) return screen;
				if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(predicate)}; screen:\n${screen}`);
				await new Promise(resolve => setTimeout(resolve, 100));
			}
		},
		kill: () => {
			spawnSync('tmux', ['-L', socket, 'kill-server']);
		},
	};
}
