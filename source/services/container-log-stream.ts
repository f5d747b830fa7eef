import {backoffMs} from '../util/backoff.js';
import {describeError} from './errors.js';
import {LastSeen} from './log-last-seen.js';
import {errorMarker, lostMarker, type MarkerKind, recreatedMarker, removedMarker, restartedMarker, stoppedMarker} from './log-markers.js';
import type {LogStreamState} from './log-source.js';
import type {InstanceLogClient} from './platform.js';
import type {ContainerSummary, RawLogLine, Unsubscribe} from './types.js';

/** A container that is not running (or is gone) is looked at again at most this often. */
const watchEveryMs = 5000;

/** What one container's stream needs from the subscription it belongs to. */
export type ContainerLogContext = {
	docker: InstanceLogClient;
	follow: boolean;
	/** The subscription's options: epoch ms, and lines of history on the first open. */
	since?: number;
	tail?: number;
	/** The previous run's log instead of the current one (`kubectl logs --previous`). */
	previous?: boolean;
	/** Reconnect delays: doubled per failed attempt, capped. */
	backoff: {initialMs: number; maxMs: number};
	now(): number;
	closed(): boolean;
	/** The stream (re)opens: its lines are waited for again. */
	opening(stream: ContainerLogStream): void;
	/** New lines of the stream; a promise while the reader is busy (the stream then waits). */
	lines(stream: ContainerLogStream, lines: RawLogLine[]): unknown;
	marker(stream: ContainerLogStream, text: string, time?: number): void;
	status(service: string, state: LogStreamState, message?: string, retryAt?: number): void;
	/** Without follow: the stream ended, with or without error. */
	ended(stream: ContainerLogStream): void;
	/** The container is gone: a container of the same service that no stream follows yet, if there is one. */
	successor(stream: ContainerLogStream): Promise<ContainerSummary | undefined>;
	/** Follows `successor` in place of `stream`, from where `stream` left off. */
	replace(stream: ContainerLogStream, successor: ContainerSummary): void;
};

/**
 * The log subscription of one container. In follow mode it never stops silently: a closed stream, a
 * restarted container or a restarted engine reconnects with backoff, asks only for the lines since the last
 * one seen and writes a marker record saying what happened.
 */
export class ContainerLogStream {
	readonly lastSeen = new LastSeen();
	/** Epoch ms the container last started: a later start time means it restarted rather than the connection broke. */
	private startedAt: number | undefined;
	private failures = 0;
	private lastMarker: MarkerKind | undefined;
	private readonly openedAt: number;
	private unsubscribe: Unsubscribe | undefined;
	private timer: NodeJS.Timeout | undefined;
	ended = false;

	constructor(
		readonly service: string,
		readonly id: string,
		private readonly context: ContainerLogContext,
	) {
		this.openedAt = context.now();
	}

	/** Learns when the container started (to tell a restart from a lost connection), then opens. */
	async begin(first: boolean): Promise<void> {
		if (this.context.follow) {
			try {
				this.startedAt = (await this.context.docker.inspect(this.id)).startedAt;
			} catch {
				// Unknown start time: the first recover() learns it; opening still says what is wrong.
			}
		}
		this.open(first);
	}

	close(): void {
		this.unsubscribe?.();
		this.unsubscribe = undefined;
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
	}

	private open(first: boolean): void {
		const {context} = this;
		if (context.closed()) return;
		this.timer = undefined;
		context.status(this.service, first ? 'connecting' : 'reconnecting');
		context.opening(this);
		let delivered = false;
		this.unsubscribe = context.docker.streamLogs(
			this.id,
			{follow: context.follow, timestamps: true, since: this.sinceSeconds(first), tail: first ? context.tail : undefined, ...(context.previous ? {previous: true} : {})},
			lines => {
				if (context.closed()) return undefined;
				if (!delivered) {
					delivered = true;
					this.failures = 0;
					this.lastMarker = undefined;
					context.status(this.service, 'streaming');
				}
				return context.lines(this, lines);
			},
			error => {
				this.unsubscribe = undefined;
				if (context.closed()) return;
				if (context.follow) void this.recover(error);
				else this.end(error);
			},
		);
	}

	/** Where a (re)open starts: after the last line seen, else the subscription's since, else when this stream began. */
	private sinceSeconds(first: boolean): number | undefined {
		const sinceMs = this.lastSeen.any ? this.lastSeen.time : first ? this.context.since : (this.context.since ?? this.openedAt);
		return sinceMs === undefined ? undefined : Math.floor(sinceMs / 1000);
	}

	private end(error: Error | undefined): void {
		this.ended = true;
		if (error) {
			const message = describeError(error, 'docker');
			this.context.marker(this, errorMarker(this.service, message));
			this.context.status(this.service, 'error', message);
		} else {
			this.context.status(this.service, 'ended');
		}
		this.context.ended(this);
	}

	private mark(kind: MarkerKind, text: string, time?: number): void {
		if (this.lastMarker !== kind) this.context.marker(this, text, time);
		this.lastMarker = kind;
	}

	private nextDelay(capMs = this.context.backoff.maxMs): number {
		return backoffMs(++this.failures, this.context.backoff.initialMs, capMs);
	}

	private later(work: () => void, ms: number): void {
		this.timer = setTimeout(work, ms);
		this.timer.unref();
	}

	/** After the stream ended in follow mode: find out why, say so, and reopen when the container runs. */
	private async recover(error?: Error): Promise<void> {
		const {context} = this;
		this.timer = undefined;
		if (context.closed()) return;
		let detail;
		try {
			detail = await context.docker.inspect(this.id);
		} catch (inspectError) {
			if (context.closed()) return;
			if ((inspectError as {status?: number}).status === 404) return this.removed();
			const message = describeError(inspectError, 'docker');
			const ms = this.nextDelay();
			this.later(() => void this.recover(), ms);
			this.mark('lost', lostMarker(this.service, ms, message));
			context.status(this.service, 'reconnecting', message, context.now() + ms);
			return;
		}
		if (context.closed()) return;
		if (detail.state !== 'running') {
			// Stopped, restarting, paused: watch it until it runs again.
			const at = detail.finishedAt ?? context.now();
			this.mark('stopped', stoppedMarker(this.service, detail.state, detail.exitCode, at), at);
			this.startedAt ??= detail.startedAt;
			const ms = this.nextDelay(watchEveryMs);
			this.later(() => void this.recover(), ms);
			context.status(this.service, 'waiting', `container ${detail.state}`, context.now() + ms);
			return;
		}
		if (detail.startedAt !== undefined && this.startedAt !== undefined && detail.startedAt > this.startedAt) {
			this.startedAt = detail.startedAt;
			context.marker(this, restartedMarker(this.service, detail.startedAt), detail.startedAt);
			this.failures = 0;
			this.open(false);
			return;
		}
		this.startedAt ??= detail.startedAt;
		if (error === undefined && this.failures === 0 && this.lastMarker === undefined) {
			// A clean end while running (the daemon closed an idle connection): reopen at once, quietly.
			this.failures = 1;
			this.open(false);
			return;
		}
		const ms = this.nextDelay();
		const reason = error ? describeError(error, 'docker') : undefined;
		this.mark('lost', lostMarker(this.service, ms, reason));
		context.status(this.service, 'reconnecting', reason ?? 'stream closed', context.now() + ms);
		this.later(() => this.open(false), ms);
	}

	/** The container is gone (compose recreated it, or it was removed): follow its successor, if any. */
	private async removed(): Promise<void> {
		const {context} = this;
		const successor = await context.successor(this);
		if (context.closed()) return;
		if (successor) {
			context.marker(this, recreatedMarker(this.service, successor.name));
			context.replace(this, successor);
			return;
		}
		this.mark('removed', removedMarker(this.service));
		const ms = this.nextDelay(watchEveryMs);
		this.later(() => void this.recover(), ms);
		context.status(this.service, 'waiting', 'container removed', context.now() + ms);
	}
}
