import {describe, expect, it} from 'vitest';
import {World} from '../../source/demo/world.js';
import {probeText} from '../../source/screens/services/columns.js';
import type {HealthResult} from '../../source/services/types.js';
import {selectServiceRows} from '../../source/store/selectors.js';
import {healthUpdate, type HealthSlice} from '../../source/store/slices/health.js';
import {configSchema, type EnvironmentConfig} from '../../source/config/schema.js';
import {emptyResource, freshResource} from '../../source/store/resource.js';

const targetMs = 500;
const timeoutMs = 3000;
const url = 'http://127.0.0.1:8000/health';

const answer = (latencyMs: number, at: number): HealthResult => ({service: 'ai', url, ok: true, status: 200, latencyMs, at});
const timeout = (at: number): HealthResult => ({service: 'ai', url, ok: false, timedOut: true, latencyMs: timeoutMs, error: `timeout after ${timeoutMs} ms`, at});
const refused = (at: number): HealthResult => ({service: 'ai', url, ok: false, latencyMs: 1, error: 'connect ECONNREFUSED 127.0.0.1:8000', at});
const http503 = (at: number): HealthResult => ({service: 'ai', url, ok: false, status: 503, latencyMs: 4, error: 'HTTP 503', at});

/** Folds results through the slice, returning the probe state after each. */
function states(results: HealthResult[]) {
	let state: Pick<HealthSlice, 'health'> = {health: {}};
	return results.map(result => {
		state = healthUpdate(state, result, result.at, targetMs);
		return {state, probe: state.health['ai']!.data!.state};
	});
}

const environment: EnvironmentConfig = {
	...configSchema.parse({environments: {t: {backend: {type: 'compose', project: 'p'}, services: [{name: 'ai', container: 'ai', healthUrl: url}]}}}).environments.t!,
	name: 't',
};
const running = [{id: 'id-ai', name: 'ai', service: 'ai', project: 'p', image: 'i', state: 'running' as const, status: 'Up', health: 'none' as const, createdAt: 0}];

describe('service health state', () => {
	it("reads the demo's ai-slow scenario as steadily slow, not flapping between ok and timeout on every probe", () => {
		// The demo's own latency for python-ai-service under ai-slow; over the 3 s timeout the prober gives up.
		const world = new World({scenario: 'ai-slow', seed: 11, clock: () => 0});
		const results = Array.from({length: 300}, (_, i) => {
			const latency = world.httpLatencyMs('python-ai-service');
			return latency > timeoutMs ? timeout(i * 2000) : answer(latency, i * 2000);
		});
		expect(results.filter(r => !r.ok).length).toBeGreaterThan(60);
		const folded = states(results);
		const probes = folded.map(f => f.probe);
		expect(probes).not.toContain('ok');
		const rows = folded.map(f => selectServiceRows({containers: freshResource(running, 1), details: {}, health: f.state.health}, environment, 1, targetMs)[0]!);
		expect(rows.every(r => !r.ok && r.state !== 'ok')).toBe(true);
		// What the row says does not change from probe to probe: "degraded", answered or timed out.
		const texts = rows.map(probeText);
		expect(new Set(texts)).toEqual(new Set(['degraded']));
		expect(rows.at(-1)!.problems[0]).toMatch(/^p95 \d+ ms > 500 ms$/);
	});

	it('calls a refused connection or an HTTP 5xx down at once, and needs two answers in a row to leave down', () => {
		expect(states([answer(20, 0), refused(1)]).map(s => s.probe)).toEqual(['ok', 'down']);
		expect(states([answer(20, 0), http503(1), answer(20, 2), refused(3), answer(20, 4), answer(20, 5)]).map(s => s.probe)).toEqual(['ok', 'down', 'down', 'down', 'down', 'ok']);
	});

	it('treats one timeout as slow and three in a row as down', () => {
		const fast = Array.from({length: 30}, (_, i) => answer(20, i));
		const probes = states([...fast, timeout(30), answer(20, 31), timeout(32), timeout(33), timeout(34)]).map(s => s.probe).slice(30);
		expect(probes).toEqual(['slow', 'ok', 'slow', 'slow', 'down']);
	});

	it('calls a slow service that stops answering down once most recent probes time out', () => {
		const slow = Array.from({length: 20}, (_, i) => (i % 3 === 0 ? timeout(i) : answer(1800, i)));
		const hung = Array.from({length: 20}, (_, i) => timeout(20 + i));
		const probes = states([...slow, ...hung]).map(s => s.probe);
		expect(probes.slice(0, 20)).not.toContain('down');
		const firstDown = probes.indexOf('down');
		expect(firstDown).toBeGreaterThan(20);
		expect(probes.slice(firstDown).every(p => p === 'down')).toBe(true);
	});

	it('does not call a service slow for one slow first probe (connecting, warming up)', () => {
		expect(states([answer(546, 0), answer(20, 1), answer(25, 2), answer(18, 3)]).map(s => s.probe)).toEqual(['slow', 'ok', 'ok', 'ok']);
	});

	it('is degraded while the p95 of the recent probes is over target, and ok again once it is not', () => {
		const slow = Array.from({length: 10}, (_, i) => answer(900, i));
		const fast = Array.from({length: 60}, (_, i) => answer(20, 10 + i));
		const folded = states([...slow, ...fast]);
		expect(folded[9]!.probe).toBe('slow');
		const rows = (i: number) => selectServiceRows({containers: freshResource(running, 1), details: {}, health: folded[i]!.state.health}, environment, 1, targetMs)[0]!;
		expect(rows(9)).toMatchObject({state: 'degraded', ok: false, problems: ['p95 900 ms > 500 ms']});
		// Slow probes leave the 60-probe window one by one: degraded until fewer than 5 % of them are slow.
		const firstOk = folded.findIndex((f, i) => i >= 10 && f.probe === 'ok');
		expect(folded[firstOk]!.state.health['ai']!.data!.latencies.filter(l => l > targetMs).length).toBeLessThanOrEqual(3);
		expect(folded.slice(firstOk).every(f => f.probe === 'ok')).toBe(true);
		expect(rows(folded.length - 1)).toMatchObject({state: 'ok', ok: true, problems: []});
	});

	it('says "not probed yet" and unknown before the first probe', () => {
		const row = selectServiceRows({containers: freshResource(running, 1), details: {}, health: {ai: emptyResource(undefined)}}, environment, 1, targetMs)[0]!;
		expect(row).toMatchObject({state: 'unknown', ok: false, problems: ['health not probed yet']});
	});
});
