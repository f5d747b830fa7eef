/**
 * Alertmanager's label matchers: amtool's syntax in, Alertmanager's semantics out. The parser follows
 * Alertmanager's pkg/labels (the "classic" parser amtool 0.25 uses); matching follows labels.Matcher.Matches:
 * regexes are anchored as `^(?:re)$`, and an absent label is the empty string, so `!=`/`!~` catch alerts without it.
 */

export type MatchType = '=' | '!=' | '=~' | '!~';

/** The v2 API's shape, plus the operator, so a matcher round-trips both ways. */
export type Matcher = {name: string; value: string; isRegex: boolean; isEqual: boolean};

export type Labels = Record<string, string>;

/** Alertmanager's label name rule (`[a-zA-Z_][a-zA-Z0-9_]*`; its parser also takes ":"). */
const labelName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const matcherPattern = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|=|!=|!~)\s*([\s\S]*?)\s*$/;

export class MatcherError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'MatcherError';
	}
}

export function matchType(matcher: Matcher): MatchType {
	if (matcher.isRegex) return matcher.isEqual ? '=~' : '!~';
	return matcher.isEqual ? '=' : '!=';
}

export function makeMatcher(name: string, type: MatchType, value: string): Matcher {
	if (!labelName.test(name)) throw new MatcherError(`invalid label name "${name}" (letters, digits, "_" and ":", not starting with a digit)`);
	const matcher = {name, value, isRegex: type === '=~' || type === '!~', isEqual: type === '=' || type === '=~'};
	if (matcher.isRegex) compileGoRegex(value);
	return matcher;
}

/**
 * One matcher, `name=value`, `name=~"re"`: a leading `"` opens a quoted value, `\"`, `\\` and `\n` are escapes and
 * any other backslash stays literal, as in Alertmanager.
 */
export function parseMatcher(text: string): Matcher {
	const match = matcherPattern.exec(text);
	if (!match) throw new MatcherError(`bad matcher format: ${text.trim() || '(empty)'} (expected name=value, name!=value, name=~regex or name!~regex)`);
	const [, name, type, raw] = match;
	let rawValue = raw;
	let expectTrailingQuote = false;
	if (rawValue.startsWith('"')) {
		rawValue = rawValue.slice(1);
		expectTrailingQuote = true;
	}
	let value = '';
	let escaped = false;
	const chars = [...rawValue];
	for (let i = 0; i < chars.length; i++) {
		const c = chars[i];
		if (escaped) {
			escaped = false;
			if (c === 'n') value += '\n';
			else if (c === '"' || c === '\\') value += c;
			else value += `\\${c}`;
			continue;
		}
		if (c === '\\') {
			if (i < chars.length - 1) escaped = true;
			else value += '\\';
		} else if (c === '"') {
			if (!expectTrailingQuote || i < chars.length - 1) throw new MatcherError(`matcher value contains unescaped double quote: ${raw}`);
			expectTrailingQuote = false;
		} else value += c;
	}
	if (expectTrailingQuote) throw new MatcherError(`matcher value contains unescaped double quote: ${raw}`);
	return makeMatcher(name, type as MatchType, value);
}

/** `{a="b",c=~"d"}` or `a="b",c=~"d"`: commas inside quotes do not split. */
export function parseMatchers(text: string): Matcher[] {
	let body = text.trim();
	if (body.startsWith('{')) body = body.slice(1);
	if (body.endsWith('}')) body = body.slice(0, -1);
	const tokens: string[] = [];
	let token = '';
	let insideQuotes = false;
	let escaped = false;
	for (const c of body) {
		if (c === ',' && !insideQuotes) {
			tokens.push(token);
			token = '';
			continue;
		}
		if (c === '"') {
			if (escaped) escaped = false;
			else insideQuotes = !insideQuotes;
		} else if (c === '\\') escaped = !escaped;
		else escaped = false;
		token += c;
	}
	if (token.trim() !== '') tokens.push(token);
	return tokens.map(t => parseMatcher(t));
}

/**
 * amtool's argument form: each argument is a matcher or a braces group, and a first argument without an operator
 * is the alert name (`amtool silence add HighLatency service=x`).
 */
export function parseMatcherArgs(args: string[]): Matcher[] {
	const matchers: Matcher[] = [];
	args.forEach((arg, index) => {
		if (index === 0 && labelName.test(arg.trim())) {
			matchers.push(makeMatcher('alertname', '=', arg.trim()));
			return;
		}
		matchers.push(...parseMatchers(arg));
	});
	return matchers;
}

/** amtool's printing: values always quoted, so the text parses back to the same matcher. */
export function formatMatcher(matcher: Matcher): string {
	const value = matcher.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
	return `${matcher.name}${matchType(matcher)}"${value}"`;
}

export function formatMatchers(matchers: readonly Matcher[]): string {
	return `{${matchers.map(formatMatcher).join(', ')}}`;
}

// --- matching ----------------------------------------------------------------------------------------------

const compiled = new Map<string, RegExp>();

/** labels.Matcher.Matches on one label set: every matcher must match, an absent label reads as "". */
export function matchesAll(matchers: readonly Matcher[], labels: Labels): boolean {
	return matchers.every(m => matchesOne(m, labels[m.name] ?? ''));
}

export function matchesOne(matcher: Matcher, value: string): boolean {
	if (!matcher.isRegex) return matcher.isEqual ? value === matcher.value : value !== matcher.value;
	const re = compileGoRegex(matcher.value);
	return matcher.isEqual ? re.test(value) : !re.test(value);
}

/**
 * A Go RE2 pattern as an anchored JavaScript RegExp with the same meaning, or a MatcherError naming the construct
 * when the two engines would disagree (lookaround and backreferences exist only in JS; `\Q…\E`, POSIX classes and
 * inline flags other than leading ones only in RE2). RE2-only spellings with a JS twin are translated.
 */
export function compileGoRegex(pattern: string): RegExp {
	const cached = compiled.get(pattern);
	if (cached) return cached;
	let source = pattern;
	let flags = '';
	// Leading inline flags, RE2's only way to set them: (?i), (?s), (?is).
	const leading = /^\(\?([is]+)\)/.exec(source);
	if (leading) {
		flags = [...new Set(leading[1])].join('');
		source = source.slice(leading[0].length);
	}
	source = translate(source, pattern, flags.includes('s'));
	let re: RegExp;
	try {
		re = new RegExp(`^(?:${source})$`, flags);
	} catch (error) {
		throw new MatcherError(`invalid regex "${pattern}": ${error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error)}`);
	}
	if (compiled.size > 1000) compiled.clear();
	compiled.set(pattern, re);
	return re;
}

function translate(source: string, pattern: string, dotAll: boolean): string {
	const refuse = (what: string) => {
		throw new MatcherError(`regex "${pattern}" uses ${what}, which Alertmanager's Go RE2 engine and JavaScript do not read the same way; rewrite it without`);
	};
	let out = '';
	let inClass = false;
	for (let i = 0; i < source.length; i++) {
		const c = source[i];
		if (c === '\\') {
			const next = source[i + 1];
			if (next === undefined) throw new MatcherError(`invalid regex "${pattern}": trailing backslash`);
			if (/[1-9]/.test(next) && !inClass) refuse(`a backreference (\\${next})`);
			if (next === 'k' && source[i + 2] === '<') refuse('a named backreference (\\k<…>)');
			if (next === 'Q') refuse('\\Q…\\E literal quoting');
			if (next === 'z' && !inClass) {
				out += '$';
				i++;
				continue;
			}
			if (next === 'A' && !inClass) {
				out += '^';
				i++;
				continue;
			}
			if (next === 'Z') refuse('\\Z');
			if (next === 'p' || next === 'P') refuse('Unicode classes (\\p)');
			// RE2's \s is [\t\n\f\r ]; JavaScript's also takes \v and Unicode spaces.
			if (next === 's') out += inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]';
			else if (next === 'S') {
				if (inClass) refuse('\\S inside a character class');
				out += '[^\\t\\n\\f\\r ]';
			} else out += c + next;
			i++;
			continue;
		}
		if (inClass) {
			if (c === '[' && source[i + 1] === ':') refuse('[[:class:]] POSIX classes');
			if (c === ']') inClass = false;
			out += c;
			continue;
		}
		if (c === '[') {
			inClass = true;
			out += c;
			// A "]" or "^]" right after "[" is a literal in both engines.
			if (source[i + 1] === '^') out += source[++i];
			if (source[i + 1] === ']') out += source[++i];
			continue;
		}
		if (c === '(' && source[i + 1] === '?') {
			const rest = source.slice(i + 2);
			if (rest.startsWith('=') || rest.startsWith('!')) refuse('a lookahead (?=…)/(?!…)');
			if (rest.startsWith('<=') || rest.startsWith('<!')) refuse('a lookbehind (?<=…)/(?<!…)');
			if (rest.startsWith('P<')) {
				out += '(?<';
				i += 3;
				continue;
			}
			if (rest.startsWith('<')) refuse('(?<name>…) (Alertmanager 0.25 takes only (?P<name>…))');
			if (rest.startsWith(':')) {
				out += '(?:';
				i += 2;
				continue;
			}
			refuse(`(?${rest.slice(0, 2)}… inline flags or groups`);
		}
		// RE2's "." stops only at \n; JavaScript's also at \r, \u2028 and \u2029.
		if (c === '.') {
			out += dotAll ? '[\\s\\S]' : '[^\\n]';
			continue;
		}
		out += c;
	}
	return out;
}

// --- label sets --------------------------------------------------------------------------------------------

/** A label set's identity, as Alertmanager's fingerprint is a hash of the sorted set: equal sets, equal keys. */
export function labelSetKey(labels: Labels): string {
	// Hot path (10,000 alerts a refresh from an HA pair). Names are [a-zA-Z0-9_:] and each value is length-prefixed,
	// so no value can forge a boundary, and nothing needs escaping.
	const names = Object.keys(labels).sort();
	let key = '';
	for (const name of names) {
		const value = labels[name];
		key += `${name}=${value.length}:${value},`;
	}
	return key;
}

/** Which matcher fails for this alert: for explaining a preview ("service=~"rust.*" does not match "ai""). */
export function firstMismatch(matchers: readonly Matcher[], labels: Labels): Matcher | undefined {
	return matchers.find(m => !matchesOne(m, labels[m.name] ?? ''));
}
