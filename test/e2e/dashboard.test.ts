import {fileURLToPath} from 'node:url';
import {afterEach, describe, expect, it} from 'vitest';
import {startTmux, tmuxAvailable} from '../helpers/tmux.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const required = process.env.CI === 'true';
const available = tmuxAvailable();
if (!available && required) throw new Error('tmux is required in CI (.ci/run installs it)');

let session: ReturnType<typeof startTmux> | undefined;
afterEach(() => session?.kill());

describe.skipIf(!available)('botops demo in tmux', () => {
	for (const [columns, rows] of [
		[80, 24],
		[160, 48],
	] as const) {
		it(`runs at ${columns}x${rows}: live data, screen keys, help, quit restores the terminal`, async () => {
			session = startTmux('exec node bin/botops.js demo', {columns, rows, cwd: root});
			const dashboard = await session.waitFor(/rust-core-engine\s+up\s+200 OK/);
			expect(dashboard).toContain('botops demo');
			expect(dashboard).toMatch(/python-ai-service\s+up\s+200 OK/);
			expect(dashboard).toContain('Containers by CPU');
			expect(dashboard.split('\n').every(line => line.length <= columns)).toBe(true);

			session.send('3');
			const stats = await session.waitFor(/Stats.*sort cpu/);
			expect(stats).toMatch(/mongodb-primary\s+\d+\.\d%/);
			session.send('s');
			await session.waitFor(/sort mem/);

			session.send('2');
			await session.waitFor(/Services.*ok/);
			session.send('Enter');
			const detail = await session.waitFor('Service rust-core-engine');
			expect(detail).toMatch(/health url\s+http:\/\/127\.0\.0\.1:\d+\/api\/health/);
			session.send('Escape', '?');
			await session.waitFor('Everywhere');
			session.send('Escape', 'q');
			await session.waitFor(() => session!.paneDead().startsWith('1'));
			expect(session.paneDead()).toBe('1 0');
			// The alternate screen was left: the dashboard is gone from the visible pane.
			expect(session.capture()).not.toContain('Containers by CPU');
		});
	}

	it('restores the terminal on SIGTERM', async () => {
		session = startTmux('exec node bin/botops.js demo', {columns: 80, rows: 24, cwd: root});
		await session.waitFor('Containers by CPU');
		process.kill(session.panePid(), 'SIGTERM');
		await session.waitFor(() => session!.paneDead().startsWith('1'));
		expect(session.paneDead()).toBe('1 143');
		expect(session.capture()).not.toContain('Containers by CPU');
	});
});
