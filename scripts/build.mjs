// Bundles the CLI into dist/cli.js: one file loads in ~1/3 of the time of the unbundled module graph.
import {build} from 'esbuild';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
	absWorkingDir: root,
	entryPoints: ['source/cli.tsx'],
	outdir: 'dist',
	bundle: true,
	splitting: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	jsx: 'automatic',
	minify: false,
	sourcemap: 'linked',
	legalComments: 'none',
	chunkNames: 'chunks/[name]-[hash]',
	define: {'process.env.NODE_ENV': '"production"'},
	alias: {'react-devtools-core': './scripts/empty-module.mjs'},
	// Optional native accelerators of ssh2 (pulled in by docker-modem); they fall back to JS.
	external: ['cpu-features', './crypto/build/Release/sshcrypto.node'],
	banner: {
		// CommonJS dependencies (dockerode's ssh2, axios' form-data) expect require, __filename and __dirname.
		js: [
			"import {createRequire as __botopsCreateRequire} from 'node:module';",
			"import {fileURLToPath as __botopsFileURLToPath} from 'node:url';",
			"import {dirname as __botopsDirname} from 'node:path';",
			'const require = __botopsCreateRequire(import.meta.url);',
			'const __filename = __botopsFileURLToPath(import.meta.url);',
			'const __dirname = __botopsDirname(__filename);',
		].join(' '),
	},
	logLevel: 'warning',
});
