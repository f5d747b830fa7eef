import type {StatsSample} from './types.js';

/**
 * The subset of the Engine API's stats JSON (`GET /containers/{id}/stats`) that `docker stats` reads. Every field is
 * optional: a stopped container answers with empty objects, a cgroup v1 host and a cgroup v2 host fill different keys.
 */
export type DockerStatsJson = {
	read?: string;
	preread?: string;
	pids_stats?: {current?: number; limit?: number};
	blkio_stats?: {io_service_bytes_recursive?: Array<{major?: number; minor?: number; op?: string; value?: number}> | null};
	cpu_stats?: CpuStatsJson;
	precpu_stats?: CpuStatsJson;
	memory_stats?: {usage?: number; max_usage?: number; limit?: number; stats?: Record<string, number>};
	networks?: Record<string, {rx_bytes?: number; tx_bytes?: number}>;
	name?: string;
	id?: string;
};

export type CpuStatsJson = {
	cpu_usage?: {total_usage?: number; percpu_usage?: number[] | null};
	system_cpu_usage?: number;
	online_cpus?: number;
};

/**
 * One sample, with the docker CLI's arithmetic (cli/command/container/stats_helpers.go), so botops and
 * `docker stats` show the same figures. `now` stands in for the daemon's time when it sent none (stopped container).
 */
export function computeStats(raw: DockerStatsJson, now: number = Date.now(), previousCpu?: CpuStatsJson): StatsSample {
	const memLimit = finite(raw.memory_stats?.limit);
	const memUsage = memUsageNoCache(raw.memory_stats);
	const {rx, tx} = networkBytes(raw.networks);
	const {read, write} = blockIo(raw.blkio_stats?.io_service_bytes_recursive);
	return {
		at: sampleTime(raw.read, now),
		// A one-shot sample has no precpu of its own: the interval is from the caller's previous sample.
		cpuPercent: cpuPercentUnix(finite(raw.precpu_stats?.system_cpu_usage) > 0 ? raw.precpu_stats : previousCpu, raw.cpu_stats),
		memUsage,
		memLimit,
		memPercent: memLimit > 0 ? (memUsage / memLimit) * 100 : 0,
		netRx: rx,
		netTx: tx,
		blockRead: read,
		blockWrite: write,
		pids: finite(raw.pids_stats?.current),
	};
}

export function cpuPercentUnix(previous: CpuStatsJson | undefined, current: CpuStatsJson | undefined): number {
	// The first streamed sample has an all-zero precpu: the delta would be "usage since boot over host time since
	// boot", a meaningless figure, so it reads 0 until a real interval exists.
	if (!(finite(previous?.system_cpu_usage) > 0)) return 0;
	const cpuDelta = finite(current?.cpu_usage?.total_usage) - finite(previous?.cpu_usage?.total_usage);
	const systemDelta = finite(current?.system_cpu_usage) - finite(previous?.system_cpu_usage);
	let onlineCpus = finite(current?.online_cpus);
	if (onlineCpus === 0) onlineCpus = current?.cpu_usage?.percpu_usage?.length ?? 0;
	if (systemDelta > 0 && cpuDelta > 0) return (cpuDelta / systemDelta) * onlineCpus * 100;
	return 0;
}

/** Usage minus the inactive page cache, as cadvisor, containerd and the docker CLI (>= 19.03) count it. */
export function memUsageNoCache(memory: DockerStatsJson['memory_stats']): number {
	const usage = finite(memory?.usage);
	const stats = memory?.stats ?? {};
	const v1 = stats['total_inactive_file'];
	if (v1 !== undefined && finite(v1) < usage) return usage - finite(v1);
	const v2 = finite(stats['inactive_file']);
	if (v2 < usage) return usage - v2;
	return usage;
}

export function networkBytes(networks: DockerStatsJson['networks']): {rx: number; tx: number} {
	let rx = 0;
	let tx = 0;
	for (const iface of Object.values(networks ?? {})) {
		rx += finite(iface?.rx_bytes);
		tx += finite(iface?.tx_bytes);
	}
	return {rx, tx};
}

/** Like the CLI, the op's first letter decides: "Read"/"read" and "Write"/"write"; Sync, Async, Total are skipped. */
export function blockIo(entries: NonNullable<DockerStatsJson['blkio_stats']>['io_service_bytes_recursive']): {read: number; write: number} {
	let read = 0;
	let write = 0;
	for (const entry of entries ?? []) {
		const first = entry?.op?.[0];
		if (first === 'r' || first === 'R') read += finite(entry.value);
		else if (first === 'w' || first === 'W') write += finite(entry.value);
	}
	return {read, write};
}

function sampleTime(read: string | undefined, now: number): number {
	const at = read ? Date.parse(read) : Number.NaN;
	// A stopped container reports Go's zero time (year 1), which is not a sample time.
	return Number.isFinite(at) && at > 0 ? at : now;
}

function finite(value: unknown): number {
	return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
