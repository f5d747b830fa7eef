import {spawnSync} from 'node:child_process';
import {accessSync, constants} from 'node:fs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';
import {histogramQuantile, latencyBuckets} from '../../source/demo/metrics.js';
import {eventually} from '../helpers/docker.js';

const promtool = process.env['BOTOPS_TEST_PROMTOOL'] ?? '/usr/bin/promtool';
const hasPromtool = (() => {
	try {
		accessSync(promtool, constants.X_OK);
		return true;
	} catch {
		if (process.env['CI'] === 'true' || process.env['CI'] === '1') throw new Error(`the /metrics test needs ${promtool} in CI (Debian package prometheus). Run .ci/run.`);
		process.stderr.write(`[skip] promtool check metrics: ${promtool} missing\n`);
		return false;
	}
})();

describe("the demo services' /metrics", () => {
	let demo: DemoDeployment;
	const url = (service: string) => `${new URL(demo.environment.services.find(s => s.name === service)!.healthUrl!).origin}/metrics`;
	beforeAll(async () => {
		demo = await startDemo({scenario: 'ai-slow'});
	});
	afterAll(() => demo?.stop());

	it.skipIf(!hasPromtool).each(['rust-core-engine', 'python-ai-service', 'nextjs-ui-dashboard'])('%s: promtool check metrics finds no problem', async service => {
		const response = await fetch(url(service));
		expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
		const text = await response.text();
		const check = spawnSync(promtool, ['check', 'metrics'], {input: text, encoding: 'utf8', timeout: 10_000});
		expect({status: check.status, output: `${check.stdout}${check.stderr}`.trim()}).toEqual({status: 0, output: ''});
		for (const name of ['http_requests_total{', 'http_request_duration_seconds_bucket{le="+Inf"}', 'http_request_duration_seconds_count', 'process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds']) expect(text).toContain(name);
	});

	it('the metrics follow the world: ai-slow answers in seconds, the engine in milliseconds', async () => {
		const bucket = (text: string, le: string) => Number(new RegExp(`http_request_duration_seconds_bucket\\{le="${le.replace('+', '\\+')}"\\} (\\d+)`).exec(text)![1]);
		const ai = await (await fetch(url('python-ai-service'))).text();
		const engine = await (await fetch(url('rust-core-engine'))).text();
		expect(bucket(ai, '1')).toBe(0);
		expect(bucket(ai, '+Inf')).toBeGreaterThan(0);
		expect(bucket(engine, '0.05')).toBe(bucket(engine, '+Inf'));
	});

	it('counters never go down between scrapes, and restart from zero with the process', async () => {
		const total = async () => {
			const text = await (await fetch(url('nextjs-ui-dashboard'))).text();
			return [...text.matchAll(/^http_requests_total\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
		};
		const before = await total();
		demo.world.tick(demo.world.now());
		expect(await total()).toBeGreaterThanOrEqual(before);
		const ui = demo.world.get('nextjs-ui-dashboard');
		demo.world.restartContainer(ui);
		// The listener re-opens on the same port just after the restart.
		const text = await eventually(async () => (await fetch(url('nextjs-ui-dashboard'))).text(), {timeoutMs: 5000, what: 'the restarted service answering /metrics'});
		expect(Number(/^process_start_time_seconds (\S+)$/m.exec(text)![1]) * 1000).toBeCloseTo(ui.startedAt!, -1);
		const after = [...text.matchAll(/^http_requests_total\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
		expect(before).toBeGreaterThan(10);
		expect(after).toBeLessThan(before);
	});
});

describe("histogram_quantile as Prometheus interpolates", () => {
	it('interpolates linearly inside the bucket holding the rank, and caps at the highest finite bound', () => {
		const counts = latencyBuckets.map(() => 0).concat(0);
		// 100 observations: 50 at <= 0.1, the rest in (0.1, 0.25].
		const cumulative = [0, 0, 0, 0, 50, 100, 100, 100, 100, 100, 100, 100];
		expect(counts).toHaveLength(cumulative.length);
		expect(histogramQuantile(0.5, cumulative)).toBeCloseTo(0.1);
		expect(histogramQuantile(0.75, cumulative)).toBeCloseTo(0.175);
		expect(histogramQuantile(0.95, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10])).toBe(10);
		expect(histogramQuantile(0.95, cumulative.map(() => 0))).toBeUndefined();
	});
});
