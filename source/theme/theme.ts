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
	ellipsis: string;
	bullet: string;
	up: string;
	down: string;
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
	bullet: '●',
	up: '↑',
	down: '↓',
	pointer: '›',
	cursor: '█',
	status: {ok: '●', warn: '▲', crit: '✖', muted: '○'},
	border: 'round',
	box: {topLeft: '╭', top: '─', topRight: '╮'},
};

const asciiGlyphs: Glyphs = {
	spark: ['_', '.', '-', '=', '+', '*', '#', '@'],
	ellipsis: '~',
	bullet: '*',
	up: '^',
	down: 'v',
	pointer: '>',
	cursor: '_',
	status: {ok: '*', warn: '!', crit: 'X', muted: '-'},
	border: 'classic',
	box: {topLeft: '+', top: '-', topRight: '+'},
};

const noColour = (): undefined => undefined;
const colour = (token: ThemeToken | undefined): string | undefined => (token ? palette[token] : undefined);

export function createTheme({noColor = false, ascii = false}: ThemeOptions = {}): Theme {
	return {
		color: noColor ? noColour : colour,
		glyph: ascii ? asciiGlyphs : unicodeGlyphs,
		noColor,
		ascii,
	};
}

/**
 * Theme options from the environment and CLI flags. meow parses `--no-color` as `color: false`;
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
