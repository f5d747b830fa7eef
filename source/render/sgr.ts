/**
 * The graphic rendition (colours, bold, underline...) a cell is drawn with, as the terminal keeps it: parsed from
 * the SGR codes chalk writes, interned so that two cells drawn alike share one Style and compare with ===, and
 * turned back into the shortest code that takes the terminal from one Style to another.
 */

export type Style = {
	readonly key: string;
	/** Bit set of FLAGS. */
	readonly flags: number;
	/** The SGR parameters of the foreground ("31", "38;5;208", "38;2;1;2;3"), undefined for the default. */
	readonly fg: string | undefined;
	readonly bg: string | undefined;
};

// [on code, off code]. Bold and faint share their off code (22), which is why transition() re-adds the survivor.
const FLAGS: ReadonlyArray<readonly [number, number]> = [
	[1, 22],
	[2, 22],
	[3, 23],
	[4, 24],
	[5, 25],
	[7, 27],
	[8, 28],
	[9, 29],
	[53, 55],
];
const BOLD_OR_FAINT = 0b11;

const interned = new Map<string, Style>();

function intern(flags: number, fg: string | undefined, bg: string | undefined): Style {
	const key = `${flags}|${fg ?? ''}|${bg ?? ''}`;
	let style = interned.get(key);
	if (!style) {
		style = {key, flags, fg, bg};
		interned.set(key, style);
	}
	return style;
}

export const DEFAULT_STYLE: Style = intern(0, undefined, undefined);

/**
 * The Style after applying one SGR parameter string ("1;31", "38;5;208", "" = reset) to `style`; undefined when it
 * holds a code this model does not know (colon sub-parameters, underline colour, fonts): the caller then stops
 * tracking cells for that line.
 */
export function applySgr(style: Style, parameters: string): Style | undefined {
	if (parameters.includes(':')) return undefined;
	const codes = parameters === '' ? [0] : parameters.split(';').map(Number);
	let {flags, fg, bg} = style;
	for (let i = 0; i < codes.length; i++) {
		const code = codes[i];
		if (code === 0) {
			flags = 0;
			fg = undefined;
			bg = undefined;
		} else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) {
			fg = String(code);
		} else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) {
			bg = String(code);
		} else if (code === 39) {
			fg = undefined;
		} else if (code === 49) {
			bg = undefined;
		} else if (code === 38 || code === 48) {
			const extended = extendedColour(codes, i);
			if (!extended) return undefined;
			if (code === 38) fg = extended.parameters;
			else bg = extended.parameters;
			i = extended.last;
		} else {
			const on = FLAGS.findIndex(([onCode]) => onCode === code);
			if (on >= 0) {
				flags |= 1 << on;
				continue;
			}
			if (code === 22) {
				flags &= ~BOLD_OR_FAINT;
				continue;
			}
			const off = FLAGS.findIndex(([, offCode]) => offCode === code);
			if (off < 0 || Number.isNaN(code)) return undefined;
			flags &= ~(1 << off);
		}
	}
	return intern(flags, fg, bg);
}

/** "38;5;n" or "38;2;r;g;b" starting at codes[at]: its canonical text and the index of its last code. */
function extendedColour(codes: number[], at: number): {parameters: string; last: number} | undefined {
	const valid = (n: number | undefined) => n !== undefined && Number.isInteger(n) && n >= 0 && n <= 255;
	if (codes[at + 1] === 5 && valid(codes[at + 2])) return {parameters: `${codes[at]};5;${codes[at + 2]}`, last: at + 2};
	if (codes[at + 1] === 2 && valid(codes[at + 2]) && valid(codes[at + 3]) && valid(codes[at + 4])) {
		return {parameters: `${codes[at]};2;${codes[at + 2]};${codes[at + 3]};${codes[at + 4]}`, last: at + 4};
	}
	return undefined;
}

function onCodes(flags: number): number[] {
	const codes: number[] = [];
	FLAGS.forEach(([on], bit) => {
		if (flags & (1 << bit)) codes.push(on);
	});
	return codes;
}

/**
 * The shortest SGR sequence that takes the terminal from `from` (undefined: not known) to `to`: either the changes
 * alone, or a reset followed by everything `to` sets.
 */
export function transition(from: Style | undefined, to: Style): string {
	if (from === to) return '';
	const fromScratch = [...onCodes(to.flags), to.fg, to.bg].filter(part => part !== undefined);
	const reset = fromScratch.length === 0 ? '\u001B[m' : `\u001B[0;${fromScratch.join(';')}m`;
	if (!from) return reset;
	const parts: Array<number | string> = [];
	let off = from.flags & ~to.flags;
	let on = to.flags & ~from.flags;
	if (off & BOLD_OR_FAINT) {
		parts.push(22);
		off &= ~BOLD_OR_FAINT;
		on |= to.flags & BOLD_OR_FAINT;
	}
	FLAGS.forEach(([, offCode], bit) => {
		if (off & (1 << bit)) parts.push(offCode);
	});
	parts.push(...onCodes(on));
	if (from.fg !== to.fg) parts.push(to.fg ?? 39);
	if (from.bg !== to.bg) parts.push(to.bg ?? 49);
	const changes = `\u001B[${parts.join(';')}m`;
	return changes.length < reset.length ? changes : reset;
}
