// Colour must be possible for a "no colour codes" check to mean anything: chalk decides its level on first load.
import {createComposePlatform} from '../../source/services/platform.js';
import '../components/forceColor.js';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import React from 'react';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {configSchema} from '../../source/config/schema.js';
import {startDemo} from '../../source/demo/index.js';
import {createDashboardRuntime, DashboardRoot} from '../../source/dashboard.js';
import {makeRecord, type Level, type LogRecord} from '../../source/logs/record.js';
import type {LogSource} from '../../source/services/log-source.js';
import {FakeDocker, FakeHealth, healthyAnswers, testEnvironment} from '../fixtures/runbooks/fakes.js';
import {keys, renderTui} from '../helpers/tui.js';

/**
 * Every screen and dialog in every display mode, checking every frame written to the terminal (not just the
 * last): --ascii writes nothing outside ASCII, NO_COLOR writes no colour escape. The same tour in the default
 * mode must trip both checks, so that they cannot pass by drawing nothing.
 */

type Mode = {name: string; ascii: boolean; color: boolean};
const modes: Mode[] = [
	{name: 'ascii', ascii: true, color: true},
	{name: 'no-color', ascii: false, color: false},
	{name: 'ascii and no-color', ascii: true, color: false},
];

/** Non-ASCII characters in the written bytes (escape sequences are ASCII). */
function nonAscii(frames: readonly string[]): string[] {
	const found = new Set<string>();
	for (const frame of frames) for (const char of frame) if (char.codePointAt(0)! >= 0x80) found.add(char);
	return [...found];
}

/** SGR sequences that set or reset a colour (foreground or background; 16, 256 or true colour). Bold and inverse are not colour. */
function colourSequences(frames: readonly string[]): string[] {
	const found = new Set<string>();
	for (const frame of frames) {
		for (const match of frame.matchAll(/\u001B\[([0-9;:]*)m/g)) {
			const params = match[1]!.split(/[;:]/).map(Number);
			if (params.some(p => (p >= 30 && p <= 39) || (p >= 40 && p <= 49) || (p >= 90 && p <= 97) || (p >= 100 && p <= 107))) found.add(JSON.stringify(match[0]));
		}
	}
	return [...found];
}

/** The drawn lines that hold a non-ASCII character, for the failure message. */
const offendingLines = (frames: readonly string[]) =>
	[...new Set(frames.flatMap(frame => frame.split('\n')).filter(line => /[^\x00-\x7f]/.test(line)))].slice(0, 5).join('\n');

function check(mode: Mode, frames: readonly string[]) {
	expect(frames.length).toBeGreaterThan(0);
	if (mode.ascii) expect(nonAscii(frames), offendingLines(frames)).toEqual([]);
	if (!mode.color) expect(colourSequences(frames)).toEqual([]);
}

let stateDir: string;
let configDir: string;
let savedState: string | undefined;
let cleanup: Array<() => void> = [];

beforeEach(() => {
	// Runs are audited under $XDG_STATE_HOME: keep them in a scratch directory.
	stateDir = mkdtempSync(path.join(tmpdir(), 'botops-modes-'));
	savedState = process.env.XDG_STATE_HOME;
	process.env.XDG_STATE_HOME = stateDir;
	// A user runbook whose words are not ASCII: outside text is folded, not only the app's own glyphs.
	configDir = path.join(stateDir, 'config');
	mkdirSync(path.join(configDir, 'runbooks'), {recursive: true});
	writeFileSync(
		path.join(configDir, 'runbooks', 'site.yaml'),
		[
			'id: site-check',
			'title: Site check — “engine” ✓',
			'key: k',
			'description: Checks the engine (manual §3.3) → then waits… 日本語',
			'steps:',
			'  - id: look',
			'    title: Look — at it',
			'    kind: check',
			'    action: docker.check',
			'    params: {service: rust-core-engine}',
			'',
		].join('\n'),
	);
});

afterEach(() => {
	for (const step of cleanup.reverse()) step();
	cleanup = [];
	if (savedState === undefined) delete process.env.XDG_STATE_HOME;
	else process.env.XDG_STATE_HOME = savedState;
	rmSync(stateDir, {recursive: true, force: true});
});

/** The dashboard over fake backends: Dashboard, Services, detail, Stats, Runbooks, Help, palette, the runbook dialog's stages, TooSmall. */
async function tourScreens(mode: Mode): Promise<string[]> {
	const environment = testEnvironment();
	const docker = new FakeDocker(['rust-core-engine', 'python-ai-service', 'nextjs-ui-dashboard', 'mongodb-primary']);
	const health = new FakeHealth();
	for (const [url, answer] of healthyAnswers) health.answers.set(url, answer);
	const runtime = createDashboardRuntime({
		config: configSchema.parse({environments: {}}),
		environment,
		refreshMs: 60_000,
		readOnly: false,
		color: mode.color,
		ascii: mode.ascii,
		configDir,
		openBackends: async () => ({environment, platform: createComposePlatform(docker, 'bot-core'), docker, health, close() {}}),
	});
	void runtime.connect();
	const tui = renderTui(<DashboardRoot runtime={runtime} />, {columns: 100, rows: 30});
	cleanup.push(() => tui.unmount(), () => runtime.close());

	await tui.waitFor('Containers by CPU');
	await tui.press('2');
	await tui.waitFor(/rust-core-engine\s+up|rust-core-engine\s+running/);
	await tui.press(keys.enter);
	await tui.waitFor('Service rust-core-engine');
	await tui.press(keys.escape, '3');
	await tui.waitFor(/Stats.*sort cpu/);
	await tui.press('5');
	await tui.waitFor('enter or key runs');
	await tui.press('G');
	await tui.waitFor('site-check');
	await tui.press('?');
	await tui.waitFor('Everywhere');
	await tui.press(keys.escape, ':');
	await tui.waitFor('command, e.g.');
	await tui.press(keys.escape);

	// The runbook dialog: the picker (with descriptions), the input form with choices, the plan, then a run's
	// progress and its summary.
	await tui.press('2', 'r');
	await tui.waitFor('Runbooks for rust-core-engine');
	await tui.press('r');
	await tui.waitFor(/service\s+rust-core-engine/);
	await tui.press(keys.enter);
	await tui.waitFor('docker restart --time 10 rust-core-engine');
	await tui.press(keys.escape);
	await tui.waitFor('cancelled, nothing was run');
	await tui.press('r', 'k');
	await tui.waitFor('Plan: Site check');
	await tui.press(keys.escape);
	await tui.press('r', 'M');
	await tui.waitFor(/drainSeconds\s+60/);
	await tui.press(keys.enter);
	await tui.waitFor('sleep 60');
	await tui.press('y');
	await tui.waitFor(/\[\.\.\]\s+drain/);
	await tui.press(keys.escape);
	await tui.waitFor(/ABORTED in .*not run/);
	await tui.press(keys.escape);

	await tui.resize(60, 20);
	await tui.waitFor('terminal too small');
	await tui.resize(100, 30);
	await tui.waitFor('Services');
	return tui.stdout.frames;
}

/** The Logs screen over a hand-fed source: lines with non-ASCII text, a marker, a long line, a search notice. */
async function tourLogs(mode: Mode): Promise<string[]> {
	const services = ['rust-core-engine', 'nextjs-ui-dashboard'];
	let deliver: ((batch: LogRecord[]) => void) | undefined;
	const source: LogSource = {
		subscribe(subscribed, _options, onRecords, onStatus) {
			deliver = onRecords;
			for (const service of subscribed) onStatus({service, state: 'streaming', at: Date.now()});
			return () => {
				deliver = undefined;
			};
		},
	};
	const exportDir = mkdtempSync(path.join(tmpdir(), 'botops-modes-logs-'));
	const config = configSchema.parse({environments: {staging: {backend: {type: 'compose'}, services: services.map(name => ({name}))}}});
	const runtime = createDashboardRuntime({
		config,
		environment: {...config.environments.staging!, name: 'staging'},
		refreshMs: 2000,
		readOnly: false,
		color: mode.color,
		ascii: mode.ascii,
		initialScreen: 'logs',
		logSource: {source, services},
		exportDir,
	});
	void runtime.connect();
	const tui = renderTui(<DashboardRoot runtime={runtime} />, {columns: 80, rows: 24});
	cleanup.push(() => tui.unmount(), () => runtime.close(), () => rmSync(exportDir, {recursive: true, force: true}));
	await tui.waitFor(/waiting for log lines/);
	let time = Date.parse('2026-11-25T12:00:00Z');
	let seq = 0;
	const lines: Array<[string, Level, string]> = [
		['nextjs-ui-dashboard', 'info', ' ✓ Compiled /dashboard in 120ms'],
		['rust-core-engine', 'warn', '⚠ slow frame — 300 ms…'],
		['rust-core-engine', 'error', 'order rejected: “timeout” × 3 → retry'],
		['rust-core-engine', 'info', `long ${'x'.repeat(200)} end`],
		['nextjs-ui-dashboard', 'info', 'ユーザー接続 ok'],
	];
	deliver!(
		lines.map(([service, level, text]) => {
			const record = makeRecord((time += 10), service, 'stdout', level, text);
			record.seq = ++seq;
			return record;
		}),
	);
	await tui.waitFor(/Compiled \/dashboard/);
	// Paused (the bottom line changes), an invalid search (a notice), the service chooser.
	await tui.press('f');
	await tui.waitFor(/paused/);
	await tui.press('/', '(', keys.enter);
	await tui.waitFor(/invalid search regex/);
	await tui.press('c');
	await tui.waitFor('Services: space toggles');
	await tui.press(keys.escape);
	return tui.stdout.frames;
}

/** Alerts (list, detail, the silence modal's create and expire), Metrics and the Dashboard summary, over the demo with alerts firing. */
async function tourAlerts(mode: Mode): Promise<string[]> {
	const demo = await startDemo({scenario: 'mongo-down', tickMs: 200, alertFor: {ServiceDown: 0, HighLatencyP95: 0, ContainerRestarting: 0}});
	const runtime = createDashboardRuntime({config: configSchema.parse({environments: {}}), environment: demo.environment, refreshMs: 500, readOnly: false, color: mode.color, ascii: mode.ascii});
	void runtime.connect();
	const tui = renderTui(<DashboardRoot runtime={runtime} />, {columns: 80, rows: 24});
	cleanup.push(() => tui.unmount(), () => runtime.close(), () => void demo.stop());
	await tui.waitFor(/firing: 1 critical/);
	await tui.press('6');
	await tui.waitFor(/critical\s+ServiceDown mongodb-primary/);
	await tui.press('j', keys.enter);
	await tui.waitFor('runbook    runbook://restart-service');
	await tui.press(keys.escape);
	await tui.waitFor('1 firing');
	await tui.press('s');
	await tui.waitFor(/catches 1 alert\(s\) of mongodb-primary/);
	for (const char of 'modes tour') await tui.press(char);
	await tui.press(keys.enter);
	await tui.waitFor('[y/N]');
	await tui.press('y');
	await tui.waitFor(/created: 1 alert\(s\) silenced/);
	await tui.press(keys.escape);
	await tui.waitFor(/ServiceDown\s+\S+\s+silenced/);
	await tui.press('x');
	await tui.waitFor('Starts firing again: 1 alert(s)');
	await tui.press(keys.escape);
	await tui.waitFor('0 firing');
	await tui.press('m');
	await tui.waitFor('New silence');
	await tui.press(keys.escape);
	await tui.waitFor('0 firing');
	await tui.press('7');
	await tui.waitFor(/Targets.*1 down of/);
	return tui.stdout.frames;
}

describe.each(modes)('in $name mode', mode => {
	it('every frame of the Alerts and Metrics screens and the silence modal', async () => {
		check(mode, await tourAlerts(mode));
	});

	it('every frame of every screen and dialog', async () => {
		check(mode, await tourScreens(mode));
	});

	it('every frame of the Logs screen', async () => {
		check(mode, await tourLogs(mode));
	});
});

describe('the checks themselves', () => {
	it('catch non-ASCII and colour in the default mode', async () => {
		const frames = [...(await tourScreens({name: 'default', ascii: false, color: true})), ...(await tourLogs({name: 'default', ascii: false, color: true}))];
		expect(nonAscii(frames)).toEqual(expect.arrayContaining(['─', '·', '§', '✓', '—']));
		expect(colourSequences(frames).length).toBeGreaterThan(0);
	});
});
