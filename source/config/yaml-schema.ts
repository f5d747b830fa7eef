import {isMap, isNode, LineCounter, parseDocument, type Document} from 'yaml';
import type {z} from 'zod';
import {looksSecret, scrub} from '../util/secrets.js';
import {maxYamlBytes, yamlTooLarge} from './yaml-limits.js';

/**
 * The one YAML + schema error pipeline, for the config file and runbook files alike: parse the YAML, validate
 * it with a zod schema, and turn every failure into `file:line: key.path: expected … , got …` in plain words,
 * so that an operator can jump to the line and knows what to write there. No validator wording reaches them.
 */

export type YamlParse<T> =
	| {ok: true; value: T; lineOf: (keyPath: ReadonlyArray<string | number>) => number}
	| {ok: false; errors: string[]};

/** At most this many schema errors are listed; the rest are counted. */
const maxErrors = 5;

export function parseYamlWith<T extends z.ZodType>(text: string, file: string, schema: T): YamlParse<z.infer<T>> {
	// Characters are at most 3 bytes each in UTF-16 to UTF-8 terms, so a short text needs no byte count.
	if (text.length * 3 > maxYamlBytes) {
		const size = Buffer.byteLength(text);
		if (size > maxYamlBytes) return {ok: false, errors: [yamlTooLarge(file, size)]};
	}
	const lineCounter = new LineCounter();
	const doc = parseDocument(text, {lineCounter, prettyErrors: false, uniqueKeys: true});
	if (doc.errors.length > 0) {
		const error = doc.errors[0]!;
		const line = error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line;
		return {ok: false, errors: [`${file}:${line}: invalid YAML: ${error.message.split('\n')[0]}`]};
	}
	// An empty file is an empty mapping: the schema then says which keys are required.
	if (doc.contents !== null && !isMap(doc.contents)) {
		return {ok: false, errors: [`${file}:1: (top level): expected a mapping of keys to values, got ${describeValue(doc.toJS())}`]};
	}
	const raw: unknown = doc.toJS() ?? {};
	const lineOf = (keyPath: ReadonlyArray<string | number>) => yamlLine(doc, lineCounter, keyPath.map(String));
	const result = schema.safeParse(raw);
	if (result.success) return {ok: true, value: result.data, lineOf};
	const issues = result.error.issues;
	const errors = issues.slice(0, maxErrors).map(issue => {
		const {keyPath, linePath, text} = describeIssue(issue, raw, schema);
		const key = keyPath.length > 0 ? keyPath.join('.') : '(top level)';
		return `${file}:${lineOf(linePath ?? keyPath)}: ${key}: ${text}`;
	});
	if (issues.length > maxErrors) errors.push(`${file}: and ${issues.length - maxErrors} more problem${issues.length - maxErrors > 1 ? 's' : ''}`);
	return {ok: false, errors};
}

type Described = {
	keyPath: string[];
	/** Where the line number comes from, when that is not the key path (an unknown key's own line). */
	linePath?: string[];
	text: string;
};

/** One issue in plain words, with the key path it belongs to (a union may point deeper than its own path). */
function describeIssue(issue: z.core.$ZodIssue, raw: unknown, schema: z.ZodType, base: readonly PropertyKey[] = []): Described {
	const keyPath = [...base, ...issue.path].map(String);
	const present = has(raw, keyPath);
	const value = present ? valueAt(raw, keyPath) : undefined;
	// Error text is printed and shown: a value under a secret-looking key is never echoed, the rest is scrubbed.
	const shown = namesSecret(keyPath.at(-1) ?? '') ? 'a value (not shown: the key names a secret)' : describeValue(value);
	const got = present ? `, got ${shown}` : ', but it is missing';
	switch (issue.code) {
		case 'unrecognized_keys': {
			// An unknown key is reported on its own line, not its parent's, with the keys that are allowed there.
			const keys = issue.keys.map(k => `"${k}"`).join(', ');
			const allowed = allowedKeys(schema, keyPath, raw);
			const hint = allowed.length > 0 ? `; expected ${allowed.length > 1 ? 'one of ' : ''}${allowed.join(', ')}` : '';
			return {keyPath, linePath: [...keyPath, issue.keys[0]!], text: `unknown key${issue.keys.length > 1 ? 's' : ''} ${keys}${hint}`};
		}
		case 'invalid_union': {
			return describeUnion(issue, raw, schema, keyPath, got);
		}
		case 'invalid_key': {
			const inner = issue.issues[0];
			const wanted = inner ? expected(inner) : 'a valid key';
			return {keyPath, text: `expected ${wanted} as the key, got "${keyPath.at(-1)}"`};
		}
		case 'invalid_element': {
			const inner = issue.issues[0];
			return {keyPath, text: `expected ${inner ? expected(inner) : 'a valid element'}${got}`};
		}
		default: {
			return {keyPath, text: `expected ${expected(issue)}${got}`};
		}
	}
}

/**
 * A union in plain words. When one option got past the shape check (a list whose items are wrong), that is the
 * one the author meant: report its first issue, at its own path. Otherwise list what each option takes.
 */
function describeUnion(issue: z.core.$ZodIssueInvalidUnion, raw: unknown, schema: z.ZodType, keyPath: string[], got: string): Described {
	const options = 'options' in issue && Array.isArray(issue.options) ? (issue.options as unknown[]) : undefined;
	if (issue.errors.length === 0) {
		// A discriminated union whose discriminator matched no option ("type: swarm").
		const listed = options ? orList(options.map(o => JSON.stringify(o))) : 'one of the allowed values';
		return {keyPath, text: `expected ${listed}${got}`};
	}
	const matched = issue.errors.find(errors => errors.some(e => e.path.length > 0 || !isShapeMismatch(e)));
	if (matched) return describeIssue(matched[0]!, raw, schema, keyPath);
	const alternatives = issue.errors.map(errors => expected(errors[0]!));
	return {keyPath, text: `expected ${orList([...new Set(alternatives)])}${got}`};
}

/** The option does not take this kind of value at all (rather than taking it with something wrong inside). */
function isShapeMismatch(issue: z.core.$ZodIssue): boolean {
	return issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'invalid_union';
}

/** A runbook's `key` is a keyboard key, whatever looksSecret thinks of the bare word. */
function namesSecret(key: string): boolean {
	return key !== 'key' && looksSecret(key);
}

/** What the schema wanted, as a phrase that reads after "expected". */
function expected(issue: z.core.$ZodIssue): string {
	const custom = customMessage(issue);
	switch (issue.code) {
		case 'invalid_type': {
			return typeNames[issue.expected] ?? `a ${issue.expected}`;
		}
		case 'invalid_value': {
			return orList(issue.values.map(v => JSON.stringify(v)));
		}
		case 'too_small': {
			return custom ?? bound(issue.origin, issue.minimum, issue.inclusive, issue.exact, 'min');
		}
		case 'too_big': {
			return custom ?? bound(issue.origin, issue.maximum, issue.inclusive, issue.exact, 'max');
		}
		case 'invalid_format': {
			if (custom) return custom;
			if (issue.format === 'url') return 'a URL like http://localhost:8080/health';
			if (issue.format === 'regex' && issue.pattern) return `text matching ${issue.pattern}`;
			if (issue.format === 'starts_with') return `text starting with "${(issue as {prefix?: string}).prefix ?? ''}"`;
			if (issue.format === 'ends_with') return `text ending with "${(issue as {suffix?: string}).suffix ?? ''}"`;
			if (issue.format === 'includes') return `text containing "${(issue as {includes?: string}).includes ?? ''}"`;
			return `a valid ${issue.format}`;
		}
		case 'not_multiple_of': {
			return `a multiple of ${String(issue.divisor)}`;
		}
		case 'invalid_union': {
			const options = 'options' in issue && Array.isArray(issue.options) ? (issue.options as unknown[]) : undefined;
			if (options) return orList(options.map(o => JSON.stringify(o)));
			return orList([...new Set(issue.errors.map(errors => (errors[0] ? expected(errors[0]) : 'another value')))]);
		}
		case 'unrecognized_keys': {
			return `no key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map(k => `"${k}"`).join(', ')}`;
		}
		case 'invalid_key':
		case 'invalid_element': {
			return issue.issues[0] ? expected(issue.issues[0]) : 'a valid value';
		}
		case 'custom': {
			return custom ?? 'a valid value';
		}
	}
	return 'a valid value';
}

const typeNames: Record<string, string> = {
	string: 'text',
	number: 'a number',
	int: 'a whole number',
	bigint: 'a whole number',
	boolean: 'true/false',
	array: 'a list',
	tuple: 'a list',
	object: 'a mapping of keys to values',
	record: 'a mapping of keys to values',
	map: 'a mapping of keys to values',
	date: 'a date',
	null: 'nothing (null)',
	undefined: 'nothing',
	literal: 'a fixed value',
};

/** "at least one item", "at least 2 characters", "a number of at least 0.5", "a number above 0", "exactly 1 character". */
function bound(origin: string, limit: number | bigint, inclusive: boolean | undefined, exact: boolean | undefined, side: 'min' | 'max'): string {
	const n = Number(limit);
	const unit = origin === 'array' || origin === 'set' ? 'item' : origin === 'string' ? 'character' : undefined;
	if (unit) {
		const count = `${n === 1 ? 'one' : String(n)} ${unit}${n === 1 ? '' : 's'}`;
		if (exact) return `exactly ${count}`;
		if (side === 'min' && n === 1) return unit === 'item' ? 'a list with at least one item' : 'text that is not empty';
		return `${side === 'min' ? 'at least' : 'at most'} ${count}`;
	}
	const kind = origin === 'int' ? 'a whole number' : origin === 'date' ? 'a date' : 'a number';
	if (exact) return `${kind} equal to ${n}`;
	if (side === 'min') return inclusive === false ? `${kind} above ${n}` : `${kind} of at least ${n}`;
	return inclusive === false ? `${kind} below ${n}` : `${kind} of at most ${n}`;
}

/** A message written in the schema ("a lowercase id of letters, digits and \"-\""), not zod's own wording. */
function customMessage(issue: z.core.$ZodIssue): string | undefined {
	const message = issue.message;
	if (!message || /^(Invalid|Too (small|big)|Unrecognized|Expected|Number must|String must)/.test(message)) return undefined;
	return message;
}

function orList(items: string[]): string {
	if (items.length <= 1) return items[0] ?? 'a valid value';
	return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** The value as the author wrote it, short: `"fast"`, `12`, `true`, `a list`, `a mapping`, `nothing`. */
function describeValue(value: unknown): string {
	if (value === null || value === undefined) return 'nothing';
	if (typeof value === 'string') return JSON.stringify(scrub(value.length > 40 ? `${value.slice(0, 39)}...` : value));
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
	if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
	if (value instanceof Date) return value.toISOString();
	return 'a mapping';
}

/** The schema's definition, as far as this file reads it (zod 4 keeps it on `_zod.def`). */
type SchemaDef = {
	type: string;
	shape?: Record<string, SchemaNode>;
	element?: SchemaNode;
	valueType?: SchemaNode;
	innerType?: SchemaNode;
	in?: SchemaNode;
	options?: SchemaNode[];
	discriminator?: string;
	values?: unknown[];
};
type SchemaNode = {_zod: {def: SchemaDef}};

/** The keys an object at keyPath takes (sorted as the schema declares them), or [] when the schema is not an object there. */
function allowedKeys(schema: z.ZodType, keyPath: readonly string[], raw: unknown): string[] {
	const objects = objectsAt(schema as unknown as SchemaNode, keyPath, raw);
	return [...new Set(objects.flatMap(o => Object.keys(o._zod.def.shape ?? {})))];
}

const wrappers = new Set(['optional', 'default', 'prefault', 'nullable', 'nonoptional', 'readonly', 'catch', 'pipe']);

function objectsAt(node: SchemaNode, keyPath: readonly string[], value: unknown): SchemaNode[] {
	let current = node;
	while (wrappers.has(current._zod.def.type)) {
		const next = current._zod.def.innerType ?? current._zod.def.in;
		if (!next) return [];
		current = next;
	}
	const def = current._zod.def;
	if (def.type === 'union') {
		const options = def.options ?? [];
		// A discriminated union: the option the value names ("type: compose"), when it names one.
		const tag = def.discriminator && isRecord(value) ? value[def.discriminator] : undefined;
		const chosen = options.filter(o => o._zod.def.shape?.[def.discriminator ?? '']?._zod.def.values?.includes(tag));
		return (chosen.length > 0 ? chosen : options).flatMap(o => objectsAt(o, keyPath, value));
	}
	const child = isRecord(value) ? value[keyPath[0] ?? ''] : undefined;
	if (keyPath.length === 0) return def.type === 'object' ? [current] : [];
	if (def.type === 'object') {
		const next = def.shape?.[keyPath[0]!];
		return next ? objectsAt(next, keyPath.slice(1), child) : [];
	}
	if (def.type === 'array' && def.element) return objectsAt(def.element, keyPath.slice(1), child);
	if (def.type === 'record' && def.valueType) return objectsAt(def.valueType, keyPath.slice(1), child);
	return [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object';
}

function has(value: unknown, keyPath: readonly string[]): boolean {
	let current = value;
	for (const key of keyPath) {
		if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, key)) return false;
		current = (current as Record<string, unknown>)[key];
	}
	return true;
}

function valueAt(value: unknown, keyPath: readonly string[]): unknown {
	let current = value;
	for (const key of keyPath) current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
	return current;
}

/** The deepest line along keyPath that exists in the YAML (a missing key points at its parent). */
function yamlLine(doc: Document, lineCounter: LineCounter, keyPath: string[]): number {
	for (let depth = keyPath.length; depth >= 0; depth--) {
		const segment = keyPath.slice(0, depth).map(k => (/^\d+$/.test(k) ? Number(k) : k));
		const node = depth === 0 ? doc.contents : doc.getIn(segment, true);
		if (isNode(node) && node.range) {
			// Point at the key, not its value, when the value starts on a following line.
			const keyNode = depth > 0 ? findKeyNode(doc, segment) : undefined;
			return lineCounter.linePos(keyNode?.range?.[0] ?? node.range[0]).line;
		}
		// A key whose value is empty (`services:`) has no value node, but its key node has a line.
		if (depth > 0) {
			const keyNode = findKeyNode(doc, segment);
			if (keyNode?.range) return lineCounter.linePos(keyNode.range[0]).line;
		}
	}
	return 1;
}

function findKeyNode(doc: Document, segment: Array<string | number>) {
	const parent = segment.length === 1 ? doc.contents : doc.getIn(segment.slice(0, -1), true);
	if (!isMap(parent)) return undefined;
	const pair = parent.items.find(item => isNode(item.key) && (item.key as {value?: unknown}).value === segment.at(-1));
	return pair && isNode(pair.key) ? pair.key : undefined;
}
