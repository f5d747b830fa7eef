import {LogPipeline} from '../logs/pipeline.js';
import type {LogRecord} from '../logs/record.js';
import {backoffMs} from '../util/backoff.js';
import {type ContainerLogContext, ContainerLogStream} from './container-log-stream.js';
import {describeError} from './errors.js';
import {framed} from './log-markers.js';
import type {InstanceLogClient} from './platform.js';
import type {ContainerSummary, DockerService, RawLogLine, Unsubscribe} from './types.js';

export type LogSubscribeOptions = {
	/** Epoch ms: only lines from then on. */
	since?: number;
	/** Last N lines of each stream (container, pod) to start with. */
	tail?: number;
	follow: boolean;
	/** Each instance's previous run (a crashed container's log before its restart), where the platform keeps it. */
	previous?: boolean;
};

export type LogStreamState = 'connecting' | 'streaming' | 'waiting' | 'reconnecting' | 'ended' | 'error';

/** Per service; `service` is "*" with state "ended" once every stream of a subscription without follow has ended. */
export type LogSourceStatus = {
	service: string;
	state: LogStreamState;
	/** One line for the status bar: "docker: connect ENOENT /var/run/docker.sock", "no container for service x". */
	message?: string;
	/** Epoch ms of the next attempt, for "reconnecting in 4 s". */
	retryAt?: number;
	at: number;
};

/**
 * Where log lines come from. Records arrive merged across services and ordered by time, in batches (one
 * callback per chunk or flush, never per line). Docker today; Kubernetes pod logs implement the same.
 * When onRecords returns a promise (a slow writer), the next batch waits until it settles, and the source
 * stops reading meanwhile.
 */
export interface LogSource {
	subscribe(
		services: readonly string[],
		options: LogSubscribeOptions,
		onRecords: (batch: LogRecord[]) => unknown,
		onStatus: (status: LogSourceStatus) => void,
	): Unsubscribe;
}

export type InstanceLogSourceOptions = {
	/** The platform's instances and their log streams (Docker containers, Kubernetes pods). */
	client: InstanceLogClient;
	/**
	 * In follow mode, keep looking for new instances of services already followed (a rollout or scale-up adds
	 * pods); without it only a gone instance's successor is looked for.
	 */
	discoverNew?: boolean;
	/** The name records carry as `instance` for a stream (a pod's name); without it records carry none. */
	instanceOf?: (id: string) => string | undefined;
	/** Whether the platform keeps an instance's previous run's log; when not, why (a subscription asking for it fails with that). */
	previousLogs?: {ok: true} | {ok: false; reason: string};
	/** Reconnect delays: doubled per failed attempt, capped (default 500 ms … 30 s). */
	backoff?: {initialMs: number; maxMs: number};
	/** How long live lines wait for late lines of other services (default 250 ms). */
	holdMs?: number;
	/** How often held lines are released in follow mode (default 100 ms). */
	flushEveryMs?: number;
	now?: () => number;
};

/** A missing service's containers are looked for again at most this often. */
const discoverEveryMs = 5000;
/** With discoverNew, how often new instances of followed services are looked for. */
const discoverNewEveryMs = 2000;

export type DockerLogSourceOptions = Omit<InstanceLogSourceOptions, 'client'> & {docker: DockerService};

export const dockerKeepsNoPreviousLog =
	"--previous: Docker keeps no previous container log (a restarted container's earlier runs are in its one log: use --since or --tail; a re-created container's log went with it)";

/**
 * Docker container logs. Each compose service maps to its containers by the compose service label; each
 * container is a ContainerLogStream, which reconnects on its own in follow mode.
 */
export function createDockerLogSource(options: DockerLogSourceOptions): LogSource {
	return createInstanceLogSource({...options, client: options.docker, previousLogs: {ok: false, reason: dockerKeepsNoPreviousLog}});
}

/**
 * Any platform's instance logs (containers, pods), merged across a service's instances and ordered by time; each
 * instance is a ContainerLogStream, which reconnects on its own in follow mode.
 */
export function createInstanceLogSource(options: InstanceLogSourceOptions): LogSource {
	return {
		subscribe(services, subscribeOptions, onRecords, onStatus) {
			const subscription = new DockerLogSubscription(options, services, subscribeOptions, onRecords, onStatus);
			subscription.start();
			return () => subscription.close();
		},
	};
}

/** One subscribe(): finds the services' containers, follows each, and merges their lines into one delivery. */
class DockerLogSubscription implements ContainerLogContext {
	readonly docker: InstanceLogClient;
	private readonly discoverNew: boolean;
	private readonly instanceOf: ((id: string) => string | undefined) | undefined;
	private readonly previousLogs: InstanceLogSourceOptions['previousLogs'];
	readonly previous: boolean;
	readonly follow: boolean;
	readonly since: number | undefined;
	readonly tail: number | undefined;
	readonly backoff: {initialMs: number; maxMs: number};
	readonly now: () => number;
	private readonly pipeline: LogPipeline;
	private readonly delivery: Delivery;
	private readonly streams = new Map<string, ContainerLogStream>();
	private readonly waitingServices: Set<string>;
	private flusher: NodeJS.Timeout | undefined;
	private isClosed = false;
	private done = false;

	constructor(
		options: InstanceLogSourceOptions,
		private readonly services: readonly string[],
		subscribeOptions: LogSubscribeOptions,
		onRecords: (batch: LogRecord[]) => unknown,
		private readonly onStatus: (status: LogSourceStatus) => void,
	) {
		this.docker = options.client;
		this.discoverNew = options.discoverNew === true;
		this.instanceOf = options.instanceOf;
		this.previousLogs = options.previousLogs;
		this.previous = subscribeOptions.previous === true;
		this.follow = subscribeOptions.follow;
		this.since = subscribeOptions.since;
		this.tail = subscribeOptions.tail;
		this.backoff = options.backoff ?? {initialMs: 500, maxMs: 30_000};
		this.now = options.now ?? Date.now;
		this.pipeline = new LogPipeline({follow: this.follow, holdMs: options.holdMs, since: this.since});
		this.delivery = new Delivery(this.pipeline, onRecords, this.now, () => this.isClosed);
		this.waitingServices = new Set(services);
		if (this.follow) {
			this.flusher = setInterval(() => void this.delivery.flush(), options.flushEveryMs ?? 100);
			this.flusher.unref();
		}
	}

	start(): void {
		const previous = this.previousLogs ?? {ok: false, reason: '--previous: this platform keeps no previous container log'};
		if (this.previous && !previous.ok) {
			// Nothing is read: the one error says why, for every service asked for.
			this.waitingServices.clear();
			this.done = true;
			later(() => this.status('*', 'error', previous.reason), 0);
			return;
		}
		void this.discover(0);
	}

	close(): void {
		if (this.isClosed) return;
		this.isClosed = true;
		if (this.flusher) clearInterval(this.flusher);
		for (const stream of this.streams.values()) stream.close();
	}

	closed(): boolean {
		return this.isClosed;
	}

	status(service: string, state: LogStreamState, message?: string, retryAt?: number): void {
		if (!this.isClosed) this.onStatus({service, state, message, retryAt, at: this.now()});
	}

	opening(stream: ContainerLogStream): void {
		this.pipeline.open(stream.id, this.now());
	}

	lines(stream: ContainerLogStream, lines: RawLogLine[]): unknown {
		const kept = stream.lastSeen.accept(lines, this.now());
		if (kept.length > 0) this.pipeline.ingest(stream.id, stream.service, kept, this.now(), this.instanceOf?.(stream.id));
		// In follow mode the flusher releases lines once they are old enough; a busy reader still holds the stream.
		return this.follow ? this.delivery.busy : this.delivery.flush();
	}

	marker(stream: ContainerLogStream, text: string, time = this.now()): void {
		this.pipeline.marker(stream.id, stream.service, framed(text), time).instance = this.instanceOf?.(stream.id);
		void this.delivery.flush();
	}

	ended(stream: ContainerLogStream): void {
		this.pipeline.end(stream.id);
		void this.delivery.flush();
		this.checkDone();
	}

	async successor(stream: ContainerLogStream): Promise<ContainerSummary | undefined> {
		let containers: ContainerSummary[] = [];
		try {
			containers = await this.docker.listContainers();
		} catch {
			// Listing failing too means the engine is going away: the stream keeps retrying as for a lost one.
		}
		return containers.find(c => c.service === stream.service && c.id !== stream.id && !this.streams.has(c.id));
	}

	replace(stream: ContainerLogStream, successor: ContainerSummary): void {
		this.streams.delete(stream.id);
		this.pipeline.end(stream.id);
		const next = this.add(stream.service, successor.id);
		next.lastSeen.continueFrom(stream.lastSeen);
		void next.begin(false);
	}

	private add(service: string, id: string): ContainerLogStream {
		const stream = new ContainerLogStream(service, id, this);
		this.streams.set(id, stream);
		this.pipeline.open(id, this.now());
		return stream;
	}

	/** Without follow: once every service is found (or known missing) and every stream has ended, the rest is released. */
	private checkDone(): void {
		if (this.follow || this.done || this.isClosed || this.waitingServices.size > 0) return;
		for (const stream of this.streams.values()) if (!stream.ended) return;
		this.done = true;
		this.delivery.flushAll(() => this.status('*', 'ended'));
	}

	/** Finds the containers of the services still waiting for one; in follow mode keeps looking for missing ones. */
	private async discover(failures: number): Promise<void> {
		let containers: ContainerSummary[];
		try {
			containers = await this.docker.listContainers();
		} catch (error) {
			if (this.isClosed) return;
			this.listingFailed(describeError(error, 'docker'), failures);
			return;
		}
		if (this.isClosed) return;
		const missing: string[] = [];
		for (const service of [...this.waitingServices]) {
			const matching = containers.filter(c => c.service === service);
			if (matching.length === 0) {
				missing.push(service);
				continue;
			}
			this.waitingServices.delete(service);
			for (const container of matching) if (!this.streams.has(container.id)) void this.add(service, container.id).begin(true);
		}
		for (const service of missing) this.status(service, this.follow ? 'waiting' : 'error', `no container for service ${service}`);
		if (!this.follow) {
			this.waitingServices.clear();
			this.checkDone();
		} else if (missing.length > 0) {
			later(() => void this.discover(failures + 1), backoffMs(failures + 1, this.backoff.initialMs, discoverEveryMs));
		} else if (this.discoverNew) {
			later(() => void this.discoverAdded(), discoverNewEveryMs);
		}
	}

	/** Follow mode with discoverNew: instances that appeared since (a rollout's or scale-up's pods) join the merge. */
	private async discoverAdded(): Promise<void> {
		if (this.isClosed) return;
		try {
			const instances = await this.docker.listContainers();
			if (this.isClosed) return;
			const wanted = new Set(this.services);
			for (const instance of instances) {
				if (!wanted.has(instance.service) || this.streams.has(instance.id) || instance.state === 'removing') continue;
				void this.add(instance.service, instance.id).begin(false);
			}
		} catch {
			// The streams report a platform that went away; looking again later is all this needs.
		}
		later(() => void this.discoverAdded(), discoverNewEveryMs);
	}

	/** The engine did not answer the listing: without follow that ends the subscription, with follow it is retried. */
	private listingFailed(message: string, failures: number): void {
		if (!this.follow) {
			for (const service of this.services) this.status(service, 'error', message);
			this.waitingServices.clear();
			this.done = true;
			this.status('*', 'error', message);
			return;
		}
		const ms = backoffMs(failures + 1, this.backoff.initialMs, this.backoff.maxMs);
		for (const service of this.services) this.status(service, 'reconnecting', message, this.now() + ms);
		later(() => void this.discover(failures + 1), ms);
	}
}

function later(work: () => void, ms: number): void {
	setTimeout(work, ms).unref();
}

/**
 * Hands released records to the subscriber, one batch at a time: while it digests one (its promise is
 * pending), later records wait in the pipeline and the streams wait for `busy`, so a slow writer
 * (`botops logs | less`) holds the engine back instead of queueing every line in memory.
 */
class Delivery {
	busy: Promise<void> | undefined;
	private all = false;
	private afterAll: (() => void) | undefined;

	constructor(
		private readonly pipeline: LogPipeline,
		private readonly onRecords: (batch: LogRecord[]) => unknown,
		private readonly now: () => number,
		private readonly closed: () => boolean,
	) {}

	/** Delivers what the pipeline releases now; returns `busy` while the subscriber is still digesting. */
	flush(): Promise<void> | undefined {
		if (this.busy || this.closed()) return this.busy;
		const records = this.pipeline.flush(this.now(), this.all);
		if (records.length > 0) {
			const pending = this.onRecords(records);
			if (pending instanceof Promise) {
				const settled = () => {
					this.busy = undefined;
					void this.flush();
				};
				this.busy = pending.then(settled, settled);
				return this.busy;
			}
		}
		if (this.afterAll) {
			const done = this.afterAll;
			this.afterAll = undefined;
			done();
		}
		return undefined;
	}

	/** Releases everything still held, then calls `done` (a subscription without follow has ended). */
	flushAll(done: () => void): void {
		this.all = true;
		this.afterAll = done;
		void this.flush();
	}
}
