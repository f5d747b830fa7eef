import packageJson from '../package.json' with {type: 'json'};
import {type DashboardLaunch, type Stdio, UsageError} from './cli/command.js';
import {commands} from './cli/commands.js';
import {parseCommandLine} from './cli/parse.js';
import {colourWanted, forceColourUnderCi} from './cli/session.js';
import {watchShutdownSignals} from './cli/shutdown.js';
import {guardOutput} from './commands/output.js';
import {ConfigError} from './config/errors.js';
import {configDirectory} from './config/paths.js';
import {releaseHungUpTerminal} from './services/terminal.js';

// The commands are a table (cli/commands.ts); this file turns argv into one of them and is the only place that
// renders the dashboard or calls process.exit.
const io: Stdio = {stdout: process.stdout, stderr: process.stderr, stdin: process.stdin};
const output = guardOutput([process.stdout, process.stderr]);
// From the first moment: a signal during start-up (the demo starting) is not lost, and never kills the process.
const shutdown = watchShutdownSignals();
/** Set when the terminal is known to have hung up: the keyboard ended, or writing to it failed with EIO. */
let terminalHungUp = false;
/** How long the first frame waits for the first list of instances (the engine usually answers in a few ms). */
const firstFrameWaitMs = 300;

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
		// A dumb terminal has no cursor addressing or alternate screen: the frames would scroll by as garbage.
		if (process.env.TERM === 'dumb') return usageError(command.name, 'TERM=dumb cannot draw the dashboard; use `botops status` or `botops logs` for plain lines');
		if (colourWanted(flags)) forceColourUnderCi();
		// The dashboard's modules load while the config is read and the environment (maybe the demo) starts.
		void prefetchDashboard();
	}
	try {
		return await command.run({flags, operand, io, stop: shutdown.signal, dashboard: runDashboard});
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
	// The demo was started (or the config read) while a signal came: nothing to draw, the caller stops it.
	if (shutdown.signal.aborted) return 1;
	// The first frame shows the services' rows: an empty frame drawn before the first list of instances costs a
	// whole render (the coldest one, before anything is compiled), and ink's frame cap (maxFps) then holds the full
	// frame back another 125 ms. An engine slower than this still gets a frame, its rows drawn when they come.
	void runtime.connect();
	await runtime.firstData(firstFrameWaitMs);
	if (shutdown.signal.aborted) {
		runtime.close();
		return 1;
	}
	const terminal = takeTerminal(process.stdout, process.stdin);
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
	// A stop signal quits the way q does: a runbook under way is aborted after its current step and writes its
	// run-end, then the app unmounts; the teardown below and the caller's (the demo stopped) are the same as for q.
	const quitOnSignal = () => void runtime.context.runbooks.stop().finally(() => instance.unmount());
	shutdown.signal.addEventListener('abort', quitOnSignal, {once: true});
	// A terminal that hangs up while its session leader lives on (a shell trapping HUP) sends botops no SIGHUP; the
	// keyboard's end is the same news, and without it botops would run on, unseen, for ever.
	const onKeyboardEnd = () => {
		terminalHungUp = true;
		shutdown.request('SIGHUP');
	};
	process.stdin.once('end', onKeyboardEnd);
	try {
		await instance.waitUntilExit();
	} finally {
		shutdown.signal.removeEventListener('abort', quitOnSignal);
		process.stdin.off('end', onKeyboardEnd);
		runtime.close();
		instance.cleanup();
		terminal.restore();
	}
	return 0;
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
	// Exit only once piped output has drained; a write error other than a closed pipe is a failure. A command that a
	// signal stopped has wound down by now, and exits as a shell expects of one the signal ended: 128 + the signal.
	.then(async code => {
		await output.flush();
		const exitCode = shutdown.exitCode() ?? code;
		if (terminalHungUp || (output.failure as NodeJS.ErrnoException | undefined)?.code === 'EIO') releaseHungUpTerminal();
		process.exit(output.failure && exitCode === 0 ? 1 : exitCode);
	});
