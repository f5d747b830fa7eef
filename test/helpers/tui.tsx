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

/** How long a wait may take before it fails with the last frame; a bound on waiting, never a pause. */
const defaultTimeoutMs = 5000;

/** Event-loop turns without a new frame after which the app counts as idle (keys dispatched, effects run). */
const idleTurns = 3;

const nextTurn = () => new Promise(resolve => setImmediate(resolve));

type Match = string | RegExp | ((frame: string) => boolean);

const matches = (frame: string, match: Match) => (typeof match === 'string' ? frame.includes(match) : match instanceof RegExp ? match.test(frame) : match(frame));

/**
 * The project's TUI test harness (after Shopify cli-kit's testing/ui.ts): render into a fake terminal, send
 * keys, and wait for the frame to change or to show something. Nothing here sleeps for a fixed time.
 */
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

	/** Resolves with the first frame (the current one included) that matches; rejects with the last frame after the timeout. */
	const waitForFrame = (match: Match, timeoutMs: number, describe: string) =>
		new Promise<string>((resolve, reject) => {
			const check = () => {
				const frame = lastFrame();
				if (!matches(frame, match)) return false;
				done();
				resolve(frame);
				return true;
			};
			const timer = setTimeout(() => {
				done();
				reject(new Error(`timed out waiting for ${describe}; last frame:\n${lastFrame()}`));
			}, timeoutMs);
			const done = () => {
				clearTimeout(timer);
				stdout.off('frame', check);
			};
			stdout.on('frame', check);
			check();
		});

	/** Resolves once ink has read every pressed key and no frame came for a few event-loop turns. */
	const idle = async () => {
		let quiet = 0;
		let frames = stdout.frames.length;
		while (quiet < idleTurns) {
			await nextTurn();
			if (stdin.pending > 0 || stdout.frames.length !== frames) {
				frames = stdout.frames.length;
				quiet = 0;
			} else quiet++;
		}
	};

	return {
		stdout,
		lastFrame,
		lines: () => lastFrame().split('\n'),
		/** Sends keys (each as its own read) without waiting: follow with a wait for what they should show. */
		send(...sequence: string[]) {
			for (const key of sequence) stdin.press(key);
		},
		/** Sends keys and resolves once the app has handled them and drawn the result (or drew nothing new). */
		async press(...sequence: string[]) {
			for (const key of sequence) stdin.press(key);
			await idle();
		},
		/** Sends keys and resolves with the first frame that differs from the one before them (cli-kit's sendInputAndWaitForChange). */
		async pressAndWaitForChange(...sequence: string[]) {
			const before = lastFrame();
			for (const key of sequence) stdin.press(key);
			return waitForFrame(frame => frame !== before, defaultTimeoutMs, `a change after ${JSON.stringify(sequence.join(''))}`);
		},
		/** Runs `action` (a store update, say) and resolves with the first frame that differs from the one before it. */
		async waitForChange(action: () => void, timeoutMs = defaultTimeoutMs) {
			const before = lastFrame();
			action();
			return waitForFrame(frame => frame !== before, timeoutMs, 'the frame to change');
		},
		async resize(nextColumns: number, nextRows: number) {
			stdout.columns = nextColumns;
			stdout.rows = nextRows;
			stdout.emit('resize');
			await idle();
		},
		/** Resolves with the first frame that contains the text (matches the pattern, passes the test). */
		waitFor(match: Match, timeoutMs = defaultTimeoutMs) {
			return waitForFrame(match, timeoutMs, String(match));
		},
		/** Resolves once the app is idle: every key read, no frame for a few event-loop turns. */
		idle,
		waitUntilExit: () => instance.waitUntilExit(),
		unmount: () => instance.unmount(),
	};
}

/**
 * Waits for a condition outside the frame (a fake backend saw a subscription), checking on every turn of the
 * event loop; fails after the timeout.
 */
export async function waitUntil(condition: () => boolean, {timeoutMs = defaultTimeoutMs, what = 'the condition'} = {}): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 1));
	}
}
