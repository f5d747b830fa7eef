import {demoEnvironmentName} from './config/defaults.js';
import {selectEnvironment} from './config/loader.js';
import type {Config, EnvironmentConfig} from './config/schema.js';
import {registerEnvironmentSecrets} from './util/secrets.js';

export type ActiveEnvironment = {environment: EnvironmentConfig; stop(): Promise<void>};

/** The named environment; "demo" starts the embedded demo deployment in this process. */
export async function activateEnvironment(config: Config, name: string | undefined, options: {scenario?: string} = {}): Promise<ActiveEnvironment> {
	const wanted = name ?? config.defaultEnvironment;
	if (wanted === demoEnvironmentName && !config.environments[demoEnvironmentName]) {
		const {startDemo} = await import('./demo/index.js');
		const demo = await startDemo({scenario: options.scenario});
		// The demo sets its own secret variables as it starts: mask them like a configured environment's.
		registerEnvironmentSecrets([demo.environment]);
		return {environment: demo.environment, stop: () => demo.stop()};
	}
	return {environment: selectEnvironment(config, wanted), stop: async () => {}};
}
