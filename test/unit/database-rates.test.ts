import {Long} from 'bson';
import {describe, expect, it} from 'vitest';
import {readCurrentOps, serviceMatcher} from '../../source/database/current-ops.js';
import {cacheFractions, readServerStatus, serverRates} from '../../source/database/server-status.js';
import {hotCollections, readTop} from '../../source/database/top.js';
import {connectionsVerdict, longestOpVerdict} from '../../source/database/verdicts.js';
import {readCollectionStats, readIndexStats} from '../../source/database/collections.js';

const t0 = Date.UTC(2026, 11, 2, 12, 0, 0);

function serverStatus(at: number, n: number, extra: Record<string, unknown> = {}) {
	return {
		host: 'mongodb-primary:27017',
		version: '7.0.14',
		uptime: 1000 + (at - t0) / 1000,
		localTime: new Date(at),
		connections: {current: 42, available: 158, totalCreated: 900, active: 7},
		opcounters: {insert: 100 + 10 * n, query: 500 + 40 * n, update: 20 + 2 * n, delete: 1, getmore: 30, command: new Long(1000 + 100 * n)},
		opcountersRepl: {insert: 5 + 3 * n, query: 0, update: 0, delete: 0, getmore: 0, command: 0},
		network: {bytesIn: 1_000_000 + 20_000 * n, bytesOut: 4_000_000 + 80_000 * n, numRequests: 5000 + 150 * n},
		mem: {resident: 512},
		wiredTiger: {cache: {'bytes currently in the cache': 400 * 2 ** 20, 'tracked dirty bytes in the cache': 20 * 2 ** 20, 'maximum bytes configured': 1024 * 2 ** 20}},
		ok: 1,
		...extra,
	};
}

describe('serverStatus rates, as mongostat shows them', () => {
	it('divides each counter growth by the seconds between the server times, local and replicated apart', () => {
		const a = readServerStatus(serverStatus(t0, 0), t0 + 7);
		const b = readServerStatus(serverStatus(t0 + 2000, 2), t0 + 2500);
		const rates = serverRates(a, b)!;
		expect(rates.seconds).toBe(2);
		expect(rates.ops).toEqual({insert: 10, query: 40, update: 2, delete: 0, getmore: 0, command: 100});
		expect(rates.repl.insert).toBe(3);
		expect(rates.netInBytes).toBe(20_000);
		expect(rates.netOutBytes).toBe(80_000);
		expect(rates.requests).toBe(150);
		expect(cacheFractions(b)).toEqual({used: 400 / 1024, dirty: 20 / 1024});
		expect(b.connections).toEqual({current: 42, available: 158, totalCreated: 900, active: 7});
		expect(b.residentMb).toBe(512);
	});

	it('leaves rates out across a restart (uptime went down) and for samples out of order', () => {
		const a = readServerStatus(serverStatus(t0, 5), t0);
		const restarted = readServerStatus(serverStatus(t0 + 1000, 0, {uptime: 3}), t0 + 1000);
		expect(serverRates(a, restarted)).toBeUndefined();
		expect(serverRates(a, a)).toBeUndefined();
		const wrapped = readServerStatus(serverStatus(t0 + 1000, 6, {opcounters: {insert: 1}}), t0 + 1000);
		expect(serverRates(a, wrapped)!.ops.insert).toBeUndefined();
	});

	it('judges connections in use against 80 % and 90 %', () => {
		expect(connectionsVerdict({current: 42, available: 158}).status).toBe('pass');
		expect(connectionsVerdict({current: 170, available: 30})).toMatchObject({status: 'warn', figure: '170 of 200 (85.0 %)'});
		expect(connectionsVerdict({current: 190, available: 10}).status).toBe('fail');
		expect(connectionsVerdict(undefined).status).toBe('unknown');
	});
});

describe('top, as mongotop shows it', () => {
	it('turns cumulative microseconds into ms per second, busiest first, with new namespaces counted from zero', () => {
		const entry = (total: number, read: number, write: number) => ({total: {time: total, count: 1}, readLock: {time: read, count: 1}, writeLock: {time: write, count: 1}});
		const a = readTop({totals: {note: 'all times in microseconds', 'trading_bot.trades': entry(1_000_000, 600_000, 400_000), 'trading_bot.users': entry(50_000, 50_000, 0)}, ok: 1}, t0);
		const b = readTop({totals: {note: 'all times in microseconds', 'trading_bot.trades': entry(1_300_000, 700_000, 600_000), 'trading_bot.users': entry(50_000, 50_000, 0), 'trading_bot.orders': entry(20_000, 0, 20_000)}, ok: 1}, t0 + 2000);
		expect(hotCollections(a, b)).toEqual([
			{ns: 'trading_bot.trades', totalMsPerS: 150, readMsPerS: 50, writeMsPerS: 100},
			{ns: 'trading_bot.orders', totalMsPerS: 10, readMsPerS: 0, writeMsPerS: 10},
		]);
		expect(hotCollections(b, a)).toEqual([]);
	});
});

describe('current operations', () => {
	const ops = [
		{opid: 11, active: true, op: 'query', ns: 'trading_bot.trades', client: '10.0.0.5:51234', appName: 'rust-core-engine', microsecs_running: new Long(12_500_000), planSummary: 'COLLSCAN', command: {find: 'trades', filter: {user_id: 'u1'}}},
		{opid: 12, active: true, op: 'update', ns: 'trading_bot.users', client: '10.0.0.6:40000', appName: 'python-ai-service/1.2', secs_running: 3, command: {update: 'users', comment: 'password=hunter2hunter2'}},
		{opid: 13, active: true, op: 'none', ns: 'local.oplog.rs', desc: 'ReplWriterWorker-1', secs_running: 900},
		{opid: 14, active: true, op: 'command', ns: 'admin.$cmd.aggregate', client: '127.0.0.1:1', appName: 'botops', command: {aggregate: 1, pipeline: [{$currentOp: {}}]}},
		{opid: 15, active: false, op: 'query', ns: 'trading_bot.trades', client: '10.0.0.5:1'},
		{opid: 16, active: true, op: 'query', ns: 'trading_bot.trades', client: '10.0.0.7:1', appName: 'MongoDB Compass', microsecs_running: 100},
	];

	it('lists the active non-system ops, longest first, with appName mapped to the service and the command scrubbed', () => {
		const rows = readCurrentOps(ops, serviceMatcher(['rust-core-engine', 'python-ai-service', 'mongodb-primary'], {'MongoDB Compass': 'an operator'}));
		expect(rows.map(r => r.opid)).toEqual([11, 12, 16]);
		expect(rows[0]).toMatchObject({ns: 'trading_bot.trades', op: 'query', service: 'rust-core-engine', runningMs: 12_500, planSummary: 'COLLSCAN'});
		expect(rows[1]!.service).toBe('python-ai-service');
		expect(rows[1]!.command).not.toContain('hunter2');
		expect(rows[2]!.service).toBe('an operator');
	});

	it('warns on an op over 10 s and fails one over a minute, naming it', () => {
		const rows = readCurrentOps(ops, serviceMatcher(['rust-core-engine']));
		const verdict = longestOpVerdict(rows);
		expect(verdict.status).toBe('warn');
		expect(verdict.reason).toContain('opid 11 query trading_bot.trades from rust-core-engine');
		expect(longestOpVerdict([{...rows[0]!, runningMs: 61_000}]).status).toBe('fail');
		expect(longestOpVerdict([]).status).toBe('pass');
	});
});

describe('collections and indexes', () => {
	it('reads $collStats storage stats, the collStats command reply and $indexStats', () => {
		const stats = {storageStats: {count: 1200, size: 480_000, storageSize: 256_000, nindexes: 3, totalIndexSize: 90_000}};
		expect(readCollectionStats('trades', stats)).toEqual({name: 'trades', count: 1200, sizeBytes: 480_000, storageBytes: 256_000, indexes: 3, indexBytes: 90_000});
		expect(readCollectionStats('users', {count: 4, size: 100, ok: 1}).count).toBe(4);
		const since = new Date(t0);
		expect(readIndexStats('trades', [{name: 'user_id_1_timestamp_-1', key: {user_id: 1, timestamp: -1}, accesses: {ops: new Long(77), since}}])).toEqual([
			{collection: 'trades', name: 'user_id_1_timestamp_-1', key: 'user_id 1, timestamp -1', ops: 77, sinceMs: t0},
		]);
	});
});
