import {fileURLToPath} from 'node:url';
import {defineConfig} from 'vitest/config';

export default defineConfig({
	resolve: {alias: {'is-in-ci': fileURLToPath(new URL('test/helpers/terminal-not-ci.ts', import.meta.url))}},
	test: {
		include: ['test/**/*.test.{ts,tsx}', 'source/**/*.test.{ts,tsx}'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// Integration tests share one Docker engine and tmux server; files run in parallel, tests inside a file in order.
		pool: 'forks',
		setupFiles: ['./test/helpers/state-dir.ts'],
		reporters: ['default', './test/reporters/summary.ts'],
	},
});
