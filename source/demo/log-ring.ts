/** One line a container wrote, as Docker's json-file driver keeps it. */
export type LogEntry = {
	/** Epoch ms. */
	time: number;
	/** Sub-millisecond nanoseconds (0..999999), for RFC3339Nano fidelity. */
	nanos: number;
	stream: 'stdout' | 'stderr';
	/** Without the trailing newline. */
	text: string;
};

export type LogListener = (entry: LogEntry) => void;

/**
 * A bounded ring of log lines with live listeners (follow mode). Old lines fall off, like a rotated json log.
 * Like the daemon, which stamps each line as it reads it, timestamps only rise within a stream: a line stamped at or
 * before the stream's previous one is moved to one nanosecond after it.
 */
export class LogRing {
	// Grows up to capacity instead of preallocating: a thousand quiet containers must start fast.
	private readonly entries: LogEntry[] = [];
	private start = 0;
	private count = 0;
	private readonly listeners = new Set<LogListener>();
	private readonly lastStamp: Record<LogEntry['stream'], {time: number; nanos: number} | undefined> = {stdout: undefined, stderr: undefined};

	constructor(readonly capacity: number) {}

	get size(): number {
		return this.count;
	}

	push(written: LogEntry): void {
		const entry = this.stamp(written);
		if (this.count < this.capacity) {
			this.entries.push(entry);
			this.count++;
		} else {
			// Full: overwrite the oldest slot and move the start past it.
			this.entries[this.start] = entry;
			this.start = (this.start + 1) % this.capacity;
		}
		for (const listener of this.listeners) listener(entry);
	}

	/** The entry with a whole-millisecond `time` and a timestamp after the previous one of its stream. */
	private stamp(entry: LogEntry): LogEntry {
		let time = Math.floor(entry.time);
		let nanos = entry.nanos;
		const last = this.lastStamp[entry.stream];
		if (last && (time < last.time || (time === last.time && nanos <= last.nanos))) {
			time = last.time;
			nanos = last.nanos + 1;
			if (nanos === 1_000_000) {
				time++;
				nanos = 0;
			}
		}
		this.lastStamp[entry.stream] = {time, nanos};
		return time === entry.time && nanos === entry.nanos ? entry : {...entry, time, nanos};
	}

	/** Oldest first. */
	toArray(): LogEntry[] {
		const out: LogEntry[] = [];
		for (let i = 0; i < this.count; i++) out.push(this.entries[(this.start + i) % this.capacity]!);
		return out;
	}

	subscribe(listener: LogListener): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** Number of follow subscribers, so tests and stop() can see that streams were released. */
	get listenerCount(): number {
		return this.listeners.size;
	}
}
