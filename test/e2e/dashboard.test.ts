import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {afterEach, describe, expect, it} from 'vitest';
import {startTmux, tmuxAvailable} from '../helpers/tmux.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const required = process.env.CI === 'true';
const available = tmuxAvailable();
if (!available && required) throw new Error('tmux is required in CI (.ci/run installs it)');

// The shell prints botops' exit status on the normal screen: seeing it proves the alternate screen was left.
const command = 'echo "starting botops"; node bin/botops.js demo; echo "botops exited $?"; sleep 60';

let session: ReturnType<typeof startTmux> | undefined;
afterEach(() => session?.kill());

describe.skipIf(!available)('botops demo in tmux', () => {
	for (const [columns, rows] of [
		[80, 24],
		[160, 48],
	] as const) {
		it(`runs at ${columns}x${rows}: live data, screen keys, help, quit restores the terminal`, async () => {
			session = startTmux(command, {columns, rows, cwd: root});
			// Each service's probe lands on its own (independent pollers): wait for both rather than read one frame.
			const dashboard = await session.waitFor(/rust-core-engine\s+up\s+200 OK[\s\S]*python-ai-service\s+up\s+200 OK/);
			expect(dashboard).toContain('botops demo');
			expect(dashboard).toContain('Containers by CPU');
			expect(dashboard.split('\n').every(line => line.length <= columns)).toBe(true);

			session.send('3');
			// The first stats sample may still be on its way when the screen opens: wait for it.
			await session.waitFor(/Stats.*sort cpu[\s\S]*mongodb-primary\s+\d+(?:\.\d)?%/);
			session.send('s');
			await session.waitFor(/sort mem/);

			session.send('2');
			await session.waitFor(/Services.*ok/);
			session.send('Enter');
			const detail = await session.waitFor('Service rust-core-engine');
			expect(detail).toMatch(/health url\s+http:\/\/127\.0\.0\.1:\d+\/api\/health/);
			// Esc and the next key sent in one write read as alt+key, as in any terminal: wait between them.
			session.send('Escape');
			await session.waitFor(/Services.*ok/);
			session.send('?');
			await session.waitFor('Everywhere');
			session.send('Escape');
			await session.waitFor(/Services.*ok/);
			session.send('q');
			const after = await session.waitFor(/botops exited \d+/);
			expect(after).toContain('botops exited 0');
			// Back on the normal screen, as it was before: the line printed before botops started is there again.
			expect(after).toContain('starting botops');
			expect(after).not.toContain('Containers by CPU');
		});
	}

	it('restores the terminal on SIGTERM', async () => {
		session = startTmux(command, {columns: 80, rows: 24, cwd: root});
		await session.waitFor('Containers by CPU');
		const shell = session.panePid();
		const botops = Number(readFileSync(`/proc/${shell}/task/${shell}/children`, 'utf8').trim().split(/\s+/)[0]);
		process.kill(botops, 'SIGTERM');
		const after = await session.waitFor(/botops exited \d+/);
		expect(after).toContain('botops exited 143');
		expect(after).not.toContain('Containers by CPU');
	});
});
