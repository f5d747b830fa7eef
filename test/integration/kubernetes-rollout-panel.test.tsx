import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import React from 'react';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {AppsV1Api, PatchStrategy, setHeaderOptions} from '@kubernetes/client-node';
import {configSchema} from '../../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot} from '../../source/dashboard.js';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';
import {auditFilePath} from '../../source/services/audit.js';
import {loadKubeContext} from '../../source/services/kubernetes/kubeconfig.js';
import {renderTui} from '../helpers/tui.js';

/**
 * The rollout panel against the demo's bad-deploy: a stalled rollout in words, the revisions, a chosen revision's
 * diff, the new pod's logs and warnings; then undo through the rollback runbook, a skipped rollback and a paused one.
 */
describe('the rollout panel on demo-k8s with bad-deploy', () => {
	let demo: DemoDeployment;
	let stateDir: string;
	let saved: string | undefined;

	beforeAll(async () => {
		demo = await startDemo({kubernetes: true, scenario: 'bad-deploy'});
		stateDir = mkdtempSync(path.join(tmpdir(), 'botops-rollout-panel-'));
		// Runs are audited under $XDG_STATE_HOME: keep them in a scratch directory.
		saved = process.env.XDG_STATE_HOME;
		process.env.XDG_STATE_HOME = stateDir;
	}, 30_000);

	afterAll(async () => {
		if (saved === undefined) delete process.env.XDG_STATE_HOME;
		else process.env.XDG_STATE_HOME = saved;
		await demo?.stop();
		rmSync(stateDir, {recursive: true, force: true});
	});

	it('shows the stalled rollout, diffs the chosen revision, and undoes it from the panel through the runbook engine', async () => {
		const environment = demo.kubernetes!.environment;
		const config = configSchema.parse({environments: {}});
		const runtime = createDashboardRuntime({config, environment, refreshMs: 1000, readOnly: false, color: false, ascii: true});
		void runtime.connect();
		const tui = renderTui(<DashboardRoot runtime={runtime} />, {columns: 120, rows: 40});
		try {
			await tui.waitFor(/Pods by CPU/);
			await tui.press('8');
			await tui.waitFor(/rust-core-engine\s+2\/2\s+1\s+2\s+4 .*stalled: ProgressDeadline/);
			// The deployments are in name order; rust-core-engine is the last one.
			await tui.press('G', '\r');
			// The new replica set's one pod, its lines led by the pod's own part of its name.
			const panel = await tui.waitFor(/Logs of rust-core-engine-\w+[\s\S]*\b[a-z0-9]{5} \d{4}-\d\d-\d\dT\S+ +INFO/, 15_000);
			expect(panel).toContain('Rollout of deployment/rust-core-engine');
			// --ascii: every cut line ends in the theme's ASCII ellipsis, never ink's.
			expect(panel.match(/[^\x00-\x7f]/g) ?? []).toEqual([]);
			expect(panel).toMatch(/STALLED \| revision 4 \| bot-core\/rust-core-engine:1\.5\.0/);
			expect(panel).toMatch(/2 desired \| 1 updated \| 2 ready \| 2 available \| 3 total\s*\|\n\|ProgressDeadlineExceeded: ReplicaSet "rust-core-engine-\w+" has timed out progressing/);
			// Newest first, the live one marked; the previous revision is chosen to start with.
			expect(panel).toMatch(/4 \*\s+\S+\s+\S+\s+rust-core-engine:1\.5\.0\s+kubectl set image/);
			expect(panel).toMatch(/Revision 3 vs live/);
			expect(panel).toMatch(/- image: bot-core\/rust-core-engine:1\.5\.0/);
			expect(panel).toMatch(/\+ image: bot-core\/rust-core-engine:1\.4\.2/);
			await tui.waitFor(/Warnings[\s\S]*Unhealthy.*Readiness probe failed/, 15_000);

			// j chooses revision 2: its diff, by number.
			await tui.press('j');
			await tui.waitFor(/Revision 2 vs live[\s\S]*\+ image: bot-core\/rust-core-engine:1\.4\.1/);

			// u: the previous revision (3), planned by the rollback runbook with the diff in the plan.
			await tui.press('u');
			const plan = await tui.waitFor('[y/N]', 15_000);
			expect(plan).toContain('Plan: Roll back a deployment');
			expect(plan).toContain('inputs: service=rust-core-engine toRevision=0');
			expect(plan).toMatch(/back to revision 3 \(replica set rust-core-engine-\w+/);
			await tui.press('y');
			const done = await tui.waitFor(/All 3 steps succeeded/, 60_000);
			expect(done).toMatch(/rolled rust-core-engine back to revision 3/);
			await tui.press('\u001B');
			// The old template comes back under a new revision, and the rollout completes.
			const after = await tui.waitFor(/complete \| revision 5 \| bot-core\/rust-core-engine:1\.4\.2/, 30_000);
			expect(after).toMatch(/5 \*\s+\S+\s+\S+\s+rust-core-engine:1\.4\.2/);
			expect(after).not.toMatch(/^\S*\s+3 /m);

			// U on the live revision: the plan says the rollback is skipped and nothing changes.
			await tui.press('g', 'U');
			const skipped = await tui.waitFor('[y/N]', 15_000);
			expect(skipped).toContain('inputs: service=rust-core-engine toRevision=5');
			expect(skipped).toContain('skipped rollback (current template already matches revision 5); nothing will change');
			await tui.press('\u001B');
			await tui.waitFor(/Rollout of deployment\/rust-core-engine/);

			// A paused deployment: the plan refuses before any call.
			const {kubeConfig, namespace} = loadKubeContext(environment);
			await kubeConfig.makeApiClient(AppsV1Api).patchNamespacedDeployment({name: 'rust-core-engine', namespace, body: {spec: {paused: true}}}, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
			await tui.waitFor(/paused \| revision 5/, 15_000);
			await tui.press('u');
			const refused = await tui.waitFor(/Refused: undo: rust-core-engine: you cannot rollback a paused deployment/, 15_000);
			expect(refused).not.toContain('[y/N]');
			await tui.press('\u001B');

			// Every run and the refusal are in the audit log (the demo's own state directory).
			const audit = readFileSync(auditFilePath(process.env, environment), 'utf8');
			expect(audit.split('\n').filter(line => line.includes('"run-end"')).map(line => JSON.parse(line).outcome)).toEqual(['ok', 'refused']);
		} finally {
			tui.unmount();
			runtime.close();
		}
	}, 120_000);
});
