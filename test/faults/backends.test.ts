import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import React from 'react';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {configSchema, type EnvironmentConfig} from '../../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot, type DashboardRuntime} from '../../source/dashboard.js';
import {maxResponseBytes} from '../../source/services/docker.js';
import {backoffMs} from '../../source/util/backoff.js';
import {faultKinds, hugeBodyBytes, startHostileServer, type FaultKind, type HostileServer} from '../helpers/hostile-server.js';
import {renderTui} from '../helpers/tui.js';
import {storeReaches, type BackendAdapter} from './matrix.js';

/**
 * Every backend that exists, against every fault kind, through the whole dashboard: real clients (dockerode,
 * axios), real pollers and store, the real screen. A later backend adds its adapter to `adapters`.
 */

const refreshMs = 250;
const timeoutMs = 400;
/** The ceiling of the one backoff: a returning backend is polled again at most this long after it came back. */
const backoffCeilingMs = backoffMs(100);
/** The longest poll: the containers poller's deadline (a list, then the inspects). */
const longestPollMs = 2 * timeoutMs + 1000;
const project = 'faults';

const json = (res: ServerResponse, body: unknown) => {
	res.writeHead(200, {'content-type': 'application/json'});
	res.end(JSON.stringify(body));
};

const containerNames = ['engine', 'db'];
const statsSample = JSON.stringify(JSON.parse(readFileSync(new URL('../fixtures/docker-stats/real-busy.json', import.meta.url), 'utf8')));
const labels = (name: string) => ({'com.docker.compose.project': project, 'com.docker.compose.service': name});

/** The Engine API answers the pollers ask for: the list, inspect, and a stats stream that ends at once. */
function dockerAnswers(req: IncomingMessage, res: ServerResponse): void {
	const url = new URL(req.url ?? '/', 'http://engine');
	if (url.pathname.endsWith('/containers/json')) {
		json(res, containerNames.map(name => ({Id: `id-${name}`, Names: [`/${name}`], Image: 'img', State: 'running', Status: 'Up 5 minutes', Created: 1_700_000_000, Labels: labels(name)})));
		return;
	}
	const inspect = /\/containers\/([^/]+)\/json$/.exec(url.pathname);
	if (inspect) {
		const name = decodeURIComponent(inspect[1]!).replace(/^id-/, '');
		json(res, {
			Id: `id-${name}`,
			Name: `/${name}`,
			Image: 'sha256:1',
			RestartCount: 2,
			State: {Status: 'running', StartedAt: new Date(Date.now() - 300_000).toISOString(), FinishedAt: '0001-01-01T00:00:00Z', ExitCode: 0},
			Config: {Image: 'img', Labels: labels(name), Env: [], Cmd: []},
			HostConfig: {RestartPolicy: {Name: 'unless-stopped'}},
			NetworkSettings: {Networks: {}, Ports: {}},
			Mounts: [],
		});
		return;
	}
	// Stats: one real sample, then the stream ends (the poller re-opens it).
	res.writeHead(200, {'content-type': 'application/json'});
	res.end(`${statsSample}\n`);
}

const dockerAdapter: BackendAdapter = {
	name: 'docker',
	unixSocket: true,
	healthy: dockerAnswers,
	configure: (environment, server) => ({...environment, backend: {type: 'compose', project, socketPath: server.socketPath}}),
	errorOf: state => state.containers.error,
	refreshedAt: state => state.containers.updatedAt,
	retryAt: state => state.containers.retryAt,
	recovered: state => state.containers.updatedAt > 0 && state.containers.error === undefined,
	expected: {
		refused: /^docker: connect (ENOENT|ECONNREFUSED) /,
		dropped: /^docker: connection dropped mid-response/,
		slow: new RegExp(`^docker: timeout after ${timeoutMs} ms$`),
		http500: /^docker: hostile: internal server error$/,
		malformed: /^docker: malformed JSON from \/containers\/json: /,
		huge: new RegExp(`^docker: answer from /containers/json over ${maxResponseBytes / 1024 / 1024} MB, not read$`),
	},
	ageShown: /\d+ s old/,
	cappedPath: '/containers/json',
};

const healthAdapter: BackendAdapter = {
	name: 'health',
	healthy: (_req, res) => json(res, {status: 'healthy', trading_enabled: true}),
	configure: (environment, server) => ({...environment, services: environment.services.map(s => (s.name === 'engine' ? {...s, healthUrl: `${server.url}/api/health`} : s))}),
	errorOf: state => {
		const resource = state.health['engine'];
		return resource?.error ?? (resource?.data && !resource.data.last.ok ? resource.data.last.error : undefined);
	},
	refreshedAt: state => state.health['engine']?.updatedAt ?? 0,
	retryAt: state => state.health['engine']?.retryAt,
	recovered: state => state.health['engine']?.data?.state === 'ok' && state.health['engine']?.error === undefined,
	expected: {
		refused: /^connect ECONNREFUSED 127\.0\.0\.1:\d+$/,
		dropped: /^connection dropped mid-response$/,
		slow: new RegExp(`^timeout after ${timeoutMs} ms$`),
		http500: /^HTTP 500$/,
		malformed: /^malformed JSON from http:\/\/127\.0\.0\.1:\d+\/api\/health: /,
		huge: /^answer over 1 MB, not read$/,
	},
	ageShown: /last ok \d+s ago/,
	cappedPath: '/api/health',
};

const adapters = [dockerAdapter, healthAdapter];

const baseEnvironment: EnvironmentConfig = {
	...configSchema.parse({
		environments: {
			faults: {
				backend: {type: 'compose', project},
				services: [
					{name: 'engine', container: 'engine', healthUrl: 'http://127.0.0.1:1/api/health'},
					{name: 'db', container: 'db'},
				],
			},
		},
	}).environments['faults']!,
	name: 'faults',
};

/** What the frame must show while `adapter` fails with `fault`: the error, and how old the data is. */
function showsFailure(adapter: BackendAdapter, fault: FaultKind, error: string) {
	// The pane's error line and the reason under the table may cut a long text; its start is enough.
	const shown = error.slice(0, 40);
	return (frame: string) => frame.includes(shown) && adapter.ageShown.test(frame);
}

describe('the fault matrix: every backend against every fault', () => {
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
				const frame = await tui.waitFor(showsFailure(adapter, fault, error), 15_000);
				if (adapter === dockerAdapter) {
					// Docker's data is old: the header says how old first, and the rows are marked stale.
					expect(frame.split('\n')[0]).toMatch(/\d+ s old - docker: /);
					expect(frame).toMatch(/^\|\?\S?\s+engine /m);
				}

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
				const returnedAt = Date.now();
				await server.setMode('healthy');
				await storeReaches(store, state => adapter.recovered(state) && adapter.refreshedAt(state) >= returnedAt, `${adapter.name} to recover from ${fault}`);
				expect(Date.now() - returnedAt).toBeLessThanOrEqual(backoffCeilingMs + longestPollMs + refreshMs);
				const after = await tui.waitFor(f => f.split('\n')[0]!.includes(`live, every ${refreshMs / 1000} s`) && !/^\|\?/m.test(f) && !f.includes(error.slice(0, 40)), 5000);
				expect(after).not.toMatch(/\d+ s old/);
			});
		});
	}
});
