import {mkdtempSync, rmSync} from 'node:fs';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import React from 'react';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {configSchema, type EnvironmentConfig} from '../../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot, type DashboardRuntime} from '../../source/dashboard.js';
import type {AppState, AppStore} from '../../source/store/store.js';
import {backoffMs} from '../../source/util/backoff.js';
import {faultKinds, startHostileServer, type FaultKind, type HostileServer} from '../helpers/hostile-server.js';
import {renderTui} from '../helpers/tui.js';

/**
 * The fault matrix: fault kinds (hostile-server.ts) × backends. A backend joins it with one adapter: how to
 * answer well, where the environment points at the server, and how its failure and recovery read in the store
 * and on the screen. `describeFaultMatrix` runs every adapter of one environment against every kind, through the
 * whole dashboard; test/faults/backends.test.ts is the compose environment's (Docker and health endpoints). A
 * backend of another environment type (Kubernetes) calls it with its own environment and adapters, in its own
 * test/faults/backends-NAME.test.ts; one that joins an existing environment (Prometheus, Alertmanager) adds its
 * adapter to that file's list.
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
	/** More the frame must show while this backend fails (beyond the error and the age). */
	checkFrame?(frame: string): void;
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

/**
 * The frame without the Dashboard's Checks pane (ASCII borders). That pane shows the daily checks' last run, every
 * 15 s: it judged the fault while it lasted and says so until its next run. The backend's own panes are what must
 * show the fault and recover.
 */
function withoutChecksPane(frame: string): string {
	const lines = frame.split('\n');
	const top = lines.findIndex(line => line.startsWith('+- Checks '));
	if (top < 0) return frame;
	const bottom = lines.findIndex((line, i) => i > top && /^\+-+\+$/.test(line));
	return [...lines.slice(0, top), ...(bottom < 0 ? [] : lines.slice(bottom + 1))].join('\n');
}

/** What the frame must show while `adapter` fails with `fault`: the error, and how old the data is. */
function showsFailure(adapter: BackendAdapter, error: string) {
	// The pane's error line and the reason under the table may cut a long text; its start is enough.
	const shown = error.slice(0, 40);
	return (frame: string) => {
		const panes = withoutChecksPane(frame);
		return panes.includes(shown) && adapter.ageShown.test(panes);
	};
}

export type FaultMatrixOptions = {
	title: string;
	/** The environment the adapters point at their servers (`configure`). */
	environment: EnvironmentConfig;
	adapters: readonly BackendAdapter[];
	refreshMs: number;
	/** The config's backend call timeout. */
	timeoutMs: number;
};

/** The ceiling of the one backoff: a returning backend is polled again at most this long after it came back. */
const backoffCeilingMs = backoffMs(Number.MAX_SAFE_INTEGER);

/**
 * Each adapter × each fault kind: the store reports the kind's error, the frame shows it with the data's age,
 * the other backends keep refreshing, the backoff stays under its ceiling, a huge answer is cut by the client,
 * and once the server is healthy again the data recovers within the ceiling, with no restart.
 */
export function describeFaultMatrix({title, environment: baseEnvironment, adapters, refreshMs, timeoutMs}: FaultMatrixOptions): void {
	describe(title, () => {
		let directory: string;
		const servers = new Map<string, HostileServer>();
		let runtime: DashboardRuntime;
		let tui: ReturnType<typeof renderTui>;

		beforeAll(async () => {
			directory = mkdtempSync(path.join(tmpdir(), 'botops-faults-'));
			let environment = baseEnvironment;
			for (const adapter of adapters) {
				const server = await startHostileServer({healthy: adapter.healthy, socketPath: adapter.unixSocket ? path.join(directory, `${adapter.name}.sock`) : undefined});
				servers.set(adapter.name, server);
				environment = adapter.configure(environment, server);
			}
			const config = configSchema.parse({timeoutMs, environments: {}});
			runtime = createDashboardRuntime({config, environment, refreshMs, readOnly: false, color: false, ascii: true});
			tui = renderTui(React.createElement(DashboardRoot, {runtime}), {columns: 160, rows: 40});
			await runtime.connect();
			await storeReaches(runtime.store, state => adapters.every(a => a.recovered(state)), 'every backend to answer');
			await tui.waitFor(`live, every ${refreshMs / 1000} s`);
		});

		// A failed case must not leave its fault on for the next one.
		afterEach(async () => {
			for (const server of servers.values()) await server.setMode('healthy');
		});

		afterAll(async () => {
			tui?.unmount();
			runtime?.close();
			for (const server of servers.values()) await server.close();
			rmSync(directory, {recursive: true, force: true});
		});

		for (const adapter of adapters) {
			describe(adapter.name, () => {
				it.each(faultKinds)(`${adapter.name} %s: the pane shows the error with its data age, the rest keeps refreshing, recovery without a restart`, async fault => {
					const server = servers.get(adapter.name)!;
					const others = adapters.filter(other => other !== adapter);
					const store = runtime.store;

					await server.setMode(fault);
					const failing = await storeReaches(store, state => adapter.expected[fault].test(adapter.errorOf(state) ?? ''), `${adapter.name} to report ${fault}`);
					const error = adapter.errorOf(failing)!;
					expect(error).toMatch(adapter.expected[fault]);

					// On screen: the error and the age of what is still shown.
					const frame = await tui.waitFor(showsFailure(adapter, error), 15_000);
					adapter.checkFrame?.(frame);

					// The other backends keep refreshing while this one fails.
					for (const other of others) {
						const seen = other.refreshedAt(store.getState());
						await storeReaches(store, state => other.refreshedAt(state) > seen, `${other.name} to refresh while ${adapter.name} is ${fault}`);
					}

					// The backoff stays under its ceiling, however many failures came in a row.
					const retryAt = adapter.retryAt(store.getState());
					if (retryAt !== undefined) expect(retryAt - Date.now()).toBeLessThanOrEqual(backoffCeilingMs);

					if (fault === 'huge') {
						// The client stopped reading: the server never got to the end of its 50 MB.
						expect(server.huge.cut).toContain(adapter.cappedPath);
						expect(server.huge.completed).not.toContain(adapter.cappedPath);
					}

					// Back: noticed at the next attempt, which the backoff puts at most its ceiling away.
					// Counted in attempts, not in wall time: each failed attempt schedules a new retry, so at most the attempt
					// already in flight when the server came back may still fail; the one after it must succeed.
					const returnedAt = Date.now();
					const retryAtReturn = adapter.retryAt(store.getState());
					const failedAfterReturn = new Set<number>();
					const stopCounting = store.subscribe(state => {
						const next = adapter.retryAt(state);
						if (next !== undefined && next !== retryAtReturn) failedAfterReturn.add(next);
					});
					await server.setMode('healthy');
					await storeReaches(store, state => adapter.recovered(state) && adapter.refreshedAt(state) >= returnedAt, `${adapter.name} to recover from ${fault}`);
					stopCounting();
					expect(failedAfterReturn.size, `${adapter.name} failed ${failedAfterReturn.size} attempts after the server came back`).toBeLessThanOrEqual(1);
					const after = withoutChecksPane(await tui.waitFor(f => f.split('\n')[0]!.includes(`live, every ${refreshMs / 1000} s`) && !/^\|\?/m.test(withoutChecksPane(f)) && !withoutChecksPane(f).includes(error.slice(0, 40)), 5000));
					expect(after).not.toMatch(/\d+ s old/);
				});
			});
		}
	});
}
