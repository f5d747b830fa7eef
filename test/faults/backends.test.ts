import {readFileSync} from 'node:fs';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {expect} from 'vitest';
import {configSchema, type EnvironmentConfig} from '../../source/config/schema.js';
import {maxResponseBytes} from '../../source/services/docker.js';
import {describeFaultMatrix, type BackendAdapter} from './matrix.js';

/**
 * Every backend that exists, against every fault kind, through the whole dashboard: real clients (dockerode,
 * axios), real pollers and store, the real screen. A later backend adds its adapter to `adapters`.
 */

const refreshMs = 250;
// Short enough to keep the matrix quick, long enough that a loaded CI machine answers a healthy poll in time.
const timeoutMs = 800;
/** The longest poll: the containers poller's deadline (a list, then the inspects). */
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
	// Docker's data is old: the header says how old first, and the rows are marked stale ("?" without colour).
	checkFrame(frame) {
		expect(frame.split('\n')[0]).toMatch(/\d+ s old - docker: /);
		expect(frame).toMatch(/^\|\?\S?\s+engine /m);
	},
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

describeFaultMatrix({title: 'the fault matrix: Docker and the health endpoints against every fault', environment: baseEnvironment, adapters, refreshMs, timeoutMs});
