import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {defaultRegistry} from './actions/registry.js';
import type {ActionRegistry} from './actions/types.js';
import {builtinRunbookFiles} from './builtin/index.js';
import {runbookSchema, type Runbook} from './schema.js';
import {parseYamlWith} from '../config/yaml-schema.js';

export type RunbookParse = {ok: true; runbook: Runbook} | {ok: false; errors: string[]};

/** Parses and checks one runbook file; every error reads `file:line: key: expected …`. */
export function parseRunbook(text: string, file: string, source: string, registry: ActionRegistry = defaultRegistry()): RunbookParse {
	const parsed = parseYamlWith(text, file, runbookSchema);
	if (!parsed.ok) return parsed;
	const runbook = parsed.value;
	const errors: string[] = [];
	const at = (keyPath: Array<string | number>, message: string) => errors.push(`${file}:${parsed.lineOf(keyPath)}: ${keyPath.join('.')}: ${message}`);

	const inputNames = new Set<string>();
	runbook.inputs.forEach((input, i) => {
		if (inputNames.has(input.name)) at(['inputs', i, 'name'], `expected a unique name, "${input.name}" is used twice`);
		inputNames.add(input.name);
		if (input.type === 'enum' && !input.values) at(['inputs', i, 'values'], 'expected a list of allowed values for an enum input');
		if (input.pattern !== undefined) {
			try {
				new RegExp(input.pattern);
			} catch {
				at(['inputs', i, 'pattern'], 'expected a valid regular expression');
			}
		}
	});
	const known = registry.names();
	const checkAction = (keyPath: Array<string | number>, name: string) => {
		if (!registry.get(name)) at(keyPath, `expected one of ${known.join(', ')}, got "${name}"`);
	};
	const checkTemplates = (keyPath: Array<string | number>, value: unknown) => {
		for (const {path: where, name} of referencedInputs(value, keyPath)) {
			if (!inputNames.has(name)) at(where, `\${inputs.${name}}: expected one of the declared inputs (${[...inputNames].join(', ') || 'none'})`);
		}
	};
	runbook.preconditions.forEach((p, i) => {
		checkAction(['preconditions', i, 'action'], p.action);
		checkTemplates(['preconditions', i, 'params'], p.params);
	});
	const stepIds = new Set<string>();
	runbook.steps.forEach((step, i) => {
		if (stepIds.has(step.id)) at(['steps', i, 'id'], `expected a unique step id, "${step.id}" is used twice`);
		stepIds.add(step.id);
		checkAction(['steps', i, 'action'], step.action);
		checkTemplates(['steps', i, 'params'], step.params);
	});
	if (errors.length > 0) return {ok: false, errors};
	return {ok: true, runbook: {...runbook, source}};
}

function referencedInputs(value: unknown, at: Array<string | number>): Array<{path: Array<string | number>; name: string}> {
	if (typeof value === 'string') return [...value.matchAll(/\$\{\s*inputs\.([^}\s]+)\s*\}/g)].map(m => ({path: at, name: m[1]!}));
	if (Array.isArray(value)) return value.flatMap((item, i) => referencedInputs(item, [...at, i]));
	if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, item]) => referencedInputs(item, [...at, k]));
	return [];
}

/** The runbooks shipped with botops. A broken one is a bug in botops, so it throws (and a unit test catches it). */
export function loadBuiltinRunbooks(registry: ActionRegistry = defaultRegistry()): Runbook[] {
	return builtinRunbookFiles.map(({file, text}) => {
		const result = parseRunbook(text, `builtin/${file}`, 'builtin', registry);
		if (!result.ok) throw new Error(`built-in runbook is invalid:\n${result.errors.join('\n')}`);
		return result.runbook;
	});
}

export type LoadedRunbooks = {
	runbooks: Runbook[];
	/** One entry per problem; the files without problems still load. */
	errors: string[];
};

/** `<configDir>/runbooks/*.yaml`. A missing directory is normal (no user runbooks). */
export function loadUserRunbooks(configDir: string, registry: ActionRegistry = defaultRegistry()): LoadedRunbooks {
	const directory = path.join(configDir, 'runbooks');
	let files: string[];
	try {
		files = readdirSync(directory)
			.filter(f => f.endsWith('.yaml') || f.endsWith('.yml'))
			.sort();
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return {runbooks: [], errors: []};
		return {runbooks: [], errors: [`${directory}: cannot list runbooks (${code ?? String(error)})`]};
	}
	const runbooks: Runbook[] = [];
	const errors: string[] = [];
	for (const name of files) {
		const file = path.join(directory, name);
		let text: string;
		try {
			text = readFileSync(file, 'utf8');
		} catch (error) {
			errors.push(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
			continue;
		}
		const result = parseRunbook(text, file, file, registry);
		if (result.ok) runbooks.push(result.runbook);
		else errors.push(...result.errors);
	}
	return {runbooks, errors};
}

/**
 * Built-ins plus the user's. A user runbook with a built-in's id replaces it (site-specific procedures win);
 * two user runbooks with one id, or two runbooks on one key, are reported and the later one loses.
 */
export function loadRunbooks(options: {configDir?: string; registry?: ActionRegistry} = {}): LoadedRunbooks {
	const registry = options.registry ?? defaultRegistry();
	const builtins = loadBuiltinRunbooks(registry);
	const user = options.configDir ? loadUserRunbooks(options.configDir, registry) : {runbooks: [], errors: []};
	const errors = [...user.errors];
	const byId = new Map<string, Runbook>(builtins.map(r => [r.id, r]));
	const userIds = new Set<string>();
	for (const runbook of user.runbooks) {
		if (userIds.has(runbook.id)) {
			errors.push(`${runbook.source}: id: "${runbook.id}" is already defined by ${byId.get(runbook.id)!.source}; ignored`);
			continue;
		}
		userIds.add(runbook.id);
		byId.set(runbook.id, runbook);
	}
	const runbooks: Runbook[] = [];
	const keys = new Map<string, string>();
	for (const runbook of byId.values()) {
		if (runbook.key && keys.has(runbook.key)) {
			errors.push(`${runbook.source}: key: "${runbook.key}" is already used by ${keys.get(runbook.key)}; ${runbook.id} keeps no key`);
			runbooks.push({...runbook, key: undefined});
			continue;
		}
		if (runbook.key) keys.set(runbook.key, runbook.id);
		runbooks.push(runbook);
	}
	return {runbooks, errors};
}
