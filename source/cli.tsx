import meow from 'meow';
import {ConfigError, loadConfig} from './config/loader.js';
import {configDirectory} from './config/paths.js';
import type {Config} from './config/schema.js';
import type {DashboardOptions} from './dashboard.js';
import {activateEnvironment, type ActiveEnvironment} from './environment.js';

const help = `
  Usage
    $ botops [--env NAME]                 dashboard of the configured environment
    $ botops demo [--scenario NAME]       dashboard of the embedded demo deployment
    $ botops demo --serve                 the demo deployment alone, for other botops processes: prints
                                          one JSON line {config, envFile, dockerSocket, http}; until ctrl-c
    $ botops status [--json]              services, containers and health checks, once
    $ botops logs [--service NAME]...     merged logs (see botops logs --help)
    $ botops runbook list|show ID|run ID  runbooks (see botops runbook --help)

  Options
    --env NAME         environment from the config ("demo" is built in)
    --config FILE      config file (default $BOTOPS_CONFIG, then $XDG_CONFIG_HOME/botops/config.yaml)
    --refresh SECONDS  refresh interval (default 2)
    --read-only        refuse every mutating action (war-room screens)
    --no-color         no colour (NO_COLOR is honoured too)
    --ascii            ASCII glyphs only
    --scenario NAME    demo incident drill: healthy, engine-crashloop, ai-slow, mongo-down
    --json             machine-readable output (status, logs)
    --version, --help

  Logs
    --service NAME (repeatable) --grep RE --exclude RE --level LEVEL --since 1h --tail N
    --follow --json --file PATH --stdin --tui

  Runbooks
    --param k=v (repeatable) --dry-run --yes --confirm-env NAME

  Exit codes: 0 all good, 1 something unhealthy or failed, 2 usage or config error.
`;

const cli = meow(help, {
	importMeta: import.meta,
	allowUnknownFlags: false,
	flags: {
		env: {type: 'string'},
		config: {type: 'string'},
		refresh: {type: 'number'},
		readOnly: {type: 'boolean', default: false},
		color: {type: 'boolean', default: true},
		ascii: {type: 'boolean', default: false},
		scenario: {type: 'string'},
		json: {type: 'boolean', default: false},
		service: {type: 'string', isMultiple: true},
		grep: {type: 'string'},
		exclude: {type: 'string'},
		level: {type: 'string'},
		since: {type: 'string'},
		tail: {type: 'number'},
		follow: {type: 'boolean', default: false},
		file: {type: 'string'},
		stdin: {type: 'boolean', default: false},
		tui: {type: 'boolean', default: false},
		param: {type: 'string', isMultiple: true},
		dryRun: {type: 'boolean', default: false},
		yes: {type: 'boolean', default: false},
		confirmEnv: {type: 'string'},
		serve: {type: 'boolean', default: false},
	},
});

type Flags = typeof cli.flags;

async function main(): Promise<number> {
	const [command = 'dashboard', ...rest] = cli.input;
	const known = ['dashboard', 'demo', 'status', 'logs', 'runbook'];
	if (!known.includes(command)) return usageError(`unknown command "${command}"; commands: ${known.join(', ')}`);
	if (cli.flags.serve) {
		if (command !== 'demo') return usageError('--serve is a flag of botops demo');
		const {runDemoServe} = await import('./demo/serve.js');
		return runDemoServe({scenario: cli.flags.scenario}, {stdout: process.stdout, stderr: process.stderr});
	}
	// The dashboard's modules load while the config is read and the environment (maybe the demo) starts.
	if (command === 'dashboard' || command === 'demo') void prefetchDashboard();

	let config: Config;
	try {
		config = (await loadConfig({file: cli.flags.config})).config;
	} catch (error) {
		if (error instanceof ConfigError) return usageError(error.message);
		throw error;
	}
	if (cli.flags.refresh !== undefined && !(cli.flags.refresh >= 0.5 && cli.flags.refresh <= 300)) {
		return usageError(`--refresh: expected seconds between 0.5 and 300, got ${cli.flags.refresh}`);
	}

	const envName = command === 'demo' ? 'demo' : cli.flags.env;
	if (command === 'demo' && cli.flags.env && cli.flags.env !== 'demo') return usageError('botops demo always uses the "demo" environment; drop --env');
	let active: ActiveEnvironment;
	try {
		active = await activateEnvironment(config, envName, {scenario: cli.flags.scenario});
	} catch (error) {
		if (error instanceof ConfigError || (error instanceof Error && /scenario/.test(error.message))) return usageError(error.message);
		throw error;
	}
	try {
		switch (command) {
			case 'status': {
				const {runStatusCommand} = await import('./commands/status.js');
				return await runStatusCommand({json: cli.flags.json, color: colorWanted(cli.flags) && Boolean(process.stdout.isTTY)}, {config, environment: active.environment, stdout: process.stdout});
			}
			case 'logs': {
				return await runLogs(config, active, rest);
			}
			case 'runbook': {
				return await runRunbook(config, active, rest);
			}
			default: {
				return await runDashboard(config, active);
			}
		}
	} finally {
		await active.stop();
	}
}

async function runDashboard(config: Config, active: ActiveEnvironment, extra: Partial<DashboardOptions> = {}): Promise<number> {
	if (!process.stdout.isTTY) return usageError('the dashboard needs a terminal; for scripts use `botops status` or `botops logs`');
	const [{render}, {createDashboardRuntime, DashboardRoot}, {takeTerminal}] = await prefetchDashboard();
	const runtime = createDashboardRuntime({
		config,
		environment: active.environment,
		refreshMs: (cli.flags.refresh ?? config.refresh) * 1000,
		readOnly: cli.flags.readOnly,
		color: colorWanted(cli.flags),
		ascii: cli.flags.ascii,
		configDir: configDirectory(process.env, cli.flags.config),
		...extra,
	});
	let exitCode = 0;
	const terminal = takeTerminal(process.stdout, process.stdin, signal => {
		exitCode = signal === 'SIGINT' ? 130 : 143;
		instance.unmount();
	});
	const crash = (error: unknown) => {
		terminal.restore();
		process.stderr.write(`botops: crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exit(1);
	};
	process.on('uncaughtException', crash);
	process.on('unhandledRejection', crash);
	const instance = render(<DashboardRoot runtime={runtime} />, {
		incrementalRendering: true,
		maxFps: 8,
		patchConsole: false,
		exitOnCtrlC: false,
	});
	void runtime.connect();
	try {
		await instance.waitUntilExit();
	} finally {
		runtime.close();
		instance.cleanup();
		terminal.restore();
	}
	return exitCode;
}

async function runLogs(config: Config, active: ActiveEnvironment, rest: string[]): Promise<number> {
	if (rest.length > 0) return usageError(`botops logs takes no arguments (got "${rest.join(' ')}"); use --service NAME`);
	if (cli.flags.tui) return runLogsScreen(config, active);
	const {runLogsCommand} = await import('./commands/logs.js');
	const {openBackends} = await import('./services/backends.js');
	let backends: Awaited<ReturnType<typeof openBackends>> | undefined;
	// ctrl-c ends a --follow run cleanly (streams closed, exit 0) instead of killing it mid-line.
	const interrupted = new AbortController();
	const onInterrupt = () => interrupted.abort();
	process.once('SIGINT', onInterrupt);
	process.once('SIGTERM', onInterrupt);
	try {
		return await runLogsCommand(
			{
				services: cli.flags.service ?? [],
				grep: cli.flags.grep,
				exclude: cli.flags.exclude,
				level: cli.flags.level,
				since: cli.flags.since,
				tail: cli.flags.tail,
				follow: cli.flags.follow,
				json: cli.flags.json,
				file: cli.flags.file,
				stdin: cli.flags.stdin,
				color: colorWanted(cli.flags) && Boolean(process.stdout.isTTY),
			},
			{
				stdout: process.stdout,
				stderr: process.stderr,
				stdin: process.stdin,
				signal: interrupted.signal,
				knownServices: active.environment.services.map(s => s.name),
				async openDocker() {
					backends ??= await openBackends(active.environment, config);
					if (!backends.docker) throw new ConfigError(`environment "${active.environment.name}" has no Docker backend`);
					return backends.docker;
				},
			},
		);
	} finally {
		process.off('SIGINT', onInterrupt);
		process.off('SIGTERM', onInterrupt);
		backends?.close();
	}
}

/** `botops logs --tui`: the dashboard opened on the Logs screen, on the environment's containers or on a file. */
async function runLogsScreen(config: Config, active: ActiveEnvironment): Promise<number> {
	const {flags} = cli;
	if (flags.stdin) return usageError('--stdin cannot be used with --tui: stdin cannot be both the log lines and the keyboard; save them to a file and use --file PATH --tui');
	if (flags.follow || flags.json || flags.tail !== undefined || flags.since !== undefined) return usageError('--tui shows the Logs screen; --follow, --json, --tail and --since are for printed output');
	const [{compileFilter, InvalidRegexError}, {levelFromWord}] = await Promise.all([import('./logs/filter.js'), import('./logs/level.js')]);
	const minLevel = flags.level === undefined ? undefined : levelFromWord(flags.level);
	if (minLevel === 'unknown') return usageError(`unknown level "${flags.level}" (one of trace, debug, info, warn, error, fatal)`);
	try {
		compileFilter({include: flags.grep ? [flags.grep] : [], exclude: flags.exclude ? [flags.exclude] : []});
	} catch (error) {
		if (error instanceof InvalidRegexError) return usageError(error.message);
		throw error;
	}
	const logView = {minLevel, include: flags.grep ?? '', exclude: flags.exclude ?? ''};
	if (flags.file === undefined) {
		const known = active.environment.services.map(s => s.name);
		const unknown = (flags.service ?? []).filter(name => !known.includes(name));
		if (unknown.length > 0) return usageError(`unknown service ${unknown.join(', ')}; known services: ${known.join(', ')}`);
		return runDashboard(config, active, {initialScreen: 'logs', logView: {...logView, services: flags.service}});
	}
	const path = flags.file;
	const [{createReadStream}, {access}, {createStreamLogSource, serviceNameForFile}] = await Promise.all([
		import('node:fs'),
		import('node:fs/promises'),
		import('./services/stream-log-source.js'),
	]);
	try {
		await access(path);
	} catch (error) {
		return usageError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
	}
	const service = flags.service?.length === 1 ? flags.service[0]! : serviceNameForFile(path);
	const source = createStreamLogSource({service, open: () => createReadStream(path)});
	return runDashboard(config, active, {initialScreen: 'logs', logView, logSource: {source, services: [service]}});
}

async function runRunbook(config: Config, active: ActiveEnvironment, rest: string[]): Promise<number> {
	const [sub, id, ...extra] = rest;
	if (sub !== 'list' && sub !== 'show' && sub !== 'run') return usageError('usage: botops runbook list | show ID | run ID [--param k=v]...');
	if (extra.length > 0) return usageError(`unexpected arguments: ${extra.join(' ')}`);
	const {runRunbookCommand} = await import('./commands/runbook.js');
	const {openBackends} = await import('./services/backends.js');
	const {configDirectory} = await import('./config/paths.js');
	let backends: Awaited<ReturnType<typeof openBackends>> | undefined;
	try {
		return await runRunbookCommand(
			{sub, id, params: cli.flags.param ?? [], dryRun: cli.flags.dryRun, yes: cli.flags.yes, confirmEnv: cli.flags.confirmEnv, readOnly: cli.flags.readOnly},
			{
				environment: active.environment,
				configDir: configDirectory(process.env, cli.flags.config),
				stdout: process.stdout,
				stderr: process.stderr,
				stdin: process.stdin,
				isTTY: Boolean(process.stdin.isTTY && process.stdout.isTTY),
				async openBackends() {
					backends ??= await openBackends(active.environment, config);
					return backends;
				},
			},
		);
	} finally {
		backends?.close();
	}
}

let dashboardModules: Promise<[typeof import('ink'), typeof import('./dashboard.js'), typeof import('./services/terminal.js')]> | undefined;
function prefetchDashboard() {
	dashboardModules ??= Promise.all([import('ink'), import('./dashboard.js'), import('./services/terminal.js')]);
	return dashboardModules;
}

function colorWanted(flags: Flags): boolean {
	return flags.color && !process.env.NO_COLOR;
}

function usageError(message: string): number {
	process.stderr.write(`botops: ${message}\n`);
	return 2;
}

main().then(
	code => process.exit(code),
	(error: unknown) => {
		process.stderr.write(`botops: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	},
);
