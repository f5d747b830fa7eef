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
 * Edits to dependencies' sources at bundle time, each for a measured cost. The build fails if a line is not found,
 * so an upgrade of the package makes someone look again.
 */
const sourcePatches = [
	// dockerode and docker-modem require, when loaded, what only some calls use: BuildKit sessions (@grpc/grpc-js,
	// protobufjs) and SSH connections (ssh2), about a megabyte of code compiled and run before the first frame.
	// Made lazy (esbuild's CommonJS wrappers run a module on its first require), and left out of the bundle below.
	{file: /[\\/]dockerode[\\/]lib[\\/]docker\.js$/, edits: [["withSession = require('./session'),", "withSession = function () { return require('./session').apply(this, arguments); },"]]},
	{file: /[\\/]docker-modem[\\/]lib[\\/]modem\.js$/, edits: [["ssh = require('./ssh'),", "ssh = function () { return require('./ssh').apply(this, arguments); },"]]},
	// ink builds each frame from scratch and keeps its per-line caches (ANSI tokens, widths) for that frame only;
	// an idle dashboard redraws the same lines every refresh, and a CPU profile of an idle minute put a third of
	// botops' time in re-tokenizing, re-measuring and re-slicing them. The caches are kept from frame to frame
	// (emptied past a bound), and clipped slices are cached too.
	{
		file: /[\\/]ink[\\/]build[\\/]output\.js$/,
		edits: [
			['    styledChars = new Map();\n', '    styledChars = new Map();\n    slices = new Map();\n    getSlice(line, from, to) {\n        const key = `${from}:${to}:${line}`;\n        let cached = this.slices.get(key);\n        if (cached === undefined) {\n            cached = sliceAnsi(line, from, to);\n            this.slices.set(key, cached);\n        }\n        return cached;\n    }\n'],
			['export default class Output {', 'let lastingCaches;\nconst lastingOutputCaches = () => {\n    if (!lastingCaches || lastingCaches.styledChars.size + lastingCaches.widths.size + lastingCaches.slices.size > 20000) lastingCaches = new OutputCaches();\n    return lastingCaches;\n};\nexport default class Output {'],
			['    caches = new OutputCaches();', '    caches = lastingOutputCaches();'],
			['return sliceAnsi(line, from, to);', 'return this.caches.getSlice(line, from, to);'],
		],
	},
	// The same profile: every text node measured again on every frame (widest-line); ink's measureText caches it.
	{
		file: /[\\/]ink[\\/]build[\\/]render-node-to-output\.js$/,
		edits: [
			["import widestLine from 'widest-line';", "import measureText from './measure-text.js';"],
			['const currentWidth = widestLine(text);', 'const currentWidth = measureText(text).width;'],
		],
	},
];
// perf-start: string-width's slow path (a grapheme segmentation, and /^\p{RGI_Emoji}$/v compiled on first use: 30-65 ms
// before the first frame on this machine) taken only when needed: text of one-column characters (box drawing, bars,
// bullets, arrows: scripts/narrow-text.mjs) is measured as its length, the way string-width already measures
// printable ASCII. Only with its default (ambiguous characters narrow).
{
	const {narrowTextPattern} = await import('./narrow-text.mjs');
	// The package's own string-width (8.x), not the older copy nested under wrap-ansi.
	const stringWidthFile = fileURLToPath(import.meta.resolve('string-width'));
	sourcePatches.push({
		file: new RegExp(`^${stringWidthFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
		edits: [
			['const segmenter = new Intl.Segmenter();\n', `const segmenter = new Intl.Segmenter();\nconst botopsNarrowText = /${narrowTextPattern()}/;\n`],
			['\tlet width = 0;\n\tconst eastAsianWidthOptions', '\tif (ambiguousIsNarrow && botopsNarrowText.test(string)) {\n\t\treturn string.length;\n\t}\n\n\tlet width = 0;\n\tconst eastAsianWidthOptions'],
		],
	});
}

const patchSources = {
	name: 'botops-source-patches',
	setup(pluginBuild) {
		for (const {file, edits} of sourcePatches) {
			pluginBuild.onLoad({filter: file}, async args => {
				let source = await readFile(args.path, 'utf8');
				for (const [find, replace] of edits) {
					if (!source.includes(find)) throw new Error(`botops-source-patches: "${find.split('\n')[0]}" not found in ${args.path}; check the package version`);
					source = source.replace(find, replace);
				}
				return {contents: source, loader: 'js'};
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
	// BuildKit's gRPC stack are required only when a call needs them (sourcePatches above): left out of the bundle,
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
	plugins: [frameWriter, patchSources],
	logLevel: 'warning',
});
