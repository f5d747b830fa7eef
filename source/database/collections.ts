import {docAt, epochMs, isDoc, num, numAt, str, type Doc} from './values.js';

/** `db.COLLECTION.stats()` as the pane shows it. */
export type CollectionStats = {name: string; count?: number; sizeBytes?: number; storageBytes?: number; indexes?: number; indexBytes?: number};

/** One index with its use since the server started counting (`$indexStats`). */
export type IndexUse = {collection: string; name: string; key: string; ops?: number; sinceMs?: number};

/** `$collStats` with storage stats: one document per shard (one here); the pipeline runs on each collection. */
export const collStatsPipeline: readonly Doc[] = [{$collStats: {storageStats: {}}}];
export const indexStatsPipeline: readonly Doc[] = [{$indexStats: {}}];

/** From a `$collStats` document (`storageStats.*`) or a `collStats` command reply (the same fields at the top). */
export function readCollectionStats(name: string, reply: Doc): CollectionStats {
	const stats = docAt(reply, 'storageStats') ?? reply;
	return {
		name,
		count: num(stats['count']),
		sizeBytes: num(stats['size']),
		storageBytes: num(stats['storageSize']),
		indexes: num(stats['nindexes']),
		indexBytes: num(stats['totalIndexSize']),
	};
}

export function readIndexStats(collection: string, docs: readonly Doc[]): IndexUse[] {
	return docs.filter(isDoc).map(doc => ({
		collection,
		name: str(doc['name']) ?? '?',
		key: formatKey(docAt(doc, 'key')),
		ops: numAt(doc, 'accesses', 'ops'),
		sinceMs: epochMs(docAt(doc, 'accesses')?.['since']),
	}));
}

/** `{user_id: 1, timestamp: -1}` as the shell prints it, shortened: "user_id 1, timestamp -1". */
function formatKey(key: Doc | undefined): string {
	return Object.entries(key ?? {})
		.map(([field, direction]) => `${field} ${num(direction) ?? String(direction)}`)
		.join(', ');
}
