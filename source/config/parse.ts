import {isMap, isNode, LineCounter, parseDocument, type Document} from 'yaml';
import type {z} from 'zod';
import {demoEnvironmentName} from './defaults.js';
import {ConfigError} from './errors.js';
import {listEnvironments} from './loader.js';
import {configSchema, type Config} from './schema.js';

/** Parses and validates config text; every error names file:line, the key and what was expected. */
export function parseConfig(text: string, file: string): Config {
	const lineCounter = new LineCounter();
	const doc = parseDocument(text, {lineCounter, prettyErrors: false, uniqueKeys: true});
	if (doc.errors.length > 0) {
		const error = doc.errors[0]!;
		const line = error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line;
		throw new ConfigError(`${file}:${line}: invalid YAML: ${error.message.split('\n')[0]}`);
	}
	const raw: unknown = doc.toJS() ?? {};
	if (!isMap(doc.contents) && raw !== null && typeof raw === 'object') {
		throw new ConfigError(`${file}:1: expected a mapping with "environments" at the top level`);
	}
	const result = configSchema.safeParse(raw);
	if (!result.success) {
		throw new ConfigError(result.error.issues.slice(0, 5).map(issue => describeIssue(issue, raw, doc, lineCounter, file)).join('\n'));
	}
	const config = result.data;
	if (!(config.defaultEnvironment in config.environments) && config.defaultEnvironment !== demoEnvironmentName) {
		const line = lineOf(doc, lineCounter, ['defaultEnvironment']);
		throw new ConfigError(
			`${file}:${line}: defaultEnvironment: expected one of ${listEnvironments(config)}, got "${config.defaultEnvironment}"`,
		);
	}
	return config;
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown, doc: Document, lineCounter: LineCounter, file: string): string {
	const keyPath = issue.path.map(String);
	// An unknown key is reported on its own line, not its parent's.
	const linePath = issue.code === 'unrecognized_keys' ? [...keyPath, issue.keys[0]!] : keyPath;
	const line = lineOf(doc, lineCounter, linePath);
	const key = keyPath.length > 0 ? keyPath.join('.') : '(top level)';
	return `${file}:${line}: ${key}: ${expectation(issue, valueAt(raw, keyPath) === undefined)}`;
}

function valueAt(raw: unknown, keyPath: string[]): unknown {
	let value = raw;
	for (const key of keyPath) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
	return value;
}

function expectation(issue: z.core.$ZodIssue, missing: boolean): string {
	switch (issue.code) {
		case 'invalid_type': {
			return `expected ${issue.expected}${missing ? ', but it is missing' : ''}`;
		}
		case 'unrecognized_keys': {
			return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map(k => `"${k}"`).join(', ')}`;
		}
		case 'invalid_union': {
			return issue.path.at(-1) === 'type' ? 'expected "compose" or "kubernetes"' : `expected ${issue.message}`;
		}
		case 'invalid_value': {
			return `expected one of ${issue.values.map(v => JSON.stringify(v)).join(', ')}`;
		}
		case 'invalid_format': {
			return `expected ${issue.format === 'url' ? 'a URL like http://localhost:8080/health' : issue.message}`;
		}
		default: {
			return `expected ${issue.message.replace(/^Invalid input: /, '')}`;
		}
	}
}

/** The deepest line of the YAML that exists along keyPath (a missing key points at its parent). */
function lineOf(doc: Document, lineCounter: LineCounter, keyPath: string[]): number {
	for (let depth = keyPath.length; depth >= 0; depth--) {
		const segment = keyPath.slice(0, depth).map(k => (/^\d+$/.test(k) ? Number(k) : k));
		const node = depth === 0 ? doc.contents : doc.getIn(segment, true);
		if (isNode(node) && node.range) {
			// Point at the key itself, not its value, when the value sits on a following line.
			const keyNode = depth > 0 ? findKeyNode(doc, segment) : undefined;
			const offset = keyNode?.range?.[0] ?? node.range[0];
			return lineCounter.linePos(offset).line;
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

