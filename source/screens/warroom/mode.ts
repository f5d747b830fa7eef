import type {EnvironmentConfig} from '../../config/schema.js';

/**
 * War-room mode: `--war-room`, or `warRoom: true` on the environment in the config. It is carried on the
 * environment itself, so everything that reads the environment agrees: the runbook engine's plans refuse every
 * change there (runbooks/plan.ts), the runtime is read-only, and the War room screen opens first.
 */
export function withWarRoom(environment: EnvironmentConfig, flag: boolean | undefined): EnvironmentConfig {
	return flag && !environment.warRoom ? {...environment, warRoom: true} : environment;
}

export function isWarRoom(environment: Pick<EnvironmentConfig, 'warRoom'>): boolean {
	return environment.warRoom === true;
}
