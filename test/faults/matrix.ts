import type {IncomingMessage, ServerResponse} from 'node:http';
import type {EnvironmentConfig} from '../../source/config/schema.js';
import type {AppState, AppStore} from '../../source/store/store.js';
import type {FaultKind, HostileServer} from '../helpers/hostile-server.js';

/**
 * The fault matrix: fault kinds (hostile-server.ts) × backends. A backend joins it with one adapter: how to
 * answer well, where the environment points at the server, and how its failure and recovery read in the store
 * and on the screen. test/faults/backends.test.ts runs every adapter against every kind.
 */
export type BackendAdapter = {
	/** "docker", "health": the matrix row. */
	name: string;
	/** The backend's good answer to any of its requests. */
	healthy(req: IncomingMessage, res: ServerResponse): void;
	/** Listen on a unix socket rather than 127.0.0.1 (the Docker socket). */
	unixSocket?: boolean;
	/** Points the environment at the server. */
	configure(environment: EnvironmentConfig, server: HostileServer): EnvironmentConfig;
	/** What the store says failed for this backend (the error its pane shows), undefined while it is fine. */
	errorOf(state: AppState): string | undefined;
	/** When the backend's poller last committed (success or failure): the rest of the matrix watches it advance. */
	refreshedAt(state: AppState): number;
	/** When its poller tries next after a failure (the backoff), if it is backing off. */
	retryAt(state: AppState): number | undefined;
	/** The data is back to good (a recovery, seen in the store). */
	recovered(state: AppState): boolean;
	/** The error the pane must show, per fault kind. */
	expected: Record<FaultKind, RegExp>;
	/** How the screen shows the data's age while this backend fails. */
	ageShown: RegExp;
	/** The polled request that must stop reading a huge answer (a stream may read one through, bounded). */
	cappedPath: string;
};

/** Resolves with the first state (the current one included) that passes; rejects with `what` after the bound. */
export function storeReaches(store: AppStore, check: (state: AppState) => boolean, what: string, timeoutMs = 20_000): Promise<AppState> {
	return new Promise((resolve, reject) => {
		const done = (state: AppState) => {
			clearTimeout(timer);
			unsubscribe();
			resolve(state);
		};
		const timer = setTimeout(() => {
			unsubscribe();
			reject(new Error(`timed out waiting for ${what}`));
		}, timeoutMs);
		const unsubscribe = store.subscribe(state => {
			if (check(state)) done(state);
		});
		const now = store.getState();
		if (check(now)) done(now);
	});
}
