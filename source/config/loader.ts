import {closeSync, fstatSync, openSync, readSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';
import {defaultConfig, demoEnvironmentName} from './defaults.js';
import {registerEnvironmentSecrets} from '../util/secrets.js';
import {ConfigError} from './errors.js';
import {maxYamlBytes, yamlTooLarge} from './yaml-limits.js';
import type {Config, EnvironmentConfig} from './schema.js';

export {ConfigError} from './errors.js';

export type LoadedConfig = {
	config: Config;
	/** The file it came from, or undefined for the built-in defaults. */
	file?: string;
};

export function configPath(env: NodeJS.ProcessEnv, explicit?: string): {file: string; required: boolean} {
	if (explicit) return {file: path.resolve(explicit), required: true};
	if (env.BOTOPS_CONFIG) return {file: path.resolve(env.BOTOPS_CONFIG), required: true};
	const base = env.XDG_CONFIG_HOME || path.join(homedir(), '.config');
	return {file: path.join(base, 'botops', 'config.yaml'), required: false};
}

/**
 * Loads the config file, or the manual's defaults when there is none. Throws ConfigError with file:line, key and
 * expectation. The YAML parser and the schema validator load only when there is a file (start-up cost).
 * The values of the variables the config names as secrets are registered with the scrubber here, once.
 */
export async function loadConfig(options: {file?: string; env?: NodeJS.ProcessEnv} = {}): Promise<LoadedConfig> {
	const env = options.env ?? process.env;
	const loaded = await readConfig(env, options.file);
	registerEnvironmentSecrets(Object.values(loaded.config.environments), env);
	return loaded;
}

async function readConfig(env: NodeJS.ProcessEnv, explicit?: string): Promise<LoadedConfig> {
	const {file, required} = configPath(env, explicit);
	let text: string;
	try {
		text = readBounded(file);
	} catch (error) {
		if (error instanceof ConfigError) throw error;
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' && !required) return {config: defaultConfig};
		throw new ConfigError(`${file}: cannot read config (${code ?? String(error)})`);
	}
	const {parseConfig} = await import('./parse.js');
	return {config: parseConfig(text, file), file};
}

/** The file as text, read no further than maxYamlBytes: a huge file (or a device like /dev/zero) is refused, not loaded. */
function readBounded(file: string): string {
	const fd = openSync(file, 'r');
	try {
		const buffer = Buffer.alloc(maxYamlBytes + 1);
		let length = 0;
		for (;;) {
			const read = readSync(fd, buffer, length, buffer.length - length, null);
			if (read === 0) break;
			length += read;
			if (length > maxYamlBytes) {
				const {size} = fstatSync(fd);
				throw new ConfigError(yamlTooLarge(file, size > maxYamlBytes ? size : undefined));
			}
		}
		return buffer.toString('utf8', 0, length);
	} finally {
		closeSync(fd);
	}
}

export function listEnvironments(config: Config): string {
	return [...Object.keys(config.environments), demoEnvironmentName].map(n => `"${n}"`).join(', ');
}

/** Picks the environment; unknown names are a ConfigError listing the known ones. */
export function selectEnvironment(config: Config, name = config.defaultEnvironment): EnvironmentConfig {
	const env = config.environments[name];
	if (!env) throw new ConfigError(`unknown environment "${name}"; configured: ${listEnvironments(config)}`);
	return {...env, name};
}
