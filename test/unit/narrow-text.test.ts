// The build's fast path for string-width (scripts/build.mjs, scripts/narrow-text.mjs): text that the pattern
// matches is measured as its length, so the pattern must match only text whose width string-width says is its length.
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {narrowTextPattern} from '../../scripts/narrow-text.mjs';

const narrow = new RegExp(narrowTextPattern());

describe('the narrow-text pattern', () => {
	const members: string[] = [];
	for (let code = 0x20; code <= 0xffff; code++) if (narrow.test(String.fromCharCode(code))) members.push(String.fromCharCode(code));

	it("matches the dashboard's glyphs, and every one it matches is one column", () => {
		expect(narrow.test('│ ● rust-core-engine ▁▂▃▅▇█ … ✔ ✖ ↑ ↓ · — ╭─╮ ├┤ ╰─╯ é ×')).toBe(true);
		for (const character of members) expect(stringWidth(character), `U+${character.charCodeAt(0).toString(16)}`).toBe(1);
	});

	it('matches strings of them whose width is their length (string-width segments them one by one)', () => {
		// A deterministic spread: neighbours of every kind, each member beside many others.
		let seed = 7;
		const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
		for (let i = 0; i < 20_000; i++) {
			const text = Array.from({length: 1 + (next() % 12)}, () => members[next() % members.length]).join('');
			expect(narrow.test(text)).toBe(true);
			expect(stringWidth(text), JSON.stringify(text)).toBe(text.length);
		}
	});

	it('leaves to string-width what is wide, zero-width, joined or an emoji', () => {
		for (const text of ['漢字', 'e\u0301', '⚡', '✔\ufe0f', 'a\u200db', '\u00ad', 'x\t', '\u1100\u1161', '👍', '\u0600a']) expect(narrow.test(text), JSON.stringify(text)).toBe(false);
	});
});
