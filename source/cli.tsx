import packageJson from '../package.json' with {type: 'json'};
import {type DashboardLaunch, type Stdio, UsageError} from './cli/command.js';
import {commands} from './cli/commands.js';
import {parseCommandLine} from './cli/parse.js';
import {colourWanted} from './cli/session.js';
import {guardOutput} from './commands/output.js';
import {ConfigError} from './config/errors.js';
import {configDirectory} from './config/paths.js';

// The commands are a table (cli/commands.ts); this file turns argv into one of them and is the only place that
// renders the dashboard or calls process.exit.
const io: Stdio = {stdout: process.stdout, stderr: process.stderr, stdin: process.stdin};
const output = guardOutput([process.stdout, process.stderr]);

async function main(argv: readonly string[]): Promise<number> {
	const parsed = parseCommandLine(argv, commands);
	switch (parsed.kind) {
		case 'help': {
			io.stdout.write(parsed.text);
			return 0;
		}
		case 'version': {
			io.stdout.write(`${packageJson.version}\n`);
			return 0;
		}
		case 'usage-error': {
			io.stderr.write(`${parsed.message}\n`);
			return 2;
		}
		case 'run': {
			break;
		}
	}
	const {command, flags, operand} = parsed;
	if (command.opensDashboard?.(flags)) {
		if (!io.stdout.isTTY) return usageError(command.name, 'the dashboard needs a terminal; for scripts use `botops status` or `botops logs`');
		// The dashboard's modules load while the config is read and the environment (maybe the demo) starts.
		void prefetchDashboard();
	}
	try {
		return await command.run({flags, operand, io, dashboard: runDashboard});
	} catch (error) {
		if (error instanceof UsageError || error instanceof ConfigError) return usageError(command.name, error.message);
		throw error;
	}
}

function usageError(command: string, message: string): number {
	io.stderr.write(`botops ${command}: ${message}\n`);
	return 2;
}

async function runDashboard({config, environment, flags, extra}: DashboardLaunch): Promise<number> {
	const [{render}, {createDashboardRuntime, DashboardRoot}, {takeTerminal}] = await prefetchDashboard();
	const runtime = createDashboardRuntime({
		config,
		environment,
		refreshMs: (flags.refresh ?? config.refresh) * 1000,
		readOnly: flags.readOnly,
		color: colourWanted(flags),
		ascii: flags.ascii,
		configDir: configDirectory(process.env, flags.config),
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

let dashboardModules: Promise<[typeof import('ink'), typeof import('./dashboard.js'), typeof import('./services/terminal.js')]> | undefined;
function prefetchDashboard() {
	dashboardModules ??= Promise.all([import('ink'), import('./dashboard.js'), import('./services/terminal.js')]);
	return dashboardModules;
}

main(process.argv.slice(2))
	.catch((error: unknown) => {
		process.stderr.write(`botops: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
		return 1;
	})
	// Exit only once piped output has drained; a write error other than a closed pipe is a failure.
	.then(async code => {
		await output.flush();
		process.exit(output.failure && code === 0 ? 1 : code);
	});
