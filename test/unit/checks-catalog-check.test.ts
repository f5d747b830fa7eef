// Each check of the catalog on crafted states: pass, warn, fail and unknown (an unreachable backend is never pass).
import {describe, expect, it} from 'vitest';
import {findCheck} from '../../source/checks/catalog.js';
import {tallyRecords} from '../../source/checks/log-tally.js';
import {checkExitCode, runChecks} from '../../source/checks/run.js';
import {checkSettings} from '../../source/checks/settings.js';
import type {CheckContext} from '../../source/checks/types.js';
import type {CheckStatus} from '../../source/checks/verdict.js';
import {checkCatalog} from '../../source/checks/catalog.js';
import type {EnvironmentConfig} from '../../source/config/schema.js';
import type {LogRecord} from '../../source/logs/record.js';
import type {Instance} from '../../source/services/platform.js';
import type {StatsSample} from '../../source/services/types.js';
import type {ClusterView, DeploymentRow} from '../../source/services/kubernetes/view.js';
import {ConfigError} from '../../source/config/errors.js';
import type {ReplicaSetView} from '../../source/database/replication.js';
import type {TradingKpis} from '../../source/database/trading.js';
import {emptyDatabaseView, type DatabaseView, type ServerView} from '../../source/database/view.js';
import type {PromAlert} from '../../source/alerts/types.js';

const now = Date.parse('2026-12-02T09:00:00Z');
const environment: EnvironmentConfig = {
	name: 'test',
	backend: {type: 'compose', project: 'bot-core'},
	protected: false,
	services: [
		{name: 'rust-core-engine', healthUrl: 'http://127.0.0.1:1/api/health', critical: true},
		{name: 'python-ai-service', healthUrl: 'http://127.0.0.1:1/health', critical: true},
		{name: 'grafana', critical: false},
	],
	prometheusUrl: 'http://127.0.0.1:9090',
	alertmanagerUrl: 'http://127.0.0.1:9093',
};
const settings = checkSettings({timeoutMs: 500, latencyTargetMs: 500});
const unreachable = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9'));

function context(overrides: Partial<CheckContext> = {}, env: EnvironmentConfig = environment): CheckContext {
	return {
		environment: env,
		settings,
		now: () => now,
		instances: unreachable,
		stats: unreachable,
		health: unreachable,
		prometheus: unreachable,
		alertmanager: unreachable,
		firedSince: async () => [],
		logTally: unreachable,
		pendingDeploys: unreachable,
		cluster: unreachable,
		database: unreachable,
		backups: unreachable,
		...overrides,
	};
}

function instance(service: string, state: Instance['state'] = 'running', extra: Partial<Instance> = {}): Instance {
	return {id: `${service}-${state}-${extra.name ?? ''}`, name: extra.name ?? `bot-core-${service}-1`, service, image: 'x', state, status: state, health: 'none', createdAt: now, ...extra};
}

function sample(cpuPercent: number, memPercent: number): StatsSample {
	return {at: now, cpuPercent, memUsage: memPercent, memLimit: 100, memPercent, netRx: 0, netTx: 0, blockRead: 0, blockWrite: 0, pids: 1};
}

function record(service: string, level: LogRecord['level'], text: string): LogRecord {
	return {seq: 0, time: now, service, stream: 'stdout', level, text, instance: undefined};
}

async function judge(id: string, overrides: Partial<CheckContext>, env?: EnvironmentConfig) {
	const check = findCheck(id)!;
	expect(check, id).toBeDefined();
	const run = await runChecks([check], 'all', context(overrides, env));
	const result = run.results[0]!;
	if (result.leftOut) throw new Error(`${id} left out: ${result.reason}`);
	return result.verdict;
}

const all = (statuses: Record<CheckStatus, unknown>) => statuses;

describe('services-up', () => {
	const up = [instance('rust-core-engine'), instance('python-ai-service'), instance('grafana')];
	it('passes with every service running, warns on a non-critical one down or a replica short, fails on a critical one down', async () => {
		expect(await judge('services-up', {instances: async () => up})).toMatchObject({status: 'pass', figure: '3/3 up', value: 3});
		const grafanaDown = [up[0]!, up[1]!, instance('grafana', 'exited')];
		expect(await judge('services-up', {instances: async () => grafanaDown})).toMatchObject({status: 'warn', reason: expect.stringContaining('grafana exited (not critical)')});
		const oneReplica = [...up, instance('python-ai-service', 'restarting', {name: 'python-ai-service-2'})];
		expect(await judge('services-up', {instances: async () => oneReplica})).toMatchObject({status: 'warn', reason: 'python-ai-service 1/2 running'});
		const engineGone = [up[1]!, up[2]!];
		expect(await judge('services-up', {instances: async () => engineGone})).toMatchObject({status: 'fail', reason: 'down: rust-core-engine missing', value: 2});
	});
	it('is unknown when the platform does not answer', async () => {
		expect(await judge('services-up', {})).toMatchObject({status: 'unknown', reason: expect.stringContaining('ECONNREFUSED')});
	});
});

describe('log-errors', () => {
	const tally = (records: LogRecord[]) => async () => tallyRecords(records);
	it('passes on no errors, warns on some, fails from checks.logErrorsFail on', async () => {
		expect(await judge('log-errors', {logTally: tally([record('rust-core-engine', 'info', 'ok'), record('grafana', 'warn', 'slow')])})).toMatchObject({status: 'pass', value: 0});
		const some = [record('rust-core-engine', 'error', 'failed to persist kline'), record('python-ai-service', 'fatal', 'model gone'), record('python-ai-service', 'error', 'again')];
		expect(await judge('log-errors', {logTally: tally(some)})).toMatchObject({status: 'warn', value: 3, reason: 'python-ai-service 2, rust-core-engine 1; last: again'});
		const many = Array.from({length: settings.logErrorsFail}, () => record('rust-core-engine', 'error', 'boom'));
		expect(await judge('log-errors', {logTally: tally(many)})).toMatchObject({status: 'fail', value: settings.logErrorsFail});
	});
	it('warns when a service could not be read, and is unknown when no logs can', async () => {
		const partial = async () => {
			const t = tallyRecords([record('rust-core-engine', 'info', 'ok')]);
			t.set('grafana', {lines: 0, errors: 0, unauthorized: 0, forbidden: 0, failedLogins: 0, error: 'no container for service grafana'});
			return t;
		};
		expect(await judge('log-errors', {logTally: partial})).toMatchObject({status: 'warn', reason: expect.stringContaining('unreadable: grafana (no container for service grafana)')});
		expect(await judge('log-errors', {})).toMatchObject({status: 'unknown'});
	});
	it('counts the levels the log pipeline detected, not words in the text', () => {
		const t = tallyRecords([record('a', 'info', 'no error here'), record('a', 'error', 'x'), {...record('a', 'error', 'restarted'), stream: 'marker'}]);
		expect(t.get('a')).toMatchObject({lines: 2, errors: 1});
	});
});

describe('resources', () => {
	const running = [instance('rust-core-engine'), instance('python-ai-service')];
	const stats = (entries: Array<[number, number]>) => async () => new Map(entries.map(([cpu, mem], i) => [running[i]!.id, sample(cpu, mem)]));
	it('passes under the thresholds, warns from cpuWarnPercent, fails from memoryFailPercent', async () => {
		const instances = async () => running;
		expect(await judge('resources', {instances, stats: stats([[10, 40], [20, 50]])})).toMatchObject({status: 'pass', figure: 'cpu 20 % mem 50 %'});
		expect(await judge('resources', {instances, stats: stats([[85, 40], [20, 50]])})).toMatchObject({status: 'warn', reason: expect.stringContaining('rust-core-engine-1 CPU 85.0 %')});
		expect(await judge('resources', {instances, stats: stats([[10, 40], [20, 97]])})).toMatchObject({status: 'fail', reason: expect.stringContaining('python-ai-service-1 memory 97.0 %'), value: 97});
	});
	it('warns when an instance gave no sample, and is unknown with none or no answer', async () => {
		const instances = async () => running;
		expect(await judge('resources', {instances, stats: stats([[10, 40]])})).toMatchObject({status: 'warn', reason: expect.stringContaining('no stats from 1 instance')});
		expect(await judge('resources', {instances, stats: async () => new Map()})).toMatchObject({status: 'unknown'});
		expect(await judge('resources', {instances})).toMatchObject({status: 'unknown'});
	});
});

describe('health', () => {
	const result = (service: string, ok: boolean, latencyMs = 20, extra = {}) => ({service, url: 'u', ok, status: ok ? 200 : 503, latencyMs, at: now, ...extra});
	it('passes when all answer, warns when one is slow, fails when a critical one does not', async () => {
		expect(await judge('health', {health: async () => [result('rust-core-engine', true), result('python-ai-service', true)]})).toMatchObject({status: 'pass', figure: '2/2 ok'});
		expect(await judge('health', {health: async () => [result('rust-core-engine', true), result('python-ai-service', true, 900)]})).toMatchObject({status: 'warn', reason: 'slow: python-ai-service 900 ms (target 500 ms)'});
		expect(await judge('health', {health: async () => [result('rust-core-engine', false, 5, {error: 'HTTP 503'}), result('python-ai-service', true)]})).toMatchObject({status: 'fail', reason: 'rust-core-engine HTTP 503'});
		expect(await judge('health', {})).toMatchObject({status: 'unknown'});
	});
	it('is left out where no service has a health URL', async () => {
		const run = await runChecks([findCheck('health')!], 'all', context({}, {...environment, services: [{name: 'grafana', critical: false}]}));
		expect(run.results[0]).toMatchObject({leftOut: true, reason: 'no service has a healthUrl'});
	});
});

describe('api-p95 and prom-targets (Prometheus)', () => {
	const target = (health: 'up' | 'down' | 'unknown', job = 'rust-core-engine') => ({job, instance: `${job}:8080`, scrapeUrl: '', health, lastScrape: '', lastError: health === 'down' ? 'connection refused' : '', lastScrapeDurationSeconds: 0, labels: {}});
	const prom = (p95: Array<number | undefined>, targets = [target('up')]) => async () => ({alerts: [], targets, services: p95.map((p95Seconds, i) => ({service: `s${i}`, p95Seconds}))});
	it('api-p95: passes under 80 % of the target, warns near it, fails over it, unknown with no figure', async () => {
		expect(await judge('api-p95', {prometheus: prom([0.1, 0.2])})).toMatchObject({status: 'pass', figure: '200 ms', value: 0.2});
		expect(await judge('api-p95', {prometheus: prom([0.45])})).toMatchObject({status: 'warn'});
		expect(await judge('api-p95', {prometheus: prom([0.1, 1.5])})).toMatchObject({status: 'fail', reason: 's1 1.50 s over the 500 ms target'});
		expect(await judge('api-p95', {prometheus: prom([undefined])})).toMatchObject({status: 'unknown'});
		expect(await judge('api-p95', {})).toMatchObject({status: 'unknown'});
	});
	it('prom-targets: all up pass, not yet scraped warn, down fail, no Prometheus unknown', async () => {
		expect(await judge('prom-targets', {prometheus: prom([], [target('up'), target('up', 'ai')])})).toMatchObject({status: 'pass', figure: '2/2 up'});
		expect(await judge('prom-targets', {prometheus: prom([], [target('up'), target('unknown', 'ai')])})).toMatchObject({status: 'warn'});
		expect(await judge('prom-targets', {prometheus: prom([], [target('down'), target('up', 'ai')])})).toMatchObject({status: 'fail', reason: 'down: rust-core-engine rust-core-engine:8080 (connection refused)'});
		expect(await judge('prom-targets', {})).toMatchObject({status: 'unknown'});
	});
	it('both are left out without a Prometheus', async () => {
		const {prometheusUrl: _url, ...noProm} = environment;
		const run = await runChecks([findCheck('api-p95')!, findCheck('prom-targets')!], 'all', context({}, noProm));
		expect(run.results.map(r => r.leftOut && r.reason)).toEqual(['no Prometheus configured (prometheus.url or prometheusUrl)', 'no Prometheus configured (prometheus.url or prometheusUrl)']);
	});
});

describe('security', () => {
	const tally = (lines: string[]) => async () => tallyRecords(lines.map(text => record('rust-core-engine', 'info', text)));
	it('counts 401/403 answers and failed logins in the engine logs against the thresholds', async () => {
		expect(await judge('security', {logTally: tally(['request method=GET path=/api/health status=200'])})).toMatchObject({status: 'pass', value: 0});
		const some = [
			...Array.from({length: 6}, () => 'request method=POST path=/api/admin status=401 latency_ms=1'),
			...Array.from({length: 3}, () => 'INFO:     172.18.0.3:5000 - "GET /admin HTTP/1.1" 403'),
			'WARN auth: login failed for user=admin',
		];
		expect(await judge('security', {logTally: tally(some)})).toMatchObject({status: 'warn', value: 10, reason: 'rust-core-engine: 401 x6, 403 x3, 1 failed login in 12h'});
		expect(await judge('security', {logTally: tally(Array.from({length: 100}, () => 'authentication failed: invalid password'))})).toMatchObject({status: 'fail', value: 100});
		expect(await judge('security', {})).toMatchObject({status: 'unknown'});
	});
	it('does not take other numbers for a status', async () => {
		const t = tallyRecords([record('e', 'info', 'received kline close=401.25 volume=403')]);
		expect(t.get('e')).toMatchObject({unauthorized: 0, forbidden: 0});
	});
});

describe('alerts', () => {
	const am = (alerts: Array<{labels: Record<string, string>; state?: 'active' | 'suppressed'}>) => async () =>
		alerts.map(a => ({fingerprint: 'f', labels: a.labels, annotations: {}, startsAt: '', endsAt: '', updatedAt: '', receivers: [], state: a.state ?? 'active', silencedBy: [], inhibitedBy: [], sources: []}));
	const fired = async () => [{labels: {alertname: 'HighLatencyP95', service: 'python-ai-service'}, startsAt: '', firedAt: '2026-12-02T02:00:00Z', resolvedAt: '2026-12-02T02:10:00Z', firingMs: 600_000}];
	it('passes when nothing fires or fired, warns on a resolved overnight alert or a warning firing, fails on a critical one', async () => {
		expect(await judge('alerts', {alertmanager: am([])})).toMatchObject({status: 'pass', figure: '0 firing, 0 resolved'});
		expect(await judge('alerts', {alertmanager: am([{labels: {alertname: 'X', severity: 'critical'}, state: 'suppressed'}])})).toMatchObject({status: 'pass', reason: 'none firing (1 silenced), none fired in 12h'});
		expect(await judge('alerts', {alertmanager: am([]), firedSince: fired})).toMatchObject({status: 'warn', reason: 'none firing; in 12h: HighLatencyP95 python-ai-service, resolved'});
		expect(await judge('alerts', {alertmanager: am([{labels: {alertname: 'ContainerRestarting', severity: 'warning'}}])})).toMatchObject({status: 'warn', value: 1});
		expect(await judge('alerts', {alertmanager: am([{labels: {alertname: 'ServiceDown', service: 'mongodb-primary', severity: 'critical'}}])})).toMatchObject({status: 'fail', reason: 'firing: ServiceDown mongodb-primary'});
		expect(await judge('alerts', {})).toMatchObject({status: 'unknown'});
		expect(await judge('alerts', {alertmanager: am([]), firedSince: async () => undefined})).toMatchObject({status: 'pass', reason: 'none firing, no alert journal yet (the dashboard keeps it)'});
	});
	it('reads Prometheus firing alerts where there is no Alertmanager', async () => {
		const {alertmanagerUrl: _am, ...promOnly} = environment;
		const alerts: PromAlert[] = [{labels: {alertname: 'ServiceDown', severity: 'critical'}, annotations: {}, state: 'firing'}, {labels: {alertname: 'P'}, annotations: {}, state: 'pending'}];
		const prometheus = async () => ({alerts, targets: [], services: []});
		expect(await judge('alerts', {prometheus}, promOnly)).toMatchObject({status: 'fail', value: 1});
	});
});

describe('pending-deploys', () => {
	const withCheckout = {...environment, deployCheckout: {path: '/srv/bot-core', upstream: 'origin/main', fetch: false}};
	it('passes with nothing pending, warns with commits to deploy, is unknown when git fails, and is left out without a checkout', async () => {
		expect(await judge('pending-deploys', {pendingDeploys: async () => []}, withCheckout)).toMatchObject({status: 'pass', value: 0});
		expect(await judge('pending-deploys', {pendingDeploys: async () => ['abc1234 Fix order sizing', 'def5678 Bump deps']}, withCheckout)).toMatchObject({status: 'warn', value: 2, reason: '2 commits on origin/main not deployed; newest: abc1234 Fix order sizing'});
		expect(await judge('pending-deploys', {}, withCheckout)).toMatchObject({status: 'unknown'});
		const run = await runChecks([findCheck('pending-deploys')!], 'all', context());
		expect(run.results[0]).toMatchObject({leftOut: true, reason: 'no checkout configured (deployCheckout.path)'});
	});
});

describe('k8s-deployments', () => {
	const kube: EnvironmentConfig = {...environment, backend: {type: 'kubernetes', namespace: 'bot-core-production'}};
	const deployment = (name: string, desired: number, available: number, stalled = false): DeploymentRow => ({name, desired, ready: available, updated: desired, available, image: 'x', revision: 1, paused: false, conditions: [], stalled, total: desired, observed: true, replicaSets: []});
	const view = (deployments: DeploymentRow[]) => async (): Promise<ClusterView> => ({namespace: 'bot-core-production', deployments, pods: [], hpas: [], events: []});
	it('passes when all are available, warns when short, fails on none available or a stalled rollout', async () => {
		expect(await judge('k8s-deployments', {cluster: view([deployment('a', 2, 2)])}, kube)).toMatchObject({status: 'pass', figure: '1/1 available'});
		expect(await judge('k8s-deployments', {cluster: view([deployment('a', 3, 2)])}, kube)).toMatchObject({status: 'warn', reason: 'a 2/3'});
		expect(await judge('k8s-deployments', {cluster: view([deployment('a', 2, 2, true), deployment('b', 1, 0)])}, kube)).toMatchObject({status: 'fail', reason: 'b 0/1, a rollout stalled (ProgressDeadlineExceeded)'});
		expect(await judge('k8s-deployments', {}, kube)).toMatchObject({status: 'unknown'});
	});
	it('is left out on compose', async () => {
		const run = await runChecks([findCheck('k8s-deployments')!], 'all', context());
		expect(run.results[0]).toMatchObject({leftOut: true, reason: expect.stringContaining('not a Kubernetes environment')});
	});
});

describe('the run', () => {
	it('a check that never answers is unknown at its deadline, and the exit code says so', async () => {
		const hanging = {...context({instances: () => new Promise(() => {})}), settings: {...settings, timeoutMs: 50}};
		const run = await runChecks([findCheck('services-up')!], 'all', hanging);
		expect(run.results[0]).toMatchObject({leftOut: false, verdict: {status: 'unknown', reason: 'no answer within 50 ms'}});
		expect(checkExitCode(run)).toBe(3);
	});
	it('routines select by the manual: morning, midday and evening, every check in at least one', () => {
		const ids = (routine: string) => checkCatalog.filter(c => c.routines.includes(routine as never)).map(c => c.id);
		expect(ids('morning')).toEqual(['services-up', 'log-errors', 'resources', 'backup-age', 'trading', 'k8s-deployments', 'alerts']);
		expect(ids('midday')).toEqual(['health', 'api-p95', 'security', 'mongo-pool', 'replication-lag', 'k8s-deployments']);
		expect(ids('evening')).toEqual(['trading', 'prom-targets', 'alerts', 'pending-deploys']);
		expect(new Set(checkCatalog.map(c => c.id)).size).toBe(checkCatalog.length);
		for (const check of checkCatalog) expect(check.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
	});
	it('exit codes: 0 with warnings, 1 on a fail, 3 on unknowns without a fail', () => {
		const result = (status: CheckStatus) => ({id: status, title: '', routines: [], leftOut: false as const, verdict: {status, reason: ''}, durationMs: 1});
		const codes = all({pass: checkExitCode({results: [result('pass')]}), warn: checkExitCode({results: [result('pass'), result('warn')]}), fail: checkExitCode({results: [result('unknown'), result('fail')]}), unknown: checkExitCode({results: [result('warn'), result('unknown')]})});
		expect(codes).toEqual({pass: 0, warn: 0, fail: 1, unknown: 3});
	});
	it('a warning bound above its fail bound is a configuration error', () => {
		expect(() => checkSettings({timeoutMs: 1000, latencyTargetMs: 500, checks: {cpuWarnPercent: 99, cpuFailPercent: 90}})).toThrow(ConfigError);
		expect(checkSettings({timeoutMs: 1000, latencyTargetMs: 500, checks: {logWindow: '6h'}})).toMatchObject({logWindow: '6h', timeoutMs: 2000, cpuWarnPercent: 80});
	});
});

describe('the Database checks (verdicts from source/database/verdicts.ts)', () => {
	const mongoEnvironment: EnvironmentConfig = {...environment, mongo: {uriEnv: 'DATABASE_URL', database: 'trading_bot'}, backups: {dir: '/backup'}};
	const view = (parts: Partial<DatabaseView>): DatabaseView => ({...emptyDatabaseView(), ...parts});
	const server = (current: number, available: number): DatabaseView['server'] => ({updatedAt: now, value: {sample: {connections: {current, available}} as ServerView['sample']}});
	const members = (lagSeconds: number | undefined, note?: string): ReplicaSetView => ({
		set: 'rs0',
		dateMs: now,
		primary: 'mongodb-primary:27017',
		members: [
			{name: 'mongodb-primary:27017', state: 'PRIMARY', health: true, self: true, lagSeconds: 0},
			{name: 'mongodb-secondary-1:27017', state: 'SECONDARY', health: true, self: false, lagSeconds, note},
		],
		worst: lagSeconds === undefined ? undefined : {name: 'mongodb-secondary-1:27017', lagSeconds},
	});
	const kpis = (today: number, succeeded: number, lastTradeAgoMs: number): TradingKpis => ({today, lastHour: 3, succeeded, successRate: today > 0 ? succeeded / today : undefined, pnlTotal: -12.5, bySymbol: [], lastTradeMs: now - lastTradeAgoMs});
	const tradingOn = async () => [{service: 'rust-core-engine', url: 'http://127.0.0.1:1/api/health', at: now, ok: true, status: 200, latencyMs: 5, body: {trading_enabled: true}}] as unknown as Awaited<ReturnType<CheckContext['health']>>;

	it('are left out without MongoDB, and backup-age without a backup listing', async () => {
		const run = await runChecks(checkCatalog, 'all', context());
		for (const id of ['trading', 'mongo-pool', 'replication-lag']) expect(run.results.find(r => r.id === id)).toMatchObject({leftOut: true, reason: expect.stringContaining('no MongoDB configured') as string});
		expect(run.results.find(r => r.id === 'backup-age')).toMatchObject({leftOut: true, reason: expect.stringContaining('no backup listing') as string});
	});
	it('mongo-pool: pass, warn at 80 %, fail at 90 %; unknown when serverStatus failed or MongoDB is unreachable', async () => {
		const at = (current: number) => judge('mongo-pool', {database: async () => view({server: server(current, 100 - current)})}, mongoEnvironment);
		expect(all({pass: (await at(20)).status, warn: (await at(85)).status, fail: (await at(95)).status, unknown: (await judge('mongo-pool', {}, mongoEnvironment)).status})).toEqual({pass: 'pass', warn: 'warn', fail: 'fail', unknown: 'unknown'});
		const failedPart = await judge('mongo-pool', {database: async () => view({server: {...server(20, 80), fault: {kind: 'timeout', message: 'serverStatus timed out after 3000 ms'}}})}, mongoEnvironment);
		expect(failedPart).toMatchObject({status: 'unknown', reason: expect.stringContaining('timed out') as string});
	});
	it('replication-lag: pass under 1 s, fail above, unknown on a stale heartbeat or a part without privilege', async () => {
		const replication = (set: ReplicaSetView): DatabaseView['replication'] => ({updatedAt: now, value: {set, notReplicaSet: false}});
		expect(await judge('replication-lag', {database: async () => view({replication: replication(members(0.3))})}, mongoEnvironment)).toMatchObject({status: 'pass'});
		expect(await judge('replication-lag', {database: async () => view({replication: replication(members(2.4))})}, mongoEnvironment)).toMatchObject({status: 'fail', reason: expect.stringContaining('2.4 s on mongodb-secondary-1') as string, value: 2.4});
		expect(await judge('replication-lag', {database: async () => view({replication: replication(members(undefined, 'heartbeat 14 s old'))})}, mongoEnvironment)).toMatchObject({status: 'unknown'});
		const denied = await judge('replication-lag', {database: async () => view({replication: {updatedAt: 0, fault: {kind: 'unauthorized', message: 'not authorized on admin to execute command { replSetGetStatus: 1 }'}}})}, mongoEnvironment);
		expect(denied).toMatchObject({status: 'unknown', reason: expect.stringContaining('not authorized') as string});
	});
	it('trading: the success rate against 95 %, a stale last trade while trading is enabled, and the P&L in the reason', async () => {
		const trading = (value: TradingKpis) => async () => view({trading: {updatedAt: now, value}});
		const good = await judge('trading', {database: trading(kpis(200, 198, 60_000)), health: tradingOn}, mongoEnvironment);
		expect(good).toMatchObject({status: 'pass', reason: expect.stringContaining('P&L -12.50') as string});
		expect(await judge('trading', {database: trading(kpis(200, 180, 60_000)), health: tradingOn}, mongoEnvironment)).toMatchObject({status: 'fail', reason: expect.stringContaining('90.0 %') as string});
		expect(await judge('trading', {database: trading(kpis(200, 198, 3_600_000)), health: tradingOn}, mongoEnvironment)).toMatchObject({status: 'warn', reason: expect.stringContaining('while trading is enabled') as string});
		expect(await judge('trading', {}, mongoEnvironment)).toMatchObject({status: 'unknown'});
	});
	it('backup-age: pass within 26 h, fail older or with none, unknown when the listing cannot be read', async () => {
		const listing = (...ages: number[]) => async () => ({source: '/backup', entries: ages.map((age, i) => ({name: `dump_${i}`, createdMs: now - age})), problems: []});
		expect(await judge('backup-age', {backups: listing(7 * 3_600_000, 31 * 3_600_000)}, mongoEnvironment)).toMatchObject({status: 'pass'});
		expect(await judge('backup-age', {backups: listing(27 * 3_600_000)}, mongoEnvironment)).toMatchObject({status: 'fail'});
		expect(await judge('backup-age', {backups: listing()}, mongoEnvironment)).toMatchObject({status: 'fail'});
		expect(await judge('backup-age', {}, mongoEnvironment)).toMatchObject({status: 'unknown'});
	});
});
