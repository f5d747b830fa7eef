// The drill key on the demo's dashboard: it opens the drill picker, and enter starts the chosen drill on the
// running world (here a world in this process, through the same DrillControl the demo hands the dashboard).
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {configSchema} from '../../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot, type DashboardRuntime} from '../../source/dashboard.js';
import {createDrillControl} from '../../source/demo/scenarios.js';
import {World} from '../../source/demo/world.js';
import {testEnvironment} from '../fixtures/runbooks/fakes.js';
import {fakePlatform, openFakeBackends} from '../helpers/fake-backends.js';
import {keys, renderTui} from '../helpers/tui.js';

const ctrlD = '\u0004';

let cleanup: Array<() => void> = [];
afterEach(() => {
	for (const step of cleanup) step();
	cleanup = [];
});

function dashboard(drills?: ReturnType<typeof createDrillControl>) {
	const runtime: DashboardRuntime = createDashboardRuntime({
		config: configSchema.parse({environments: {}}),
		environment: testEnvironment(),
		refreshMs: 2000,
		readOnly: false,
		color: false,
		ascii: false,
		drills,
		openBackends: openFakeBackends(fakePlatform([])),
	});
	const tui = renderTui(<DashboardRoot runtime={runtime} />, {columns: 120, rows: 30});
	cleanup.push(() => tui.unmount(), () => runtime.close());
	return {runtime, tui};
}

describe('the drill key', () => {
	it('opens the picker with each drill and its runbook, and enter starts the chosen one on the running world', async () => {
		const world = new World({seed: 3, backlogLines: 5});
		cleanup.push(() => world.stop());
		const {runtime, tui} = dashboard(createDrillControl(world));
		await tui.waitFor('Services');
		const picker = await tui.pressAndWaitForChange(ctrlD);
		expect(picker).toContain('Start a drill');
		expect(picker).toContain('no drill under way');
		for (const name of ['engine-crashloop', 'ai-latency-spike', 'mongo-replication-lag', 'disk-pressure', 'mongo-down']) expect(picker).toContain(name);
		expect(picker).toMatch(/ai-latency-spike +resolve: update-ai-model runbook/);
		// bad-deploy begins with the Kubernetes face's cluster: it is not offered on a running world.
		expect(picker).not.toMatch(/> bad-deploy|  bad-deploy\n/);
		await tui.press('j');
		const started = await tui.pressAndWaitForChange(keys.enter);
		expect(world.scenario).toBe('ai-latency-spike');
		expect(world.model.version).toBe('lstm-v2.4-xl');
		expect(started).not.toContain('Start a drill');
		expect(runtime.store.getState().flash?.text).toBe('drill ai-latency-spike started: resolve it with the update-ai-model runbook');

		// A second drill while one is under way: refused, with the reason.
		await tui.pressAndWaitForChange(ctrlD);
		await tui.waitFor('under way: ai-latency-spike');
		await tui.pressAndWaitForChange(keys.enter);
		expect(world.scenario).toBe('ai-latency-spike');
		expect(runtime.store.getState().flash).toMatchObject({text: 'the drill ai-latency-spike is under way: resolve it first (update-ai-model)', level: 'error'});
	});

	it('esc closes the picker without starting anything; without a demo the key does nothing', async () => {
		const world = new World({seed: 3, backlogLines: 5});
		cleanup.push(() => world.stop());
		const {tui} = dashboard(createDrillControl(world));
		await tui.waitFor('Services');
		await tui.pressAndWaitForChange(ctrlD);
		const closed = await tui.pressAndWaitForChange(keys.escape);
		expect(closed).not.toContain('Start a drill');
		expect(world.scenario).toBe('healthy');
		tui.unmount();

		const plain = dashboard(undefined);
		const before = await plain.tui.waitFor('Services');
		await plain.tui.press(ctrlD);
		expect(plain.tui.lastFrame()).toBe(before);
	});
});
