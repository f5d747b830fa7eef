import React from 'react';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {configSchema, type EnvironmentConfig} from '../../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot, type DashboardRuntime} from '../../source/dashboard.js';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';
import {MongoFault} from '../../source/services/mongo/errors.js';
import type {MongoDatabaseService, MongoDocument} from '../../source/services/types-mongo.js';
import {container, fakeBackends, fakePlatform} from '../helpers/fake-backends.js';
import {renderTui, waitUntil} from '../helpers/tui.js';

type Tui = ReturnType<typeof renderTui>;

/** A server the test scripts, command by command: a reply, or what the driver would throw. */
type Script = Record<string, () => MongoDocument | MongoDocument[] | Error>;

function scriptedMongo(script: Script): MongoDatabaseService {
	const answer = async <T,>(name: string): Promise<T> => {
		const reply = (script[name] ?? (() => new Error(`no such command: ${name}`)))();
		if (reply instanceof Error) throw reply;
		return reply as T;
	};
	return {
		runCommand: (_db, command) => answer(Object.keys(command)[0]!),
		aggregate: (_db, collection, pipeline) => answer(collection === 1 ? '$currentOp' : `${Object.keys(pipeline[0] ?? {})[0]}:${collection}`),
		listCollections: () => answer('listCollections'),
		pools: () => [{address: '127.0.0.1:27017', open: 2, inUse: 1, waiting: 0, created: 2, closed: 0, checkOutFailed: 0, cleared: 0}],
		close: async () => {},
	};
}

const environment: EnvironmentConfig = {
	name: 'scripted',
	backend: {type: 'compose', project: 'bot-core'},
	protected: false,
	services: [{name: 'rust-core-engine', critical: true}, {name: 'mongodb-primary', critical: true}],
	mongo: {uriEnv: 'BOTOPS_SCRIPTED_URI', database: 'trading_bot'},
};

let counter = 0;
function serverStatus(): MongoDocument {
	counter += 1;
	return {host: 'mongodb-primary', version: '7.0.14', uptime: 100 + counter, localTime: new Date(), connections: {current: 170, available: 30, totalCreated: 500, active: 9}, opcounters: {insert: counter * 5, query: counter * 50, update: 0, delete: 0, getmore: 0, command: counter * 80}, opcountersRepl: {}, network: {bytesIn: counter * 1000, bytesOut: counter * 4000, numRequests: counter * 10}, ok: 1};
}

/** A primary that heard from one secondary 1.5 s ago (4.5 s behind then: 3 s lag) and from the other 20 s ago. */
function replSetGetStatus(): MongoDocument {
	const now = Date.now();
	return {
		set: 'rs0',
		date: new Date(now),
		ok: 1,
		members: [
			{_id: 0, name: 'mongodb-primary:27017', health: 1, stateStr: 'PRIMARY', self: true, optimeDate: new Date(now)},
			{_id: 1, name: 'mongodb-secondary-1:27017', health: 1, stateStr: 'SECONDARY', optimeDate: new Date(now - 4500), lastHeartbeatRecv: new Date(now - 1500)},
			{_id: 2, name: 'mongodb-secondary-2:27017', health: 1, stateStr: 'SECONDARY', optimeDate: new Date(now - 60_000), lastHeartbeatRecv: new Date(now - 20_000)},
		],
	};
}

const unauthorized = Object.assign(new Error('not authorized on admin to execute command { aggregate: 1, pipeline: [ { $currentOp: { allUsers: true } } ] }'), {name: 'MongoServerError', code: 13, codeName: 'Unauthorized'});

describe('the Database screen on a scripted server: each fault in its own part', () => {
	let runtime: DashboardRuntime;
	let tui: Tui;
	const script: Script = {
		serverStatus,
		replSetGetStatus,
		$currentOp: () => unauthorized,
		top: () => ({totals: {note: 'all times in microseconds', 'trading_bot.trades': {total: {time: counter * 200_000, count: counter}, readLock: {time: counter * 150_000, count: 1}, writeLock: {time: counter * 50_000, count: 1}}}, ok: 1}),
		find: () => ({cursor: {firstBatch: []}, ok: 1}),
		listCollections: () => [],
		'$match:trades': () => [],
		'$sort:trades': () => [],
	};

	beforeAll(() => {
		const platform = fakePlatform([container('mongodb-primary')]);
		runtime = createDashboardRuntime({
			config: configSchema.parse({environments: {}}),
			environment,
			refreshMs: 1000,
			readOnly: false,
			color: false,
			ascii: true,
			initialScreen: 'database',
			openBackends: async env => ({...fakeBackends(env, platform), mongo: scriptedMongo(script)}),
		});
		void runtime.connect();
		tui = renderTui(<DashboardRoot runtime={runtime} />, {columns: 100, rows: 50});
	});

	afterAll(() => {
		tui?.unmount();
		runtime?.close();
	});

	it('shows the connections gauge at 85 %, rates after two samples, and the pool', async () => {
		const frame = await tui.waitFor(/insert\s+[\d.]+/);
		expect(frame).toContain('170 of 200 (85.0 %)');
		expect(frame).toContain('pool 127.0.0.1:27017: 2 open, 1 in use, 0 waiting');
	});

	it('flags the 3 s lag, calls the 20 s old heartbeat unknown instead of alerting on it, and says currentOp is not allowed', async () => {
		const frame = await tui.waitFor('mongodb-secondary-1:27017');
		expect(frame).toMatch(/replication lag 3\.0 s on mongodb-secondary-1:27017 \(limit 1 s\)/);
		expect(frame).toMatch(/mongodb-secondary-2:270\S*\s+SECONDARY\s+-\s+20\.0 s/);
		expect(frame).toContain('heartbeat from mongodb-secondary-2');
		expect(runtime.store.getState().database.data.replication.value?.set?.members[2]?.note).toBe('heartbeat from mongodb-secondary-2:27017 20 s old');
		expect(frame).toMatch(/currentOp no privilege: not authorized on admin to execute command/);
		// The other parts keep working under the currentOp fault.
		expect(frame).toMatch(/trading_bot\.trades\s+[\d.]+ms/);
	});

	it('says MongoDB is unreachable with the data age, keeps the last data, and recovers', async () => {
		const working = {serverStatus: script.serverStatus!, replSetGetStatus: script.replSetGetStatus!, top: script.top!};
		const refused = () => new MongoFault('unreachable', 'connect ECONNREFUSED 127.0.0.1:27017');
		script.serverStatus = refused;
		script.replSetGetStatus = refused;
		script.top = refused;
		const frame = await tui.waitFor(/mongo unreachable: connect ECONNREFUSED 127\.0\.0\.1:27017 - retrying in \d+ s/);
		expect(frame).toContain('170 of 200 (85.0 %)');
		await tui.waitFor(/replSetGetStatus unreachable: connect ECONNREFUSED 127\.0\.0\.1:27017; retrying/);
		Object.assign(script, working);
		await tui.waitFor(frame2 => !frame2.includes('ECONNREFUSED') && frame2.includes('mongodb-secondary-1'), 15_000);
	});

	it('stays within 100x50 and gives the Dashboard its database line', async () => {
		const lines = tui.lines();
		expect(lines.length).toBeLessThanOrEqual(49);
		expect(Math.max(...lines.map(l => l.length))).toBeLessThanOrEqual(100);
		await tui.press('1');
		await tui.waitFor(/db conn 170 . lag 3\.0 s . longest op -/);
	});
});

describe('the Database and Trading screens against the demo wire server (mongo-replication-lag)', () => {
	let demo: DemoDeployment;
	let runtime: DashboardRuntime;
	let tui: Tui;

	beforeAll(async () => {
		demo = await startDemo({scenario: 'mongo-replication-lag', tickMs: 200});
		runtime = createDashboardRuntime({config: configSchema.parse({environments: {}}), environment: demo.environment, refreshMs: 1000, readOnly: false, color: false, ascii: true});
		void runtime.connect();
		tui = renderTui(<DashboardRoot runtime={runtime} />, {columns: 80, rows: 24});
	});

	afterEach(async () => {
		if (runtime.store.getState().modal) runtime.store.getState().closeModal();
	});

	afterAll(async () => {
		tui?.unmount();
		runtime?.close();
		await demo?.stop();
	});

	it('shows the flagged lag of the lagging secondary on the Database screen at 80x24', async () => {
		await tui.press('9');
		await tui.waitFor('Op rates');
		await tui.press('v');
		const frame = await tui.waitFor(/replication lag \d+(\.\d)? s on 127\.0\.0\.1:\d+ \(limit 1 s\)/, 10_000);
		// The lag cell carries the crit mark (X in ASCII).
		expect(frame).toMatch(/SECONDARY\s+X \d+(\.\d)? s/);
		expect(frame.split('\n').length).toBeLessThanOrEqual(23);
		expect(Math.max(...tui.lines().map(l => l.length))).toBeLessThanOrEqual(80);
	});

	it('kills a slow operation through the dialog, and says it is gone', async () => {
		const {activity} = await demo.mongo.ready();
		const op = activity.startSlowOp('trades-collscan');
		await tui.press('v', 'v', 'v', 'v', 'v');
		await tui.waitFor(new RegExp(`\\s${op.opid}\\s`), 10_000);
		// The demo's own slow operations may run longer than this one: move the selection onto it.
		const index = runtime.store.getState().database.data.ops.value!.findIndex(o => o.opid === op.opid);
		for (let i = 0; i < index; i++) await tui.press('j');
		await tui.waitFor(new RegExp(`[›>]\\s*${op.opid}\\s`), 10_000);
		await tui.press('K');
		const modal = await tui.waitFor('Kill operation');
		expect(modal).toContain(`opid      ${op.opid}`);
		expect(modal).toContain('namespace trading_bot.trades');
		expect(modal).toMatch(/\[y\/N\]/);
		await tui.press('y');
		await tui.waitFor(`operation ${op.opid} is gone`, 10_000);
		await waitUntil(() => !activity.activeOps().some(o => o.opid === op.opid), {what: 'the op to be killed'});
	});

	it('shows the trading KPIs and P&L by symbol', async () => {
		await tui.press('escape');
		await tui.press(':');
		await tui.press(...'trading'.split(''), '\r');
		const frame = await tui.waitFor(/success rate [\d.]+ % of \d+ trades today/, 15_000);
		expect(frame).toMatch(/BTCUSDT\s+\d+\s+[+-][\d.]+/);
	});
});

describe('kill-op on a protected environment', () => {
	let runtime: DashboardRuntime;
	let tui: Tui;
	let stateDir: string;
	const killed: unknown[] = [];
	const slowOp = {opid: 4242, active: true, op: 'query', ns: 'trading_bot.trades', client: '10.0.0.5:5000', appName: 'rust-core-engine', microsecs_running: 95_000_000, planSummary: 'COLLSCAN', command: {find: 'trades'}};
	let running = true;

	beforeAll(async () => {
		const {mkdtempSync} = await import('node:fs');
		const {tmpdir} = await import('node:os');
		const path = await import('node:path');
		stateDir = mkdtempSync(path.join(tmpdir(), 'botops-killop-screen-'));
		const script: Script = {
			serverStatus,
			replSetGetStatus,
			$currentOp: () => (running ? [slowOp] : []),
			top: () => ({totals: {}, ok: 1}),
			killOp: () => {
				killed.push(slowOp.opid);
				running = false;
				return {info: 'attempting to kill op', ok: 1};
			},
		};
		process.env['BOTOPS_SCRIPTED_URI'] = 'mongodb://botuser:Scripted-pw-1234@127.0.0.1:1/trading_bot';
		const platform = fakePlatform([container('mongodb-primary')]);
		runtime = createDashboardRuntime({
			config: configSchema.parse({environments: {}}),
			environment: {...environment, name: 'production', protected: true, stateDir},
			refreshMs: 1000,
			readOnly: false,
			color: false,
			ascii: true,
			initialScreen: 'database',
			openBackends: async env => ({...fakeBackends(env, platform), mongo: scriptedMongo(script)}),
		});
		void runtime.connect();
		tui = renderTui(<DashboardRoot runtime={runtime} />, {columns: 100, rows: 40});
	});

	afterAll(() => {
		tui?.unmount();
		runtime?.close();
		delete process.env['BOTOPS_SCRIPTED_URI'];
	});

	it('shows the operation, cancels by default, then asks for the typed environment name, kills it and audits it', async () => {
		await tui.waitFor(/>\s*4242\s+1m35s/);
		await tui.press('K');
		const dialog = await tui.waitFor('Kill operation');
		expect(dialog).toContain('opid      4242');
		expect(dialog).toContain('client    rust-core-engine 10.0.0.5:5000');
		expect(dialog).toContain('running   1m35s');
		expect(dialog).toContain('operation query COLLSCAN');
		expect(dialog).toContain('Type production and press enter to confirm');
		// Enter on an empty answer is Cancel.
		await tui.press('\r');
		await tui.waitFor(frame => !frame.includes('Kill operation'));
		expect(killed).toEqual([]);
		await tui.press('K');
		await tui.waitFor('Kill operation');
		await tui.press(...'production'.split(''), '\r');
		await tui.waitFor('operation 4242 is gone', 10_000);
		expect(killed).toEqual([4242]);
		const {readFileSync} = await import('node:fs');
		const audit = readFileSync(`${stateDir}/audit.jsonl`, 'utf8');
		expect(audit).toContain('"runbook":"db-kill-op"');
		expect(audit).toContain('"inputs":{"opid":4242,"ns":"trading_bot.trades"}');
		expect(audit).toContain('"outcome":"ok"');
		expect(audit).not.toContain('Scripted-pw-1234');
	});
});
