import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {createTheme, foldToAscii} from '../../source/theme/theme.js';

const isAscii = (text: string) => [...text].every(char => char.codePointAt(0)! < 0x80);

/** Every string inside the glyph set, however deep. */
function strings(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value)) return value.flatMap(strings);
	if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
	return [];
}

describe('ASCII theme', () => {
	it('has only ASCII glyphs, and the unicode theme has a glyph for each', () => {
		const ascii = createTheme({ascii: true}).glyph;
		const unicode = createTheme().glyph;
		expect(strings(ascii).filter(glyph => !isAscii(glyph))).toEqual([]);
		expect(Object.keys(ascii).sort()).toEqual(Object.keys(unicode).sort());
		// The cut mark stays one column wide in both, so fitted cells keep their width.
		expect(stringWidth(ascii.ellipsis)).toBe(1);
		expect(stringWidth(unicode.ellipsis)).toBe(1);
	});

	it('folds outside text to ASCII of the same width, and leaves it alone with unicode', () => {
		const samples = [
			'Manual §3.3 — restart…',
			' ✓ Compiled in 120ms · ⚠ slow → retry ×3',
			'“quoted” ‘single’ ↑/↓ ←/→',
			'接続 ok',
			'rocket 🚀 done',
			'e\u0301t\u00e9',
		];
		for (const text of samples) {
			const folded = foldToAscii(text);
			expect(isAscii(folded), folded).toBe(true);
			expect(stringWidth(folded), `${text} -> ${folded}`).toBe(stringWidth(text));
		}
		expect(foldToAscii('Manual §3.3 — restart…')).toBe('Manual S3.3 - restart~');
		expect(foldToAscii('plain ascii')).toBe('plain ascii');
		expect(foldToAscii('café naïve e\u0301')).toBe('cafe naive e');
		expect(createTheme().text('§ — …')).toBe('§ — …');
		expect(createTheme({ascii: true}).text('§ — …')).toBe('S - ~');
	});
});
