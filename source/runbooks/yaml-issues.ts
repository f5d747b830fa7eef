import {isMap, isNode, isSeq, LineCounter, parseDocument, type Document} from 'yaml';
import type {z} from 'zod';

/**
 * Parses YAML and validates it with a zod schema, turning every failure into `file:line: key: expected …`
 * (the config loader's convention), so an operator can jump straight to the line.
 */
export function parseYamlWith<T extends z.ZodType>(
	text: string,
	file: string,
	schema: T,
): {ok: true; value: z.infer<T>; lineOf: (keyPath: Array<string | number>) => number} | {ok: false; errors: string[]} {
	const lineCounter = new LineCounter();
	const doc = parseDocument(text, {lineCounter, prettyErrors: false, uniqueKeys: true});
	if (doc.errors.length > 0) {
		const error = doc.errors[0]!;
		const line = error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line;
		return {ok: false, errors: [`${file}:${line}: invalid YAML: ${error.message.split('\n')[0]}`]};
	}
	if (!isMap(doc.contents)) return {ok: false, errors: [`${file}:1: (top level): expected a mapping`]};
	const raw: unknown = doc.toJS();
	const result = schema.safeParse(raw);
	const lineOf = (keyPath: Array<string | number>) => yamlLine(doc, lineCounter, keyPath.map(String));
	if (!result.success) {
		return {
			ok: false,
			errors: result.error.issues.slice(0, 5).map(issue => {
				const keyPath = issue.path.map(String);
				const key = keyPath.length > 0 ? keyPath.join('.') : '(top level)';
				const missing = issue.code === 'invalid_type' && valueAt(raw, issue.path) === undefined;
				return `${file}:${lineOf(keyPath)}: ${key}: ${expectation(issue)}${missing ? ', but it is missing' : ''}`;
			}),
		};
	}
	return {ok: true, value: result.data, lineOf};
}

function expectation(issue: z.core.$ZodIssue): string {
	switch (issue.code) {
		case 'invalid_type': {
			return `expected ${issue.expected}`;
		}
		case 'unrecognized_keys': {
			return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map(k => `"${k}"`).join(', ')}`;
		}
		case 'invalid_value': {
			return `expected one of ${issue.values.map(v => JSON.stringify(v)).join(', ')}`;
		}
		case 'too_small': {
			return `expected at least ${String(issue.minimum)}${issue.origin === 'array' ? ' item(s)' : issue.origin === 'string' ? ' character(s)' : ''}`;
		}
		case 'too_big': {
			return `expected at most ${String(issue.maximum)}${issue.origin === 'array' ? ' item(s)' : issue.origin === 'string' ? ' character(s)' : ''}`;
		}
		case 'invalid_union': {
			return 'expected "all" or a list of service names';
		}
		default: {
			return `expected ${issue.message.replace(/^Invalid input: /, '')}`;
		}
	}
}

function valueAt(value: unknown, keyPath: PropertyKey[]): unknown {
	let current = value;
	for (const key of keyPath) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<PropertyKey, unknown>)[key];
	}
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
	}
	return 1;
}

function findKeyNode(doc: Document, segment: Array<string | number>) {
	const parent = segment.length === 1 ? doc.contents : doc.getIn(segment.slice(0, -1), true);
	if (isSeq(parent)) return undefined;
	if (!isMap(parent)) return undefined;
	const pair = parent.items.find(item => isNode(item.key) && (item.key as {value?: unknown}).value === segment.at(-1));
	return pair && isNode(pair.key) ? pair.key : undefined;
}
