import {describe, expect, it} from 'vitest';
import {
	displayWidth,
	fitCell,
	formatAge,
	formatBytes,
	formatDuration,
	formatElapsed,
	formatLatency,
	formatPercent,
	padCell,
	singleLine,
	steadiness,
	steadyValue,
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
		// Past a minute, at formatElapsed's resolution (minutes): an old pane's edge changes once a minute, not each second.
		expect(formatAge(192_000)).toBe('3m old');
		expect(formatAge((2 * 60 + 5) * 60_000 + 30_000)).toBe('2h05m old');
	});
});

describe('formatElapsed', () => {
	it('counts ten seconds in the first minute, then minutes, then hours and minutes, then days and hours', () => {
		expect(formatElapsed(9_900)).toBe('0s');
		expect(formatElapsed(45_900)).toBe('40s');
		expect(formatElapsed(60_000)).toBe('1m');
		expect(formatElapsed(59 * 60_000 + 59_000)).toBe('59m');
		expect(formatElapsed(3_600_000)).toBe('1h00m');
		expect(formatElapsed((4 * 24 + 3) * 3_600_000 + 59 * 60_000)).toBe('4d03h');
		expect(formatElapsed(Number.NaN)).toBe('-');
	});

	it('shows the same text for every refresh within a minute once past the first', () => {
		const shown = new Set(Array.from({length: 30}, (_, tick) => formatElapsed(12 * 60_000 + tick * 2000)));
		expect([...shown]).toEqual(['12m']);
	});
});

describe('steadyValue', () => {
	it('keeps the shown figure while the measured one wobbles within the band, and follows a real move', () => {
		expect(steadyValue(undefined, 15.2, steadiness.percent)).toBe(15.2);
		expect(steadyValue(15.2, 17.9, steadiness.percent)).toBe(15.2);
		expect(steadyValue(15.2, 12.4, steadiness.percent)).toBe(15.2);
		expect(steadyValue(15.2, 21, steadiness.percent)).toBe(21);
		// Small figures: half a percent either way is still "about 1 %".
		expect(steadyValue(1, 1.4, steadiness.percent)).toBe(1);
		expect(steadyValue(1, 1.6, steadiness.percent)).toBe(1.6);
	});

	it('a latency flapping between 27 and 28 ms keeps one text', () => {
		let shown: number | undefined;
		const texts = new Set<string>();
		for (const ms of [27, 28, 27.4, 27.9, 26.6, 28.2, 27]) {
			shown = steadyValue(shown, ms, steadiness.latency);
			texts.add(formatLatency(shown));
		}
		expect([...texts]).toEqual(['27 ms']);
	});

	it('always follows across a bound, both ways, however small the move', () => {
		expect(steadyValue(69.5, 70.5, steadiness.percent, [70, 90])).toBe(70.5);
		expect(steadyValue(70.5, 69.5, steadiness.percent, [70, 90])).toBe(69.5);
		expect(steadyValue(480, 510, steadiness.latency, [500])).toBe(510);
	});

	it('does not hold on to a missing figure', () => {
		expect(steadyValue(Number.NaN, 3, steadiness.count)).toBe(3);
		expect(steadyValue(3, Number.NaN, steadiness.count)).toBeNaN();
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
