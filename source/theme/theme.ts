/**
 * Semantic colour tokens and glyphs. Components ask for a token ("crit"), never a colour ("red"), so that
 * NO_COLOR / --no-color and --ascii are decided here once and every screen follows.
 */

export type ThemeToken = 'ok' | 'warn' | 'crit' | 'muted' | 'accent' | 'prod' | 'info' | 'selection';

/** Ink border style names (cli-boxes). */
export type BorderStyleName = 'round' | 'classic';

export type Glyphs = {
	/** Sparkline ramp, lowest first; every entry is one column wide. */
	spark: readonly string[];
	/** Cut mark of truncated text: one column wide, so fitted cells keep their width. */
	ellipsis: string;
	/** "loading…", "planning…": an unfinished action (free width). */
	pending: string;
	/** Soft separator between parts of one line ("12 runbooks · enter runs"), spaces included. */
	separator: string;
	/** Separator before an explanation ("following — f pauses"), spaces included. */
	dash: string;
	bullet: string;
	up: string;
	down: string;
	/** Key names in hints: the arrow keys. */
	upDown: string;
	leftRight: string;
	/** Gutter marker of the selected table row: selection must survive a terminal that shows no attributes. */
	pointer: string;
	/** Text cursor of TextInput, drawn as a glyph rather than inverse for the same reason. */
	cursor: string;
	/** One glyph per state tone, distinct in shape so state reads without colour. */
	status: {ok: string; warn: string; crit: string; muted: string};
	/** Ink `borderStyle` for boxes. */
	border: BorderStyleName;
	/** Top edge of a box, drawn by hand so that it can carry a title. Must match `border`. */
	box: {topLeft: string; top: string; topRight: string};
};

export type Theme = {
	/** The ink colour for a token, or undefined when colour is off (then render without a colour prop). */
	color: (token: ThemeToken | undefined) => string | undefined;
	glyph: Glyphs;
	noColor: boolean;
	ascii: boolean;
	/**
	 * Text from outside the theme (log lines, names, descriptions, error messages) as it may be drawn: unchanged
	 * with unicode, folded to ASCII of the same width with --ascii, so that nothing non-ASCII reaches the terminal.
	 */
	text: (text: string) => string;
};

export type ThemeOptions = {noColor?: boolean; ascii?: boolean};

const palette: Record<ThemeToken, string> = {
	ok: 'green',
	warn: 'yellow',
	crit: 'red',
	muted: 'gray',
	accent: 'cyan',
	prod: 'magenta',
	info: 'blue',
	selection: 'cyan',
};

const unicodeGlyphs: Glyphs = {
	spark: ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'],
	ellipsis: '…',
	pending: '…',
	separator: ' · ',
	dash: ' — ',
	bullet: '●',
	up: '↑',
	down: '↓',
	upDown: '↑/↓',
	leftRight: '←/→',
	pointer: '›',
	cursor: '█',
	status: {ok: '●', warn: '▲', crit: '✖', muted: '○'},
	border: 'round',
	box: {topLeft: '╭', top: '─', topRight: '╮'},
};

const asciiGlyphs: Glyphs = {
	spark: ['_', '.', '-', '=', '+', '*', '#', '@'],
	ellipsis: '~',
	pending: '...',
	separator: ' | ',
	dash: ' - ',
	bullet: '*',
	up: '^',
	down: 'v',
	upDown: 'up/down',
	leftRight: 'left/right',
	pointer: '>',
	cursor: '_',
	status: {ok: '*', warn: '!', crit: 'X', muted: '-'},
	border: 'classic',
	box: {topLeft: '+', top: '-', topRight: '+'},
};

/** One ASCII character per common one-column character, so that folding keeps every column where it was. */
const asciiFold: Record<string, string> = {
	'…': '~', '—': '-', '–': '-', '‒': '-', '―': '-', '−': '-', '·': '.', '•': '*', '●': '*', '○': 'o', '◦': 'o',
	'‘': "'", '’': "'", '‚': ',', '“': '"', '”': '"', '„': '"', '«': '<', '»': '>', '‹': '<', '›': '>',
	'←': '<', '→': '>', '↑': '^', '↓': 'v', '⇒': '>', '▲': '^', '▼': 'v', '►': '>', '◄': '<',
	'✓': 'v', '✔': 'v', '✗': 'x', '✘': 'x', '✖': 'x', '×': 'x', '⨯': 'x', '⚠': '!', 'ℹ': 'i', '⚡': '!',
	'§': 'S', '°': 'o', '±': '+', 'µ': 'u', '©': 'c', '®': 'r', '\u00a0': ' ', '\u2009': ' ', '\u202f': ' ',
	'│': '|', '─': '-', '┌': '+', '┐': '+', '└': '+', '┘': '+', '├': '+', '┤': '+', '╭': '+', '╮': '+', '╰': '+', '╯': '+',
	'█': '#', '▁': '_', '▂': '.', '▃': '-', '▄': '=', '▅': '+', '▆': '*', '▇': '#',
};

const nonAscii = /[^\x00-\x7f]/;

/** `text` with every non-ASCII character replaced: known ones by their look-alike, accented Latin letters by the letter, others by "?" per column. */
export function foldToAscii(text: string): string {
	if (!nonAscii.test(text)) return text;
	let out = '';
	for (const char of text) {
		const code = char.codePointAt(0)!;
		if (code < 0x80) out += char;
		else if (asciiFold[char] !== undefined) out += asciiFold[char];
		else if (code <= 0x24f && char.normalize('NFD').charCodeAt(0) < 0x80) out += char.normalize('NFD')[0]; // é -> e
		else if ((code >= 0x300 && code <= 0x36f) || (code >= 0xfe00 && code <= 0xfe0f) || code === 0x200d) continue; // combining marks, variation selectors, joiners: no column
		else out += isWide(code) ? '??' : '?';
	}
	return out;
}

/** East Asian wide and emoji ranges (two columns), as string-width counts them, coarsely. */
function isWide(code: number): boolean {
	return (
		(code >= 0x1100 && code <= 0x115f) ||
		(code >= 0x2e80 && code <= 0xa4cf) ||
		(code >= 0xac00 && code <= 0xd7a3) ||
		(code >= 0xf900 && code <= 0xfaff) ||
		(code >= 0xfe30 && code <= 0xfe4f) ||
		(code >= 0xff00 && code <= 0xff60) ||
		(code >= 0xffe0 && code <= 0xffe6) ||
		(code >= 0x1f300 && code <= 0x1faff) ||
		(code >= 0x20000 && code <= 0x3fffd)
	);
}

const unchanged = (text: string): string => text;
const noColour = (): undefined => undefined;
const colour = (token: ThemeToken | undefined): string | undefined => (token ? palette[token] : undefined);

export function createTheme({noColor = false, ascii = false}: ThemeOptions = {}): Theme {
	return {
		color: noColor ? noColour : colour,
		glyph: ascii ? asciiGlyphs : unicodeGlyphs,
		noColor,
		ascii,
		text: ascii ? foldToAscii : unchanged,
	};
}

/**
 * Theme options from the environment and CLI flags. `--no-color` arrives as `color: false`;
 * NO_COLOR counts only when non-empty (https://no-color.org).
 */
export function resolveThemeOptions(
	env: Record<string, string | undefined>,
	flags: {color?: boolean; noColor?: boolean; ascii?: boolean} = {},
): Required<ThemeOptions> {
	const noColor = Boolean(env['NO_COLOR']) || flags.color === false || flags.noColor === true;
	return {noColor, ascii: flags.ascii === true};
}

export const defaultTheme: Theme = createTheme();
