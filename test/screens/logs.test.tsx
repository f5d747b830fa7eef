import '../components/forceColor.js';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {configSchema} from '../../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot} from '../../source/dashboard.js';
import {type Level, type LogRecord, makeRecord} from '../../source/logs/record.js';
import type {LogSource, LogSourceStatus} from '../../source/services/log-source.js';
import {keys, renderTui, waitUntil} from '../helpers/tui.js';

const services = ['rust-core-engine', 'python-ai-service'];
const config = configSchema.parse({
	environments: {staging: {backend: {type: 'compose', project: 'bot-core'}, services: services.map(name => ({name}))}},
});

/** A log source the test feeds by hand: `emit` delivers one batch, as a real source does per chunk. */
function manualSource() {
	let deliver: ((batch: LogRecord[]) => void) | undefined;
	let status: ((status: LogSourceStatus) => void) | undefined;
	let seq = 0;
	let time = Date.parse('2026-11-25T12:00:00Z');
	const source: LogSource = {
		subscribe(subscribed, _options, onRecords, onStatus) {
			deliver = onRecords;
			status = onStatus;
			for (const service of subscribed) onStatus({service, state: 'streaming', at: Date.now()});
			return () => {
				deliver = undefined;
			};
		},
	};
	return {
		source,
		subscribed: () => deliver !== undefined,
		/** One record stamped `ageMs` before the next one. */
		emitOld(text: string, ageMs: number) {
			const record = makeRecord(time + 10 - ageMs, services[0]!, 'stdout', 'info', text);
			record.seq = ++seq;
			deliver!([record]);
		},
		emit(lines: Array<[service: string, level: Level, text: string]>) {
			const batch = lines.map(([service, level, text]) => {
				const record = makeRecord((time += 10), service, 'stdout', level, text);
				record.seq = ++seq;
				return record;
			});
			deliver!(batch);
		},
		status: (value: LogSourceStatus) => status!(value),
	};
}

let cleanup: Array<() => void> = [];
afterEach(() => {
	for (const step of cleanup.splice(0)) step();
});

async function openLogs(options: {color?: boolean; screen?: 'logs' | 'services'} = {}) {
	const feed = manualSource();
	const exportDir = mkdtempSync(join(tmpdir(), 'botops-logs-screen-'));
	const runtime = createDashboardRuntime({
		config,
		environment: {...config.environments.staging!, name: 'staging'},
		refreshMs: 2000,
		readOnly: false,
		color: options.color ?? false,
		ascii: false,
		initialScreen: options.screen ?? 'logs',
		logSource: {source: feed.source, services},
		exportDir,
	});
	void runtime.connect();
	const tui = renderTui(<DashboardRoot runtime={runtime} />, {columns: 80, rows: 24});
	cleanup.push(() => tui.unmount(), () => runtime.close(), () => rmSync(exportDir, {recursive: true, force: true}));
	if (options.screen !== 'services') await waitUntil(feed.subscribed, {what: 'the log stream to subscribe'});
	return {tui, feed, exportDir, runtime};
}

/** The line the selection pointer is on. */
const selectedLine = (lines: string[]) => lines.find(line => line.startsWith('│›'));

function fill(feed: ReturnType<typeof manualSource>, count: number, from = 0) {
	feed.emit(
		Array.from({length: count}, (_, i) => {
			const n = from + i;
			const level: Level = n % 10 === 7 ? 'error' : n % 5 === 3 ? 'warn' : 'info';
			return [services[n % 2]!, level, `line ${n} ${level === 'error' ? 'order rejected: timeout' : 'tick'}`] as [string, Level, string];
		}),
	);
}

describe('Logs screen', () => {
	it('follows new lines, and while paused stays put and counts "N new lines"', async () => {
		const {tui, feed} = await openLogs();
		fill(feed, 40);
		const following = await tui.waitFor('line 39 ');
		expect(following).toContain('FOLLOW');
		expect(following).not.toContain('line 0 ');
		expect(tui.lines().length).toBeLessThanOrEqual(23);
		expect(Math.max(...tui.lines().map(line => line.length))).toBeLessThanOrEqual(80);

		await tui.press('f');
		await tui.waitFor('PAUSED');
		fill(feed, 5, 40);
		const paused = await tui.waitFor('5 new lines');
		expect(paused).toContain('line 39 ');
		expect(paused).not.toContain('line 44 ');
		expect(tui.lines().length).toBeLessThanOrEqual(23);

		await tui.press('f');
		const resumed = await tui.waitFor('line 44 ');
		expect(resumed).toContain('FOLLOW');
	});

	it('searches with highlighted matches, n/N move between them, an invalid regex keeps the previous search', async () => {
		const {tui, feed} = await openLogs({color: true});
		fill(feed, 40);
		await tui.waitFor('line 39 ');
		await tui.press('/', ...'line 3[0-9] ', keys.enter);
		await tui.waitFor('PAUSED');
		expect(selectedLine(tui.lines())).toContain('line 39 ');
		// The match is drawn inverse (SGR 7) in the raw frame.
		expect(tui.stdout.frames.at(-1)).toMatch(/\u001B\[7m(?:\u001B\[\d+m)*line 39 /);
		await tui.press('N');
		expect(selectedLine(tui.lines())).toContain('line 38 ');
		await tui.press('N', 'N');
		expect(selectedLine(tui.lines())).toContain('line 36 ');
		await tui.press('n');
		expect(selectedLine(tui.lines())).toContain('line 37 ');

		await tui.press('/', '(', keys.enter);
		const invalid = await tui.waitFor('invalid search regex "("');
		expect(invalid).toContain('still /line 3[0-9] /');
		await tui.press('n');
		expect(selectedLine(tui.lines())).toContain('line 38 ');
	});

	it('jumps to the next and previous error', async () => {
		const {tui, feed} = await openLogs();
		fill(feed, 40);
		await tui.waitFor('line 39 ');
		await tui.press('g');
		expect(selectedLine(tui.lines())).toContain('line 0 ');
		await tui.press('e');
		expect(selectedLine(tui.lines())).toMatch(/ERROR line 7 order rejected/);
		await tui.press('e');
		expect(selectedLine(tui.lines())).toMatch(/ERROR line 17 /);
		await tui.press('E');
		expect(selectedLine(tui.lines())).toMatch(/ERROR line 7 /);
	});

	it('filters by minimum level and by include/exclude regex; an invalid filter regex keeps the previous one', async () => {
		const {tui, feed} = await openLogs();
		fill(feed, 40);
		await tui.waitFor('line 39 ');
		await tui.press('L', 'L', 'L');
		const warn = await tui.waitFor('level>=warn');
		expect(warn).toMatch(/ERROR line 37 /);
		expect(warn).toMatch(/WARN  line 33 /);
		expect(warn).not.toMatch(/INFO  line/);

		await tui.press('i', ...'rejected', keys.enter);
		const included = await tui.waitFor('+/rejected/');
		expect(included).not.toMatch(/WARN  line/);
		await tui.press('x', ...'line [12]7', keys.enter);
		const excluded = await tui.waitFor('-/line [12]7/');
		expect(excluded).toMatch(/line 37 /);
		expect(excluded).not.toMatch(/line 27 /);

		await tui.press('i', '\u0015', '[', keys.enter);
		await tui.waitFor(/invalid include regex "\[".*still \/rejected\//);
		expect(tui.lastFrame()).toContain('+/rejected/');
		expect(tui.lastFrame()).not.toMatch(/WARN  line/);
	});

	it('chooses services with a checklist', async () => {
		const {tui, feed} = await openLogs();
		fill(feed, 40);
		await tui.waitFor('line 39 ');
		await tui.press('c');
		await tui.waitFor('space toggles');
		// Keys of the screens and the shell stay inside the checklist: q does not quit, 2 does not switch screens.
		await tui.press('q', '2');
		expect(tui.lastFrame()).toContain('space toggles');
		// The first service (rust-core-engine, even lines) off.
		await tui.press(' ', keys.enter);
		const chosen = await tui.waitFor(/python-ai-service\s+INFO\s+line 39 /);
		expect(chosen).not.toMatch(/rust-core-engine\s+\S+\s+line/);
		expect(tui.lines().length).toBeLessThanOrEqual(23);
	});

	it('saves the filtered lines to a file and shows its path', async () => {
		const {tui, feed, exportDir} = await openLogs();
		fill(feed, 40);
		await tui.waitFor('line 39 ');
		await tui.press('L', 'L', 'L', 'L');
		await tui.waitFor('level>=error');
		await tui.press('s');
		const frame = await tui.waitFor(/saved 4 lines to/);
		const path = /saved 4 lines to (\S+)/.exec(frame)![1]!;
		expect(path.startsWith(exportDir)).toBe(true);
		const saved = readFileSync(join(exportDir, path.slice(exportDir.length)), 'utf8').trim().split('\n');
		expect(saved).toHaveLength(4);
		expect(saved[0]).toMatch(/^2026-11-25T12:00:00\.080Z python-ai-service\s+ERROR line 7 order rejected: timeout$/);
		expect(saved.every(line => line.includes('ERROR'))).toBe(true);
	});

	it('types q and digits into an input instead of quitting or switching screens', async () => {
		const {tui, feed} = await openLogs();
		fill(feed, 10);
		await tui.waitFor('line 9 ');
		await tui.press('/', 'q', '1', keys.enter);
		await tui.waitFor(/no match for \/q1\//);
		expect(tui.lastFrame()).toContain('Logs');
	});

	it('opens from the Services screen with l, filtered to the selected service, and from :logs NAME', async () => {
		const {tui, feed} = await openLogs({screen: 'services'});
		await tui.waitFor(/Services/);
		// Streaming starts only once the Logs screen is opened.
		expect(feed.subscribed()).toBe(false);
		await tui.press('l');
		await tui.waitFor(/Logs.*FOLLOW/);
		await waitUntil(feed.subscribed, {what: 'the log stream to subscribe'});
		fill(feed, 10);
		const engine = await tui.waitFor('line 8 ');
		expect(engine).toMatch(/│rust-core-engine\s/);
		expect(engine).not.toContain('line 9 ');
		await tui.press(':', ...'logs python-ai-service', keys.enter);
		await tui.waitFor('line 9 ');
		expect(tui.lastFrame()).not.toContain('line 8 ');
		await tui.press(':', ...'logs nope', keys.enter);
		await tui.waitFor('unknown service nope; known services: rust-core-engine, python-ai-service');
	});

	it('lists its keys and the :logs command in help', async () => {
		const {tui} = await openLogs();
		await tui.waitFor('waiting for log lines');
		await tui.press('?');
		await tui.waitFor('Everywhere');
		// Help scrolls: page down to the screen keys.
		// Help scrolls, and grows when the runbooks have loaded: page through it to each line.
		const seen: string[] = [];
		await tui.press('g');
		for (let page = 0; page < 8 && !/:logs \[service\]/.test(seen.join('\n')); page++) {
			seen.push(tui.lastFrame());
			await tui.press(keys.pageDown);
		}
		const help = seen.join('\n');
		expect(help).toMatch(/s\s+logs: save the filtered lines/);
		expect(help).toMatch(/x\s+logs: exclude regex filter/);
		expect(help).toMatch(/:logs \[service\]\.\.\.\s+merged logs/);
	});

	it('cycles time windows back from the last line of a finished input', async () => {
		const {tui, feed} = await openLogs();
		feed.emitOld('two hours old', 2 * 3_600_000);
		fill(feed, 5);
		await tui.waitFor('line 4 ');
		expect(tui.lastFrame()).toContain('two hours old');
		await tui.press('T');
		const window = await tui.waitFor('last 1m');
		expect(window).not.toContain('two hours old');
		expect(window).toContain('line 4 ');
		await tui.press('T', 'T', 'T', 'T');
		await tui.waitFor('two hours old');
	});
});
