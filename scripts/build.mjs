// Bundles the CLI into dist/cli.js: one file loads in ~1/3 of the time of the unbundled module graph.
import {build} from 'esbuild';
import {readFile, rm} from 'node:fs/promises';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * ink 6.8.0's incremental renderer moves the cursor up one line too few when the frame ends with a newline (every
 * frame shorter than the terminal), so each redraw lands one row lower and the screen scrolls. ink 7.1 fixed it
 * (cursorUp(previousLines.length - 1)) but needs Node 22; the same one-line fix is applied here at bundle time.
 * The build fails if the line is not found, so an ink upgrade makes someone look again.
 */
const inkIncrementalFix = {
	name: 'ink-incremental-fix',
	setup(pluginBuild) {
		pluginBuild.onLoad({filter: /[\\/]ink[\\/]build[\\/]log-update\.js$/}, async args => {
			const source = await readFile(args.path, 'utf8');
			const broken = 'buffer.push(ansiEscapes.cursorUp(previousVisible - 1));';
			if (!source.includes(broken)) throw new Error(`ink-incremental-fix: "${broken}" not found in ${args.path}; check the ink version`);
			return {contents: source.replace(broken, 'buffer.push(ansiEscapes.cursorUp(previousLines.length - 1));'), loader: 'js'};
		});
	},
};

// Old chunks would pile up under content-hashed names.
await rm(new URL('../dist', import.meta.url), {recursive: true, force: true});

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
	minify: true,
	keepNames: true,
	sourcemap: 'linked',
	legalComments: 'none',
	chunkNames: 'chunks/[name]-[hash]',
	define: {'process.env.NODE_ENV': '"production"'},
	alias: {'react-devtools-core': './scripts/empty-module.mjs', 'is-in-ci': './scripts/is-in-ci.mjs'},
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
	plugins: [inkIncrementalFix],
	logLevel: 'warning',
});
