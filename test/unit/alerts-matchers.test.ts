import {describe, expect, it} from 'vitest';
import {compileGoRegex, formatMatcher, formatMatchers, labelSetKey, matchesAll, MatcherError, parseMatcher, parseMatcherArgs, parseMatchers} from '../../source/alerts/matchers.js';

describe('amtool matcher syntax', () => {
	it.each([
		['alertname=Foo', {name: 'alertname', value: 'Foo', isRegex: false, isEqual: true}],
		['service=~"rust.*"', {name: 'service', value: 'rust.*', isRegex: true, isEqual: true}],
		['foo!="x"', {name: 'foo', value: 'x', isRegex: false, isEqual: false}],
		['foo!~"x.+"', {name: 'foo', value: 'x.+', isRegex: true, isEqual: false}],
		['  team =  payments ', {name: 'team', value: 'payments', isRegex: false, isEqual: true}],
		['msg="say \\"hi\\""', {name: 'msg', value: 'say "hi"', isRegex: false, isEqual: true}],
		['path="a\\\\b"', {name: 'path', value: 'a\\b', isRegex: false, isEqual: true}],
		['text="line\\nnext"', {name: 'text', value: 'line\nnext', isRegex: false, isEqual: true}],
		// A spurious escape stays literal, as in Alertmanager: the regex sees \. (a dot).
		['ip=~"10\\.0\\..*"', {name: 'ip', value: '10\\.0\\..*', isRegex: true, isEqual: true}],
		['empty=""', {name: 'empty', value: '', isRegex: false, isEqual: true}],
	])('%s', (text, expected) => {
		expect(parseMatcher(text)).toEqual(expected);
	});

	it('parses the braces form, with commas inside quotes kept', () => {
		expect(parseMatchers('{a="b",c=~"d|e", msg="x, y"}')).toEqual([
			{name: 'a', value: 'b', isRegex: false, isEqual: true},
			{name: 'c', value: 'd|e', isRegex: true, isEqual: true},
			{name: 'msg', value: 'x, y', isRegex: false, isEqual: true},
		]);
	});

	it('takes amtool arguments: a bare first word is the alert name', () => {
		expect(parseMatcherArgs(['HighLatency', 'service=~"rust.*"'])).toEqual([
			{name: 'alertname', value: 'HighLatency', isRegex: false, isEqual: true},
			{name: 'service', value: 'rust.*', isRegex: true, isEqual: true},
		]);
	});

	it.each([
		['=x', /bad matcher format/],
		['foo', /bad matcher format/],
		['9abc=x', /bad matcher format/],
		['foo="x', /unescaped double quote/],
		['foo="x"y"', /unescaped double quote/],
		['foo=~"(unclosed"', /invalid regex/],
	])('refuses %s with a clear message', (text, message) => {
		expect(() => parseMatcher(text)).toThrow(MatcherError);
		expect(() => parseMatcher(text)).toThrow(message);
	});

	it('prints matchers back in a form that parses to the same matchers', () => {
		const matchers = parseMatchers('{msg="say \\"hi\\"", re=~"a|b", x!="", y!~"z.+"}');
		expect(formatMatchers(matchers)).toBe('{msg="say \\"hi\\"", re=~"a|b", x!="", y!~"z.+"}');
		expect(parseMatchers(formatMatchers(matchers))).toEqual(matchers);
		expect(formatMatcher(parseMatcher('t="a\\nb"'))).toBe('t="a\\nb"');
	});
});

describe("Alertmanager's matching semantics", () => {
	const alert = {alertname: 'HighLatency', service: 'rust-core-engine', severity: 'critical'};

	it('anchors regexes: "core" does not match rust-core-engine, and alternation is anchored as a whole', () => {
		expect(matchesAll(parseMatchers('service=~"core"'), alert)).toBe(false);
		expect(matchesAll(parseMatchers('service=~".*core.*"'), alert)).toBe(true);
		expect(matchesAll(parseMatchers('severity=~"crit|warn"'), alert)).toBe(false);
		expect(matchesAll(parseMatchers('severity=~"crit.*|warn"'), alert)).toBe(true);
	});

	it('reads an absent label as "": != and !~ match it, ="" matches it', () => {
		expect(matchesAll(parseMatchers('team!="payments"'), alert)).toBe(true);
		expect(matchesAll(parseMatchers('team!~"pay.+"'), alert)).toBe(true);
		expect(matchesAll(parseMatchers('team=""'), alert)).toBe(true);
		expect(matchesAll(parseMatchers('team=~".+"'), alert)).toBe(false);
		expect(matchesAll(parseMatchers('service=""'), alert)).toBe(false);
	});

	it('needs every matcher to match', () => {
		expect(matchesAll(parseMatchers('{alertname="HighLatency", service="other"}'), alert)).toBe(false);
		expect(matchesAll(parseMatchers('{alertname="HighLatency", service=~"rust.+"}'), alert)).toBe(true);
	});

	it('translates RE2-only spellings: leading flags, (?P<name>), \\A and \\z', () => {
		expect(compileGoRegex('(?i)RUST.*').test('rust-core')).toBe(true);
		expect(compileGoRegex('(?P<svc>rust)-.*').test('rust-core')).toBe(true);
		expect(compileGoRegex('\\Arust.*\\z').test('rust-core')).toBe(true);
		expect(compileGoRegex('(?s)a.b').test('a\nb')).toBe(true);
		expect(compileGoRegex('a.b').test('a\nb')).toBe(false);
		// RE2's "." takes \r, and its \s is [\t\n\f\r ] only.
		expect(compileGoRegex('a.b').test('a\rb')).toBe(true);
		expect(compileGoRegex('x\\sy').test('x\vy')).toBe(false);
		expect(compileGoRegex('x[\\s]y').test('x\u00a0y')).toBe(false);
		expect(compileGoRegex('x\\Sy').test('x\vy')).toBe(true);
	});

	it.each([
		['(?=rust)rust.*', /lookahead/],
		['(?!x).*', /lookahead/],
		['(?<=a)b', /lookbehind/],
		['(a)\\1', /backreference/],
		['(?<name>a)', /\(\?P<name>/],
		['a(?i)b', /inline flags/],
		['\\Qa.b\\E', /literal quoting/],
		['[[:alpha:]]+', /POSIX/],
		['\\pL+', /Unicode classes/],
	])('refuses %s, on which the engines disagree, with a message', (pattern, message) => {
		expect(() => compileGoRegex(pattern)).toThrow(MatcherError);
		expect(() => compileGoRegex(pattern)).toThrow(message);
	});

	it('keys label sets by content, whatever the order', () => {
		expect(labelSetKey({b: '2', a: '1'})).toBe(labelSetKey({a: '1', b: '2'}));
		expect(labelSetKey({a: '1'})).not.toBe(labelSetKey({a: '1', b: ''}));
	});
});
