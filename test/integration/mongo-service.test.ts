// botops' MongoDB service (the official driver) against the demo's wire-protocol server: every command botops
// uses, kill-op through the runbook engine with its audit record, and the faults each part of the pane shows.
import {mkdtempSync, readFileSync} from 'node:fs';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {defaultMongoUsers, startDemoMongo, type DemoMongo} from '../../source/demo/mongo/server.js';
import {World} from '../../source/demo/world.js';
import {databaseSettings} from '../../source/database/settings.js';
import {emptyDatabaseView, foldReading} from '../../source/database/view.js';
import {replicationVerdict} from '../../source/database/verdicts.js';
import {createAuditLog} from '../../source/services/audit.js';
import {describeError} from '../../source/services/errors.js';
import {readMongo} from '../../source/services/mongo/reading.js';
import {createMongoService, openMongoService} from '../../source/services/mongo/service.js';
import type {MongoDatabaseService} from '../../source/services/types-mongo.js';
import {buildPlan, executePlan} from '../../source/runbooks/engine.js';
import {loadBuiltinRunbooks} from '../../source/runbooks/loader.js';
import {scrub} from '../../source/util/secrets.js';
import type {EnvironmentConfig} from '../../source/config/schema.js';

const appPassword = 'Pw0rd-app-7c1e94d2';
const readOnlyPassword = 'Pw0rd-ro-5b83a0f6';

let world: World;
let mongo: DemoMongo;
let service: MongoDatabaseService;
const environment: EnvironmentConfig = {
	name: 'demo-test',
	backend: {type: 'compose', project: 'bot-core'},
	protected: false,
	services: [{name: 'rust-core-engine', critical: true}, {name: 'python-ai-service', critical: true}, {name: 'mongodb-primary', critical: true}],
	mongo: {uriEnv: 'BOTOPS_TEST_MONGODB_URI', database: 'trading_bot'},
};
const settings = databaseSettings(environment);
const read = (target: MongoDatabaseService, slow = true) => readMongo(target, {database: settings.database, tradeFields: settings.tradeFields, slow, now: Date.now()});

beforeAll(async () => {
	world = new World({backlogLines: 5});
	mongo = await startDemoMongo(world, {users: defaultMongoUsers(appPassword, readOnlyPassword)});
	service = await createMongoService({uri: mongo.uris.botuser!, timeoutMs: 3000});
});

afterAll(async () => {
	await service?.close();
	await mongo?.close();
});

describe('the MongoDB service against the demo server', () => {
	it('reads every command botops uses, and two readings give rates, lag, ops, top, collections, indexes, KPIs and the pool', async () => {
		const first = await read(service);
		for (const part of [first.serverStatus, first.replSetGetStatus, first.currentOp, first.top, first.slow!.oplog, first.slow!.collections, first.slow!.trades]) {
			expect(part.ok ? 'ok' : part.fault.message).toBe('ok');
		}
		await new Promise(resolve => setTimeout(resolve, 1100));
		const view = foldReading(foldReading(emptyDatabaseView(), first, settings), await read(service, false), settings);
		const server = view.server.value!;
		expect(server.sample.connections!.current).toBeGreaterThan(0);
		expect(server.rates!.seconds).toBeGreaterThan(0.5);
		expect(server.rates!.ops.command).toBeGreaterThan(0);
		expect(server.cache!.used).toBeGreaterThan(0);
		const replication = view.replication.value!;
		expect(replication.set!.members).toHaveLength(3);
		expect(replication.set!.primary).toBe(mongo.hosts[0]);
		// A healthy demo set: the corrected lag stays under the 1 s bound.
		expect(replicationVerdict(replication.set).status).toBe('pass');
		expect(replication.oplogWindowSeconds).toBeGreaterThan(3600);
		expect(view.hot.value!.length).toBeGreaterThan(0);
		const collections = view.collections.value!;
		expect(collections.problems).toEqual([]);
		expect(collections.stats.find(c => c.name === 'trades')!.count).toBeGreaterThan(0);
		expect(collections.indexes.some(i => i.collection === 'trades' && i.name === '_id_')).toBe(true);
		expect(view.trading.value!.today).toBeGreaterThanOrEqual(0);
		expect(view.trading.value!.lastTradeMs).toBeGreaterThan(0);
		expect(view.pools[0]!.open).toBeGreaterThan(0);
	});

	it('kills a slow operation through the db-kill-op runbook, audited, and the op is gone from $currentOp', async () => {
		const op = (await mongo.ready()).activity.startSlowOp('trades-collscan');
		const before = foldReading(emptyDatabaseView(), await read(service, false), settings);
		const listed = before.ops.value!.find(o => o.opid === op.opid);
		expect(listed).toMatchObject({ns: 'trading_bot.trades'});
		const runbook = loadBuiltinRunbooks().find(r => r.id === 'db-kill-op')!;
		const env = {BOTOPS_TEST_MONGODB_URI: mongo.uris.botuser!};
		const planned = await buildPlan(runbook, {opid: String(op.opid), ns: listed!.ns}, {environment, env, readOnly: false});
		if (!planned.ok) throw new Error(planned.errors.join('; '));
		const auditFile = path.join(mkdtempSync(path.join(tmpdir(), 'botops-killop-')), 'audit.jsonl');
		const result = await executePlan(planned.plan, {mongo: service, health: {probe: async () => ({ok: true})} as never, env, audit: createAuditLog({file: auditFile})}, {confirmation: true});
		expect(result.outcome).toBe('ok');
		const after = foldReading(emptyDatabaseView(), await read(service, false), settings);
		expect(after.ops.value!.some(o => o.opid === op.opid)).toBe(false);
		const audit = readFileSync(auditFile, 'utf8');
		expect(audit).toContain('"runbook":"db-kill-op"');
		expect(audit).toContain(`"inputs":{"opid":${op.opid},"ns":"trading_bot.trades"}`);
		expect(audit).toContain(`"outcome":"ok"`);
		expect(audit).not.toContain(appPassword);
	});

	it('keeps reading when a secondary goes away mid-refresh', async () => {
		await mongo.setMemberReachable(2, false);
		try {
			const reading = await read(service, false);
			expect(reading.serverStatus.ok && reading.replSetGetStatus.ok && reading.currentOp.ok).toBe(true);
			// The member is shown unreachable, and the replication check fails on it rather than reading a lag.
			const view = foldReading(emptyDatabaseView(), reading, settings);
			const set = view.replication.value!.set!;
			expect(set.members.find(member => member.name === mongo.hosts[2])).toMatchObject({health: false});
			expect(replicationVerdict(set)).toMatchObject({status: 'fail', reason: expect.stringContaining(`${mongo.hosts[2]} unreachable`) as string});
		} finally {
			await mongo.setMemberReachable(2, true);
		}
	});
});

describe('faults, each in its own part, with the server message and never the password', () => {
	it('reports a wrong password as an authentication failure', async () => {
		const wrong = mongo.uris.botuser!.replace(encodeURIComponent(appPassword), 'not-the-password-9f8e');
		const bad = await createMongoService({uri: wrong, timeoutMs: 3000});
		try {
			const reading = await read(bad, false);
			expect(reading.serverStatus.ok).toBe(false);
			if (reading.serverStatus.ok) return;
			expect(reading.serverStatus.fault.kind).toBe('auth');
			expect(reading.serverStatus.fault.message).toMatch(/Authentication failed/i);
			expect(JSON.stringify(reading)).not.toContain('not-the-password-9f8e');
		} finally {
			await bad.close();
		}
	});

	it('shows a user without the privilege for currentOp in the operations part only', async () => {
		const reporter = await createMongoService({uri: mongo.uris.reporter!, timeoutMs: 3000});
		try {
			const reading = await read(reporter, true);
			expect(reading.currentOp.ok).toBe(false);
			if (!reading.currentOp.ok) {
				expect(reading.currentOp.fault.kind).toBe('unauthorized');
				expect(reading.currentOp.fault.message).toMatch(/not authorized on admin/);
			}
			// The trades it may read still come back.
			expect(reading.slow!.trades.ok).toBe(true);
			expect(JSON.stringify(reading)).not.toContain(readOnlyPassword);
		} finally {
			await reporter.close();
		}
	});

	it('reports an unreachable server, and a server that never answers as a timeout', async () => {
		const closed = net.createServer();
		await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
		const closedPort = (closed.address() as net.AddressInfo).port;
		await new Promise(resolve => closed.close(resolve));
		const unreachable = await createMongoService({uri: `mongodb://botuser:${appPassword}@127.0.0.1:${closedPort}/?directConnection=true`, timeoutMs: 500});
		const silent = net.createServer(socket => socket.on('data', () => {}));
		await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve));
		const silentPort = (silent.address() as net.AddressInfo).port;
		const mute = await createMongoService({uri: `mongodb://botuser:${appPassword}@127.0.0.1:${silentPort}/?directConnection=true`, timeoutMs: 500});
		try {
			const refused = (await unreachable.runCommand('admin', {ping: 1}).catch((error: unknown) => error)) as {kind: string; message: string};
			expect(refused).toMatchObject({kind: 'unreachable', message: expect.stringContaining('ECONNREFUSED')});
			const timedOut = (await mute.runCommand('admin', {ping: 1}).catch((error: unknown) => error)) as {kind: string; message: string};
			expect(timedOut.kind === 'timeout' || /timed out/i.test(timedOut.message)).toBe(true);
			for (const error of [refused, timedOut]) expect(describeError(error)).not.toContain(appPassword);
		} finally {
			await Promise.all([unreachable.close(), mute.close()]);
			silent.close();
		}
	});

	it('says which variable is missing when the URI is not set, and masks the registered password everywhere', async () => {
		const missing = await openMongoService('BOTOPS_TEST_UNSET_URI', {timeoutMs: 500, env: {}});
		await expect(missing.runCommand('admin', {ping: 1})).rejects.toMatchObject({message: 'mongo: environment variable BOTOPS_TEST_UNSET_URI is not set (it holds the MongoDB URI)'});
		// createMongoService registered the URI: its password alone is masked too, wherever it shows up.
		expect(scrub(`login as botuser with ${appPassword} failed`)).not.toContain(appPassword);
		expect(scrub(mongo.uris.botuser!)).not.toContain(appPassword);
	});
});
