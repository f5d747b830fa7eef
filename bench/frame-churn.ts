// Which cells change on the idle Dashboard, and what they cost: runs botops on a pty in the screen emulator for N
// seconds, cuts its output at each cursor move (each changed run the output layer writes starts with one), and
// attributes every run to its row, pane (the box whose top border is above it) and column (the header word over it).
// Prints bytes per pane and the places that change most, with their bytes and the last text written there.
// FRAME_CHURN_TARGET=renders instead renders the Dashboard in this process on the demo and counts React commits, ink
// draws (each lays out and draws the whole tree) and the draws that wrote something.
// FRAME_CHURN_TARGET=elsewhere runs botops on the demo served by this process (bench/idle.ts' "demo elsewhere").
//   FRAME_CHURN_SECONDS (30), FRAME_CHURN_SIZE (120x40), FRAME_CHURN_TARGET (demo | engine | both | elsewhere |
//   renders; default both), BOTOPS_BIN (bin/botops.js)
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {StringDecoder} from 'node:string_decoder';
import {spawn} from 'node:child_process';
import {render} from 'ink';
import {createElement, Profiler} from 'react';
import {configSchema} from '../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot} from '../source/dashboard.js';
import {startDemo} from '../source/demo/index.js';
import {FakeStdin, FakeStdout} from '../test/helpers/fake-terminal.js';
import {createComposeContainer, dockerAvailable, ensureBusyboxImage, removeProject, uniqueProject} from '../test/helpers/docker.js';
import {FrameScreen} from '../test/helpers/frame-screen.js';
import {sleep, stop} from './terminal.js';

const seconds = Number(process.env.FRAME_CHURN_SECONDS ?? 30);
const sizeMatch = /^(\d+)x(\d+)$/.exec(process.env.FRAME_CHURN_SIZE ?? '120x40');
if (!sizeMatch || !(seconds > 0)) throw new Error('FRAME_CHURN_SIZE must be COLUMNSxROWS and FRAME_CHURN_SECONDS a positive number');
const [columns, rows] = [Number(sizeMatch[1]), Number(sizeMatch[2])];
const target = process.env.FRAME_CHURN_TARGET ?? 'both';
const bin = process.env.BOTOPS_BIN ?? 'bin/botops.js';
const warmUpMs = 5000;

// Cursor moves the output layer writes before each run: CSI H/G/A/B/C/D, CR, LF.
const moveAt = /\u001B\[[0-9;]*[HGABCD]|\r\n|\r/g;

type Run = {pane: string; column: string; row: number; text: string; bytes: number};

/**
 * The pane at (row, col): the title of the nearest top border above whose box spans col (header/footer outside),
 * and the column: the header word over col on the pane's first inner line (a table's header), "edge" on a border.
 */
function placeOf(screen: FrameScreen, row: number, col: number): {pane: string; column: string} {
	const lines = screen.text();
	for (let r = row; r >= 0; r--) {
		const line = lines[r] ?? '';
		for (let c = Math.min(col, line.length - 1); c >= 0; c--) {
			if (line[c] !== '╭' && line[c] !== '+') continue;
			const end = line.indexOf('╮', c);
			if (end >= 0 && end < col) continue;
			const title = /^[╭+][─-]+ ?([^─-]+?) ?[─-]/.exec(line.slice(c));
			if (!title) continue;
			if (r === row || /^[╰╭│|+]/.test(lines[row]?.[col] ?? '')) return {pane: title[1], column: 'edge'};
			return {pane: title[1], column: headerWordAt(lines[r + 1] ?? '', col)};
		}
	}
	const pane = row === 0 ? 'header' : row === screen.rows - 1 ? 'footer' : `row ${row}`;
	return {pane, column: headerWordAt(lines[row] ?? '', col, /\S+/g)};
}

/** The word (a table header's words are split by two or more spaces) that covers col, or the last one before it. */
function headerWordAt(line: string, col: number, words = /[^\s│|]+(?: [^\s│|]+)*/g): string {
	let found = '';
	for (const match of line.matchAll(words)) {
		if (match.index! > col) break;
		found = match[0];
	}
	return found.slice(0, 24);
}

/** Applies one pty read's bytes cut at cursor moves, returning each run's row, the text it left there and its bytes. */
function applyCut(screen: FrameScreen, bytes: string): Run[] {
	const runs: Run[] = [];
	const cuts = [0];
	let lastEnd = -1;
	for (const match of bytes.matchAll(moveAt)) {
		// A run is reached by one or more moves in a row (CR LF then CSI C): cut before the first.
		if (match.index! > 0 && match.index !== lastEnd) cuts.push(match.index!);
		lastEnd = match.index! + match[0].length;
	}
	cuts.push(bytes.length);
	for (let i = 0; i < cuts.length - 1; i++) {
		const piece = bytes.slice(cuts[i], cuts[i + 1]);
		const move = piece.match(/^(\u001B\[[0-9;]*[HGABCD]|\r\n|\r)*/)![0];
		screen.write(move);
		const {row, col} = screen;
		const before = screen.text()[row] ?? '';
		screen.write(piece.slice(move.length));
		const after = screen.text()[row] ?? '';
		const end = screen.row === row ? Math.max(screen.col, col) : columns;
		const text = after.slice(col, end) || (before === after ? '' : '(erase)');
		if (piece.length > 0) runs.push({...placeOf(screen, row, col), row, text, bytes: Buffer.byteLength(piece)});
	}
	return runs;
}

async function churn(label: string, command: string): Promise<void> {
	const child = spawn('script', ['-qfec', `stty cols ${columns} rows ${rows}; exec ${command}`, '/dev/null'], {
		env: {...process.env, TERM: 'xterm-256color', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8'},
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	const screen = new FrameScreen(columns, rows, true);
	const decoder = new StringDecoder('utf8');
	let measuring = false;
	let pending = '';
	const runs: Run[] = [];
	let frames = 0;
	let totalBytes = 0;
	child.stdout!.on('data', (chunk: Buffer) => {
		const text = pending + decoder.write(chunk);
		// An escape cut in two by the read waits for its end.
		const lastEscape = text.lastIndexOf('\u001B');
		const whole = lastEscape >= 0 && !/^\u001B(\[[0-?]*[ -\/]*[@-~]|[^[])/.test(text.slice(lastEscape)) ? lastEscape : text.length;
		pending = text.slice(whole);
		if (!measuring) return screen.write(text.slice(0, whole));
		frames++;
		totalBytes += chunk.length;
		runs.push(...applyCut(screen, text.slice(0, whole)));
	});
	try {
		await sleep(warmUpMs);
		measuring = true;
		await sleep(seconds * 1000);
	} finally {
		await stop(child);
	}
	report(label, runs, frames, totalBytes);
}

function report(label: string, runs: Run[], frames: number, totalBytes: number): void {
	console.log(`\n${label} at ${columns}x${rows}, ${seconds} s: ${(totalBytes / seconds).toFixed(0)} B/s, ${(frames / seconds).toFixed(2)} writes/s, ${runs.length} runs`);
	const byPane = new Map<string, {bytes: number; runs: number}>();
	const byText = new Map<string, {pane: string; bytes: number; runs: number; example: string}>();
	for (const run of runs) {
		const pane = byPane.get(run.pane) ?? {bytes: 0, runs: 0};
		pane.bytes += run.bytes;
		pane.runs++;
		byPane.set(run.pane, pane);
		const key = `${run.pane}\u0000${run.column}`;
		const text = byText.get(key) ?? {pane: `${run.pane} / ${run.column}`, bytes: 0, runs: 0, example: run.text};
		text.bytes += run.bytes;
		text.runs++;
		text.example = run.text;
		byText.set(key, text);
	}
	console.log('  per pane:');
	for (const [pane, figures] of [...byPane].sort((a, b) => b[1].bytes - a[1].bytes)) {
		console.log('    %s %s B/s  %s runs/s', pane.padEnd(28), (figures.bytes / seconds).toFixed(1).padStart(7), (figures.runs / seconds).toFixed(2).padStart(6));
	}
	console.log('  top changing places (pane / column under the run, B/s, runs/s, last text written there):');
	for (const figures of [...byText.values()].sort((a, b) => b.bytes - a.bytes).slice(0, 20)) {
		console.log('    %s %s B/s %s/s  %s', figures.pane.slice(0, 44).padEnd(44), (figures.bytes / seconds).toFixed(1).padStart(6), (figures.runs / seconds).toFixed(2).padStart(5), JSON.stringify(figures.example));
	}
}

/** React commits and ink draws of the idle Dashboard in this process, and how many draws wrote to the terminal. */
async function renders(): Promise<void> {
	const demo = await startDemo();
	const runtime = createDashboardRuntime({config: configSchema.parse({environments: {}}), environment: demo.environment, refreshMs: 2000, readOnly: false, color: true, ascii: false});
	void runtime.connect();
	const stdout = new FakeStdout(columns, rows, false);
	let commits = 0;
	let draws = 0;
	// A draw's bytes are written after ink reports it: a draw wrote when writes moved before the next one.
	let wrote = 0;
	let writesAtDraw = 0;
	const onDraw = () => {
		if (stdout.writes !== writesAtDraw) wrote++;
		writesAtDraw = stdout.writes;
		draws++;
	};
	const tree = createElement(Profiler, {id: 'dashboard', onRender: () => void commits++}, createElement(DashboardRoot, {runtime}));
	// Which store keys each store update replaced: what the commits are made of.
	const changed = new Map<string, number>();
	let updates = 0;
	runtime.store.subscribe((state, previous) => {
		updates++;
		for (const key of Object.keys(state) as Array<keyof typeof state>) if (state[key] !== previous[key]) changed.set(key, (changed.get(key) ?? 0) + 1);
	});
	const instance = render(tree, {stdout: stdout as never, stdin: new FakeStdin() as never, debug: false, patchConsole: false, exitOnCtrlC: false, onRender: onDraw});
	try {
		await sleep(warmUpMs);
		const before = {commits, draws, wrote};
		changed.clear();
		updates = 0;
		await sleep(seconds * 1000);
		const per = (n: number) => (n / seconds).toFixed(2);
		console.log(`\nin-process Dashboard on the demo at ${columns}x${rows}, ${seconds} s: ${per(commits - before.commits)} React commits/s, ${per(draws - before.draws)} ink draws/s, of which ${per(wrote - before.wrote)}/s wrote to the terminal`);
		console.log(`${per(updates)} store updates/s; store keys replaced per second: ${[...changed].sort((a, b) => b[1] - a[1]).map(([key, n]) => `${key} ${per(n)}`).join(', ')}`);
	} finally {
		instance.unmount();
		runtime.close();
		await demo.stop();
	}
}

const services = ['rust-core-engine', 'python-ai-service', 'nextjs-ui-dashboard', 'mongodb-primary', 'redis', 'prometheus'];
const directory = mkdtempSync(path.join(tmpdir(), 'botops-churn-'));
let project: string | undefined;
try {
	if (target === 'renders') await renders();
	if (target === 'elsewhere') {
		const demo = await startDemo();
		const {name: _name, ...environment} = demo.environment;
		const configFile = path.join(directory, 'config.yaml');
		writeFileSync(configFile, JSON.stringify({defaultEnvironment: 'bench', environments: {bench: environment}}));
		try {
			await churn('botops, demo elsewhere', `node ${bin} --config ${configFile} --refresh 2`);
		} finally {
			await demo.stop();
		}
	}
	if (target === 'demo' || target === 'both') await churn('botops demo', `node ${bin} demo --refresh 2`);
	if (target === 'engine' || target === 'both') {
		const availability = await dockerAvailable();
		if (!availability.available) {
			console.log(`\nengine: ${availability.reason}, not measured`);
		} else {
			// The same six busy labelled containers as bench/peers.ts.
			await ensureBusyboxImage();
			project = uniqueProject('churn');
			const busy = 'while true; do i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; sleep 1; done';
			await Promise.all(services.map(service => createComposeContainer({project: project!, service, cmd: ['sh', '-c', busy]})));
			const configFile = path.join(directory, 'config.yaml');
			const environment = {backend: {type: 'compose', project}, services: services.map(name => ({name, container: name, critical: false}))};
			writeFileSync(configFile, JSON.stringify({defaultEnvironment: 'churn', environments: {churn: environment}}));
			await churn('botops, real engine', `node ${bin} --config ${configFile} --refresh 2`);
		}
	}
} finally {
	if (project) await removeProject(project);
	rmSync(directory, {recursive: true, force: true});
}
