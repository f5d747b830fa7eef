import {EventEmitter} from 'node:events';
import {describe, expect, it} from 'vitest';
import logUpdate from '../../source/render/log-update.js';
import {FrameWriter} from '../../source/render/frame-writer.js';
import {FrameScreen, screenOf} from '../helpers/frame-screen.js';
import {displayWidth} from '../../source/util/format.js';

/** A terminal's output side: bytes go to an emulated screen as well as being kept. */
class ScreenStdout extends EventEmitter {
	screen: FrameScreen;
	written: string[] = [];
	constructor(
		public columns: number,
		public rows: number,
	) {
		super();
		this.screen = new FrameScreen(columns, rows);
	}
	write(bytes: string) {
		this.written.push(bytes);
		this.screen.write(bytes);
		return true;
	}
	resize(columns: number, rows: number) {
		this.columns = columns;
		this.rows = rows;
		// A real terminal keeps what fits; the emulated one starts blank at the new size, which the layer must not rely on.
		this.screen = new FrameScreen(columns, rows);
		this.emit('resize');
	}
}

function random(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
	};
}

// Open and close codes as chalk writes them.
const styles: Array<[string, string]> = [
	['\u001B[31m', '\u001B[39m'],
	['\u001B[32m', '\u001B[39m'],
	['\u001B[1m', '\u001B[22m'],
	['\u001B[2m', '\u001B[22m'],
	['\u001B[7m', '\u001B[27m'],
	['\u001B[4m', '\u001B[24m'],
	['\u001B[44m', '\u001B[49m'],
	['\u001B[38;5;208m', '\u001B[39m'],
	['\u001B[48;2;10;20;30m', '\u001B[49m'],
];
const pieces = ['a', 'b', 'x', ' ', ' ', '0', '9', '─', '│', '▇', '漢', '字', '🙂', 'é', '.'];

type Segment = {text: string; style?: [string, string]; inner?: [string, string]};
type Line = Segment[];

const renderSegment = ({text, style, inner}: Segment) => {
	let out = text;
	if (inner) out = inner[0] + out + inner[1];
	if (style) out = style[0] + out + style[1];
	return out;
};
const renderLine = (line: Line) => line.map(renderSegment).join('');
const widthOf = (line: Line) => line.reduce((sum, segment) => sum + displayWidth(segment.text), 0);

function makeFrames(seed: number, columns: number, rows: number, count: number): string[] {
	const next = random(seed);
	const pick = <T,>(items: readonly T[]) => items[Math.floor(next() * items.length)];
	const text = (length: number) => Array.from({length}, () => pick(pieces)).join('');
	const segment = (): Segment => ({text: text(1 + Math.floor(next() * 6)), style: next() < 0.5 ? pick(styles) : undefined, inner: next() < 0.2 ? pick(styles) : undefined});
	const fit = (line: Line) => {
		while (line.length > 0 && widthOf(line) > columns) line.pop();
		return line;
	};
	const line = (): Line => fit(Array.from({length: Math.floor(next() * 14)}, segment));
	let lines: Line[] = Array.from({length: 1 + Math.floor(next() * (rows - 1))}, line);
	const frames: string[] = [];
	for (let i = 0; i < count; i++) {
		const roll = next();
		if (roll < 0.05) lines = Array.from({length: 1 + Math.floor(next() * (rows - 1))}, line);
		else if (roll < 0.12 && lines.length > 1) lines.splice(Math.floor(next() * lines.length), 1 + Math.floor(next() * 3));
		else if (roll < 0.18 && lines.length < rows - 1) lines.splice(Math.floor(next() * lines.length), 0, line());
		else {
			// A few small edits: a character, a style, a segment dropped or added.
			if (lines.length === 0) lines.push(line());
			for (let edit = 0; edit < 1 + Math.floor(next() * 3); edit++) {
				const target = lines[Math.floor(next() * lines.length)];
				if (target.length === 0) {
					target.push(segment());
					continue;
				}
				const at = Math.floor(next() * target.length);
				const kind = next();
				if (kind < 0.5) {
					const chars = Array.from(target[at].text);
					chars[Math.floor(next() * chars.length)] = pick(pieces);
					target[at] = {...target[at], text: chars.join('')};
				} else if (kind < 0.7) target[at] = {...target[at], style: next() < 0.3 ? undefined : pick(styles)};
				else if (kind < 0.85) target.splice(at, 1);
				else target.splice(at, 0, segment());
				fit(target);
			}
		}
		frames.push(lines.map(renderLine).join('\n') + '\n');
	}
	return frames;
}

const endsWithMove = /(\u001B\[\d*(;\d+)?[ABCDGH]|\r|\n)$/;

describe('frame writer: the emulated screen shows each frame', () => {
	for (const [columns, rows, seed] of [
		[80, 24, 1],
		[40, 12, 2],
		[120, 40, 3],
		[17, 6, 4],
	] as const) {
		it(`random edits with wide characters and colours at ${columns}x${rows}`, () => {
			const stdout = new ScreenStdout(columns, rows);
			const log = logUpdate.create(stdout as never);
			for (const [index, frame] of makeFrames(seed, columns, rows, 400).entries()) {
				const before = stdout.written.length;
				log(frame);
				expect(stdout.screen.cells(), `frame ${index}`).toEqual(screenOf(frame, columns, rows).cells());
				const bytes = stdout.written.slice(before).join('');
				expect(bytes, `frame ${index} ends with a cursor move`).not.toMatch(endsWithMove);
			}
		});
	}

	it('writes one changed character as one move and the character', () => {
		const stdout = new ScreenStdout(80, 24);
		const log = logUpdate.create(stdout as never);
		const lines = Array.from({length: 20}, (_, i) => `\u001B[32mrow ${String(i).padStart(2)}\u001B[39m  uptime 12m0${i % 10}s  cpu 1.0%`);
		log(lines.join('\n') + '\n');
		lines[10] = lines[10].replace('cpu 1.0%', 'cpu 1.5%');
		const before = stdout.written.length;
		log(lines.join('\n') + '\n');
		expect(stdout.written.slice(before).join('')).toBe('\u001B[11;30H5');
		// The next change on the same row is reached by a relative move.
		lines[10] = lines[10].replace('12m00s', '12m01s');
		const second = stdout.written.length;
		log(lines.join('\n') + '\n');
		expect(stdout.written.slice(second).join('')).toBe('\u001B[20G1');
		expect(stdout.screen.cells()).toEqual(screenOf(lines.join('\n') + '\n', 80, 24).cells());
	});

	it('rewrites a short unchanged gap instead of moving over it', () => {
		const writer = new FrameWriter();
		writer.frame(['abcdef'], 80, 24);
		expect(writer.frame(['xbcyef'], 80, 24)).toBe('\rxbcy');
	});

	it('erases what a shorter frame no longer covers, with the default colours', () => {
		const stdout = new ScreenStdout(40, 10);
		const log = logUpdate.create(stdout as never);
		const long = ['\u001B[44mblue background line\u001B[49m', 'second line is long', 'third', 'fourth'].join('\n') + '\n';
		log(long);
		const short = ['\u001B[44mblue\u001B[49m', 'second'].join('\n') + '\n';
		log(short);
		expect(stdout.screen.cells()).toEqual(screenOf(short, 40, 10).cells());
		expect(stdout.screen.text().slice(0, 4)).toEqual(['blue', 'second', '', '']);
	});

	it('replaces both halves of a wide character, and what it overlapped', () => {
		const stdout = new ScreenStdout(20, 5);
		const log = logUpdate.create(stdout as never);
		for (const frame of ['漢字x\n', '字字x\n', 'ab漢cd\n', 'a漢字d\n', 'abcde\n', '🙂🙂🙂\n', 'x🙂y🙂\n', '漢\u001B[31m字\u001B[39m\n']) {
			log(frame);
			expect(stdout.screen.cells(), frame).toEqual(screenOf(frame, 20, 5).cells());
		}
	});

	it('draws the whole frame again after a resize', () => {
		const stdout = new ScreenStdout(40, 10);
		const log = logUpdate.create(stdout as never);
		log('one\ntwo\nthree\n');
		stdout.resize(30, 8);
		log('one\ntwo\nthree\n');
		expect(stdout.screen.text().slice(0, 3)).toEqual(['one', 'two', 'three']);
		log('one\ntwo\nfour\n');
		expect(stdout.screen.cells()).toEqual(screenOf('one\ntwo\nfour\n', 30, 8).cells());
	});

	it('writes a line it cannot measure (a tab) whole, and knows the screen again after it', () => {
		const stdout = new ScreenStdout(40, 10);
		const log = logUpdate.create(stdout as never);
		const frames = ['name\tvalue\nplain\n', 'name\tvalue2\nplain\n', 'name value\nplain!\n', 'x\tvalue\nplain!\n'];
		for (const frame of frames) {
			log(frame);
			expect(stdout.screen.cells(), frame).toEqual(screenOf(frame, 40, 10).cells());
		}
	});

	it('writes nothing for an unchanged frame and starts again whole after clear()', () => {
		const stdout = new ScreenStdout(40, 10);
		const log = logUpdate.create(stdout as never);
		expect(log('same\n')).toBe(true);
		const count = stdout.written.length;
		expect(log('same\n')).toBe(false);
		expect(stdout.written.length).toBe(count);
		log.clear();
		stdout.screen.write('external text');
		log('same\n');
		expect(stdout.screen.text()[0]).toBe('same');
	});

	it('moves to and shows the cursor ink asks for, and hides it again', () => {
		const stdout = new ScreenStdout(40, 10);
		const log = logUpdate.create(stdout as never);
		log.setCursorPosition({x: 3, y: 1});
		log('first\nsecond\n');
		expect(stdout.written.join('')).toMatch(/\u001B\[\?25h$/);
		expect([stdout.screen.row, stdout.screen.col]).toEqual([1, 3]);
		log('first\nsecond!\n');
		expect(stdout.written.at(-1)).toMatch(/^\u001B\[\?25l/);
		expect(stdout.screen.cells()).toEqual(screenOf('first\nsecond!\n', 40, 10).cells());
	});
});
