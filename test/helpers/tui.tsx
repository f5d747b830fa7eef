import {render} from 'ink';
import type {ReactElement} from 'react';
import {FakeStdin, FakeStdout} from './fake-terminal.js';

export const keys = {
	enter: '\r',
	escape: '\u001B',
	tab: '\t',
	up: '\u001B[A',
	down: '\u001B[B',
	pageDown: '\u001B[6~',
	pageUp: '\u001B[5~',
	ctrlC: '\u0003',
} as const;

const ansi = /\u001B\[[0-9;?]*[A-Za-z]/g;

export function renderTui(element: ReactElement, {columns = 80, rows = 24} = {}) {
	const stdout = new FakeStdout(columns, rows);
	const stdin = new FakeStdin();
	const instance = render(element, {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		debug: true,
		patchConsole: false,
		exitOnCtrlC: false,
	});
	const lastFrame = () => (stdout.frames.at(-1) ?? '').replace(ansi, '');
	return {
		stdout,
		lastFrame,
		lines: () => lastFrame().split('\n'),
		/** Types keys and waits for the frame to settle. */
		async press(...sequence: string[]) {
			for (const key of sequence) {
				stdin.press(key);
				await settle();
			}
		},
		async resize(nextColumns: number, nextRows: number) {
			stdout.columns = nextColumns;
			stdout.rows = nextRows;
			stdout.emit('resize');
			await settle();
		},
		/** Waits until the frame contains text (bounded). */
		async waitFor(text: string | RegExp, timeoutMs = 5000) {
			const deadline = Date.now() + timeoutMs;
			while (Date.now() < deadline) {
				const frame = lastFrame();
				if (typeof text === 'string' ? frame.includes(text) : text.test(frame)) return frame;
				await settle(25);
			}
			throw new Error(`timed out waiting for ${String(text)}; last frame:\n${lastFrame()}`);
		},
		waitUntilExit: () => instance.waitUntilExit(),
		unmount: () => instance.unmount(),
	};
}

export const settle = (ms = 30) => new Promise(resolve => setTimeout(resolve, ms));
