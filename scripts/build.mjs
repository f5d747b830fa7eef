// Bundles the CLI into dist/cli.js: one file loads in ~1/3 of the time of the unbundled module graph.
import {build} from 'esbuild';
import {readFile, rm} from 'node:fs/promises';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * ink 6.8's log-update (the module that writes each frame) is replaced by source/render/log-update.ts, which writes
 * only the cells that changed; ink's own rewrites every changed line whole, then moves the cursor down past the
 * frame (and 6.8.0's moves up one line too few, which ink 7.1 fixed but needs Node 22). The build fails if ink no
 * longer loads it by that name, so an ink upgrade makes someone look again.
 */
const frameWriter = {
	name: 'botops-frame-writer',
	setup(pluginBuild) {
		let replaced = false;
		pluginBuild.onResolve({filter: /^\.\/log-update\.js$/}, args => {
			if (!/[\\/]ink[\\/]build[\\/]ink\.js$/.test(args.importer)) return undefined;
			replaced = true;
			return {path: fileURLToPath(new URL('../source/render/log-update.ts', import.meta.url))};
		});
		pluginBuild.onEnd(result => {
			if (result.errors.length === 0 && !replaced) {
				return {errors: [{text: "botops-frame-writer: ink/build/ink.js no longer imports './log-update.js'; check the ink version"}]};
			}
			return undefined;
		});
	},
};

/**
 * dockerode and docker-modem require, when loaded, what only some calls use: BuildKit sessions (@grpc/grpc-js,
 * protobufjs) and SSH connections (ssh2), about a megabyte of code compiled and run before the first frame. The
 * two requires are made lazy (esbuild's CommonJS wrappers run a module on its first require). The build fails if
 * a line is not found, so an upgrade of either makes someone look again.
 */
const lazyRequires = [
	{file: /[\\/]dockerode[\\/]lib[\\/]docker\.js$/, eager: "withSession = require('./session'),", lazy: "withSession = function () { return require('./session').apply(this, arguments); },"},
	{file: /[\\/]docker-modem[\\/]lib[\\/]modem\.js$/, eager: "ssh = require('./ssh'),", lazy: "ssh = function () { return require('./ssh').apply(this, arguments); },"},
];
const deferUnusedRequires = {
	name: 'botops-lazy-requires',
	setup(pluginBuild) {
		for (const {file, eager, lazy} of lazyRequires) {
			pluginBuild.onLoad({filter: file}, async args => {
				const source = await readFile(args.path, 'utf8');
				if (!source.includes(eager)) throw new Error(`botops-lazy-requires: "${eager}" not found in ${args.path}; check the package version`);
				return {contents: source.replace(eager, lazy), loader: 'js'};
			});
		}
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
	// Optional native accelerators of ssh2 (pulled in by docker-modem); they fall back to JS. ssh2 itself and
	// BuildKit's gRPC stack are required only when a call needs them (lazyRequires above): left out of the bundle,
	// they are loaded from node_modules then, and their megabyte is not compiled at every start.
	external: ['cpu-features', './crypto/build/Release/sshcrypto.node', 'ssh2', '@grpc/grpc-js', '@grpc/proto-loader', 'protobufjs'],
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
	plugins: [frameWriter, deferUnusedRequires],
	logLevel: 'warning',
});
