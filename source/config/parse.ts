import {demoEnvironmentName} from './defaults.js';
import {ConfigError} from './errors.js';
import {listEnvironments} from './loader.js';
import {configSchema, type Config} from './schema.js';
import {parseYamlWith} from './yaml-schema.js';

/** Parses and validates config text; every error names file:line, the key and what was expected. */
export function parseConfig(text: string, file: string): Config {
	const parsed = parseYamlWith(text, file, configSchema);
	if (!parsed.ok) throw new ConfigError(parsed.errors.join('\n'));
	const config = parsed.value;
	if (!(config.defaultEnvironment in config.environments) && config.defaultEnvironment !== demoEnvironmentName) {
		throw new ConfigError(
			`${file}:${parsed.lineOf(['defaultEnvironment'])}: defaultEnvironment: expected one of ${listEnvironments(config)}, got "${config.defaultEnvironment}"`,
		);
	}
	return config;
}
