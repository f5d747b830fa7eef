import {demoEnvironmentName} from '../config/defaults.js';
import {loadConfig} from '../config/loader.js';
import type {Config, EnvironmentConfig} from '../config/schema.js';
import {activateEnvironment} from '../environment.js';
import {UsageError} from './command.js';

export type EnvironmentFlags = {env?: string; config?: string; scenario?: string};

/**
 * Reads the config, starts the environment (the embedded demo deployment when it is "demo"), runs `use` on it and
 * stops it again. Config errors reach the caller as ConfigError (exit 2).
 */
export async function withEnvironment<T>(flags: EnvironmentFlags, use: (config: Config, environment: EnvironmentConfig) => Promise<T>): Promise<T> {
	const {config} = await loadConfig({file: flags.config});
	const wanted = flags.env ?? config.defaultEnvironment;
	// A scenario is a drill of the embedded demo; on any other environment it would be silently ignored.
	if (flags.scenario !== undefined && (wanted !== demoEnvironmentName || config.environments[demoEnvironmentName])) {
		throw new UsageError(`--scenario starts a drill on the embedded demo deployment; environment "${wanted}" is not it (use --env ${demoEnvironmentName})`);
	}
	const active = await activateEnvironment(config, wanted, {scenario: flags.scenario});
	try {
		return await use(config, active.environment);
	} finally {
		await active.stop();
	}
}

/** NO_COLOR (any non-empty value, no-color.org) and --no-color both turn colour off. */
export function colourWanted(flags: {noColor: boolean}, env: NodeJS.ProcessEnv = process.env): boolean {
	return !flags.noColor && !env.NO_COLOR;
}
