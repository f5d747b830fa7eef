import {type Command, subcommandsOf} from './command.js';
import {type FlagName, flagOption, type FlagSpec, flagSpecs, flagSynopsis} from './flags.js';

/** The flags `botops --help` lists as global: each command's own help says which of them it takes. */
const globalFlags: readonly FlagName[] = ['env', 'config', 'refresh', 'readOnly', 'noColor', 'ascii', 'version', 'help'];

const exitCodes = 'Exit codes: 0 all good, 1 something unhealthy or failed, 2 usage or config error.';

function usageOf(command: Command): string {
	const name = command.isDefault ? `[${command.name}]` : command.name;
	return `botops ${name}${command.operand ? ` ${command.operand.name}` : ''} [flags]`;
}

/** Two columns, the first padded to its widest cell. */
function columns(rows: ReadonlyArray<readonly [string, string]>, indent = '  '): string[] {
	const width = Math.max(0, ...rows.map(([left]) => left.length));
	return rows.map(([left, right]) => `${indent}${left.padEnd(width)}  ${right}`.trimEnd());
}

function flagRow(name: FlagName, command?: Command): readonly [string, string] {
	const spec: FlagSpec = flagSpecs[name];
	const left = `${spec.short ? `-${spec.short}, ` : ''}${flagSynopsis(name)}${spec.multiple ? '...' : ''}`;
	return [left, command?.flagHelp?.[name] ?? spec.description];
}

/** `--json, --env, …, --help`: what a command takes, for the unknown-flag message. */
export function takesList(command: Command): string {
	return [...command.flags, 'help' as const].map(flagOption).join(', ');
}

export function generalHelp(table: readonly Command[]): string {
	return [
		'',
		'  botops: a keyboard-driven console for operating the Bot Core trading platform',
		'',
		'  Usage',
		'    botops [COMMAND] [flags]',
		'',
		'  Commands',
		...columns(table.map(command => [usageOf(command).replace(/ \[flags\]$/, ''), command.summary]), '    '),
		'',
		'  Global flags (each command takes those that apply to it)',
		...columns(globalFlags.map(name => flagRow(name)), '    '),
		'',
		'  botops COMMAND --help (or botops help COMMAND) lists the flags of a command.',
		`  ${exitCodes}`,
		'',
	].join('\n');
}

export function commandHelp(command: Command): string {
	return [
		'',
		'  Usage',
		`    ${usageOf(command)}`,
		'',
		...command.description.split('\n').map(line => `  ${line}`),
		'',
		...(command.operand ? ['  Arguments', ...columns([[command.operand.name, command.operand.description]], '    '), ''] : []),
		'  Flags',
		...columns([...command.flags, 'help' as const].map(name => flagRow(name, command)), '    '),
		'',
		...(command.examples && command.examples.length > 0 ? ['  Examples', ...command.examples.map(example => `    $ ${example}`), ''] : []),
		`  ${command.exitCodes ?? exitCodes}`,
		'',
	].join('\n');
}

/** `botops runbook --help`: the subcommands of a group. */
export function groupHelp(group: string, table: readonly Command[]): string {
	const subcommands = subcommandsOf(group, table);
	return [
		'',
		'  Usage',
		...subcommands.map(command => `    ${usageOf(command)}`),
		'',
		'  Commands',
		...columns(subcommands.map(command => [`${command.name}${command.operand ? ` ${command.operand.name}` : ''}`, command.summary]), '    '),
		'',
		`  botops ${group} COMMAND --help lists the flags of a command.`,
		`  ${exitCodes}`,
		'',
	].join('\n');
}
