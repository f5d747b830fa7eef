import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, describe, expect, it} from 'vitest';
import {startTmux, tmuxAvailable} from '../helpers/tmux.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'bin/botops.js');
const required = process.env.CI === 'true';
const available = tmuxAvailable();
if (!available && required) throw new Error('tmux is required in CI (.ci/run installs it)');

let session: ReturnType<typeof startTmux> | undefined;
let directory: string | undefined;
afterEach(() => {
	session?.kill();
	session = undefined;
	if (directory) rmSync(directory, {recursive: true, force: true});
	directory = undefined;
});

/**
 * Runs botops in the pane with its exit code written to a file: tmux 3.3's #{pane_dead_status} is sometimes
 * empty for a process that exited cleanly.
 */
function start(args: string, size: {columns: number; rows: number}, cwd: string) {
	return startTmux(`node ${cli} ${args}; echo $? > exit-code`, {...size, cwd});
}

async function exitCode(cwd: string): Promise<number> {
	const path = join(cwd, 'exit-code');
	await session!.waitFor(() => existsSync(path) && readFileSync(path, 'utf8').endsWith('\n'));
	return Number(readFileSync(path, 'utf8'));
}

/** The line the selection pointer is on. */
const selectedLine = (screen: string) => screen.split('\n').find(line => line.startsWith('│›')) ?? '';

describe.skipIf(!available)('Logs screen in tmux', () => {
	it('botops demo: follow, pause, search, next error, save to the current directory', async () => {
		// Exports land in the working directory, as the manual's `> rust-logs-$(date +%Y%m%d).log` does.
		directory = mkdtempSync(join(tmpdir(), 'botops-e2e-logs-'));
		// The healthy demo logs no errors; the crash-loop drill gives `e` an engine error to find.
		session = start('demo --scenario engine-crashloop', {columns: 120, rows: 40}, directory);
		await session.waitFor('Containers by CPU');
		session.send('4');
		// The services' streams connect one by one: wait for lines of both on screen.
		let following = '';
		await session.waitFor(() => {
			following = session!.capture();
			return /rust-core-engine\s+(INFO|DEBUG|WARN|ERROR)/.test(following) && /python-ai-service\s+(INFO|WARN|ERROR)/.test(following);
		});
		expect(following).toMatch(/Logs.*FOLLOW/);
		expect(following.split('\n').every(line => line.length <= 120)).toBe(true);

		session.send('f');
		await session.waitFor(/PAUSED/);
		// The demo keeps writing: the paused view counts what arrived below it.
		await session.waitFor(/\d+ new lines — f follows/);

		session.send('/', 'market_data', 'Enter');
		const searched = await session.waitFor(/\/market_data\/ (?:match [\d,]+ of [\d,]+|[\d,]+ match(?:es)?) n\/N/);
		expect(selectedLine(searched)).toContain('market_data');
		session.send('N');
		await session.waitFor(() => selectedLine(session!.capture()).includes('market_data'));

		session.send('g', 'e');
		const error = await session.waitFor(/│›\S+ \S+\s+(ERROR|FATAL)/);
		expect(selectedLine(error)).toMatch(/ERROR|FATAL/);

		session.send('L', 'L', 'L', 'L');
		await session.waitFor('level>=error');
		session.send('s');
		const saved = await session.waitFor(/saved [\d,]+ lines to \S+\.log/);
		const [, count, path] = /saved ([\d,]+) lines to (\S+\.log)/.exec(saved)!;
		expect(path!.startsWith(directory)).toBe(true);
		const files = readdirSync(directory).filter(name => name.endsWith('.log'));
		expect(files).toEqual([path!.slice(directory.length + 1)]);
		expect(files[0]).toMatch(/^all-logs-\d{8}-\d{6}\.log$/);
		const lines = readFileSync(path!, 'utf8').trimEnd().split('\n');
		expect(lines.length).toBe(Number(count!.replace(/,/g, '')));
		expect(lines.length).toBeGreaterThan(0);
		// Only errors (and botops's own markers, shown whatever the level) were saved, in the export format.
		for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \S+\s+(ERROR|FATAL|----) /);

		session.send('q');
		expect(await exitCode(directory)).toBe(0);
	});

	it('botops logs --file PATH --tui opens the Logs screen on a file; --stdin --tui is refused', async () => {
		directory = mkdtempSync(join(tmpdir(), 'botops-e2e-logs-'));
		const file = join(directory, 'engine.log');
		writeFileSync(
			file,
			[
				'2026-11-25T12:00:00.000000Z  INFO bot_core::api: HTTP server listening addr=0.0.0.0:8080',
				'2026-11-25T12:00:01.000000Z ERROR bot_core::storage::mongodb: failed to persist trade err=timeout',
				'2026-11-25T12:00:02.000000Z  WARN bot_core::trading: slippage above limit symbol=BTCUSDT',
				'\u001b[2J\u001b[Hnot a cursor move',
			].join('\n') + '\n',
		);
		session = start(`logs --file ${file} --tui`, {columns: 100, rows: 30}, directory);
		const screen = await session.waitFor('end of input');
		expect(screen).toMatch(/engine\s+ERROR .*failed to persist trade/);
		expect(screen).toContain('\\x1b[2J');
		session.send('e');
		await session.waitFor(() => selectedLine(session!.capture()).includes('failed to persist trade'));
		session.send('q');
		expect(await exitCode(directory)).toBe(0);
		// The alternate screen was left.
		expect(session.capture()).not.toContain('failed to persist trade');
		session.kill();

		rmSync(join(directory, 'exit-code'));
		session = startTmux(`node ${cli} logs --stdin --tui < /dev/null; echo $? > exit-code; sleep 5`, {columns: 100, rows: 30, cwd: directory});
		await session.waitFor('cannot be both the log lines and the keyboard');
		expect(await exitCode(directory)).toBe(2);
	});
});
