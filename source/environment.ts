import {readFileSync} from 'node:fs';
import {demoEnvironmentName, demoKubernetesEnvironmentName} from './config/defaults.js';
import {ConfigError, selectEnvironment} from './config/loader.js';
import type {Config, EnvironmentConfig} from './config/schema.js';
import {registerEnvironmentSecrets} from './util/secrets.js';

export type ActiveEnvironment = {environment: EnvironmentConfig; stop(): Promise<void>; /** The embedded demo's drills. */ drills?: import('./demo/scenarios.js').DrillControl};

/**
 * The named environment; "demo" starts the embedded demo deployment in this process ("demo-k8s": with its
 * Kubernetes API server, on the Kubernetes environment) unless the config defines one of that name. The secrets the environment names and the process does not
 * have are read from its envFile, where the platform keeps them.
 */
export async function activateEnvironment(
	config: Config,
	name: string | undefined,
	options: {scenario?: string; env?: NodeJS.ProcessEnv} = {},
): Promise<ActiveEnvironment> {
	const wanted = name ?? config.defaultEnvironment;
	if (isEmbeddedDemo(config, wanted)) {
		const kubernetes = wanted === demoKubernetesEnvironmentName;
		const {startDemo} = await import('./demo/index.js');
		const demo = await startDemo({scenario: options.scenario, kubernetes});
		const environment = kubernetes ? demo.kubernetes?.environment : demo.environment;
		if (!environment) {
			await demo.stop();
			throw new ConfigError('the demo started without its Kubernetes API server');
		}
		// The demo sets its own secret variables as it starts: mask them like a configured environment's.
		registerEnvironmentSecrets([environment]);
		return {environment, stop: () => demo.stop(), drills: demo.drills};
	}
	const environment = selectEnvironment(config, wanted);
	loadNamedSecrets(environment, options.env ?? process.env);
	return {environment, stop: async () => {}};
}

/** "demo" and "demo-k8s" start the embedded demo, unless the config defines an environment of that name (a served demo's does). */
export function isEmbeddedDemo(config: Pick<Config, 'environments'>, name: string): boolean {
	return (name === demoEnvironmentName || name === demoKubernetesEnvironmentName) && !config.environments[name];
}

/** The environment variables the environment names as secrets: the admin token and the MongoDB URI. */
export function namedSecretVariables(environment: EnvironmentConfig): string[] {
	return [environment.adminTokenEnv, environment.mongo?.uriEnv].filter((name): name is string => Boolean(name));
}

/** Sets each named secret the process lacks from the environment's envFile; a value already set wins. */
export function loadNamedSecrets(environment: EnvironmentConfig, env: NodeJS.ProcessEnv): void {
	const missing = namedSecretVariables(environment).filter(name => env[name] === undefined);
	if (!environment.envFile || missing.length === 0) return;
	let text: string;
	try {
		text = readFileSync(environment.envFile, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code ?? String(error);
		throw new ConfigError(`environment "${environment.name}": cannot read envFile ${environment.envFile} (${code}); it holds ${missing.join(', ')}`);
	}
	const values = parseEnvFile(text);
	for (const name of missing) if (values.has(name)) env[name] = values.get(name);
}

/** Compose's .env syntax: `NAME=value`, optional `export `, quotes, `#` comments and blank lines. */
export function parseEnvFile(text: string): Map<string, string> {
	const values = new Map<string, string>();
	for (const line of text.split(/\r?\n/)) {
		const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
		if (!match) continue;
		const [, name, raw] = match;
		const quoted = /^(["'])(.*)\1$/.exec(raw);
		values.set(name, quoted ? quoted[2] : raw.replace(/\s+#.*$/, ''));
	}
	return values;
}
