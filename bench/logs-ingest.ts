/**
 * Ingest benchmark (figures only, never assertions): lines per CPU second through the assembler (prefix peeling,
 * sanitising and the secret gate, level detection, time parsing, continuation folding) and the 100k ring buffer, on
 * one core, over a generated mix of the families in test/fixtures/logs (Rust tracing, uvicorn, Next.js, JSON from
 * slog and MongoDB, klog, syslog-prefixed klog, ANSI-coloured tracing, logfmt, nginx, and stack traces: Python,
 * Java, Go, Rust "Caused by:"), with 0, 3 and 40 registered secrets; and the memory a buffered record costs.
 *
 * The machine is shared, so CPU seconds (user+sys) are counted, not wall time, and with `--against REV` the build
 * at REV (its source/ from git, in a temp directory) and this worktree's are run alternately, each in its own
 * process, several rounds, and the medians compared.
 *   npx tsx bench/logs-ingest.ts [--against main] [--rounds 5] [--lines 400000]
 *   npx tsx bench/logs-ingest.ts --profile [--secrets 3] [--against REV]   (self time by function over the warm pass)
 *   npx tsx bench/logs-ingest.ts --paired --against REV [--rounds 12] [--secrets 3]   (both builds in one process, passes
 *     alternating, so that the load of a shared machine falls on both alike: the ratio of their CPU seconds)
 *   npx tsx bench/logs-ingest.ts --check --against REV   (the records of both builds over the mix, 0/3/40 secrets: equal or not)
 */
import {Buffer} from 'node:buffer';
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createHash} from 'node:crypto';
import {Session} from 'node:inspector';
import {tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

function argument(name: string): string | undefined {
	const at = process.argv.indexOf(name);
	return at > 0 ? process.argv[at + 1] : undefined;
}

const lineCount = Number(argument('--lines') ?? 400_000);
const fixtures = join(root, 'test', 'fixtures', 'logs');
const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8').trimEnd().split('\n');

/** Deterministic, so that both builds see the same lines. */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * One event of each family: the line shapes of the fixtures, with the clock and the numbers varying as a running
 * service's would. Weights are a guess at a Bot Core stack's mix: mostly tracing and JSON, some of everything else.
 */
export const families: Array<{weight: number; lines: (i: number, t: number) => string[]}> = [
	{weight: 22, lines: (i, t) => [`${iso(t)}  INFO bot_core::engine: processed tick symbol="BTCUSDT" price=${(60000 + (i % 997)).toFixed(2)} latency_us=${i % 911}`]},
	{weight: 4, lines: (i, t) => [`${iso(t)}  WARN bot_core::binance::ws: websocket disconnected, reconnecting attempt=${i % 7}`]},
	{weight: 3, lines: (i, t) => [`${iso(t)} ERROR bot_core::trading::executor: order rejected symbol="SOLUSDT" error=InsufficientBalance order=${i}`]},
	{weight: 6, lines: (i, t) => [`${iso(t)} DEBUG hyper::proto::h1::io: flushed ${i % 4096} bytes`]},
	// tracing with colour, as `docker logs` of a tty container gives it.
	{weight: 8, lines: (i, t) => [`\x1b[2m${iso(t)}\x1b[0m \x1b[32m INFO\x1b[0m \x1b[2mbot_core::api\x1b[0m\x1b[2m:\x1b[0m request served path=/api/positions status=200 ms=${i % 90}`]},
	{weight: 8, lines: i => [`INFO:     172.18.0.${i % 250}:${40000 + (i % 20000)} - "GET /api/analyze?symbol=ETHUSDT HTTP/1.1" 200 OK`]},
	{weight: 1, lines: () => ['WARNING:  Invalid HTTP request received.']},
	{weight: 5, lines: i => [` ✓ Compiled /dashboard in ${i % 900}ms (${i % 3000} modules)`, ` GET /api/market-data 200 in ${i % 300}ms`]},
	{weight: 10, lines: (i, t) => [`{"time":"${iso(t)}","level":"INFO","msg":"server started","addr":":8080","req":${i}}`]},
	{weight: 8, lines: (i, t) => [`{"t":{"$date":"${iso(t)}"},"s":"I",  "c":"NETWORK",  "id":22943,   "ctx":"listener","msg":"Connection accepted","attr":{"remote":"172.18.0.3:${i % 65535}","connectionId":${i},"connectionCount":${i % 40}}}`]},
	{weight: 6, lines: (i, t) => [`I${klogStamp(t)}       1 reflector.go:${200 + (i % 50)}] Caches populated for *v1.Pod from k8s.io/client-go/informers/factory.go:160`]},
	{weight: 4, lines: (i, t) => [`${syslogStamp(t)} worker-${i % 3} kubelet[1189617]: I${klogStamp(t)} 1189617 reconciler.go:342] "operationExecutor.VerifyControllerAttachedVolume started for volume" pod="default/web-${i % 9}"`]},
	{weight: 5, lines: (i, t) => [`ts=${iso(t)} caller=scrape.go:1400 level=debug component="scrape manager" msg="Scrape failed" target=http://rust-core-engine:8080/metrics err="context deadline exceeded" n=${i}`]},
	{weight: 4, lines: (i, t) => [`172.18.0.1 - - [${nginxStamp(t)}] "GET /api/market-data/BTCUSDT HTTP/1.1" ${i % 50 === 4 ? 502 : 200} ${i % 5000} "-" "axios/1.7"`]},
	{weight: 2, lines: (_, t) => [`${pythonStamp(t)} - ai_service - ERROR - analysis failed for BTCUSDT`, ...fixture('python-traceback.log').slice(2, 8)]},
	{weight: 1, lines: () => fixture('java-stack.log')},
	{weight: 1, lines: () => fixture('go-panic.log')},
	{weight: 1, lines: () => fixture('rust-caused-by.log')},
	{weight: 1, lines: () => fixture('node-stack.log')},
];

function iso(t: number): string {
	return new Date(t).toISOString().replace('Z', '123Z');
}

function klogStamp(t: number): string {
	const d = new Date(t);
	return `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}123`;
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function syslogStamp(t: number): string {
	const d = new Date(t);
	return `${months[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function nginxStamp(t: number): string {
	const d = new Date(t);
	return `${pad(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

function pythonStamp(t: number): string {
	return new Date(t).toISOString().slice(0, 23).replace('T', ' ').replace('.', ',');
}

/** `count` lines of the mix, as a file or stdin delivers them (no time from the source: each line's own is parsed). */
export function generateMix(count: number): string[] {
	const next = random(13);
	const total = families.reduce((sum, family) => sum + family.weight, 0);
	const out: string[] = [];
	let t = Date.UTC(2026, 10, 25, 12);
	for (let i = 0; out.length < count; i++) {
		let pick = next() * total;
		let family = families[0]!;
		for (const candidate of families) {
			pick -= candidate.weight;
			if (pick < 0) {
				family = candidate;
				break;
			}
		}
		t += 1 + Math.floor(next() * 3);
		for (const line of family.lines(i, t)) if (out.length < count) out.push(line);
	}
	return out;
}

type Modules = {
	parse: typeof import('../source/logs/parse.js');
	ring: typeof import('../source/logs/ring-buffer.js');
	secrets: typeof import('../source/util/secrets.js');
};

async function load(source: string, bundleTo?: string): Promise<Modules> {
	const url = (path: string) => pathToFileURL(join(source, path)).href;
	if (bundleTo) {
		// For the profile: one unminified bundle, so that its ticks fall on lines that can be shown (tsx's transform reports every function at line 1).
		const {build} = await import('esbuild');
		const entry = ['parse:logs/parse.ts', 'ring:logs/ring-buffer.ts', 'secrets:util/secrets.ts'].map(pair => `export * as ${pair.split(':')[0]} from ${JSON.stringify(join(source, pair.split(':')[1]!))};`).join('\n');
		await build({stdin: {contents: entry, resolveDir: source, loader: 'ts'}, bundle: true, platform: 'node', format: 'esm', outfile: bundleTo, logLevel: 'warning'});
		return (await import(pathToFileURL(bundleTo).href)) as Modules;
	}
	return {
		parse: (await import(url('logs/parse.ts'))) as Modules['parse'],
		ring: (await import(url('logs/ring-buffer.ts'))) as Modules['ring'],
		secrets: (await import(url('util/secrets.ts'))) as Modules['secrets'],
	};
}

function registerSome({secrets}: Modules, count: number): void {
	if (count === 0) return;
	// An environment registers its admin token, its MongoDB URI and the URI's password; a rotating run adds more.
	secrets.registerSecrets(['mongodb://botops:6f1c0e2b9d4a7e3f@mongo:27017/trading_bot', ...Array.from({length: count - 2}, (_, i) => `admin-token-${i}-4b9f2c7d1e8a3f60`)]);
}

/** One pass of `lines` through a fresh assembler into a fresh buffer, in chunks of 256 as a busy stream delivers them. */
function ingest({parse, ring}: Modules, lines: readonly string[]): {cpu: number; wall: number; held: number} {
	type Rec = import('../source/logs/record.js').LogRecord;
	const assembler = new parse.LineAssembler(undefined, {adoptService: true});
	const buffer = new ring.RingBuffer<Rec>(100_000);
	const out: Rec[] = [];
	const batch: Array<{stream: 'stdout'; text: string}> = [];
	const receivedAt = Date.UTC(2026, 10, 25, 13);
	const cpuBefore = process.cpuUsage();
	const wallBefore = process.hrtime.bigint();
	for (let i = 0; i < lines.length; i += 256) {
		batch.length = 0;
		const end = Math.min(lines.length, i + 256);
		for (let j = i; j < end; j++) batch.push({stream: 'stdout', text: lines[j]!});
		out.length = 0;
		assembler.push('file', 'file', batch, receivedAt, out);
		for (const record of out) buffer.push(record);
	}
	const used = process.cpuUsage(cpuBefore);
	return {cpu: (used.user + used.system) / 1e6, wall: Number(process.hrtime.bigint() - wallBefore) / 1e9, held: buffer.size};
}

/** V8's sampling profiler over the measured pass only (not start-up, generation or the warm-up). */
async function startProfile(): Promise<Session> {
	const session = new Session();
	session.connect();
	const post = (method: string, params?: object) => new Promise<unknown>((done, fail) => session.post(method, params, (error, result) => (error ? fail(error) : done(result))));
	await post('Profiler.enable');
	await post('Profiler.setSamplingInterval', {interval: 100});
	await post('Profiler.start');
	return session;
}

async function stopProfile(session: Session): Promise<unknown> {
	return new Promise((done, fail) => session.post('Profiler.stop', (error, result) => (error ? fail(error) : done(result.profile))));
}

/** The child: warm up once, then one measured pass; prints its figures as JSON on the last line. */
async function child(source: string, secrets: number): Promise<void> {
	const profileTo = argument('--profile-to');
	const modules = await load(source, profileTo ? `${profileTo}.mjs` : undefined);
	registerSome(modules, secrets);
	const lines = generateMix(lineCount);
	ingest(modules, lines);
	const session = profileTo ? await startProfile() : undefined;
	const result = ingest(modules, lines);
	if (session) writeFileSync(profileTo!, JSON.stringify(await stopProfile(session)));
	console.log(JSON.stringify({...result, lines: lines.length}));
}

/** The child for --check: a digest of every record of one pass (all fields), so that two builds can be compared. */
async function digestChild(source: string, secrets: number): Promise<void> {
	const modules = await load(source);
	registerSome(modules, secrets);
	const lines = generateMix(lineCount);
	const assembler = new modules.parse.LineAssembler(undefined, {adoptService: true});
	const out: Array<import('../source/logs/record.js').LogRecord> = [];
	for (let i = 0; i < lines.length; i += 256) assembler.push('file', 'file', lines.slice(i, i + 256).map(text => ({stream: 'stdout' as const, text})), Date.UTC(2026, 10, 25, 13), out);
	const hash = createHash('sha256');
	for (const record of out) hash.update(JSON.stringify([record.seq, record.time, record.service, record.stream, record.level, record.text, record.json, record.truncated, record.instance]) + '\n');
	console.log(JSON.stringify({records: out.length, digest: parseInt(hash.digest('hex').slice(0, 12), 16)}));
}

/** Both builds in this process, one pass each in turn: the median ratio of CPU seconds of each pair of passes. */
async function paired(current: string, old: string, secrets: number, rounds: number): Promise<void> {
	const builds = [await load(current), await load(old)];
	for (const build of builds) registerSome(build, secrets);
	const lines = generateMix(lineCount);
	for (const build of builds) ingest(build, lines);
	const ratios: number[] = [];
	const cpu: number[][] = [[], []];
	for (let round = 0; round < rounds; round++) {
		const order = round % 2 === 0 ? [0, 1] : [1, 0];
		for (const which of order) cpu[which]!.push(ingest(builds[which]!, lines).cpu);
		ratios.push(cpu[1]![round]! / cpu[0]![round]!);
	}
	console.log(`paired, ${String(secrets).padStart(2)} secrets: this build ${fmt(lineCount / median(cpu[0]!))} lines per CPU second, the other ${fmt(lineCount / median(cpu[1]!))}; median ratio of pairs ${median(ratios).toFixed(3)}x (pairs: ${ratios.map(r => r.toFixed(2)).join(', ')})`);
}

/** The child for memory: a full 100k buffer, after GC, against the same process before it. */
async function memoryChild(source: string): Promise<void> {
	const modules = await load(source);
	type Rec = import('../source/logs/record.js').LogRecord;
	global.gc!();
	const before = process.memoryUsage();
	// Each line decoded from bytes, as the splitter gives it: the buffer holds its own strings, not the generator's.
	let lines: string[] | undefined = generateMix(130_000).map(text => Buffer.from(text).toString('utf8'));
	const assembler = new modules.parse.LineAssembler(undefined, {adoptService: true});
	const buffer = new modules.ring.RingBuffer<Rec>(100_000);
	const out: Rec[] = [];
	for (let i = 0; i < lines.length; i += 256) {
		out.length = 0;
		assembler.push('file', 'file', lines.slice(i, i + 256).map(text => ({stream: 'stdout' as const, text})), 0, out);
		for (const record of out) buffer.push(record);
	}
	lines = undefined;
	global.gc!();
	const after = process.memoryUsage();
	console.log(JSON.stringify({held: buffer.size, rss: after.rss, heap: after.heapUsed, rssAdded: after.rss - before.rss, heapAdded: after.heapUsed - before.heapUsed}));
}

function run(args: string[], nodeFlags: string[] = []): Record<string, number> {
	const result = spawnSync(process.execPath, [...nodeFlags, '--import', 'tsx', fileURLToPath(import.meta.url), ...args], {encoding: 'utf8', cwd: root, maxBuffer: 1 << 26});
	if (result.status !== 0) throw new Error(`child ${args.join(' ')} failed: ${result.stderr}`);
	return JSON.parse(result.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en');

/** Self time by function from a --cpu-prof run of one child. */
function profile(source: string, secrets: number): void {
	const directory = mkdtempSync(join(tmpdir(), 'botops-ingest-prof-'));
	try {
		const file = 'measured.cpuprofile';
		run(['--child', source, '--secrets', String(secrets), '--lines', String(lineCount), '--profile-to', join(directory, file)]);
		type Node = {id: number; callFrame: {functionName: string; url: string; lineNumber: number}};
		const data = JSON.parse(readFileSync(join(directory, file), 'utf8')) as {nodes: Node[]; samples: number[]; timeDeltas: number[]};
		const byId = new Map(data.nodes.map(node => [node.id, node]));
		const self = new Map<string, number>();
		let total = 0;
		data.samples.forEach((id, index) => {
			const node = byId.get(id)!;
			const {functionName, url, lineNumber} = node.callFrame;
			// The profiler's own stop (the inspector's dispatch), and idle time: not ingest.
			if (functionName === 'dispatch' || functionName === '(idle)' || functionName === '(program)') return;
			const name = `${functionName || '(anonymous)'} ${url ? `${url.split('/').slice(-2).join('/')}:${lineNumber + 1}` : ''}`.trim();
			const dt = data.timeDeltas[index] ?? 0;
			self.set(name, (self.get(name) ?? 0) + dt);
			total += dt;
		});
		console.log(`self time, ${secrets} secrets, ${fmt(lineCount)} lines x2 (the warm pass), ${(total / 1e6).toFixed(2)} s sampled in ingest`);
		for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${((100 * us) / total).toFixed(1).padStart(5)} %  ${name}`);
		// Self time by line of the bundle (ticks, not microseconds: the profile counts them per line), with the line itself.
		const bundle = readFileSync(join(directory, `${file}.mjs`), 'utf8').split('\n');
		const byLine = new Map<number, number>();
		let ticks = 0;
		for (const node of data.nodes as Array<Node & {callFrame: {functionName: string}; positionTicks?: Array<{line: number; ticks: number}>}>) {
			if (node.callFrame.functionName === 'dispatch' || node.callFrame.functionName === '(idle)' || node.callFrame.functionName === '(program)') continue;
			for (const {line, ticks: n} of node.positionTicks ?? []) {
				ticks += n;
				if (node.callFrame.url.endsWith('.mjs')) byLine.set(line, (byLine.get(line) ?? 0) + n);
			}
		}
		console.log('\nself time by line of the build (its bundle)');
		for (const [line, n] of [...byLine].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${((100 * n) / ticks).toFixed(1).padStart(5)} %  ${bundle[line - 1]!.trim().slice(0, 110)}`);
	} finally {
		rmSync(directory, {recursive: true, force: true});
	}
}

if (process.argv[1] !== fileURLToPath(import.meta.url)) {
	// Imported for its mix (a scratch measurement): nothing to run.
} else if (process.argv.includes('--child')) {
	await child(argument('--child')!, Number(argument('--secrets') ?? 0));
} else if (process.argv.includes('--digest')) {
	await digestChild(argument('--digest')!, Number(argument('--secrets') ?? 0));
} else if (process.argv.includes('--memory')) {
	await memoryChild(argument('--memory')!);
} else {
	const current = join(root, 'source');
	const against = argument('--against');
	let old: string | undefined;
	let oldDirectory: string | undefined;
	if (against) {
		oldDirectory = mkdtempSync(join(tmpdir(), 'botops-ingest-old-'));
		execFileSync('sh', ['-c', `git archive ${against} source | tar -x -C ${oldDirectory}`], {cwd: root});
		old = join(oldDirectory, 'source');
	}
	try {
		if (process.argv.includes('--paired')) {
			for (const secrets of argument('--secrets') ? [Number(argument('--secrets'))] : [0, 3, 40]) await paired(current, old ?? current, secrets, Number(argument('--rounds') ?? 12));
		} else if (process.argv.includes('--check')) {
			for (const secrets of [0, 3, 40]) {
				const [a, b] = [current, old ?? current].map(source => run(['--digest', source, '--secrets', String(secrets), '--lines', String(lineCount)]));
				console.log(`records, ${String(secrets).padStart(2)} secrets: ${a!['records']} here, ${b!['records']} at ${against}: ${a!['digest'] === b!['digest'] && a!['records'] === b!['records'] ? 'equal' : 'DIFFERENT'}`);
			}
		} else if (process.argv.includes('--profile')) {
			profile(against ? old! : current, Number(argument('--secrets') ?? 0));
		} else {
			const rounds = Number(argument('--rounds') ?? 5);
			const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
			console.log(`node ${process.version}; load ${load}; ${fmt(lineCount)} lines of the mix per pass, the second (warm) pass measured; median of ${rounds} alternating runs`);
			for (const secrets of [0, 3, 40]) {
				const figures: Record<string, number[]> = {new: [], old: []};
				for (let round = 0; round < rounds; round++) {
					for (const [name, source] of (round % 2 === 0 ? [['new', current], ['old', old]] : [['old', old], ['new', current]]) as Array<[string, string | undefined]>) {
						if (!source) continue;
						const r = run(['--child', source, '--secrets', String(secrets), '--lines', String(lineCount)]);
						figures[name]!.push(r['lines']! / r['cpu']!);
					}
				}
				const line = `ingest, ${String(secrets).padStart(2)} secrets: ${fmt(median(figures.new!))} lines per CPU second (runs: ${figures.new!.map(fmt).join(', ')})`;
				console.log(old ? `${line}\n                  ${against}: ${fmt(median(figures.old!))} (runs: ${figures.old!.map(fmt).join(', ')}) → ${(median(figures.new!) / median(figures.old!)).toFixed(2)}x` : line);
			}
			for (const [name, source] of [['this build', current], [against, old]] as Array<[string, string | undefined]>) {
				if (!source) continue;
				const m = run(['--memory', source], ['--expose-gc']);
				console.log(`memory, full buffer (${name}): ${fmt(m['held']!)} records, RSS ${(m['rss']! / 2 ** 20).toFixed(1)} MB (+${(m['rssAdded']! / 2 ** 20).toFixed(1)} MB), heap +${(m['heapAdded']! / 2 ** 20).toFixed(1)} MB: ${fmt(m['heapAdded']! / m['held']!)} B heap, ${fmt(m['rssAdded']! / m['held']!)} B RSS per record`);
			}
		}
	} finally {
		if (oldDirectory) rmSync(oldDirectory, {recursive: true, force: true});
	}
}
