import {LineAssembler, maxLineBytes, type RawLine} from './parse.js';
import {type LogRecord, makeRecord} from './record.js';
import {ReorderWindow} from './merge.js';

export type PipelineOptions = {
	/** Live streams: hold lines this long for late lines of other streams (default 250 ms). */
	follow: boolean;
	holdMs?: number;
	maxLineBytes?: number;
	/** Records stamped before this (epoch ms) are dropped: `--since` on a source that cannot filter itself. */
	since?: number;
};

/**
 * Raw lines of several streams in, merged and ordered records out: parse + sanitise + level, continuation
 * lines folded into their record while it is still in the window, then the reorder window. Pure: the
 * source calls `flush(now)` from its own timer (follow) or after each chunk (batch).
 */
export class LogPipeline {
	private readonly assembler: LineAssembler;
	private readonly window: ReorderWindow;
	private readonly scratch: LogRecord[] = [];

	constructor(private readonly options: PipelineOptions) {
		this.assembler = new LineAssembler(options.maxLineBytes ?? maxLineBytes);
		this.window = new ReorderWindow({
			holdMs: options.follow ? (options.holdMs ?? 250) : undefined,
			onRelease: (streamId, record) => this.assembler.seal(streamId, record),
		});
	}

	get pending(): number {
		return this.window.pending;
	}

	open(streamId: string, now: number): void {
		this.window.open(streamId, now);
	}

	ingest(streamId: string, service: string, lines: readonly RawLine[], receivedAt: number, instance?: string): void {
		const records = this.scratch;
		records.length = 0;
		this.assembler.push(streamId, service, lines, receivedAt, records);
		if (instance !== undefined) for (const record of records) record.instance = instance;
		const since = this.options.since;
		if (since !== undefined) {
			let kept = 0;
			for (const record of records) if (record.time >= since) records[kept++] = record;
			records.length = kept;
		}
		this.window.push(streamId, records, receivedAt);
	}

	/** A line written by botops into the stream ("— restarted 12:03:11 —"); it also ends any open stack trace. */
	marker(streamId: string, service: string, text: string, time: number): LogRecord {
		const record = makeRecord(time, service, 'marker', 'info', text);
		this.assembler.end(streamId);
		this.window.push(streamId, [record], time);
		return record;
	}

	end(streamId: string): void {
		this.window.end(streamId);
	}

	flush(now: number, all = false): LogRecord[] {
		return this.window.flush(now, all);
	}
}
