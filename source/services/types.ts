/** Domain types shared by services, store and views. Services return these; nothing here does I/O. */

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
export type ContainerHealth = 'healthy' | 'unhealthy' | 'starting' | 'none';

export type ContainerSummary = {
	id: string;
	name: string;
	/** com.docker.compose.service, or the name when the label is absent. */
	service: string;
	/** com.docker.compose.project */
	project?: string;
	image: string;
	state: ContainerState;
	/** Docker's own status text, e.g. "Up 3 minutes (healthy)". */
	status: string;
	health: ContainerHealth;
	/** Epoch ms. */
	createdAt: number;
};

export type ContainerDetail = ContainerSummary & {
	/** Epoch ms; undefined when never started. */
	startedAt?: number;
	finishedAt?: number;
	restartCount: number;
	exitCode?: number;
	oomKilled: boolean;
	command: string[];
	ports: string[];
	/** Environment variable names only: values may be secrets. */
	envNames: string[];
	mounts: string[];
	networks: string[];
	labels: Record<string, string>;
	restartPolicy?: string;
	healthLog: Array<{start: number; exitCode: number; output: string}>;
	/** The node a pod runs on (Kubernetes). */
	node?: string;
	/** The last time the instance (a pod's container) terminated, and why: "OOMKilled", "Error", with its exit code. */
	lastTermination?: {reason: string; exitCode: number; at?: number};
};

/** One stats sample, computed as `docker stats` computes it. */
export type StatsSample = {
	/** Epoch ms of the sample (the daemon's `read` time). */
	at: number;
	cpuPercent: number;
	memUsage: number;
	memLimit: number;
	memPercent: number;
	netRx: number;
	netTx: number;
	blockRead: number;
	blockWrite: number;
	pids: number;
};

export type ExecResult = {exitCode: number; stdout: string; stderr: string};

export type Unsubscribe = () => void;

/** What botops needs from a Docker engine (real, or the demo's). */
export interface DockerService {
	/** Containers of the configured compose project (all states). */
	listContainers(): Promise<ContainerSummary[]>;
	inspect(idOrName: string): Promise<ContainerDetail>;
	restart(idOrName: string, timeoutSeconds?: number): Promise<void>;
	stop(idOrName: string, timeoutSeconds?: number): Promise<void>;
	start(idOrName: string): Promise<void>;
	exec(idOrName: string, argv: string[]): Promise<ExecResult>;
	/** One streamed stats connection; calls onSample about once a second until unsubscribed or the container stops. */
	streamStats(id: string, onSample: (sample: StatsSample) => void, onEnd: (error?: Error) => void): Unsubscribe;
	/**
	 * One sample now (one-shot: the engine reads the cgroup once and answers at once). Its CPU % is measured since this
	 * service's previous sample of the container; a container with none yet is read over the engine's own second.
	 */
	sampleStats(id: string, signal?: AbortSignal): Promise<StatsSample>;
	/**
	 * Container logs, demultiplexed (stdout/stderr frames) and split into lines. With follow, stays open until
	 * unsubscribed or the container stops (onEnd then); `since` is epoch seconds, `tail` a line count.
	 * When onLines returns a promise, no more lines are read until it settles (backpressure).
	 */
	streamLogs(id: string, options: LogStreamOptions, onLines: (lines: RawLogLine[]) => unknown, onEnd: (error?: Error) => void): Unsubscribe;
	/** Closes connections. */
	close(): void;
}

export type LogStreamOptions = {follow: boolean; since?: number; tail?: number; timestamps: boolean; /** The container's previous run (a crashed one's last words); Kubernetes keeps it, Docker does not. */ previous?: boolean};

export type RawLogLine = {
	stream: 'stdout' | 'stderr';
	/** Epoch ms from Docker's RFC3339Nano timestamp prefix, when timestamps were requested. */
	time?: number;
	/** The line without its timestamp prefix or trailing newline; may contain any bytes decoded as UTF-8. */
	text: string;
	/** Bytes dropped from an over-long line (the first 16 KiB are kept). */
	cut?: number;
};

export type HealthResult = {
	service: string;
	url: string;
	ok: boolean;
	/** HTTP status, when a response arrived. */
	status?: number;
	latencyMs: number;
	/** "timeout after 3000 ms", "connect ECONNREFUSED 127.0.0.1:8080", "HTTP 503", "malformed JSON: …" */
	error?: string;
	/** No answer within the timeout: the service may be slow rather than down (see store/slices/health.ts). */
	timedOut?: boolean;
	/** Top-level fields of a JSON body, when it had one. */
	body?: Record<string, unknown>;
	at: number;
};

export interface HealthProber {
	probe(service: string, url: string): Promise<HealthResult>;
}
