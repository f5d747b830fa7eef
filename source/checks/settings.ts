import {ConfigError} from '../config/errors.js';
import type {Config} from '../config/schema.js';

/** The daily checks' thresholds, with their defaults applied (config key `checks`, all optional). */
export type CheckSettings = {
	/** How far back the log checks read ("errors in the last N hours"), as `--since` takes it. */
	logWindow: string;
	/** Error or fatal lines in the window that make the log check fail; one is already a warning. */
	logErrorsFail: number;
	cpuWarnPercent: number;
	cpuFailPercent: number;
	/** Of the instance's memory limit. */
	memoryWarnPercent: number;
	memoryFailPercent: number;
	/** Whose logs the security check counts 401/403 and failed logins in ("the engine's logs"). */
	securityService: string;
	authFailuresWarn: number;
	authFailuresFail: number;
	/** "Fired overnight": how far back the alert journal is read. */
	alertWindow: string;
	/** Deadline of each check; a check still running then is unknown. */
	timeoutMs: number;
	/** The API p95 target (config `latencyTargetMs`, the manual's 500 ms). */
	latencyTargetMs: number;
};

export const defaultCheckSettings = {
	logWindow: '12h',
	logErrorsFail: 100,
	cpuWarnPercent: 80,
	cpuFailPercent: 95,
	memoryWarnPercent: 80,
	memoryFailPercent: 95,
	securityService: 'rust-core-engine',
	authFailuresWarn: 10,
	authFailuresFail: 100,
	alertWindow: '12h',
} as const;

/** The settings for this config; a warn bound above its fail bound is a configuration error (exit 2). */
export function checkSettings(config: Pick<Config, 'checks' | 'timeoutMs' | 'latencyTargetMs'>): CheckSettings {
	const given = config.checks ?? {};
	const settings: CheckSettings = {
		...defaultCheckSettings,
		...Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)),
		// A check may make two calls in a row (list, then read); one backend timeout each, and a margin.
		timeoutMs: given.timeoutMs ?? config.timeoutMs + 1000,
		latencyTargetMs: config.latencyTargetMs,
	};
	for (const [warn, fail] of [
		['cpuWarnPercent', 'cpuFailPercent'],
		['memoryWarnPercent', 'memoryFailPercent'],
		['authFailuresWarn', 'authFailuresFail'],
	] as const) {
		if (settings[warn] > settings[fail]) throw new ConfigError(`checks.${warn} (${settings[warn]}) is above checks.${fail} (${settings[fail]}): the warning must come first`);
	}
	return settings;
}
