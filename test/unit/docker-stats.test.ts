import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {computeStats, type DockerStatsJson} from '../../source/services/docker-stats.js';

function fixture(name: string): DockerStatsJson {
	return JSON.parse(readFileSync(new URL(`../fixtures/docker-stats/${name}.json`, import.meta.url), 'utf8')) as DockerStatsJson;
}

const now = 1_700_000_000_000;

describe('computeStats on recorded engine output (cgroup v1 host, busy loop)', () => {
	it('computes CPU from the deltas times online CPUs', () => {
		const sample = computeStats(fixture('real-busy'), now);
		// (4018863090 - 3013405410) / (538250000000 - 536250000000) * 2 * 100
		expect(sample.cpuPercent).toBeCloseTo(100.545768, 6);
		expect(sample.at).toBe(Date.parse('2026-11-25T12:33:01.738Z'));
	});

	it('subtracts total_inactive_file (0 here) and divides by the limit', () => {
		const sample = computeStats(fixture('real-busy'), now);
		expect(sample.memUsage).toBe(35_053_568);
		expect(sample.memLimit).toBe(25_276_514_304);
		expect(sample.memPercent).toBeCloseTo((35_053_568 / 25_276_514_304) * 100, 10);
		expect(sample.pids).toBe(1);
	});

	it('gives zero network and block IO for a container without networks or block devices', () => {
		const sample = computeStats(fixture('real-busy'), now);
		expect([sample.netRx, sample.netTx, sample.blockRead, sample.blockWrite]).toEqual([0, 0, 0, 0]);
	});

	it('reads 0 % CPU on the first streamed sample, whose precpu is all zeros', () => {
		const raw = fixture('real-first-sample');
		expect(raw.cpu_stats?.cpu_usage?.total_usage).toBeGreaterThan(0);
		const sample = computeStats(raw, now);
		expect(sample.cpuPercent).toBe(0);
		expect(sample.memUsage).toBe(35_053_568);
	});

	it('gives finite zeros for a stopped container and uses the caller time instead of year 1', () => {
		const sample = computeStats(fixture('real-stopped'), now);
		expect(sample).toEqual({
			at: now,
			cpuPercent: 0,
			memUsage: 0,
			memLimit: 0,
			memPercent: 0,
			netRx: 0,
			netTx: 0,
			blockRead: 0,
			blockWrite: 0,
			pids: 0,
		});
	});
});

describe('computeStats on documented shapes', () => {
	it('cgroup v1: percpu length when online_cpus is absent, total_inactive_file, summed interfaces, Read/Write ops', () => {
		const sample = computeStats(fixture('handmade-cgroup1'), now);
		// (400M - 200M) / (20G - 18G) * 4 CPUs * 100
		expect(sample.cpuPercent).toBeCloseTo(40, 10);
		// 100 MiB - 20 MiB total_inactive_file (not the 1 MiB inactive_file of the container's own cgroup)
		expect(sample.memUsage).toBe(83_886_080);
		expect(sample.memPercent).toBeCloseTo(7.8125, 10);
		expect(sample.netRx).toBe(1500);
		expect(sample.netTx).toBe(2250);
		// Read 4096 + 1024; Write 8192 + 0; Sync, Async, Discard and Total are not counted
		expect(sample.blockRead).toBe(5120);
		expect(sample.blockWrite).toBe(8192);
		expect(sample.pids).toBe(7);
		expect(sample.at).toBe(Date.parse('2025-10-11T09:00:01.123Z'));
	});

	it('cgroup v2: online_cpus, inactive_file, lowercase ops', () => {
		const sample = computeStats(fixture('handmade-cgroup2'), now);
		// (5.5G - 5G) / (1002G - 1000G) * 2 * 100
		expect(sample.cpuPercent).toBeCloseTo(50, 10);
		expect(sample.memUsage).toBe(41_943_040);
		expect(sample.memLimit).toBe(209_715_200);
		expect(sample.memPercent).toBeCloseTo(20, 10);
		expect(sample.netRx).toBe(123_456);
		expect(sample.netTx).toBe(654_321);
		expect(sample.blockRead).toBe(2148);
		expect(sample.blockWrite).toBe(4146);
		expect(sample.pids).toBe(12);
	});
});

describe('computeStats edge cases', () => {
	it('falls back to inactive_file when total_inactive_file is not below usage', () => {
		const sample = computeStats({memory_stats: {usage: 1000, limit: 4000, stats: {total_inactive_file: 1000, inactive_file: 200}}}, now);
		expect(sample.memUsage).toBe(800);
		expect(sample.memPercent).toBe(20);
	});

	it('keeps usage when the cache is not below it', () => {
		expect(computeStats({memory_stats: {usage: 1000, limit: 2000, stats: {inactive_file: 5000}}}, now).memUsage).toBe(1000);
		expect(computeStats({memory_stats: {usage: 1000, limit: 2000}}, now).memUsage).toBe(1000);
	});

	it('measures a one-shot sample (empty precpu) against the caller\'s previous reading, and its own precpu when it has one', () => {
		const oneShot: DockerStatsJson = {cpu_stats: {cpu_usage: {total_usage: 600}, system_cpu_usage: 3000, online_cpus: 2}, precpu_stats: {cpu_usage: {}}};
		expect(computeStats(oneShot, now).cpuPercent).toBe(0);
		// (600 - 100) / (3000 - 1000) x 2 CPUs = 50 %.
		expect(computeStats(oneShot, now, {cpu_usage: {total_usage: 100}, system_cpu_usage: 1000, online_cpus: 2}).cpuPercent).toBe(50);
		const streamed: DockerStatsJson = {...oneShot, precpu_stats: {cpu_usage: {total_usage: 400}, system_cpu_usage: 2000, online_cpus: 2}};
		expect(computeStats(streamed, now, {cpu_usage: {total_usage: 100}, system_cpu_usage: 1000, online_cpus: 2}).cpuPercent).toBe(40);
	});

	it('reads 0 % when the container used no CPU or the system counter went backwards', () => {
		const idle = computeStats(
			{
				cpu_stats: {cpu_usage: {total_usage: 100}, system_cpu_usage: 2000, online_cpus: 2},
				precpu_stats: {cpu_usage: {total_usage: 100}, system_cpu_usage: 1000, online_cpus: 2},
			},
			now,
		);
		expect(idle.cpuPercent).toBe(0);
		const backwards = computeStats(
			{
				cpu_stats: {cpu_usage: {total_usage: 200}, system_cpu_usage: 500, online_cpus: 2},
				precpu_stats: {cpu_usage: {total_usage: 100}, system_cpu_usage: 1000, online_cpus: 2},
			},
			now,
		);
		expect(backwards.cpuPercent).toBe(0);
	});

	it('never yields NaN from an empty object or null lists', () => {
		const sample = computeStats({blkio_stats: {io_service_bytes_recursive: null}, networks: {}}, now);
		for (const value of Object.values(sample)) expect(Number.isFinite(value)).toBe(true);
		expect(sample.at).toBe(now);
		expect(sample.cpuPercent).toBe(0);
	});
});
