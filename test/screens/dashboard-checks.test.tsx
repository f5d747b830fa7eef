// The Dashboard's Checks pane against the in-process demo (mongo-down): the same checks as `botops check`, judged
// on the store the pollers fill, at 80x24 with the rest of the Dashboard.
import React from 'react';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {configSchema} from '../../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot, type DashboardRuntime} from '../../source/dashboard.js';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';
import {renderTui} from '../helpers/tui.js';

describe('the Checks pane on the Dashboard (mongo-down)', () => {
	let demo: DemoDeployment;
	let runtime: DashboardRuntime;
	let tui: ReturnType<typeof renderTui>;

	beforeAll(async () => {
		demo = await startDemo({scenario: 'mongo-down', tickMs: 200});
		runtime = createDashboardRuntime({config: configSchema.parse({environments: {}}), environment: demo.environment, refreshMs: 500, readOnly: false, color: false, ascii: true});
		void runtime.connect();
		tui = renderTui(<DashboardRoot runtime={runtime} />, {columns: 80, rows: 24});
	});

	afterAll(async () => {
		tui?.unmount();
		runtime?.close();
		await demo?.stop();
	});

	it('shows the failing checks worst first with the worst reason, and no age while the run is fresh, inside 80x24', async () => {
		const frame = await tui.waitFor('services-up: down: mongodb-primary exited');
		expect(frame).toMatch(/Checks -+ \d+\/\d+ pass, 2 left out -/);
		const chips = tui.lines().find(line => line.includes('X services-up'));
		expect(chips).toBeDefined();
		// Fails come first: no passing chip before the first failing one.
		// (With mongodb-primary down the Database checks are unknown too, so the line may hold no passing chip at all.)
		const firstPass = chips!.indexOf('* ');
		expect(firstPass === -1 || firstPass > chips!.indexOf('X services-up'), chips).toBe(true);
		expect(frame).toContain('Containers by CPU');
		expect(tui.lines().length).toBeLessThanOrEqual(24);
		expect(Math.max(...tui.lines().map(line => line.length))).toBeLessThanOrEqual(80);
	});

	it('judges the store: the run in the slice agrees with the pollers and reads no stats before the first samples', async () => {
		await tui.waitFor(frame => /resources/.test(frame) && !/\? resources/.test(frame));
		const run = runtime.store.getState().checks.data!;
		const verdicts = new Map(run.results.flatMap(result => (result.leftOut ? [] : [[result.id, result.verdict] as const])));
		expect(verdicts.get('services-up')).toMatchObject({status: 'fail', figure: '3/4 up'});
		expect(verdicts.get('resources')?.status).not.toBe('unknown');
		expect(run.results.filter(result => result.leftOut).map(result => result.id)).toEqual(['k8s-deployments', 'pending-deploys']);
	});
});
