/** Server-side cursors: a result set handed out in batches by find/aggregate/list*, then getMore, until exhausted or killed. */
import {randomBytes} from 'node:crypto';
import {calculateObjectSize, Long, type Document} from 'bson';
import {commandError} from './errors.js';
import {maxBsonObjectSize} from './wire.js';

/** find's and aggregate's first batch when the client names none. */
export const defaultFirstBatch = 101;
/** Room left in a 16 MiB reply for the envelope around the batch. */
const batchBytes = maxBsonObjectSize - 16 * 1024;

type OpenCursor = {id: Long; ns: string; documents: Document[]; position: number; owner: number};

export class CursorStore {
	private readonly open = new Map<string, OpenCursor>();

	get openCount(): number {
		return this.open.size;
	}

	/** The `cursor` field of a first reply; the cursor stays open (non-zero id) while documents remain. */
	first(ns: string, documents: Document[], batchSize: number | undefined, owner: number, singleBatch = false): Document {
		const cursor: OpenCursor = {id: Long.ZERO, ns, documents, position: 0, owner};
		const firstBatch = this.take(cursor, batchSize ?? defaultFirstBatch);
		if (cursor.position < documents.length && !singleBatch) {
			cursor.id = Long.fromBigInt(randomBytes(8).readBigUInt64BE() & 0x3fff_ffff_ffff_ffffn);
			if (cursor.id.isZero()) cursor.id = Long.ONE;
			this.open.set(cursor.id.toString(), cursor);
		}
		return {firstBatch, id: cursor.id, ns};
	}

	/** getMore: the next batch (all that fits in one reply when no batchSize is given). */
	next(id: Long, collection: string, db: string, batchSize: number | undefined, owner: number): Document {
		const cursor = this.open.get(id.toString());
		if (!cursor || cursor.owner !== owner) throw commandError('CursorNotFound', `cursor id ${id.toString()} not found`);
		if (cursor.ns !== `${db}.${collection}`)
			throw commandError('Unauthorized', `Requested getMore on namespace '${db}.${collection}', but cursor belongs to a different namespace ${cursor.ns}`);
		const nextBatch = this.take(cursor, batchSize && batchSize > 0 ? batchSize : Number.POSITIVE_INFINITY);
		let replyId = cursor.id;
		if (cursor.position >= cursor.documents.length) {
			this.open.delete(id.toString());
			replyId = Long.ZERO;
		}
		return {nextBatch, id: replyId, ns: cursor.ns};
	}

	kill(ids: Long[]): {cursorsKilled: Long[]; cursorsNotFound: Long[]; cursorsAlive: Long[]; cursorsUnknown: Long[]} {
		const cursorsKilled: Long[] = [];
		const cursorsNotFound: Long[] = [];
		for (const id of ids) {
			if (this.open.delete(id.toString())) cursorsKilled.push(id);
			else cursorsNotFound.push(id);
		}
		return {cursorsKilled, cursorsNotFound, cursorsAlive: [], cursorsUnknown: []};
	}

	/** A connection that closes takes its cursors with it (as a session's end does). */
	release(owner: number): void {
		for (const [key, cursor] of this.open) if (cursor.owner === owner) this.open.delete(key);
	}

	private take(cursor: OpenCursor, count: number): Document[] {
		const batch: Document[] = [];
		let bytes = 0;
		while (batch.length < count && cursor.position < cursor.documents.length) {
			const document = cursor.documents[cursor.position];
			const size = calculateObjectSize(document);
			if (batch.length > 0 && bytes + size > batchBytes) break;
			batch.push(document);
			bytes += size;
			cursor.position++;
		}
		return batch;
	}
}
