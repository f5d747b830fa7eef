import type {Config, EnvironmentConfig} from '../config/schema.js';
import type {DockerService, HealthProber} from './types.js';

/** The I/O an environment needs, each client loaded only when the environment uses it (start-up cost, DESIGN.md). */
export type Backends = {
	environment: EnvironmentConfig;
	docker?: DockerService;
	health: HealthProber;
	close(): void;
};

export async function openBackends(environment: EnvironmentConfig, config: Pick<Config, 'timeoutMs'>): Promise<Backends> {
	const healthModule = import('./health.js');
	let docker: DockerService | undefined;
	if (environment.backend.type === 'compose') {
		const {createDockerService} = await import('./docker.js');
		docker = createDockerService({
			socketPath: environment.backend.socketPath,
			host: environment.backend.host,
			project: environment.backend.project,
			timeoutMs: config.timeoutMs,
		});
	}
	const {createHealthProber} = await healthModule;
	return {
		environment,
		docker,
		health: createHealthProber({timeoutMs: config.timeoutMs}),
		close: () => docker?.close(),
	};
}
