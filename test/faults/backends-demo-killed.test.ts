import React from 'react';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {configSchema} from '../../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot, type DashboardRuntime} from '../../source/dashboard.js';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';
import {renderTui} from '../helpers/tui.js';
import {storeReaches} from './matrix.js';

/**
 * Issue 8, "the demo's backend killed mid-run": rows kept their old values with no age, the header said
 * "live, every 2 s" long after, and the Containers pane said "docker: aborted". Now the data says how old it is.
 */
describe('the demo backend killed under a running dashboard', () => {
	let demo: DemoDeployment;
	let runtime: DashboardRuntime;
	let tui: ReturnType<typeof renderTui>;
	const refreshMs = 500;

	beforeAll(async () => {
		demo = await startDemo({seed: 3, tickMs: 200});
		const config = configSchema.parse({timeoutMs: 500, environments: {}});
		runtime = createDashboardRuntime({config, environment: demo.environment, refreshMs, readOnly: false, color: false, ascii: true});
		tui = renderTui(React.createElement(DashboardRoot, {runtime}), {columns: 140, rows: 40});
		await runtime.connect();
		await tui.waitFor(`live, every ${refreshMs / 1000} s`, 20_000);
		await storeReaches(runtime.store, s => Object.keys(s.stats.data).length > 0, 'stats samples');
	});

	afterAll(async () => {
		tui?.unmount();
		runtime?.close();
		await demo?.stop();
	});

	it('marks every row and pane stale with its age, the header tells the age and the real cause, never "aborted"', async () => {
		await demo.stop();
		// Wait until the data is older than the stale threshold and the failure reached every source.
		await storeReaches(runtime.store, s => s.containers.error !== undefined && s.stats.error !== undefined, 'docker and stats errors');
		const frame = await tui.waitFor(f => /\b([3-9]|\d\d+) s old\b/.test(f.split('\n')[0]!), 20_000);
		const header = frame.split('\n')[0]!;
		expect(header).not.toContain('live, every');
		expect(header).toMatch(/\d+ s old - docker: connect (ENOENT|ECONNREFUSED) /);
		expect(frame).not.toMatch(/\baborted\b/);
		const state = runtime.store.getState();
		expect(state.containers.error).toMatch(/^docker: (connect (ENOENT|ECONNREFUSED)|socket hang up|connection dropped)/);
		expect(state.stats.error).not.toMatch(/aborted$/);
		// Every service row is marked stale ("?" in the gutter without colour) and says how old it is.
		const serviceLines = frame.split('\n').filter(line => demo.environment.services.some(s => line.includes(` ${s.name} `)) && /^\|\S?\S?\s/.test(line));
		expect(serviceLines.length).toBeGreaterThanOrEqual(demo.environment.services.length);
		for (const service of demo.environment.services) {
			const row = frame.split('\n').find(line => line.includes(` ${service.name} `) && line.includes('s old'));
			expect(row, `${service.name}'s row says its age`).toBeDefined();
			expect(row).toMatch(/^\|\?/);
		}
		// Each pane of polled data says its age in its frame.
		for (const title of ['Services', 'Containers by CPU']) {
			const top = frame.split('\n').find(line => line.includes(` ${title} `))!;
			expect(top).toMatch(/\d+ s old/);
		}
	});
});
