import {LogPipeline} from '../logs/pipeline.js';
import type {LogRecord} from '../logs/record.js';
import {backoffMs} from '../util/backoff.js';
import {type ContainerLogContext, ContainerLogStream} from './container-log-stream.js';
import {describeError} from './errors.js';
import {framed} from './log-markers.js';
import type {ContainerSummary, DockerService, Unsubscribe} from './types.js';

export type LogSubscribeOptions = {
	/** Epoch ms: only lines from then on. */
	since?: number;
	/** Last N lines of each stream (container, pod) to start with. */
	tail?: number;
	follow: boolean;
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

export type DockerLogSourceOptions = {
	docker: DockerService;
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

/**
 * Docker container logs. Each compose service maps to its containers by the compose service label; each
 * container is a ContainerLogStream, which reconnects on its own in follow mode.
 */
export function createDockerLogSource(options: DockerLogSourceOptions): LogSource {
	return {
		subscribe(services, subscribeOptions, onRecords, onStatus) {
			return subscribeDocker(options, services, subscribeOptions, onRecords, onStatus);
		},
	};
}

function subscribeDocker(
	options: DockerLogSourceOptions,
	services: readonly string[],
	subscribeOptions: LogSubscribeOptions,
	onRecords: (batch: LogRecord[]) => unknown,
	onStatus: (status: LogSourceStatus) => void,
): Unsubscribe {
	const {docker} = options;
	const {follow} = subscribeOptions;
	const backoff = options.backoff ?? {initialMs: 500, maxMs: 30_000};
	const now = options.now ?? Date.now;
	const pipeline = new LogPipeline({follow, holdMs: options.holdMs, since: subscribeOptions.since});
	const streams = new Map<string, ContainerLogStream>();
	const waitingServices = new Set<string>(services);
	let closed = false;
	let done = false;
	const delivery = new Delivery(pipeline, onRecords, now, () => closed);

	const status = (service: string, state: LogStreamState, message?: string, retryAt?: number) => {
		if (!closed) onStatus({service, state, message, retryAt, at: now()});
	};

	/** Without follow: once every service is found (or known missing) and every stream has ended, the rest is released. */
	const checkDone = () => {
		if (follow || done || closed || waitingServices.size > 0) return;
		for (const stream of streams.values()) if (!stream.ended) return;
		done = true;
		delivery.flushAll(() => status('*', 'ended'));
	};

	const follows = (service: string, id: string) => {
		const stream = new ContainerLogStream(service, id, context);
		streams.set(id, stream);
		pipeline.open(id, now());
		return stream;
	};

	const context: ContainerLogContext = {
		docker,
		follow,
		since: subscribeOptions.since,
		tail: subscribeOptions.tail,
		backoff,
		now,
		closed: () => closed,
		opening: stream => pipeline.open(stream.id, now()),
		lines(stream, lines) {
			const kept = stream.lastSeen.accept(lines, now());
			if (kept.length > 0) pipeline.ingest(stream.id, stream.service, kept, now());
			// In follow mode the flusher releases lines once they are old enough; a busy reader still holds the stream.
			return follow ? delivery.busy : delivery.flush();
		},
		marker(stream, text, time = now()) {
			pipeline.marker(stream.id, stream.service, framed(text), time);
			void delivery.flush();
		},
		status,
		ended(stream) {
			pipeline.end(stream.id);
			void delivery.flush();
			checkDone();
		},
		async successor(stream) {
			let containers: ContainerSummary[] = [];
			try {
				containers = await docker.listContainers();
			} catch {
				// Listing failing too means the engine is going away: the stream keeps retrying as for a lost one.
			}
			return containers.find(c => c.service === stream.service && c.id !== stream.id && !streams.has(c.id));
		},
		replace(stream, successor) {
			streams.delete(stream.id);
			pipeline.end(stream.id);
			const next = follows(stream.service, successor.id);
			next.lastSeen.continueFrom(stream.lastSeen);
			void next.begin(false);
		},
	};

	const flusher = follow ? setInterval(() => void delivery.flush(), options.flushEveryMs ?? 100) : undefined;
	flusher?.unref();

	/** Finds the containers of the services still waiting for one; in follow mode keeps looking for missing ones. */
	const discover = async (failures: number) => {
		let containers: ContainerSummary[];
		try {
			containers = await docker.listContainers();
		} catch (error) {
			if (closed) return;
			const message = describeError(error, 'docker');
			if (!follow) {
				for (const service of services) status(service, 'error', message);
				waitingServices.clear();
				done = true;
				status('*', 'error', message);
				return;
			}
			const ms = backoffMs(failures + 1, backoff.initialMs, backoff.maxMs);
			for (const service of services) status(service, 'reconnecting', message, now() + ms);
			later(() => void discover(failures + 1), ms);
			return;
		}
		if (closed) return;
		const missing: string[] = [];
		for (const service of [...waitingServices]) {
			const matching = containers.filter(c => c.service === service);
			if (matching.length === 0) {
				missing.push(service);
				continue;
			}
			waitingServices.delete(service);
			for (const container of matching) if (!streams.has(container.id)) void follows(service, container.id).begin(true);
		}
		for (const service of missing) status(service, follow ? 'waiting' : 'error', `no container for service ${service}`);
		if (!follow) {
			waitingServices.clear();
			checkDone();
		} else if (missing.length > 0) {
			later(() => void discover(failures + 1), backoffMs(failures + 1, backoff.initialMs, discoverEveryMs));
		}
	};
	void discover(0);

	return () => {
		if (closed) return;
		closed = true;
		if (flusher) clearInterval(flusher);
		for (const stream of streams.values()) stream.close();
	};
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
