import {EventEmitter} from 'node:events';

/** A terminal's output side for ink: a fixed size, every write kept (or only counted, for benchmarks). */
export class FakeStdout extends EventEmitter {
	isTTY = true;
	frames: string[] = [];
	writes = 0;
	bytes = 0;
	constructor(
		public columns: number,
		public rows: number,
		private readonly keepFrames = true,
	) {
		super();
	}
	write = (frame: string) => {
		this.writes++;
		this.bytes += Buffer.byteLength(frame);
		if (this.keepFrames) this.frames.push(frame);
		// Test helpers wait on this instead of sleeping.
		this.emit('frame', frame);
		return true;
	};
}

/** A terminal's keyboard for ink: raw mode accepted, `press` queues bytes as a read would deliver them. */
export class FakeStdin extends EventEmitter {
	isTTY = true;
	private queue: string[] = [];
	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
	read = () => this.queue.shift() ?? null;
	/** Bytes pressed but not yet read by ink. */
	get pending(): number {
		return this.queue.length;
	}
	press(data: string) {
		this.queue.push(data);
		this.emit('readable');
	}
}
