import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import React from 'react';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {configSchema} from '../../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot} from '../../source/dashboard.js';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';
import {renderTui} from '../helpers/tui.js';

describe('the dashboard against the demo deployment', () => {
	let demo: DemoDeployment;
	let stateDir: string;
	const saved: Record<string, string | undefined> = {};

	beforeAll(async () => {
		demo = await startDemo({seed: 7, tickMs: 200});
		stateDir = mkdtempSync(path.join(tmpdir(), 'botops-trading-'));
		// The runbook reads the admin token from the environment and audits to the XDG state directory.
		for (const [name, value] of [[demo.environment.adminTokenEnv!, demo.adminToken], ['XDG_STATE_HOME', stateDir]] as const) {
			saved[name] = process.env[name];
			process.env[name] = value;
		}
	});

	afterAll(async () => {
		for (const [name, value] of Object.entries(saved)) {
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
		}
		await demo?.stop();
		rmSync(stateDir, {recursive: true, force: true});
	});

	it('says loudly on an 80x24 screen that trading is off after r D y, read from the engine', async () => {
		const config = configSchema.parse({environments: {}});
		const runtime = createDashboardRuntime({config, environment: demo.environment, refreshMs: 2000, readOnly: false, color: false, ascii: false});
		void runtime.connect();
		const tui = renderTui(<DashboardRoot runtime={runtime} />, {columns: 80, rows: 24});
		try {
			const before = await tui.waitFor('trading on');
			expect(before.split('\n')[0]).toContain('trading on');
			await tui.press('r');
			await tui.waitFor(/D\s+disable-trading/);
			await tui.press('D');
			await tui.waitFor('[y/N]');
			await tui.press('y');
			const after = await tui.waitFor('TRADING OFF');
			expect(demo.world.trading.enabled).toBe(false);
			// In the header line, whatever the dialog shows below it.
			expect(after.split('\n')[0]).toContain('TRADING OFF');
			expect(tui.lines().length).toBeLessThanOrEqual(23);
			expect(Math.max(...tui.lines().map(l => l.length))).toBeLessThanOrEqual(80);
		} finally {
			tui.unmount();
			runtime.close();
		}
	});
});
