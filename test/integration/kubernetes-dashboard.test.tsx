import React from 'react';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {configSchema} from '../../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot} from '../../source/dashboard.js';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';
import {createKubernetesPlatform} from '../../source/services/kubernetes/platform.js';
import {renderTui} from '../helpers/tui.js';

/** The same screens on a Kubernetes environment: a service is a deployment, its instances are its pods. */
describe('the dashboard on demo-k8s', () => {
	let demo: DemoDeployment;

	beforeAll(async () => {
		demo = await startDemo({kubernetes: true});
	}, 30_000);

	afterAll(async () => {
		await demo?.stop();
	});

	it('shows the deployments as services with their pods, their stats and their logs', async () => {
		const config = configSchema.parse({environments: {}});
		const runtime = createDashboardRuntime({config, environment: demo.kubernetes!.environment, refreshMs: 1000, readOnly: false, color: false, ascii: false});
		void runtime.connect();
		// Tall enough for all six events of the scale-up: they can share one second, so their order among themselves is not fixed.
		const tui = renderTui(<DashboardRoot runtime={runtime} />, {columns: 120, rows: 44});
		try {
			// The header names the namespace; the services are the deployments, each with its running pods.
			const frame = await tui.waitFor(/Pods by CPU/);
			expect(frame.split('\n')[0]).toContain('k8s bot-core-production');
			await tui.waitFor(/rust-core-engine\s+2\/2 up/);
			await tui.waitFor(/rust-core…[a-z0-9-]+\s+\d+(?:\.\d)?%/);
			const pods = tui.lastFrame().match(/\d+ pods/)?.[0];
			expect(pods).toBe(`${demo.kubernetes!.cluster.store.list('pods', demo.kubernetes!.namespace).length} pods`);
			// A scale-up shows on the same screens: the deployment's third pod joins its row.
			const platform = createKubernetesPlatform(demo.kubernetes!.environment, {timeoutMs: 5000});
			await platform.scale('nextjs-ui-dashboard', 3).finally(() => platform.close());
			await tui.waitFor(/nextjs-ui-dashboard\s+\d\/3/);
			// Logs: the deployment's pods, merged.
			await tui.press('4');
			await tui.waitFor(/nextjs-ui-dashboard\s+\S+\s+GET \//);
			await tui.waitFor(/rust-core-engine\s+INFO\s+INFO bot_core::/);
			// The Kubernetes screen: deployments with their rollout, autoscalers against their targets, pods, events.
			await tui.press('8');
			const cluster = await tui.waitFor(/Deployments in bot-core-production/);
			expect(cluster).toMatch(/rust-core-engine\s+2\/2/);
			expect(cluster).toMatch(/rust-core-engine-hpa\s+Deployment\/rust-core-engine\s+cpu (\d+%|<unknown>)\/70%\s+2\s+10\s+2/);
			await tui.waitFor(/nextjs-ui-dashboard\s+3\/3\s+3\s+3/, 20_000);
			expect(tui.lastFrame()).toMatch(/Pods/);
			expect(tui.lastFrame()).toMatch(/Events/);
			expect(tui.lastFrame()).toMatch(/ScalingReplicaSet/);
		} finally {
			tui.unmount();
			runtime.close();
		}
	}, 40_000);
});
