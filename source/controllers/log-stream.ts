import type {LogRecord} from '../logs/record.js';
import type {LogSource, LogSourceStatus} from '../services/log-source.js';
import type {Unsubscribe} from '../services/types.js';
import type {AppStore} from '../store/store.js';

export type LogStreamOptions = {
	/** The services to subscribe (all of the environment's). */
	services: readonly string[];
	/** Live container logs (follow) or a finished input such as a file. */
	follow: boolean;
	/** Lines of history per container on open. */
	tail?: number;
	/** At most one commit per this many ms (default 100: ≤ 10 renders a second). */
	commitEveryMs?: number;
	now?: () => number;
};

export type LogStream = {
	/** Subscribes once; later calls do nothing. */
	start(): void;
	stop(): void;
};

/**
 * Feeds the store from a log source: batches go into the slice's ring buffer as they arrive, and one commit
 * (version, counts, stream statuses) is made per interval at most, however many lines arrived in it.
 */
export function createLogStream(store: AppStore, openSource: () => Promise<LogSource>, options: LogStreamOptions): LogStream {
	const now = options.now ?? Date.now;
	const commitEveryMs = options.commitEveryMs ?? 100;
	let started = false;
	let stopped = false;
	let unsubscribe: Unsubscribe | undefined;
	let timer: NodeJS.Timeout | undefined;
	let lastCommit = -Infinity;
	const statuses: LogSourceStatus[] = [];

	const commit = () => {
		timer = undefined;
		if (stopped) return;
		lastCommit = now();
		store.getState().commitLogs(statuses.splice(0));
	};
	const schedule = () => {
		if (timer || stopped) return;
		timer = setTimeout(commit, Math.max(0, lastCommit + commitEveryMs - now()));
	};
	const onRecords = (batch: LogRecord[]) => {
		if (stopped) return;
		store.getState().appendLogRecords(batch);
		schedule();
	};
	const onStatus = (status: LogSourceStatus) => {
		if (stopped) return;
		statuses.push(status);
		schedule();
	};

	return {
		start() {
			if (started) return;
			started = true;
			store.getState().markLogsStarted(options.follow, options.services);
			openSource().then(
				source => {
					if (stopped) return;
					unsubscribe = source.subscribe(options.services, {follow: options.follow, tail: options.tail}, onRecords, onStatus);
				},
				(error: unknown) => onStatus({service: '*', state: 'error', message: error instanceof Error ? error.message : String(error), at: now()}),
			);
		},
		stop() {
			stopped = true;
			clearTimeout(timer);
			unsubscribe?.();
		},
	};
}
