// Where botops' CPU time goes: runs the dashboard against the demo on a pty under V8's sampling profiler
// (--cpu-prof), either for its start-up (until the service names are on screen) or for an idle window, and prints
// self time by package (through the bundle's source maps): React's reconciler, ink, yoga, string width, zod, the
// demo, botops' own modules, and V8's garbage collector, compiler and idle time.
//   tsx bench/cpu-profile.ts startup        tsx bench/cpu-profile.ts idle [seconds]
//   BENCH_PROFILE_CONFIG=FILE profiles `botops --config FILE` (a real engine) instead of the demo; BENCH_PROFILE_SCREEN
//   (a `:` command, e.g. stats) switches screen once the services are shown.
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {SourceMap} from 'node:module';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {sleep, spawnOnPty, stop} from './terminal.js';

type ProfileNode = {id: number; callFrame: {functionName: string; url: string; lineNumber: number; columnNumber: number}};
type Profile = {nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[]};

const mode = process.argv[2] ?? 'idle';
if (mode !== 'idle' && mode !== 'startup') throw new Error(`usage: tsx bench/cpu-profile.ts startup|idle [seconds] (got "${mode}")`);
const seconds = Number(process.argv[3] ?? 60);
const bin = process.env.BOTOPS_BIN ?? 'bin/botops.js';
const directory = mkdtempSync(path.join(tmpdir(), 'botops-cpu-profile-'));

const config = process.env.BENCH_PROFILE_CONFIG;
const screen = process.env.BENCH_PROFILE_SCREEN;
const target = config ? `--config ${config}` : 'demo';
// The profile's clock is the monotonic one in µs, as process.hrtime's is, in any process of this machine.
let idleFrom = 0;
const {child, output} = spawnOnPty(`node --cpu-prof --cpu-prof-dir=${directory} ${bin} ${target} --refresh 2`);
try {
	const deadline = Date.now() + 15_000;
	while (!/rust-core-engine\s+(up|running)/.test(output.screen.text().join('\n'))) {
		if (Date.now() > deadline) throw new Error('no service names on screen within 15 s');
		await sleep(2);
	}
	if (screen) child.stdin!.write(`:${screen}\r`);
	if (mode === 'idle') {
		// The idle window starts once start-up is over: its samples (module compiling, config parsing) are left out.
		await sleep(3000);
		idleFrom = Number(process.hrtime.bigint() / 1000n);
		await sleep(seconds * 1000);
	}
} finally {
	// SIGTERM quits the way q does, and node writes the profile on the way out.
	await stop(child);
}

const file = readdirSync(directory).find(name => name.endsWith('.cpuprofile'));
if (!file) throw new Error(`no profile written in ${directory}`);
const profile = JSON.parse(readFileSync(path.join(directory, file), 'utf8')) as Profile;
rmSync(directory, {recursive: true, force: true});

const maps = new Map<string, SourceMap | undefined>();
function sourceMapOf(url: string): SourceMap | undefined {
	if (!maps.has(url)) {
		try {
			maps.set(url, new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8'))));
		} catch {
			maps.set(url, undefined);
		}
	}
	return maps.get(url);
}

/** A bucket a sample's function belongs to: a V8 pseudo-frame, node's internals, or the package of its original source. */
function bucketOf({callFrame}: ProfileNode): string {
	const {url, functionName, lineNumber, columnNumber} = callFrame;
	if (!url) return functionName.startsWith('(') ? functionName : `native ${functionName}`;
	if (url.startsWith('node:')) return 'node internals';
	const map = url.includes('/dist/') ? sourceMapOf(url) : undefined;
	const entry = map?.findEntry(lineNumber, columnNumber) as {originalSource?: string} | undefined;
	const source = entry?.originalSource ?? url;
	const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
	if (inPackage) return inPackage[1];
	const own = /source\/([^/]+)/.exec(source);
	return own ? `botops ${own[1]}` : source;
}

const nodes = new Map(profile.nodes.map(node => [node.id, node]));
const buckets = new Map<string, number>();
// BENCH_PROFILE_DETAIL=<bucket> lists that bucket's functions too.
const detail = process.env.BENCH_PROFILE_DETAIL;
const functions = new Map<string, number>();
const callers = new Map<string, number>();
const parents = new Map<number, number>();
for (const node of profile.nodes as Array<ProfileNode & {children?: number[]}>) for (const child of node.children ?? []) parents.set(child, node.id);
/** The nearest caller outside `bucket`: who asks for the work. */
function callerOf(id: number, bucket: string): string {
	for (let at = parents.get(id); at !== undefined; at = parents.get(at)) {
		const node = nodes.get(at)!;
		const outer = bucketOf(node);
		if (outer !== bucket) return `${outer} ${node.callFrame.functionName || '(anonymous)'}`;
	}
	return '(root)';
}
let total = 0;
let at = profile.startTime;
for (const [index, id] of profile.samples.entries()) {
	const micros = profile.timeDeltas[index] ?? 0;
	at += micros;
	if (at < idleFrom) continue;
	total += micros;
	const bucket = bucketOf(nodes.get(id)!);
	buckets.set(bucket, (buckets.get(bucket) ?? 0) + micros);
	if (bucket === detail) {
		const {functionName, url, lineNumber} = nodes.get(id)!.callFrame;
		const name = `${functionName || '(anonymous)'} ${url}:${lineNumber + 1}`;
		functions.set(name, (functions.get(name) ?? 0) + micros);
		const caller = callerOf(id, bucket);
		callers.set(caller, (callers.get(caller) ?? 0) + micros);
	}
}
const busy = total - (buckets.get('(idle)') ?? 0);
console.log('%s profile of botops %s (%s): %s ms sampled, %s ms not idle; self time by package:', mode, config ? `--config ${config}` : 'demo', bin, (total / 1000).toFixed(0), (busy / 1000).toFixed(0));
for (const [bucket, micros] of [...buckets].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
	if (bucket === '(idle)') continue;
	console.log('  %s ms  %s%%  %s', (micros / 1000).toFixed(1).padStart(8), ((micros / busy) * 100).toFixed(1).padStart(5), bucket);
}
if (detail) {
	console.log('%s, by function:', detail);
	for (const [name, micros] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log('  %s ms  %s', (micros / 1000).toFixed(1).padStart(8), name);
	console.log('%s, by caller:', detail);
	for (const [name, micros] of [...callers].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log('  %s ms  %s', (micros / 1000).toFixed(1).padStart(8), name);
}
