import type {MongoPart, MongoPartFault, MongoReading} from '../services/mongo/reading.js';
import type {MongoPoolState} from '../services/types-mongo.js';
import {readCollectionStats, readIndexStats, type CollectionStats, type IndexUse} from './collections.js';
import {readCurrentOps, type CurrentOp} from './current-ops.js';
import {oplogWindowSeconds, readReplicaSet, type ReplicaSetView} from './replication.js';
import {cacheFractions, readServerStatus, serverRates, type ServerRates, type ServerSample} from './server-status.js';
import type {DatabaseSettings} from './settings.js';
import {hotCollections, readTop, type HotCollection, type TopSample} from './top.js';
import {tradingKpis, type TradingKpis} from './trading.js';

/** One part of the Database pane: its last good value, and what went wrong since (shown in that part only). */
export type DatabaseSection<T> = {value?: T; fault?: MongoPartFault; updatedAt: number};

export type ServerView = {sample: ServerSample; rates?: ServerRates; cache?: {used: number; dirty: number}};
export type ReplicationView = {set?: ReplicaSetView; notReplicaSet: boolean; oplogWindowSeconds?: number};
export type CollectionsView = {stats: CollectionStats[]; indexes: IndexUse[]; problems: string[]};

/** The Database and Trading screens' data, derived from the successive readings. */
export type DatabaseView = {
	server: DatabaseSection<ServerView>;
	replication: DatabaseSection<ReplicationView>;
	ops: DatabaseSection<CurrentOp[]>;
	hot: DatabaseSection<HotCollection[]>;
	/** The raw top sample the next hot-collection rates are computed against. */
	topSample?: TopSample;
	collections: DatabaseSection<CollectionsView>;
	trading: DatabaseSection<TradingKpis>;
	pools: MongoPoolState[];
};

export const emptyDatabaseView = (): DatabaseView => ({server: {updatedAt: 0}, replication: {updatedAt: 0}, ops: {updatedAt: 0}, hot: {updatedAt: 0}, collections: {updatedAt: 0}, trading: {updatedAt: 0}, pools: []});

/** A part's new state: the value on success, the last value under the fault otherwise. */
function section<R, T>(previous: DatabaseSection<T>, part: MongoPart<R> | undefined, at: number, read: (value: R) => T): DatabaseSection<T> {
	if (!part) return previous;
	if (!part.ok) return {value: previous.value, updatedAt: previous.updatedAt, fault: part.fault};
	return {value: read(part.value), updatedAt: at};
}

/** Folds one reading into the view: rates against the previous sample, lag, ops, top, and the slow parts when read. */
export function foldReading(previous: DatabaseView, reading: MongoReading, settings: DatabaseSettings): DatabaseView {
	const at = reading.at;
	const server = section(previous.server, reading.serverStatus, at, status => {
		const sample = readServerStatus(status, at);
		const before = previous.server.value?.sample;
		return {sample, rates: before ? serverRates(before, sample) : undefined, cache: cacheFractions(sample)};
	});
	let replication: DatabaseSection<ReplicationView>;
	if (!reading.replSetGetStatus.ok && reading.replSetGetStatus.fault.kind === 'not-replica-set') {
		replication = {value: {notReplicaSet: true}, updatedAt: at};
	} else {
		replication = section(previous.replication, reading.replSetGetStatus, at, status => ({
			set: readReplicaSet(status),
			notReplicaSet: false,
			oplogWindowSeconds: previous.replication.value?.oplogWindowSeconds,
		}));
	}
	const oplog = reading.slow?.oplog;
	if (oplog?.ok && replication.value) replication = {...replication, value: {...replication.value, oplogWindowSeconds: oplogWindowSeconds(oplog.value.first, oplog.value.last)}};
	const topPart = reading.top;
	const topSample = topPart.ok ? readTop(topPart.value, at) : previous.topSample;
	const hot = section(previous.hot, topPart, at, () => (previous.topSample && topSample ? hotCollections(previous.topSample, topSample) : []));
	return {
		server,
		replication,
		ops: section(previous.ops, reading.currentOp, at, ops => readCurrentOps(ops, settings.services)),
		hot,
		topSample,
		collections: section(previous.collections, reading.slow?.collections, at, collections => {
			const problems: string[] = [];
			const stats: CollectionStats[] = [];
			const indexes: IndexUse[] = [];
			for (const collection of collections) {
				if (collection.stats.ok) stats.push(readCollectionStats(collection.name, collection.stats.value));
				else problems.push(`${collection.name}: ${collection.stats.fault.message}`);
				if (collection.indexes.ok) indexes.push(...readIndexStats(collection.name, collection.indexes.value));
				else problems.push(`${collection.name} indexes: ${collection.indexes.fault.message}`);
			}
			return {stats, indexes, problems};
		}),
		trading: section(previous.trading, reading.slow?.trades, at, trades => tradingKpis(trades.groups, trades.last)),
		pools: reading.pools,
	};
}

/** Whether a reading failed as a whole: the server could not be reached at all (the poller backs off). */
export function readingFailed(reading: MongoReading): boolean {
	return !reading.serverStatus.ok && ['unreachable', 'auth', 'timeout', 'other'].includes(reading.serverStatus.fault.kind);
}
