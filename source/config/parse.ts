import {demoEnvironmentName} from './defaults.js';
import {ConfigError} from './errors.js';
import {listEnvironments} from './loader.js';
import {configSchema, type Config} from './schema.js';
import {parseYamlWith} from './yaml-schema.js';

/** More services than a screen or a status table is for: the views size columns over all rows at every frame. */
export const maxServices = 1000;

/** Parses and validates config text; every error names file:line, the key and what was expected. */
export function parseConfig(text: string, file: string): Config {
	const parsed = parseYamlWith(text, file, configSchema);
	if (!parsed.ok) throw new ConfigError(parsed.errors.join('\n'));
	const config = parsed.value;
	for (const [name, environment] of Object.entries(config.environments)) {
		if (environment.services.length > maxServices) {
			throw new ConfigError(
				`${file}:${parsed.lineOf(['environments', name, 'services'])}: environments.${name}.services: ${environment.services.length} services; at most ${maxServices} per environment`,
			);
		}
	}
	if (!(config.defaultEnvironment in config.environments) && config.defaultEnvironment !== demoEnvironmentName) {
		throw new ConfigError(
			`${file}:${parsed.lineOf(['defaultEnvironment'])}: defaultEnvironment: expected one of ${listEnvironments(config)}, got "${config.defaultEnvironment}"`,
		);
	}
	return config;
}
