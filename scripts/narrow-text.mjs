// The characters beyond ASCII that string-width counts as one column each, one cluster each: for text made only of
// them (and printable ASCII), the width is the length. string-width's own fast path stops at ASCII; the dashboard's
// frame has box drawing, bars, bullets and arrows in every line, and its slow path segments each string into
// graphemes and, once, compiles /^\p{RGI_Emoji}$/v (30-65 ms on this machine, before the first frame).
// Derived from the installed string-width itself at build time, so an upgrade cannot make it disagree.
import stringWidth from 'string-width';

/** A regular expression source `^[...]*$` matching text whose width is its length; BMP only. */
export function narrowTextPattern() {
	const segmenter = new Intl.Segmenter();
	const ranges = [];
	for (let code = 0xa0; code <= 0xffff; code++) {
		// Lone surrogates; Hangul jamo, which join each other into one syllable (string-width's own rule).
		if ((code >= 0xd800 && code <= 0xdfff) || (code >= 0x1100 && code <= 0x11ff) || (code >= 0xa960 && code <= 0xa97f) || (code >= 0xd7b0 && code <= 0xd7ff)) continue;
		const character = String.fromCharCode(code);
		if (stringWidth(character) !== 1) continue;
		// Joins neither the character before it nor the one after (no mark, joiner, prepend or variation selector).
		if ([...segmenter.segment(`a${character}a`)].length !== 3) continue;
		const last = ranges.at(-1);
		if (last && last[1] === code - 1) last[1] = code;
		else ranges.push([code, code]);
	}
	const hex = code => `\\u${code.toString(16).padStart(4, '0')}`;
	return `^[\\u0020-\\u007e${ranges.map(([from, to]) => (from === to ? hex(from) : `${hex(from)}-${hex(to)}`)).join('')}]*$`;
}
