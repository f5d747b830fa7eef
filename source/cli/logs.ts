import {ConfigError} from '../config/errors.js';
import {loadConfig} from '../config/loader.js';
import {setFlags, UsageError, type Invocation} from './command.js';
import {flagOption} from './flags.js';
import {colourWanted, withEnvironment} from './session.js';

export const logsFlags = [
	'service',
	'grep',
	'exclude',
	'level',
	'since',
	'tail',
	'follow',
	'previous',
	'json',
	'file',
	'stdin',
	'tui',
	'noMask',
	'env',
	'config',
	'scenario',
	'refresh',
	'readOnly',
	'ascii',
	'noColor',
] as const;

type LogsInvocation = Invocation<(typeof logsFlags)[number]>;

/** `botops logs`: printed logs, or with --tui the dashboard opened on the Logs screen. */
export async function runLogs(invocation: LogsInvocation): Promise<number> {
	const {flags} = invocation;
	if (flags.tui) return runLogsScreen(invocation);
	const screenOnly = setFlags(flags, ['refresh', 'readOnly', 'ascii']);
	if (screenOnly.length > 0) throw new UsageError(`${screenOnly.map(flagOption).join(', ')} ${screenOnly.length > 1 ? 'are' : 'is'} for the Logs screen (--tui)`);
	const readsBytes = flags.file !== undefined || flags.stdin;
	// Saved logs need neither the config nor an environment: `kubectl logs … | botops logs --stdin` starts nothing.
	if (readsBytes) {
		const environmentFlags = setFlags(flags, ['env', 'scenario']);
		if (environmentFlags.length > 0) throw new UsageError(`--file and --stdin read saved logs; ${environmentFlags.map(flagOption).join(' and ')} ${environmentFlags.length > 1 ? 'are' : 'is'} for container logs`);
		// Loading the config registers the values of the secrets it names, so that they are masked in saved logs too.
		await loadConfig({file: flags.config});
		return printLogs(invocation, [], async () => {
			throw new Error('saved logs have no live backend');
		});
	}
	return withEnvironment(flags, {signal: invocation.stop, awaitUse: true}, async (config, environment) => {
		const {openBackends} = await import('../services/backends.js');
		let backends: Awaited<ReturnType<typeof openBackends>> | undefined;
		try {
			return await printLogs(
				invocation,
				environment.services.map(s => s.name),
				async () => {
					backends ??= await openBackends(environment, config);
					return backends.platform.logs();
				},
			);
		} finally {
			backends?.close();
		}
	});
}

async function printLogs(invocation: LogsInvocation, knownServices: string[], openLogSource: () => Promise<import('../services/log-source.js').LogSource>): Promise<number> {
	const {flags, io} = invocation;
	const {runLogsCommand} = await import('../commands/logs.js');
	// A stop signal ends a --follow run cleanly (streams closed, no half line) instead of killing it mid-line.
	return runLogsCommand(
			{
				services: flags.service,
				grep: flags.grep,
				exclude: flags.exclude,
				level: flags.level,
				since: flags.since,
				tail: flags.tail,
				follow: flags.follow,
				previous: flags.previous,
				json: flags.json,
				file: flags.file,
				stdin: flags.stdin,
				color: colourWanted(flags) && Boolean(io.stdout.isTTY),
			},
			{stdout: io.stdout, stderr: io.stderr, stdin: io.stdin, signal: invocation.stop, knownServices, openLogSource},
		);
}

/** `botops logs --tui`: the dashboard opened on the Logs screen, on the environment's containers or on a file. */
async function runLogsScreen(invocation: LogsInvocation): Promise<number> {
	const {flags} = invocation;
	if (flags.stdin) throw new UsageError('--stdin cannot be used with --tui: stdin cannot be both the log lines and the keyboard; save them to a file and use --file PATH --tui');
	const printedOnly = setFlags(flags, ['follow', 'previous', 'json', 'tail', 'since']);
	if (printedOnly.length > 0) throw new UsageError(`--tui shows the Logs screen; ${printedOnly.map(flagOption).join(', ')} ${printedOnly.length > 1 ? 'are' : 'is'} for printed output`);
	const [{compileFilter, InvalidRegexError}, {levelFromWord}] = await Promise.all([import('../logs/filter.js'), import('../logs/level.js')]);
	const minLevel = flags.level === undefined ? undefined : levelFromWord(flags.level);
	if (minLevel === 'unknown') throw new UsageError(`unknown level "${flags.level}" (one of trace, debug, info, warn, error, fatal)`);
	try {
		compileFilter({include: flags.grep ? [flags.grep] : [], exclude: flags.exclude ? [flags.exclude] : []});
	} catch (error) {
		if (error instanceof InvalidRegexError) throw new UsageError(error.message);
		throw error;
	}
	const logView = {minLevel, include: flags.grep ?? '', exclude: flags.exclude ?? ''};
	if (flags.file === undefined) {
		return withEnvironment(flags, {signal: invocation.stop, awaitUse: true}, async (config, environment) => {
			const known = environment.services.map(s => s.name);
			const unknown = flags.service.filter(name => !known.includes(name));
			if (unknown.length > 0) throw new UsageError(`unknown service ${unknown.join(', ')}; known services: ${known.join(', ')}`);
			return invocation.dashboard({config, environment, flags, extra: {initialScreen: 'logs', logView: {...logView, services: flags.service.length > 0 ? flags.service : undefined}}});
		});
	}
	const path = flags.file;
	const [{createReadStream}, {access}, {createStreamLogSource, serviceNameForFile}] = await Promise.all([
		import('node:fs'),
		import('node:fs/promises'),
		import('../services/stream-log-source.js'),
	]);
	try {
		await access(path);
	} catch (error) {
		throw new UsageError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
	}
	const service = flags.service.length === 1 ? flags.service[0]! : serviceNameForFile(path);
	const source = createStreamLogSource({service, open: () => createReadStream(path), adoptService: flags.service.length !== 1});
	return withEnvironment(flags, {signal: invocation.stop, awaitUse: true}, async (config, environment) =>
		invocation.dashboard({config, environment, flags, extra: {initialScreen: 'logs', logView, logSource: {source, services: [service], label: `file ${path}`}}}),
	);
}
