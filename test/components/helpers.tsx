import React, {type ReactElement} from 'react';
import {Box} from 'ink';
import {render} from 'ink-testing-library';
import {KeypressProvider} from '../../source/hooks/KeypressContext.js';
import {ThemeProvider} from '../../source/theme/ThemeContext.js';
import {createTheme, type ThemeOptions} from '../../source/theme/theme.js';

// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;]*m/g;

export const stripAnsi = (text: string): string => text.replace(ansi, '');

/** SGR colour parameters (foreground or background, 16/256/true colour); attributes like bold or inverse are not colour. */
export function hasColourCodes(text: string): boolean {
	for (const match of text.matchAll(ansi)) {
		const params = match[0].slice(2, -1).split(';').map(Number);
		if (params.some(p => (p >= 30 && p <= 38) || (p >= 40 && p <= 48) || (p >= 90 && p <= 97) || (p >= 100 && p <= 107))) return true;
	}
	return false;
}

export const hasAnsi = (text: string): boolean => /\u001b\[/.test(text);

/** Renders inside a theme and a box of a fixed width (ink-testing-library's stdout is always 100 columns). */
export function renderAt(node: ReactElement, {width = 80, ...options}: ThemeOptions & {width?: number} = {}) {
	const theme = createTheme(options);
	const wrap = (child: ReactElement) => (
		<ThemeProvider theme={theme}>
			<KeypressProvider>
				<Box width={width} flexDirection="column">
					{child}
				</Box>
			</KeypressProvider>
		</ThemeProvider>
	);
	const instance = render(wrap(node));
	return {
		...instance,
		rerender: (next: ReactElement) => instance.rerender(wrap(next)),
		/** The last frame without escape codes, as lines. */
		lines: () => stripAnsi(instance.lastFrame() ?? '').split('\n'),
	};
}

const nextTurn = () => new Promise(resolve => setImmediate(resolve));

/**
 * Resolves once ink has drawn everything the keys caused: no new frame for a few turns of the event loop (each
 * dispatched key commits, and so draws, once). Waits on the app, never for a fixed time.
 */
export async function idle(app: {frames: readonly string[]}, quietTurns = 3): Promise<void> {
	let quiet = 0;
	let seen = app.frames.length;
	while (quiet < quietTurns) {
		await nextTurn();
		if (app.frames.length === seen) quiet++;
		else {
			seen = app.frames.length;
			quiet = 0;
		}
	}
}

/** Writes keys (each as its own read) and waits until the app is idle again. */
export async function press(app: {frames: readonly string[]; stdin: {write(data: string): void}}, ...keys: string[]): Promise<void> {
	for (const key of keys) app.stdin.write(key);
	await idle(app);
}
