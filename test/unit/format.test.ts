import {describe, expect, it} from 'vitest';
import {
	displayWidth,
	fitCell,
	formatAge,
	formatBytes,
	formatDuration,
	formatLatency,
	formatPercent,
	padCell,
	singleLine,
	truncate,
	truncateStart,
} from '../../source/util/format.js';

describe('formatBytes', () => {
	it('uses binary units with three significant figures above 1 KiB', () => {
		expect(formatBytes(0)).toBe('0 B');
		expect(formatBytes(512)).toBe('512 B');
		expect(formatBytes(1023)).toBe('1023 B');
		expect(formatBytes(1536)).toBe('1.5 KiB');
		expect(formatBytes(180.3 * 1024 ** 2)).toBe('180 MiB');
		expect(formatBytes(57.34 * 1024 ** 2)).toBe('57.3 MiB');
		expect(formatBytes(99.96 * 1024 ** 2)).toBe('100 MiB');
		expect(formatBytes(1023.4 * 1024 ** 2)).toBe('1023 MiB');
		expect(formatBytes(1.9 * 1024 ** 3)).toBe('1.9 GiB');
	});

	it('rolls over to the next unit instead of printing 1024.0', () => {
		expect(formatBytes(1024 * 1024 - 1)).toBe('1.0 MiB');
	});

	it('marks non-numbers and keeps the sign', () => {
		expect(formatBytes(Number.NaN)).toBe('-');
		expect(formatBytes(-2048)).toBe('-2.0 KiB');
	});
});

describe('formatPercent', () => {
	it('prints one decimal below 10 and whole percents from there', () => {
		expect(formatPercent(12.345)).toBe('12%');
		expect(formatPercent(9.94)).toBe('9.9%');
		expect(formatPercent(9.96)).toBe('10%');
		expect(formatPercent(100)).toBe('100%');
		expect(formatPercent(0)).toBe('0.0%');
		expect(formatPercent(Number.POSITIVE_INFINITY)).toBe('-');
	});
});

describe('formatDuration', () => {
	it('uses two units at most, the second zero-padded', () => {
		expect(formatDuration(0)).toBe('0s');
		expect(formatDuration(45_000)).toBe('45s');
		expect(formatDuration(192_000)).toBe('3m12s');
		expect(formatDuration(65_000)).toBe('1m05s');
		expect(formatDuration((2 * 60 + 5) * 60_000)).toBe('2h05m');
		expect(formatDuration((4 * 24 + 3) * 3_600_000)).toBe('4d03h');
		expect(formatDuration(-5000)).toBe('0s');
	});
});

describe('formatAge', () => {
	it('says now, then seconds, then a compact duration', () => {
		expect(formatAge(200)).toBe('now');
		expect(formatAge(12_400)).toBe('12 s old');
		expect(formatAge(192_000)).toBe('3m12s old');
	});
});

describe('formatLatency', () => {
	it('switches from ms to s', () => {
		expect(formatLatency(23.4)).toBe('23 ms');
		expect(formatLatency(1520)).toBe('1.52 s');
		expect(formatLatency(12_340)).toBe('12.3 s');
		expect(formatLatency(125_000)).toBe('2m05s');
		expect(formatLatency(-1)).toBe('-');
	});
});

describe('truncate', () => {
	it('leaves text that fits alone', () => {
		expect(truncate('abc', 3)).toBe('abc');
		expect(truncate('', 3)).toBe('');
	});

	it('cuts with an ellipsis that counts toward the width', () => {
		expect(truncate('rust-core-engine', 8)).toBe('rust-co…');
		expect(truncate('rust-core-engine', 8, '~')).toBe('rust-co~');
		expect(truncate('abcdef', 1)).toBe('a');
		expect(truncate('abcdef', 0)).toBe('');
	});

	it('counts wide characters as two columns and never splits them', () => {
		expect(displayWidth('日本語')).toBe(6);
		const cut = truncate('日本語テキスト', 6);
		expect(cut).toBe('日本…');
		expect(displayWidth(cut)).toBe(5);
		expect(displayWidth(truncate('日本語テキスト', 7))).toBeLessThanOrEqual(7);
	});
});

describe('padCell and fitCell', () => {
	it('pads to the exact width on either side', () => {
		expect(padCell('ab', 5)).toBe('ab   ');
		expect(padCell('ab', 5, 'right')).toBe('   ab');
		expect(padCell('abcdef', 3)).toBe('abc');
	});

	it('fills the column lost to a wide character', () => {
		const cell = fitCell('日本語テキスト', 6);
		expect(displayWidth(cell)).toBe(6);
		expect(cell).toBe('日本… ');
	});

	it('turns a multi-line or escaped value into one clean line', () => {
		expect(singleLine('a\tb\nc\u001b[31md')).toBe('a       b c[31md');
		expect(fitCell('line1\nline2', 8)).toBe('line1 l…');
	});
});

describe('truncateStart', () => {
	it('keeps the end', () => {
		expect(truncateStart('logs rust-core-engine', 8)).toBe('…-engine');
		expect(truncateStart('short', 8)).toBe('short');
		expect(truncateStart('abcdef', 3, '')).toBe('def');
		expect(truncateStart('テキスト', 5)).toBe('…スト');
	});
});
