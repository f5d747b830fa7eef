import {homedir} from 'node:os';
import path from 'node:path';

/** The directory of the config file in use: user runbooks live beside it. */
export function configDirectory(env: NodeJS.ProcessEnv, explicitFile?: string): string {
	const file = explicitFile ?? env.BOTOPS_CONFIG;
	if (file) return path.dirname(path.resolve(file));
	return path.join(env.XDG_CONFIG_HOME || path.join(homedir(), '.config'), 'botops');
}

/** Where botops keeps state (the audit log): the environment's own `stateDir` (the demo's), else $XDG_STATE_HOME/botops. */
export function stateDirectory(env: NodeJS.ProcessEnv, environment?: {stateDir?: string}): string {
	if (environment?.stateDir) return path.resolve(environment.stateDir);
	return path.join(env.XDG_STATE_HOME || path.join(homedir(), '.local', 'state'), 'botops');
}
