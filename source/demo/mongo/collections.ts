/** The demo's in-memory collections: documents in insertion order, their indexes, and the sizes WiredTiger would report. */
import {calculateObjectSize, ObjectId, UUID, type Document} from 'bson';
import type {Prng} from '../prng.js';
import {commandError} from './errors.js';

export type IndexSpec = {name: string; key: Record<string, 1 | -1>; unique?: boolean; expireAfterSeconds?: number};
export type IndexUse = {ops: number; since: Date};

/** Bytes an index entry takes on disk, key plus record id, after WiredTiger's prefix compression (measured on 7.0 data). */
const indexEntryBytes = (index: IndexSpec) => (index.name === '_id_' ? 17 : 9 + 11 * Object.keys(index.key).length);
/** snappy on this kind of document: storage is about 45 % of the BSON size, plus a little free space. */
const compression = 0.45;

export class DemoCollection {
	readonly documents: Document[] = [];
	readonly uuid: UUID;
	readonly indexes: IndexSpec[];
	readonly indexUse = new Map<string, IndexUse>();
	/** The `_id`s, built at the first client insert (the platform's generated documents are unique by construction). */
	private ids?: Set<string>;
	/** BSON bytes of documents[0, sized): sizes are computed when statistics are asked for, not on every write. */
	private sizedBytes = 0;
	private sized = 0;

	constructor(
		readonly db: string,
		readonly name: string,
		indexes: Omit<IndexSpec, 'name'>[] | IndexSpec[],
		since: Date,
		rng: Prng,
		readonly options: Document = {},
	) {
		this.uuid = new UUID(rng.hex(32));
		this.indexes = [{name: '_id_', key: {_id: 1}}, ...indexes.map(index => ({...index, name: 'name' in index ? index.name : indexName(index.key)}))];
		for (const index of this.indexes) this.indexUse.set(index.name, {ops: 0, since});
	}

	get ns(): string {
		return `${this.db}.${this.name}`;
	}

	/** A client's insert: a duplicate `_id` throws E11000 as the unique index would. */
	insert(document: Document): Document {
		if (document._id === undefined) document = {_id: new ObjectId(), ...document};
		this.ids ??= new Set(this.documents.map(existing => idKey(existing._id)));
		const key = idKey(document._id);
		if (this.ids.has(key)) throw commandError('DuplicateKey', `E11000 duplicate key error collection: ${this.ns} index: _id_ dup key: { _id: ${key} }`);
		this.ids.add(key);
		this.documents.push(document);
		return document;
	}

	/** The platform's own write, whose `_id` is unique by construction. */
	append(document: Document): void {
		this.documents.push(document);
		this.ids?.add(idKey(document._id));
	}

	/** Drops the oldest documents beyond `keep` (a TTL index's monitor, in effect). */
	trim(keep: number): void {
		const excess = this.documents.length - keep;
		if (excess <= 0) return;
		for (const document of this.documents.splice(0, excess)) {
			this.ids?.delete(idKey(document._id));
			if (this.sized > 0) {
				this.sizedBytes -= calculateObjectSize(document);
				this.sized--;
			}
		}
	}

	/** Total BSON size of the documents, as collStats' `size`. */
	get dataSize(): number {
		for (; this.sized < this.documents.length; this.sized++) this.sizedBytes += calculateObjectSize(this.documents[this.sized]);
		return this.sizedBytes;
	}

	get count(): number {
		return this.documents.length;
	}

	indexSize(index: IndexSpec): number {
		return Math.max(4096, Math.ceil((this.count * indexEntryBytes(index)) / 4096) * 4096);
	}

	get totalIndexSize(): number {
		return this.indexes.reduce((sum, index) => sum + this.indexSize(index), 0);
	}

	get storageSize(): number {
		return Math.max(4096, Math.ceil((this.dataSize * compression) / 4096) * 4096 + 16_384);
	}

	/** The index a find on `filter` / `sort` would use, as the planner's first choice: an index whose leading field is constrained or sorted on. */
	chooseIndex(filter: Document, sort?: Document): IndexSpec | undefined {
		const fields = new Set(Object.keys(filter ?? {}).filter(name => !name.startsWith('$')));
		const sortFirst = sort ? Object.keys(sort)[0] : undefined;
		return this.indexes.find(index => fields.has(Object.keys(index.key)[0])) ?? this.indexes.find(index => sortFirst !== undefined && Object.keys(index.key)[0] === sortFirst);
	}

	/** `IXSCAN { symbol: 1, timestamp: -1 }` or `COLLSCAN`, as currentOp and the slow-query log print it. */
	planSummary(index: IndexSpec | undefined): string {
		if (!index) return 'COLLSCAN';
		if (index.name === '_id_') return 'IDHACK';
		return `IXSCAN { ${Object.entries(index.key)
			.map(([field, direction]) => `${field}: ${direction}`)
			.join(', ')} }`;
	}

	recordIndexUse(index: IndexSpec | undefined, ops = 1): void {
		if (!index) return;
		const use = this.indexUse.get(index.name);
		if (use) use.ops += ops;
	}
}

export function indexName(key: Record<string, 1 | -1>): string {
	return Object.entries(key)
		.map(([field, direction]) => `${field}_${direction}`)
		.join('_');
}

function idKey(id: unknown): string {
	if (id instanceof ObjectId) return `ObjectId('${id.toHexString()}')`;
	return JSON.stringify(id) ?? String(id);
}

/** The databases the demo serves, each a map of its collections. */
export class DemoCatalog {
	private readonly databases = new Map<string, Map<string, DemoCollection>>();

	add(collection: DemoCollection): DemoCollection {
		let database = this.databases.get(collection.db);
		if (!database) this.databases.set(collection.db, (database = new Map()));
		database.set(collection.name, collection);
		return collection;
	}

	get(db: string, name: string): DemoCollection | undefined {
		return this.databases.get(db)?.get(name);
	}

	/** The collection or MongoDB's NamespaceNotFound. */
	require(db: string, name: string): DemoCollection {
		const collection = this.get(db, name);
		if (!collection) throw commandError('NamespaceNotFound', `ns does not exist: ${db}.${name}`);
		return collection;
	}

	collections(db: string): DemoCollection[] {
		return [...(this.databases.get(db)?.values() ?? [])];
	}

	databaseNames(): string[] {
		return [...this.databases.keys()];
	}
}
