import {collStatsPipeline, indexStatsPipeline} from '../../database/collections.js';
import {currentOpPipeline} from '../../database/current-ops.js';
import {lastTradePipeline, tradesTodayPipeline, type TradeFields} from '../../database/trading.js';
import type {MongoDatabaseService, MongoDocument, MongoPoolState} from '../types-mongo.js';
import {toMongoFault, type MongoFaultKind} from './errors.js';

/** One command's failure as a pane shows it: its kind (each has its own place) and the server's message. */
export type MongoPartFault = {kind: MongoFaultKind; message: string};
export type MongoPart<T> = {ok: true; value: T} | {ok: false; fault: MongoPartFault};

export type CollectionReading = {name: string; stats: MongoPart<MongoDocument>; indexes: MongoPart<MongoDocument[]>};

/** Every command of one refresh, each with its own outcome: one failing (no privilege for currentOp) leaves the rest. */
export type MongoReading = {
	at: number;
	serverStatus: MongoPart<MongoDocument>;
	replSetGetStatus: MongoPart<MongoDocument>;
	currentOp: MongoPart<MongoDocument[]>;
	top: MongoPart<MongoDocument>;
	/** The slow parts, read every few refreshes (absent in between). */
	slow?: {
		oplog: MongoPart<{first?: MongoDocument; last?: MongoDocument}>;
		collections: MongoPart<CollectionReading[]>;
		trades: MongoPart<{groups: MongoDocument[]; last: MongoDocument[]}>;
	};
	pools: MongoPoolState[];
};

export type ReadingOptions = {
	database: string;
	tradeFields: TradeFields;
	/** Include the slow parts (collections, indexes, oplog window, trades). */
	slow: boolean;
	now: number;
};

async function part<T>(work: () => Promise<T>): Promise<MongoPart<T>> {
	try {
		return {ok: true, value: await work()};
	} catch (error) {
		const fault = toMongoFault(error);
		return {ok: false, fault: {kind: fault.kind, message: fault.message}};
	}
}

const firstBatch = (reply: MongoDocument): MongoDocument | undefined => {
	const batch = (reply['cursor'] as {firstBatch?: unknown[]} | undefined)?.firstBatch;
	return Array.isArray(batch) ? (batch[0] as MongoDocument | undefined) : undefined;
};

/** The manual's §4.3 mongosh checks, all at once, each command on its own. */
export async function readMongo(service: MongoDatabaseService, options: ReadingOptions): Promise<MongoReading> {
	const {database} = options;
	const fast = Promise.all([
		part(() => service.runCommand('admin', {serverStatus: 1})),
		part(() => service.runCommand('admin', {replSetGetStatus: 1})),
		part(() => service.aggregate('admin', 1, currentOpPipeline)),
		part(() => service.runCommand('admin', {top: 1})),
	]);
	const slow = options.slow
		? Promise.all([
				part(async () => {
					const oplog = (sort: 1 | -1) => service.runCommand('local', {find: 'oplog.rs', sort: {$natural: sort}, limit: 1, projection: {ts: 1}, singleBatch: true});
					const [first, last] = await Promise.all([oplog(1), oplog(-1)]);
					return {first: firstBatch(first), last: firstBatch(last)};
				}),
				part(async () => {
					const names = await service.listCollections(database);
					return Promise.all(
						names.map(async (name): Promise<CollectionReading> => {
							const [stats, indexes] = await Promise.all([
								part(async () => (await service.aggregate(database, name, collStatsPipeline))[0] ?? {}),
								part(() => service.aggregate(database, name, indexStatsPipeline)),
							]);
							return {name, stats, indexes};
						}),
					);
				}),
				part(async () => {
					const [groups, last] = await Promise.all([
						service.aggregate(database, options.tradeFields.collection, tradesTodayPipeline(options.tradeFields, options.now)),
						service.aggregate(database, options.tradeFields.collection, lastTradePipeline(options.tradeFields)),
					]);
					return {groups, last};
				}),
			])
		: undefined;
	const [[serverStatus, replSetGetStatus, currentOp, top], slowParts] = await Promise.all([fast, slow]);
	return {
		at: options.now,
		serverStatus,
		replSetGetStatus,
		currentOp,
		top,
		slow: slowParts ? {oplog: slowParts[0], collections: slowParts[1], trades: slowParts[2]} : undefined,
		pools: service.pools(),
	};
}
