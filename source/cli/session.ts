import {demoEnvironmentName} from '../config/defaults.js';
import {loadConfig} from '../config/loader.js';
import type {Config, EnvironmentConfig} from '../config/schema.js';
import {activateEnvironment, isEmbeddedDemo, type ActiveEnvironment} from '../environment.js';
import {UsageError} from './command.js';
import {signalExitCode, type StopSignal, stopSignals, whenAborted} from './shutdown.js';

export type EnvironmentFlags = {env?: string; config?: string; scenario?: string};

/** How a command stops on a signal (Invocation.stop). */
export type Stopping = {
	signal: AbortSignal;
	/**
	 * `use` winds down by itself once the signal aborts (the dashboard, a runbook run, a logs follow) and is awaited,
	 * so its run-end is written before the environment stops. Otherwise (status, a plan) it is left unfinished and
	 * the environment is stopped at once: it only reads, and nothing it would still print matters.
	 */
	awaitUse?: boolean;
};

/**
 * Reads the config, starts the environment (the embedded demo deployment when it is "demo"), runs `use` on it and
 * stops it again, also when a stop signal comes: the demo's directory with its secrets never outlives the command.
 * Config errors reach the caller as ConfigError (exit 2).
 */
export async function withEnvironment(
	flags: EnvironmentFlags,
	stopping: Stopping,
	use: (config: Config, environment: EnvironmentConfig, active: ActiveEnvironment) => Promise<number>,
): Promise<number> {
	const {config} = await loadConfig({file: flags.config});
	const wanted = flags.env ?? config.defaultEnvironment;
	if (flags.scenario === 'list') throw new UsageError('--scenario list describes the drills: botops demo --scenario list');
	// A scenario is a drill of the embedded demo; on any other environment it would be silently ignored.
	if (flags.scenario !== undefined && !isEmbeddedDemo(config, wanted)) {
		throw new UsageError(`--scenario starts a drill on the embedded demo deployment; environment "${wanted}" is not it (use --env ${demoEnvironmentName})`);
	}
	const {signal} = stopping;
	// The CLI's stop signal carries the signal's name; any other reason is just "stopped" (exit 1).
	const stoppedCode = () => ((stopSignals as readonly unknown[]).includes(signal.reason) ? signalExitCode(signal.reason as StopSignal) : 1);
	if (signal.aborted) return stoppedCode();
	const active = await activateEnvironment(config, wanted, {scenario: flags.scenario});
	try {
		// A signal while the demo was starting: it is stopped again without being used.
		if (signal.aborted) return stoppedCode();
		const using = use(config, active.environment, active);
		if (stopping.awaitUse) return await using;
		using.catch(() => {});
		const stopped = whenAborted(signal).then(stoppedCode);
		return await Promise.race([using, stopped]);
	} finally {
		await active.stop();
	}
}

/** NO_COLOR (any non-empty value, no-color.org), TERM=dumb and --no-color all turn colour off. */
/**
 * chalk (inside ink) fixes its colour depth once, when it loads, and turns colour off whenever CI is set. The
 * dashboard draws on a terminal even then (an operator's shell that exports CI, a tmux test in CI), so before ink
 * loads, a terminal under CI gets FORCE_COLOR at the depth its COLORTERM/TERM say. Called only when colour is wanted.
 */
export function forceColourUnderCi(env: NodeJS.ProcessEnv = process.env): void {
	if (!('CI' in env) || 'FORCE_COLOR' in env) return;
	env.FORCE_COLOR = /truecolor|24bit/i.test(env.COLORTERM ?? '') ? '3' : /256/.test(env.TERM ?? '') ? '2' : '1';
}

export function colourWanted(flags: {noColor: boolean}, env: NodeJS.ProcessEnv = process.env): boolean {
	return !flags.noColor && !env.NO_COLOR && env.TERM !== 'dumb';
}
