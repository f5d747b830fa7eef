import React from 'react';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {configSchema} from '../../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot, type DashboardRuntime} from '../../source/dashboard.js';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';
import {closedPort, startHttpServer} from '../helpers/http.js';
import {renderTui, waitUntil} from '../helpers/tui.js';

type Tui = ReturnType<typeof renderTui>;

describe('the Metrics screen and the Dashboard summary against the demo (ai-slow)', () => {
	let demo: DemoDeployment;
	let runtime: DashboardRuntime;
	let tui: Tui;

	beforeAll(async () => {
		demo = await startDemo({scenario: 'ai-slow', tickMs: 200, alertFor: {ServiceDown: 0, HighLatencyP95: 0, ContainerRestarting: 0}});
		runtime = createDashboardRuntime({config: configSchema.parse({environments: {}}), environment: demo.environment, refreshMs: 500, readOnly: false, color: false, ascii: true});
		void runtime.connect();
		tui = renderTui(<DashboardRoot runtime={runtime} />, {columns: 80, rows: 24});
	});

	afterAll(async () => {
		tui?.unmount();
		runtime?.close();
		await demo?.stop();
	});

	it('the Dashboard says what fires, how many targets are down and the worst p95 over its target', async () => {
		const frame = await tui.waitFor(/firing: 1 warning \| targets 0\/\d+ down \| ! worst p95 [\d.]+ m?s python-ai-service/);
		expect(frame.split('\n').length).toBeLessThanOrEqual(23);
	});

	it('shows each service with rates and p95, the slow one marked over the 500 ms target, and the targets table', async () => {
		await tui.press('7');
		await tui.waitFor('P95<500 ms');
		const frame = await tui.waitFor(/python-ai-service\s+[\d.]+\s.*! [\d.]+ m?s/);
		expect(frame).toMatch(/rust-core-engine\s+[\d.]+/);
		expect(frame).toMatch(/up\s+python-ai-service/);
		expect(frame).toMatch(/Targets.*0 down of \d+/);
		expect(Math.max(...tui.lines().map(l => l.length))).toBeLessThanOrEqual(80);
	});

	it('polls the last hour with range queries, one point a minute', async () => {
		await waitUntil(() => runtime.store.getState().metricSeries.updatedAt > 0, {what: 'the range poll'});
		const history = runtime.store.getState().metricSeries.data['python-ai-service']!;
		// The demo's history starts with the demo (rates need minutes of samples): the window is whole, aligned on its steps.
		expect(runtime.store.getState().metricSeries.error).toBeUndefined();
		expect(history.p95Seconds).toHaveLength(61);
		expect(history.requestRate).toHaveLength(61);
	});

	it('names a missing Prometheus plainly', async () => {
		const environment = {...demo.environment, name: 'bare', prometheusUrl: undefined, alertmanagerUrls: undefined};
		const bare = createDashboardRuntime({config: configSchema.parse({environments: {}}), environment, refreshMs: 500, readOnly: false, color: false, ascii: true, initialScreen: 'metrics'});
		void bare.connect();
		const other = renderTui(<DashboardRoot runtime={bare} />, {columns: 80, rows: 24});
		try {
			await other.waitFor('no Prometheus configured for bare');
			await other.press('6');
			await other.waitFor('no Alertmanager configured for bare');
			expect(bare.store.getState().prometheus.updatedAt).toBe(0);
		} finally {
			other.unmount();
			bare.close();
		}
	});

	it('shows a failing Prometheus and Alertmanager in their panes, and recovers when they answer', async () => {
		// Answers 500 until healed, then proxies to the demo's servers: a fault and its recovery on the same URLs.
		let broken = true;
		const proxy = (target: string) =>
			startHttpServer((req, res) => {
				if (broken) {
					res.writeHead(500, {'content-type': 'text/plain'}).end('injected failure');
					return;
				}
				void fetch(`${target}${req.url}`).then(async answer => res.writeHead(answer.status, {'content-type': answer.headers.get('content-type') ?? 'application/json'}).end(await answer.text()));
			});
		const prom = await proxy(demo.environment.prometheusUrl!);
		const am = await proxy(demo.environment.alertmanagerUrls![0]!);
		const environment = {...demo.environment, name: 'faulty', prometheusUrl: prom.url, alertmanagerUrls: [am.url]};
		const faulty = createDashboardRuntime({config: configSchema.parse({environments: {}}), environment, refreshMs: 500, readOnly: false, color: false, ascii: true, initialScreen: 'metrics'});
		void faulty.connect();
		const other = renderTui(<DashboardRoot runtime={faulty} />, {columns: 80, rows: 24});
		try {
			await other.waitFor(/prometheus.*500/);
			await other.press('6');
			await other.waitFor(/alertmanager.*500/);
			broken = false;
			await other.waitFor(/warning\s+HighLatencyP95 python-ai/, 15_000);
			await other.press('7');
			await other.waitFor(/python-ai-service\s+[\d.]+/, 15_000);
		} finally {
			other.unmount();
			faulty.close();
			await prom.close();
			await am.close();
		}
	});

	it('one Alertmanager of a pair down: the alerts still show, with the peer that failed named', async () => {
		const down = `http://127.0.0.1:${await closedPort()}`;
		const environment = {...demo.environment, name: 'half', alertmanagerUrls: [demo.environment.alertmanagerUrls![0]!, down]};
		const half = createDashboardRuntime({config: configSchema.parse({environments: {}}), environment, refreshMs: 500, readOnly: false, color: false, ascii: true, initialScreen: 'alerts'});
		void half.connect();
		const other = renderTui(<DashboardRoot runtime={half} />, {columns: 80, rows: 24});
		try {
			const frame = await other.waitFor(/warning\s+HighLatencyP95 python-ai/);
			expect(frame).toContain(`! ${down}`);
			expect(half.store.getState().alerts.error).toBeUndefined();
		} finally {
			other.unmount();
			half.close();
		}
	});
});
