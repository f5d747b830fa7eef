// The trading KPI aggregation over 100,000 trades in the demo's MongoDB, through the official driver: today's trades
// by symbol with their P&L and counts by status. Peers in the same run: the same pipeline in mingo without the wire,
// and a hand-written loop over the same documents (the floor). The server hands mingo only the trades from the
// start of a timestamp range (they are stored in time order), so its figure can beat mingo's over all of them. Times are noisy on a shared machine; bytes are exact.
import {performance} from 'node:perf_hooks';
import {MongoClient} from 'mongodb';
import {aggregate} from 'mingo';
import {defaultMongoUsers, startDemoMongo} from '../source/demo/mongo/server.js';
import {World} from '../source/demo/world.js';
import {median} from './terminal.js';

const runs = Number(process.env.BENCH_RUNS ?? 15);
const tradeCount = 100_000;
// 18:00 UTC, with two days of trades behind it: today holds 18 of the 48 hours.
const now = Date.UTC(2026, 11, 2, 18, 0, 0);
const today = new Date(Date.UTC(2026, 11, 2));

const pipeline = [
	{$match: {timestamp: {$gte: today}}},
	{
		$group: {
			_id: '$symbol',
			pnl: {$sum: '$pnl'},
			trades: {$sum: 1},
			executed: {$sum: {$cond: [{$eq: ['$status', 'executed']}, 1, 0]}},
			failed: {$sum: {$cond: [{$eq: ['$status', 'failed']}, 1, 0]}},
		},
	},
	{$sort: {_id: 1}},
];

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
const rssBefore = process.memoryUsage().rss;
const world = new World({clock: () => now, backlogLines: 5});
const mongo = await startDemoMongo(world, {users: defaultMongoUsers('bench-app-password', 'bench-read-password'), backlogTrades: tradeCount, backlogHours: 48});
const {data, activity} = await mongo.ready();
const client = new MongoClient(mongo.uris.botuser, {serverSelectionTimeoutMS: 5000});
try {
	const trades = client.db('trading_bot').collection('trades');
	let started = performance.now();
	const count = await trades.estimatedDocumentCount();
	const firstRead = performance.now() - started;
	const rssLoaded = process.memoryUsage().rss;

	const viaDriver: number[] = [];
	const bytes: Array<{in: number; out: number}> = [];
	let result: unknown[] = [];
	for (let i = 0; i < runs; i++) {
		const network = {...activity.servedNetwork};
		started = performance.now();
		result = await trades.aggregate(pipeline).toArray();
		viaDriver.push(performance.now() - started);
		bytes.push({in: activity.servedNetwork.bytesIn - network.bytesIn, out: activity.servedNetwork.bytesOut - network.bytesOut});
	}
	const rssAfter = process.memoryUsage().rss;
	// The last hour: the server skips the older trades by time order (as an index on timestamp would); mingo alone scans all.
	const hour = [{$match: {timestamp: {$gte: new Date(now - 3_600_000)}}}, {$group: {_id: null, trades: {$sum: 1}, failed: {$sum: {$cond: [{$eq: ['$status', 'failed']}, 1, 0]}}}}];
	const lastHourDriver: number[] = [];
	const lastHourMingo: number[] = [];
	for (let i = 0; i < runs; i++) {
		started = performance.now();
		await trades.aggregate(hour).toArray();
		lastHourDriver.push(performance.now() - started);
		started = performance.now();
		aggregate(data.trades.documents, hour);
		lastHourMingo.push(performance.now() - started);
	}

	const documents = data.trades.documents;
	const inMingo: number[] = [];
	for (let i = 0; i < runs; i++) {
		started = performance.now();
		aggregate(documents, pipeline);
		inMingo.push(performance.now() - started);
	}
	const byLoop: number[] = [];
	for (let i = 0; i < runs; i++) {
		started = performance.now();
		const rows = new Map<string, {pnl: number; trades: number; executed: number; failed: number}>();
		for (const trade of documents) {
			if (trade.timestamp < today) continue;
			let row = rows.get(trade.symbol);
			if (!row) rows.set(trade.symbol, (row = {pnl: 0, trades: 0, executed: 0, failed: 0}));
			row.pnl += trade.pnl;
			row.trades++;
			if (trade.status === 'executed') row.executed++;
			else if (trade.status === 'failed') row.failed++;
		}
		byLoop.push(performance.now() - started);
	}

	const todays = documents.filter(trade => trade.timestamp >= today).length;
	console.log(`KPI aggregation over ${count.toLocaleString('en')} trades (${todays.toLocaleString('en')} today, ${result.length} symbols), median of ${runs}:`);
	console.log(`  through the driver + wire    ${median(viaDriver).toFixed(1).padStart(7)} ms   (request ${bytes[0].in} B, reply ${bytes[0].out} B)`);
	console.log(`  mingo in-process (peer)      ${median(inMingo).toFixed(1).padStart(7)} ms   (wire + driver overhead ${(median(viaDriver) - median(inMingo)).toFixed(1)} ms)`);
	console.log(`  hand-written loop (floor)    ${median(byLoop).toFixed(1).padStart(7)} ms   (mingo/loop ${(median(inMingo) / median(byLoop)).toFixed(1)}x)`);
	console.log(`  last hour through the driver ${median(lastHourDriver).toFixed(1).padStart(7)} ms   (mingo over all trades ${median(lastHourMingo).toFixed(1)} ms)`);
	console.log(`  first read (writes the 100k backlog)  ${firstRead.toFixed(0)} ms`);
	console.log(`  RSS: ${mb(rssBefore)} at start, ${mb(rssLoaded)} with the trades, ${mb(rssAfter)} after ${runs} aggregations`);
} finally {
	await client.close();
	await mongo.close();
}
