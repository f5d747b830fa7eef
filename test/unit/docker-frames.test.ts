import {Buffer} from 'node:buffer';
import {describe, expect, it} from 'vitest';
import {LogDemuxer, StatsReader} from '../../source/services/docker-frames.js';
import type {RawLogLine, StatsSample} from '../../source/services/types.js';

/** One multiplexed frame: stream type, three zero bytes, big-endian payload size, payload. */
function frame(stream: 1 | 2, payload: string | Buffer): Buffer {
	const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
	const header = Buffer.alloc(8);
	header[0] = stream;
	header.writeUInt32BE(body.length, 4);
	return Buffer.concat([header, body]);
}

function demux(wire: Buffer, timestamps = true): RawLogLine[] {
	const demuxer = new LogDemuxer(timestamps);
	return [...demuxer.push(wire), ...demuxer.flush()];
}

describe('log frames', () => {
	it('joins the engine\'s partial messages of a long line, dropping every continuation stamp, and cuts it at 16 KiB', () => {
		// The engine splits a line over 16 KiB into messages of 16 KiB and stamps each one; the last carries the newline.
		const line = 'x'.repeat(40_000);
		const stamps = ['2026-11-25T12:00:00.100000000Z ', '2026-11-25T12:00:00.100000001Z ', '2026-11-25T12:00:00.100000002Z '];
		const wire = Buffer.concat([
			frame(1, stamps[0] + line.slice(0, 16_384)),
			frame(1, stamps[1] + line.slice(16_384, 32_768)),
			frame(1, `${stamps[2]}${line.slice(32_768)}\n`),
			frame(1, `${stamps[0]}after\n`),
		]);
		const lines = demux(wire);
		expect(lines).toHaveLength(2);
		const [long, after] = lines;
		expect(long!.time).toBe(Date.parse('2026-11-25T12:00:00.100Z'));
		expect(long!.text).toMatch(/^x+$/);
		// Every byte of the line is either kept or counted as cut: no stamp is taken for content.
		expect(Buffer.byteLength(long!.text) + long!.cut!).toBe(line.length);
		expect(Buffer.byteLength(stamps[0]!) + Buffer.byteLength(long!.text)).toBe(16_384);
		expect(after).toEqual({stream: 'stdout', time: Date.parse('2026-11-25T12:00:00.100Z'), text: 'after'});
	});

	it('keeps stdout and stderr lines apart when their frames interleave mid-line', () => {
		const wire = Buffer.concat([frame(1, 'out-'), frame(2, 'err-'), frame(1, 'one\n'), frame(2, 'two\n')]);
		expect(demux(wire, false)).toEqual([
			{stream: 'stdout', text: 'out-one'},
			{stream: 'stderr', text: 'err-two'},
		]);
	});
});

describe('stats frames', () => {
	it('yields one sample per JSON line, however the chunks fall', () => {
		const text = `${JSON.stringify({read: '2025-10-11T09:00:01Z', pids_stats: {current: 2}})}\n\n${JSON.stringify({read: '2025-10-11T09:00:02Z', pids_stats: {current: 3}})}`;
		const reader = new StatsReader();
		const samples: StatsSample[] = [];
		for (const byte of Buffer.from(text)) reader.push(Buffer.from([byte]), sample => samples.push(sample));
		reader.end(sample => samples.push(sample));
		expect(samples.map(s => [s.at, s.pids])).toEqual([
			[Date.parse('2025-10-11T09:00:01Z'), 2],
			[Date.parse('2025-10-11T09:00:02Z'), 3],
		]);
	});

	it('refuses a line too long to be a stats sample instead of parsing a cut one', () => {
		const reader = new StatsReader();
		expect(() => reader.push(Buffer.from(`{"read":"${'9'.repeat(2 * 1024 * 1024)}"}\n`), () => undefined)).toThrow(/stats sample over/);
	});
});
