import {parseArgs} from 'node:util';
import {type Command, subcommandsOf} from './command.js';
import {type FlagName, flagOption, type FlagSpec, flagSpecs, flagSynopsis, type FlagValues} from './flags.js';
import {commandHelp, generalHelp, groupHelp, takesList} from './help.js';

export type ParsedCommandLine =
	| {kind: 'run'; command: Command; flags: FlagValues<FlagName>; operand?: string}
	| {kind: 'help'; text: string}
	| {kind: 'version'}
	/** The message is complete (`botops status: unknown flag --grep; …`); the exit code is 2. */
	| {kind: 'usage-error'; message: string};

const flagNames = Object.keys(flagSpecs) as FlagName[];
const byOption = new Map(flagNames.map(name => [flagOption(name).slice(2), name]));

/** Every flag of every command, so that the first pass knows which ones take a value wherever they stand. */
const parseOptions = Object.fromEntries(
	flagNames.map(name => {
		const spec: FlagSpec = flagSpecs[name];
		return [flagOption(name).slice(2), {type: spec.type === 'boolean' ? ('boolean' as const) : ('string' as const), ...(spec.short ? {short: spec.short} : {})}];
	}),
);

type OptionToken = {name?: FlagName; raw: string; value?: string; inline: boolean};

/**
 * argv (without node and the script) to the command to run and its flags, or the help, the version, or the usage
 * error. Flags may stand before or after the command's name; `--` ends the flags.
 */
export function parseCommandLine(argv: readonly string[], table: readonly Command[]): ParsedCommandLine {
	const {tokens} = parseArgs({args: [...argv], options: parseOptions, strict: false, allowPositionals: true, tokens: true});
	const words: string[] = [];
	const options: OptionToken[] = [];
	for (const token of tokens) {
		if (token.kind === 'positional') words.push(token.value);
		else if (token.kind === 'option') {
			// parseArgs names a known short flag (-h) by its long name, and an unknown one (-x) by its letter.
			const name = byOption.get(token.name);
			options.push({name, raw: token.rawName, value: token.value, inline: token.inlineValue === true});
		}
	}
	const wantsHelp = options.some(option => option.name === 'help');
	const firstUnknown = options.find(option => option.name === undefined);

	if (words[0] === 'help') {
		const target = resolve(words.slice(1), table);
		if (target.kind === 'command') return {kind: 'help', text: commandHelp(target.command)};
		if (target.kind === 'group') return {kind: 'help', text: groupHelp(target.group, table)};
		if (target.kind === 'default') return {kind: 'help', text: generalHelp(table)};
		return {kind: 'usage-error', message: `botops help: ${target.message}`};
	}
	const target = resolve(words, table);
	if (target.kind === 'unknown') {
		if (firstUnknown) return {kind: 'usage-error', message: `botops: unknown flag ${firstUnknown.raw}; see botops --help`};
		return {kind: 'usage-error', message: `botops: ${target.message}`};
	}
	if (target.kind === 'group') {
		if (wantsHelp) return {kind: 'help', text: groupHelp(target.group, table)};
		const subcommands = subcommandsOf(target.group, table).map(command => `${command.name.split(' ')[1]}${command.operand ? ` ${command.operand.name}` : ''}`);
		return {kind: 'usage-error', message: `botops ${target.group}: expected a command: ${subcommands.join(', ')} (see botops ${target.group} --help)`};
	}
	if (wantsHelp) return {kind: 'help', text: target.kind === 'default' ? generalHelp(table) : commandHelp(target.command)};
	if (options.some(option => option.name === 'version')) return {kind: 'version'};

	const {command} = target;
	const fail = (message: string): ParsedCommandLine => ({kind: 'usage-error', message: `botops ${command.name}: ${message}`});
	const taken = new Set<FlagName>(command.flags);
	const flags: Record<string, unknown> = {};
	for (const name of command.flags) {
		const spec: FlagSpec = flagSpecs[name];
		flags[name] = spec.multiple ? [] : spec.type === 'boolean' ? false : undefined;
	}
	const seen = new Set<FlagName>();
	const keys = new Map<FlagName, Map<string, string>>();
	for (const option of options) {
		if (option.name === undefined || !taken.has(option.name)) return fail(`unknown flag ${option.raw}; ${command.name} takes ${takesList(command)}`);
		const {name} = option;
		const spec: FlagSpec = flagSpecs[name];
		if (seen.has(name) && !spec.multiple) return fail(`${flagOption(name)} is given twice`);
		seen.add(name);
		if (spec.type === 'boolean') {
			if (option.value !== undefined) return fail(`${flagOption(name)} takes no value (got "${option.value}")`);
			flags[name] = true;
			continue;
		}
		// `--env --json`: the next flag is not a value; a value that starts with "-" is written --grep=-v.
		if (option.value === undefined || (!option.inline && option.value.startsWith('-'))) {
			return fail(`${flagOption(name)} needs a value: ${flagSynopsis(name)}${option.value === undefined ? '' : ` (for a value that starts with "-", write ${flagOption(name)}=${option.value})`}`);
		}
		let value: string | number = option.value;
		if (spec.type === 'number') {
			value = Number(option.value);
			if (option.value.trim() === '' || !Number.isFinite(value)) return fail(`${flagOption(name)}: expected a number, got "${option.value}"`);
		}
		const problem = spec.check?.(value as never);
		if (problem) return fail(`${flagOption(name)}: ${problem}`);
		if (spec.keyOf) {
			const key = spec.keyOf(option.value);
			const given = keys.get(name) ?? new Map<string, string>();
			keys.set(name, given);
			const earlier = given.get(key);
			if (earlier !== undefined) {
				const both = earlier === option.value ? `both "${earlier}"` : `"${earlier}" and "${option.value}"`;
				return fail(`${flagOption(name)} ${key} is given twice (${both}); give it once`);
			}
			given.set(key, option.value);
		}
		if (spec.multiple) (flags[name] as string[]).push(option.value);
		else flags[name] = value;
	}

	const values = flags as FlagValues<FlagName>;
	const [operand, ...extra] = target.rest;
	if (command.operand) {
		if (operand === undefined && !command.operand.optional) return fail(`needs ${command.operand.name}, ${command.operand.description}`);
		if (extra.length > 0) return fail(`unexpected argument${extra.length > 1 ? 's' : ''} ${extra.map(word => JSON.stringify(word)).join(' ')}; usage: botops ${command.name} ${command.operand.name} [flags]`);
		return {kind: 'run', command, flags: values, operand};
	}
	if (operand !== undefined) return fail(`unexpected argument${target.rest.length > 1 ? 's' : ''} ${target.rest.map(word => JSON.stringify(word)).join(' ')}; ${command.name} takes no arguments`);
	return {kind: 'run', command, flags: values};
}

type Target =
	| {kind: 'command'; command: Command; rest: string[]}
	| {kind: 'default'; command: Command; rest: string[]}
	| {kind: 'group'; group: string}
	| {kind: 'unknown'; message: string};

/** The command named by the leading words: two words for a subcommand (`runbook run`), none for the default. */
function resolve(words: readonly string[], table: readonly Command[]): Target {
	const [first, second] = words;
	if (first === undefined) {
		const command = table.find(entry => entry.isDefault);
		if (!command) return {kind: 'unknown', message: 'no command given; see botops --help'};
		return {kind: 'default', command, rest: []};
	}
	const sub = table.find(entry => entry.name === `${first} ${second}`);
	if (second !== undefined && sub) return {kind: 'command', command: sub, rest: words.slice(2)};
	const command = table.find(entry => entry.name === first);
	if (command) return {kind: 'command', command, rest: words.slice(1)};
	if (subcommandsOf(first, table).length > 0) {
		if (second === undefined) return {kind: 'group', group: first};
		const names = subcommandsOf(first, table).map(entry => entry.name.split(' ')[1]);
		return {kind: 'unknown', message: `unknown command "${first} ${second}"; ${first} takes ${names.join(', ')} (see botops ${first} --help)`};
	}
	return {kind: 'unknown', message: `unknown command "${first}"; commands: ${topLevelNames(table).join(', ')} (see botops --help)`};
}

function topLevelNames(table: readonly Command[]): string[] {
	return [...new Set(table.map(entry => entry.name.split(' ')[0]!))];
}
