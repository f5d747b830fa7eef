import {fileURLToPath} from 'node:url';
import {defineConfig} from 'vitest/config';

export default defineConfig({
	resolve: {alias: {'is-in-ci': fileURLToPath(new URL('test/helpers/terminal-not-ci.ts', import.meta.url))}},
	test: {
		include: ['test/**/*.test.{ts,tsx}', 'source/**/*.test.{ts,tsx}'],
		// ink is inlined so that the is-in-ci alias above reaches it: an external ink is loaded by node itself, sees
		// CI=true and draws only its last frame, and a test counting what reaches the terminal would wait for nothing.
		server: {deps: {inline: ['ink']}},
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// Integration tests share one Docker engine and tmux server; files run in parallel, tests inside a file in order.
		pool: 'forks',
		setupFiles: ['./test/helpers/state-dir.ts'],
		reporters: ['default', './test/reporters/summary.ts'],
	},
});
