/** One simulated container: Docker's view of its lifecycle plus its resource counters and log ring. */
import type {ContainerSpec} from './catalog.js';
import {hostMemTotal} from './catalog.js';
import {LogRing, type LogEntry} from './log-ring.js';
import type {Prng} from './prng.js';

export type SimStatus = 'created' | 'running' | 'restarting' | 'exited';
export type HealthStatus = 'starting' | 'healthy' | 'unhealthy';
export type HealthLogEntry = {start: number; end: number; exitCode: number; output: string};

export type SimHealth = {status: HealthStatus; failingStreak: number; log: HealthLogEntry[]; nextCheckAt: number};

/** Cumulative counters as the cgroup reports them; they only grow while the container runs. */
export type Counters = {
	cpuTotalNs: number;
	cpuKernelNs: number;
	cpuUserNs: number;
	throttledPeriods: number;
	periods: number;
	rxBytes: number;
	txBytes: number;
	rxPackets: number;
	txPackets: number;
	blkRead: number;
	blkWrite: number;
};

/** Per-second rates by program, so the numbers look like the program (bytes/s). */
const ioProfiles: Record<string, {rx: number; tx: number; read: number; write: number}> = {
	engine: {rx: 48_000, tx: 14_000, read: 200, write: 9_000},
	ai: {rx: 7_000, tx: 5_000, read: 1_500, write: 2_000},
	nextjs: {rx: 3_000, tx: 9_000, read: 100, write: 300},
	mongo: {rx: 26_000, tx: 31_000, read: 40_000, write: 210_000},
	redis: {rx: 2_500, tx: 2_200, read: 0, write: 4_000},
	prometheus: {rx: 12_000, tx: 1_500, read: 5_000, write: 64_000},
	grafana: {rx: 1_200, tx: 3_800, read: 300, write: 700},
	worker: {rx: 600, tx: 400, read: 0, write: 100},
};

export const healthLogLength = 5;

export class SimContainer {
	status: SimStatus = 'created';
	startedAt?: number;
	finishedAt?: number;
	exitCode = 0;
	restartCount = 0;
	pid = 0;
	oomKilled = false;
	health?: SimHealth;
	/** Docker's restart-manager backoff, ms (0 = next restart uses the initial 100 ms). */
	restartBackoffMs = 0;
	restartAt?: number;
	/** Scheduled exit (crash-loop drill). */
	crashAt?: number;
	/** Log lines already generated for the future (a program's start-up takes a while); released by the tick. */
	pending: LogEntry[] = [];

	readonly counters: Counters = {cpuTotalNs: 0, cpuKernelNs: 0, cpuUserNs: 0, throttledPeriods: 0, periods: 0, rxBytes: 0, txBytes: 0, rxPackets: 0, txPackets: 0, blkRead: 0, blkWrite: 0};
	/** Current CPU use as a fraction of one core; wanders on each tick. */
	cpuRate: number;
	/** Anonymous memory and page cache, bytes. */
	memAnon: number;
	memFile: number;
	pids: number;
	private integratedAt = 0;
	private readonly io: {rx: number; tx: number; read: number; write: number};

	constructor(
		readonly id: string,
		readonly spec: ContainerSpec,
		readonly createdAt: number,
		readonly ipAddress: string,
		readonly macAddress: string,
		readonly endpointId: string,
		readonly logs: LogRing,
		rng: Prng,
	) {
		this.cpuRate = spec.cpuPercent / 100;
		this.memAnon = spec.memoryBaseline * rng.range(0.9, 0.98);
		this.memFile = spec.memoryBaseline * rng.range(0.06, 0.14);
		this.pids = spec.pids;
		this.io = ioProfiles[spec.logKind];
	}

	get name(): string {
		return this.spec.name;
	}

	get service(): string {
		return this.spec.service;
	}

	/** Docker reports Running=true while restarting too; this is "the process exists". */
	get isUp(): boolean {
		return this.status === 'running';
	}

	get memoryLimit(): number {
		return this.spec.memoryLimit || hostMemTotal;
	}

	/** Page cache Docker's CLI subtracts (cgroup v2 inactive_file). */
	get inactiveFile(): number {
		return Math.floor(this.memFile * 0.62);
	}

	get memUsage(): number {
		return Math.floor(this.memAnon + this.memFile);
	}

	/** Brings cumulative counters forward to `now` at the current rates; deterministic, no randomness. */
	integrate(now: number): void {
		if (now <= this.integratedAt) return;
		if (this.status === 'running') {
			const seconds = (now - this.integratedAt) / 1000;
			const cpuNs = this.cpuRate * seconds * 1e9;
			this.counters.cpuTotalNs += Math.round(cpuNs);
			this.counters.cpuUserNs += Math.round(cpuNs * 0.78);
			this.counters.cpuKernelNs += Math.round(cpuNs * 0.22);
			this.counters.periods += Math.round(seconds * 10);
			const rx = this.io.rx * seconds * (0.5 + this.cpuRate / (this.spec.cpuPercent / 100) / 2);
			const tx = this.io.tx * seconds * (0.5 + this.cpuRate / (this.spec.cpuPercent / 100) / 2);
			this.counters.rxBytes += Math.round(rx);
			this.counters.txBytes += Math.round(tx);
			this.counters.rxPackets += Math.round(rx / 610);
			this.counters.txPackets += Math.round(tx / 420);
			this.counters.blkRead += Math.round(this.io.read * seconds);
			this.counters.blkWrite += Math.round(this.io.write * seconds);
		}
		this.integratedAt = now;
	}

	/** Sets the integration origin (at creation, or when counters were computed for a backlog). */
	resetIntegration(now: number): void {
		this.integratedAt = now;
	}

	/** A random walk with mean reversion: CPU and memory move like a live process, not like noise. */
	wander(rng: Prng, dtSeconds: number): void {
		const mean = this.spec.cpuPercent / 100;
		const pull = Math.min(1, 0.3 * dtSeconds);
		let next = this.cpuRate + pull * (mean - this.cpuRate) + mean * 0.25 * Math.sqrt(dtSeconds) * rng.gauss();
		if (rng.chance(0.02 * dtSeconds)) next += mean * rng.range(1, 3);
		this.cpuRate = Math.max(mean * 0.1, Math.min(next, mean * 6, 3.5));
		const baseline = this.spec.memoryBaseline * 0.94;
		this.memAnon += pull * 0.2 * (baseline - this.memAnon) + baseline * 0.004 * Math.sqrt(dtSeconds) * rng.gauss();
		this.memAnon = Math.max(baseline * 0.7, Math.min(this.memAnon, this.memoryLimit * 0.97));
		this.memFile = Math.max(0, this.memFile + this.spec.memoryBaseline * 0.002 * rng.gauss());
		if (rng.chance(0.1 * dtSeconds)) this.pids = Math.max(1, this.spec.pids + rng.int(-2, 3));
	}

	/** Fresh cgroup at start: Docker's counters restart from zero with the new process. */
	resetCounters(rng: Prng): void {
		for (const key of Object.keys(this.counters) as Array<keyof Counters>) this.counters[key] = 0;
		this.memAnon = this.spec.memoryBaseline * rng.range(0.55, 0.75);
		this.memFile = this.spec.memoryBaseline * rng.range(0.02, 0.06);
		this.pids = this.spec.pids;
	}

	/** Seeds counters as if the process had been running for `seconds`. */
	preload(seconds: number): void {
		const cpuNs = (this.spec.cpuPercent / 100) * seconds * 1e9;
		this.counters.cpuTotalNs = Math.round(cpuNs);
		this.counters.cpuUserNs = Math.round(cpuNs * 0.78);
		this.counters.cpuKernelNs = Math.round(cpuNs * 0.22);
		this.counters.periods = Math.round(seconds * 10);
		this.counters.rxBytes = Math.round(this.io.rx * seconds);
		this.counters.txBytes = Math.round(this.io.tx * seconds);
		this.counters.rxPackets = Math.round((this.io.rx * seconds) / 610);
		this.counters.txPackets = Math.round((this.io.tx * seconds) / 420);
		this.counters.blkRead = Math.round(this.io.read * seconds) + 24 * 1024 * 1024;
		this.counters.blkWrite = Math.round(this.io.write * seconds);
	}
}
