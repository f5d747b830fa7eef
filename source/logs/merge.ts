import type {LogRecord} from './record.js';

/**
 * Merges per-service batches, each in its own order, into one ordered by time. Equal times keep batch order,
 * then position: the merge is stable. (stern prints lines of different pods as they arrive, stern#326.)
 */
export function mergeByTime(batches: ReadonlyArray<readonly LogRecord[]>): LogRecord[] {
	const heads = batches.map(() => 0);
	// Per batch, a time that never decreases: a line stamped earlier than its predecessor in the same stream stays after it.
	const floors = batches.map(() => -Infinity);
	const total = batches.reduce((sum, batch) => sum + batch.length, 0);
	const out: LogRecord[] = new Array(total);
	for (let n = 0; n < total; n++) {
		let best = -1;
		let bestKey = Infinity;
		for (let b = 0; b < batches.length; b++) {
			const record = batches[b]![heads[b]!];
			if (!record) continue;
			const key = Math.max(record.time, floors[b]!);
			if (key < bestKey) {
				best = b;
				bestKey = key;
			}
		}
		out[n] = batches[best]![heads[best]!++]!;
		floors[best] = bestKey;
	}
	return out;
}

type Entry = {record: LogRecord; key: number; arrival: number; receivedAt: number};

type Queue = {
	id: string;
	entries: Entry[];
	head: number;
	/** Sort key of the last entry pushed: keys never decrease within a stream, so its own order is kept. */
	lastKey: number;
	openedAt: number;
	delivered: boolean;
	ended: boolean;
};

export type ReorderWindowOptions = {
	/**
	 * Follow mode: a line is held at most this long after it was received, so that a slightly late line from
	 * another stream still sorts before it. Undefined (batch mode): lines are released only when every open
	 * stream has delivered past them or ended, which orders them exactly.
	 */
	holdMs?: number;
	/** A stream that has not delivered anything holds everything back for this long after it opened (its tail is on the way). */
	startupMs?: number;
	/** Called for each record as it leaves the window, before `flush` returns (the assembler seals it). */
	onRelease?: (streamId: string, record: LogRecord) => void;
};

/** Holds records of several streams and releases them merged in time order (records get their `seq` here). */
export class ReorderWindow {
	private readonly queues = new Map<string, Queue>();
	private arrivals = 0;
	private nextSeq = 1;
	private held = 0;
	private readonly holdMs: number | undefined;
	private readonly startupMs: number;

	constructor(private readonly options: ReorderWindowOptions = {}) {
		this.holdMs = options.holdMs;
		this.startupMs = options.startupMs ?? 1000;
	}

	/** Records waiting in the window. */
	get pending(): number {
		return this.held;
	}

	/** Registers a stream: until it delivers or ends, batch mode (and follow mode during start-up) waits for it. */
	open(streamId: string, now: number): void {
		const queue = this.queues.get(streamId);
		if (queue) {
			queue.ended = false;
			return;
		}
		this.queues.set(streamId, {id: streamId, entries: [], head: 0, lastKey: -Infinity, openedAt: now, delivered: false, ended: false});
	}

	push(streamId: string, records: readonly LogRecord[], receivedAt: number): void {
		if (!this.queues.has(streamId)) this.open(streamId, receivedAt);
		const queue = this.queues.get(streamId)!;
		queue.delivered = true;
		for (const record of records) {
			const key = record.time >= queue.lastKey ? record.time : queue.lastKey;
			queue.lastKey = key;
			queue.entries.push({record, key, arrival: this.arrivals++, receivedAt});
		}
		this.held += records.length;
	}

	/** The stream will deliver nothing more (until opened again): it no longer holds others back. */
	end(streamId: string): void {
		const queue = this.queues.get(streamId);
		if (queue) queue.ended = true;
	}

	/** Removes an ended stream whose records have all been released. */
	private prune(queue: Queue): void {
		if (queue.ended && queue.head >= queue.entries.length) this.queues.delete(queue.id);
	}

	/** Releases what can be ordered now; with `all`, everything held (shutdown, end of input). */
	flush(now: number, all = false): LogRecord[] {
		const {watermark, held} = all ? {watermark: Infinity, held: Infinity} : this.cut(now);
		const out: LogRecord[] = [];
		if ((watermark === -Infinity && held === -Infinity) || this.held === 0) {
			for (const queue of [...this.queues.values()]) this.prune(queue);
			return out;
		}
		const queues = [...this.queues.values()];
		for (;;) {
			let best: Queue | undefined;
			let bestEntry: Entry | undefined;
			for (const queue of queues) {
				const entry = queue.entries[queue.head];
				// Below the watermark strictly: a stream's last record may still gain continuation lines.
				if (!entry || (entry.key >= watermark && entry.key > held)) continue;
				if (!bestEntry || entry.key < bestEntry.key || (entry.key === bestEntry.key && entry.arrival < bestEntry.arrival)) {
					best = queue;
					bestEntry = entry;
				}
			}
			if (!best || !bestEntry) break;
			best.head++;
			bestEntry.record.seq = this.nextSeq++;
			out.push(bestEntry.record);
			this.options.onRelease?.(best.id, bestEntry.record);
		}
		this.held -= out.length;
		for (const queue of queues) {
			if (queue.head > 1024 && queue.head * 2 > queue.entries.length) {
				queue.entries = queue.entries.slice(queue.head);
				queue.head = 0;
			}
			this.prune(queue);
		}
		return out;
	}

	/**
	 * What may leave: records stamped before every open stream's latest record (the watermark: each stream is
	 * in order, so nothing earlier can still come from it), and in follow mode also records stamped no later
	 * than one that has been held `holdMs`.
	 */
	private cut(now: number): {watermark: number; held: number} {
		let watermark = Infinity;
		for (const queue of this.queues.values()) {
			if (queue.ended) continue;
			if (!queue.delivered && now - queue.openedAt < this.startupMs) return {watermark: -Infinity, held: -Infinity};
			if (queue.lastKey < watermark) watermark = queue.lastKey;
		}
		if (this.holdMs === undefined) return {watermark, held: -Infinity};
		const threshold = now - this.holdMs;
		let held = -Infinity;
		for (const queue of this.queues.values()) {
			for (let i = queue.head; i < queue.entries.length; i++) {
				const entry = queue.entries[i]!;
				if (entry.receivedAt > threshold) break;
				if (entry.key > held) held = entry.key;
			}
		}
		return {watermark, held};
	}
}
