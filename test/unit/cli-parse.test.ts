import {describe, expect, it} from 'vitest';
import {type Command, defineCommand} from '../../source/cli/command.js';
import {commands} from '../../source/cli/commands.js';
import {parseCommandLine} from '../../source/cli/parse.js';

function parsed(argv: string[], table: readonly Command[] = commands) {
	const result = parseCommandLine(argv, table);
	if (result.kind !== 'run') throw new Error(`expected a command to run, got ${JSON.stringify(result)}`);
	return {name: result.command.name, flags: result.flags, operand: result.operand};
}

describe('parseCommandLine', () => {
	it('no command is the dashboard, with every flag at its default', () => {
		expect(parsed([])).toEqual({
			name: 'dashboard',
			flags: {env: undefined, config: undefined, scenario: undefined, refresh: undefined, readOnly: false, warRoom: false, noColor: false, ascii: false, noMask: false},
			operand: undefined,
		});
	});

	it('flags stand before or after the command; repeatable ones collect; numbers are numbers', () => {
		const logs = parsed(['--env', 'demo', 'logs', '--service', 'rust-core-engine', '--service=python-ai-service', '--tail', '20', '--no-color']);
		expect(logs.name).toBe('logs');
		expect(logs.flags).toMatchObject({env: 'demo', service: ['rust-core-engine', 'python-ai-service'], tail: 20, noColor: true, follow: false});
	});

	it('a subcommand takes its operand; -- ends the flags', () => {
		expect(parsed(['runbook', 'run', 'restart-service', '--param', 'service=x', '--yes'])).toMatchObject({name: 'runbook run', operand: 'restart-service', flags: {param: ['service=x'], yes: true, dryRun: false}});
		expect(parsed(['runbook', 'show', '--', '--odd-id'])).toMatchObject({name: 'runbook show', operand: '--odd-id'});
	});

	it('a value that starts with "-" is written inline', () => {
		expect(parsed(['logs', '--grep=-> order'])).toMatchObject({flags: {grep: '-> order'}});
		expect(parseCommandLine(['logs', '--grep', '-v'], commands)).toEqual({
			kind: 'usage-error',
			message: 'botops logs: --grep needs a value: --grep RE (for a value that starts with "-", write --grep=-v)',
		});
	});

	it('--help wins over everything else on the line, --version over a command', () => {
		expect(parseCommandLine(['status', '--grep', 'x', '--help'], commands)).toMatchObject({kind: 'help', text: expect.stringContaining('botops status [flags]') as string});
		expect(parseCommandLine(['help'], commands)).toMatchObject({kind: 'help', text: expect.stringContaining('Commands') as string});
		expect(parseCommandLine(['status', '--version'], commands)).toEqual({kind: 'version'});
	});

	it('a new command is one entry: dispatch, flag checks and both helps follow from it', () => {
		const check = defineCommand({
			name: 'precheck',
			summary: 'the morning check',
			description: 'Runs the checks of the morning.',
			operand: {name: 'WHEN', description: 'morning, midday or evening'},
			flags: ['json', 'env'],
			run: async () => 0,
		});
		const table = [...commands, check];
		expect(parsed(['precheck', 'morning', '--json'], table)).toEqual({name: 'precheck', operand: 'morning', flags: {json: true, env: undefined}});
		expect(parseCommandLine(['precheck', 'morning', '--tail', '3'], table)).toEqual({kind: 'usage-error', message: 'botops precheck: unknown flag --tail; precheck takes --json, --env, --help'});
		const general = parseCommandLine(['--help'], table);
		expect(general).toMatchObject({kind: 'help', text: expect.stringMatching(/^ {4}botops precheck WHEN +the morning check$/m) as string});
		const own = parseCommandLine(['help', 'precheck'], table);
		expect(own).toMatchObject({kind: 'help', text: expect.stringMatching(/^ {4}WHEN {2}morning, midday or evening$/m) as string});
	});
});
