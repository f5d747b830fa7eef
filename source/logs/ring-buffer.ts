/**
 * A bounded buffer: pushing into a full buffer evicts the oldest item and counts it as dropped, so the view
 * can say "12,345 lines dropped" instead of losing them silently. Items have absolute indices (0 for the
 * first item ever pushed) that stay valid until evicted; filtered views hold absolute indices.
 */
export class RingBuffer<T> {
	private readonly items: T[] = [];
	private start = 0;
	private count = 0;
	private pushed = 0;
	private evicted = 0;

	constructor(readonly capacity = 100_000) {
		if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring buffer capacity must be a positive integer, got ${capacity}`);
	}

	get size(): number {
		return this.count;
	}

	/** Items evicted because the buffer was full. */
	get dropped(): number {
		return this.evicted;
	}

	/** Absolute index of the oldest item held. */
	get firstIndex(): number {
		return this.pushed - this.count;
	}

	/** Absolute index the next push will get (= items ever pushed). */
	get endIndex(): number {
		return this.pushed;
	}

	push(item: T): number {
		if (this.count < this.capacity) {
			// Grows to capacity first, so that a small log does not hold a 100k-slot array.
			this.items.push(item);
			this.count++;
		} else {
			this.items[this.start] = item;
			this.start = this.start + 1 === this.capacity ? 0 : this.start + 1;
			this.evicted++;
		}
		return this.pushed++;
	}

	pushAll(items: readonly T[]): void {
		for (const item of items) this.push(item);
	}

	/** The item at position `i` from the oldest (0 ≤ i < size). */
	at(i: number): T | undefined {
		if (i < 0 || i >= this.count) return undefined;
		const physical = this.start + i;
		return this.items[physical >= this.capacity ? physical - this.capacity : physical];
	}

	/** The item with absolute index `index`, or undefined when evicted or not yet pushed. */
	atAbsolute(index: number): T | undefined {
		return this.at(index - this.firstIndex);
	}

	*[Symbol.iterator](): IterableIterator<T> {
		for (let i = 0; i < this.count; i++) yield this.at(i)!;
	}

	clear(): void {
		this.items.length = 0;
		this.start = 0;
		this.count = 0;
	}
}

/**
 * The items of a buffer that pass a predicate, kept as absolute indices and updated incrementally: `sync()`
 * looks only at items pushed since the last call. Changing the predicate rebuilds once.
 * Without a predicate the view is the whole buffer and stores nothing.
 */
export class FilteredView<T> {
	private indices: number[] = [];
	private head = 0;
	private scanned: number;

	constructor(
		private readonly buffer: RingBuffer<T>,
		private predicate?: (item: T) => boolean,
	) {
		this.scanned = buffer.firstIndex;
		this.sync();
	}

	setPredicate(predicate: ((item: T) => boolean) | undefined): void {
		this.predicate = predicate;
		this.indices = [];
		this.head = 0;
		this.scanned = this.buffer.firstIndex;
		this.sync();
	}

	/** Takes in items pushed since the last sync and forgets evicted ones; returns how many new items matched. */
	sync(): number {
		const {buffer} = this;
		const first = buffer.firstIndex;
		const end = buffer.endIndex;
		if (!this.predicate) {
			const added = end - Math.max(this.scanned, first);
			this.scanned = end;
			return added;
		}
		let added = 0;
		for (let index = Math.max(this.scanned, first); index < end; index++) {
			if (this.predicate(buffer.atAbsolute(index)!)) {
				this.indices.push(index);
				added++;
			}
		}
		this.scanned = end;
		while (this.head < this.indices.length && this.indices[this.head]! < first) this.head++;
		// Compact now and then rather than shifting on every eviction.
		if (this.head > 4096 && this.head * 2 > this.indices.length) {
			this.indices = this.indices.slice(this.head);
			this.head = 0;
		}
		return added;
	}

	get length(): number {
		return this.predicate ? this.indices.length - this.head : this.buffer.size;
	}

	/** Absolute buffer index of view position `i`. */
	absoluteIndex(i: number): number {
		return this.predicate ? this.indices[this.head + i]! : this.buffer.firstIndex + i;
	}

	at(i: number): T | undefined {
		if (i < 0 || i >= this.length) return undefined;
		return this.buffer.atAbsolute(this.absoluteIndex(i));
	}

	/** View position of the first item whose absolute index is ≥ `absolute` (length when none): keeps the place across a filter change. */
	positionOf(absolute: number): number {
		if (!this.predicate) return Math.min(this.length, Math.max(0, absolute - this.buffer.firstIndex));
		let low = this.head;
		let high = this.indices.length;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if (this.indices[middle]! < absolute) low = middle + 1;
			else high = middle;
		}
		return low - this.head;
	}

	*[Symbol.iterator](): IterableIterator<T> {
		for (let i = 0; i < this.length; i++) yield this.at(i)!;
	}
}
