import {fileURLToPath} from 'node:url';
import {afterEach, describe, expect, it} from 'vitest';
import {startTmux, tmuxAvailable} from '../helpers/tmux.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const required = process.env.CI === 'true';
const available = tmuxAvailable();
if (!available && required) throw new Error('tmux is required in CI (.ci/run installs it)');

let session: ReturnType<typeof startTmux> | undefined;
afterEach(() => session?.kill());

describe.skipIf(!available)('the Database screen in tmux, through the official driver and the demo wire server', () => {
	it('mongo-replication-lag: the flagged lag shows within 5 s of opening the replication part; a slow op is killed through the dialog', async () => {
		session = startTmux('node bin/botops.js demo --scenario mongo-replication-lag; echo "botops exited $?"; sleep 60', {columns: 100, rows: 40, cwd: root});
		await session.waitFor('Containers by CPU');
		session.send('9');
		await session.waitFor('Op rates');
		// At 100x40 three parts fit: operations, replication, hot collections.
		const lagged = await session.waitFor(/replication lag \d+(\.\d)? s on 127\.0\.0\.1:\d+ \(limit 1 s\)/, 5000);
		expect(lagged).toMatch(/SECONDARY\s+✖ \d+(\.\d)? s/);
		expect(lagged.split('\n').every(line => line.length <= 100)).toBe(true);

		// The demo's engines run slow operations now and then: wait for one, then kill the selected (longest) one.
		const listed = await session.waitFor(/Current operations.*[1-9]\d* active/, 30_000);
		const opid = /›\s*(\d+)\s/.exec(listed)?.[1];
		expect(opid).toBeDefined();
		session.send('K');
		const dialog = await session.waitFor('Kill operation');
		expect(dialog).toContain(`opid      ${opid}`);
		expect(dialog).toMatch(/\[y\/N\]/);
		session.send('y');
		await session.waitFor(`operation ${opid} is gone`, 10_000);
		session.send('Escape');
		await session.waitFor('Op rates');
		session.send('q');
		const after = await session.waitFor(/botops exited \d+/);
		expect(after).toContain('botops exited 0');
	});
});
