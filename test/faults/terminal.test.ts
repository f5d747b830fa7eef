// Fault matrix, terminal: the built CLI (npm test builds dist/ first) in a private tmux server, under the terminals
// and sizes an operator may have. Each test waits for what the screen shows, never for a fixed time.
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, describe, expect, it} from 'vitest';
import {startTmux, tmuxAvailable} from '../helpers/tmux.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const required = process.env.CI === 'true';
const available = tmuxAvailable();
if (!available && required) throw new Error('tmux is required in CI (.ci/run installs it)');

let session: ReturnType<typeof startTmux> | undefined;
let home: string | undefined;
afterEach(() => {
	session?.kill();
	session = undefined;
	if (home) rmSync(home, {recursive: true, force: true});
	home = undefined;
});

/**
 * `botops ARGS` in a shell that says when it started and with what status it ended: the status line shows on the
 * normal screen only, so seeing it (and the line before) proves the alternate screen was left. The demo's
 * temporary directory goes to a private TMPDIR, so a leftover is seen.
 */
function start(args: string, size: {columns: number; rows: number}, options: {term?: string; env?: string} = {}) {
	home = mkdtempSync(path.join(tmpdir(), 'botops-faults-terminal-'));
	// TERM is set in the shell: tmux gives its panes its own default-terminal whatever the session's environment says.
	const env = `TMPDIR=${home} XDG_STATE_HOME=${home} XDG_CONFIG_HOME=${home} TERM=${options.term ?? 'xterm-256color'} ${options.env ?? ''}`;
	session = startTmux(`echo "starting botops"; export ${env}; node bin/botops.js ${args}; echo "botops exited $?"; sleep 60`, {...size, cwd: root});
	return session;
}

/** SGR parameters that set a colour: 30-37, 38;…, 39 aside, 40-47, 48;…, 90-97, 100-107. */
function colourSgr(screen: string): string[] {
	const found: string[] = [];
	for (const match of screen.matchAll(/\u001B\[([0-9;]*)m/g)) {
		const params = match[1]!.split(';').map(Number);
		for (let i = 0; i < params.length; i++) {
			const p = params[i]!;
			if (p === 38 || p === 48) {
				found.push(match[0]);
				break;
			}
			if ((p >= 30 && p <= 37) || (p >= 40 && p <= 47) || (p >= 90 && p <= 97) || (p >= 100 && p <= 107)) {
				found.push(match[0]);
				break;
			}
		}
	}
	return found;
}

/** The Services pane's top border: the first or second line under the header ('' when neither is). */
function servicesBorder(lines: readonly string[]): string {
	return lines.slice(1, 4).find(line => /^╭─ Services .*╮$/.test(line)) ?? '';
}

/** The dashboard's frame at this size: the header on the first row, the pane borders to the last column, the last row left empty. */
function expectWholeFrame(screen: string, columns: number, rows: number) {
	const lines = screen.split('\n');
	expect(lines[0]).toMatch(/^botops demo \(compose bot-core\)/);
	expect(lines.filter(line => line.startsWith('botops demo (compose')).length).toBe(1);
	// The Services pane spans the width: its top border, under the header (and the demo's alert summary and database lines),
	// ends in the last column.
	const border = servicesBorder(lines);
	expect(border).toMatch(/^╭─ Services .*╮$/);
	expect([...border].length).toBe(columns);
	// Never taller than rows - 1 (ink repaints the whole screen otherwise): the footer is on the row above the last.
	expect(lines[rows - 2]).toMatch(/q quit/);
	expect(lines[rows - 1] ?? '').toBe('');
	for (const line of lines) expect([...line].length).toBeLessThanOrEqual(columns);
}

const live = /rust-core-engine\s+up\s+200 OK[\s\S]*python-ai-service\s+up\s+200 OK/;

describe.skipIf(!available)('terminal faults, in tmux', () => {
	it('a resize storm: forty sizes in a row, then the frame is whole at the last size and the keys still work', async () => {
		const tmux = start('demo', {columns: 100, rows: 30});
		await tmux.waitFor(live);
		const sizes = [
			[80, 24],
			[200, 60],
			[81, 25],
			[150, 40],
			[40, 10],
			[120, 33],
			[300, 100],
			[90, 27],
		] as const;
		for (let i = 0; i < 40; i++) {
			const [columns, rows] = sizes[i % sizes.length]!;
			tmux.resize(columns, rows);
		}
		tmux.resize(110, 32);
		const settled = await tmux.waitFor(() => {
			const screen = tmux.capture();
			const lines = screen.split('\n');
			return [...servicesBorder(lines)].length === 110 && /q quit/.test(lines[30] ?? '');
		});
		expectWholeFrame(tmux.capture(), 110, 32);
		expect(settled).not.toContain('terminal too small');
		tmux.send('?');
		await tmux.waitFor('Everywhere');
		tmux.send('q');
		await tmux.waitFor(/botops exited \d+/);
		expect(tmux.capture()).toContain('botops exited 0');
	});

	it('40x10 shows the "terminal too small" sentence, and the dashboard once it grows', async () => {
		const tmux = start('demo', {columns: 40, rows: 10});
		const small = await tmux.waitFor('terminal too small');
		expect(small.split('\n')[0]).toBe('terminal too small (need 80x24, have 40…');
		tmux.resize(80, 24);
		await tmux.waitFor(live);
		expectWholeFrame(tmux.capture(), 80, 24);
		tmux.resize(79, 24);
		await tmux.waitFor('terminal too small (need 80x24, have 79x24)');
		tmux.send('q');
		expect(await tmux.waitFor(/botops exited \d+/)).toContain('botops exited 0');
	});

	it('300x100 draws one whole frame across the width and height', async () => {
		const tmux = start('demo', {columns: 300, rows: 100});
		await tmux.waitFor(live);
		expectWholeFrame(tmux.capture(), 300, 100);
		tmux.send('q');
		expect(await tmux.waitFor(/botops exited \d+/)).toContain('botops exited 0');
	});

	it('NO_COLOR: not one colour sequence on the screen (and there are some without it)', async () => {
		const coloured = start('demo', {columns: 100, rows: 30});
		await coloured.waitFor(live);
		expect(colourSgr(coloured.captureWithEscapes()).length).toBeGreaterThan(0);
		coloured.kill();
		rmSync(home!, {recursive: true, force: true});

		const plain = start('demo', {columns: 100, rows: 30}, {env: 'NO_COLOR=1'});
		await plain.waitFor(live);
		expect(colourSgr(plain.captureWithEscapes())).toEqual([]);
		plain.send('3');
		await plain.waitFor(/Stats.*sort cpu/);
		expect(colourSgr(plain.captureWithEscapes())).toEqual([]);
		plain.send('q');
		expect(await plain.waitFor(/botops exited \d+/)).toContain('botops exited 0');
	});

	it('TERM=dumb: the dashboard refuses with exit 2 and draws nothing; status prints plain lines', async () => {
		const tmux = start('demo; echo "demo exited $?"; node bin/botops.js status --env demo', {columns: 160, rows: 30}, {term: 'dumb'});
		const screen = await tmux.waitFor(/botops exited \d+/);
		expect(screen).toContain('botops demo: TERM=dumb cannot draw the dashboard; use `botops status` or `botops logs` for plain lines\ndemo exited 2\n');
		expect(screen).toMatch(/^OK +rust-core-engine +running/m);
		expect(screen).toContain('All good: 4/4 critical services healthy\nbotops exited 0');
		expect(screen).not.toContain('╭');
		expect(tmux.paneFormat('#{alternate_on}')).toBe('0');
		expect(colourSgr(tmux.captureWithEscapes())).toEqual([]);
		// Neither left the demo's directory behind.
		expect(readdirSync(home!).filter(name => name.startsWith('botops-demo-'))).toEqual([]);
	});

	it('TERM=dumb: botops demo alone exits 2', async () => {
		const tmux = start('demo', {columns: 100, rows: 30}, {term: 'dumb'});
		expect(await tmux.waitFor(/botops exited \d+/)).toContain('botops exited 2');
	});

	for (const term of ['screen', 'tmux-256color']) {
		it(`TERM=${term}: the dashboard draws whole and q restores the terminal`, async () => {
			const tmux = start('demo', {columns: 100, rows: 30}, {term});
			await tmux.waitFor(live);
			expectWholeFrame(tmux.capture(), 100, 30);
			expect(tmux.paneFormat('#{alternate_on}')).toBe('1');
			tmux.send('q');
			const after = await tmux.waitFor(/botops exited \d+/);
			expect(after).toContain('botops exited 0');
			expect(after).toContain('starting botops');
			expect(tmux.paneFormat('#{alternate_on} #{cursor_flag}')).toBe('0 1');
		});
	}
});
