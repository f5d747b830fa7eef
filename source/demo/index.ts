/** `botops demo`: the simulated Bot Core world, served over real protocols, plus the environment pointing at it. */
import {randomBytes} from 'node:crypto';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {demoEnvironmentName} from '../config/defaults.js';
import type {EnvironmentConfig} from '../config/schema.js';
import {platformHttpServices} from './catalog.js';
import {startDockerApi} from './docker-api.js';
import {startPlatformHttp} from './platform-http.js';
import {World} from './world.js';

export {knownScenarios, scenarioDescriptions, type ScenarioName} from './scenarios.js';
export {World, type Backup, type WorldEvent, type WorldOptions} from './world.js';

export type DemoOptions = {scenario?: string; seed?: number; socketPath?: string; extraContainers?: number; tickMs?: number};

export type DemoDeployment = {
	environment: EnvironmentConfig;
	world: World;
	adminToken: string;
	dockerSocketPath: string;
	stop(): Promise<void>;
};

export const demoAdminTokenEnv = 'BOTOPS_DEMO_ADMIN_TOKEN';

export async function startDemo(options: DemoOptions = {}): Promise<DemoDeployment> {
	const world = new World({scenario: options.scenario, seed: options.seed, extraContainers: options.extraContainers});
	const ownDir = options.socketPath ? undefined : mkdtempSync(join(tmpdir(), 'botops-demo-'));
	const dockerSocketPath = options.socketPath ?? join(ownDir!, 'docker.sock');
	const adminToken = randomBytes(24).toString('base64url');
	process.env[demoAdminTokenEnv] = adminToken;

	const docker = await startDockerApi(world, {socketPath: dockerSocketPath});
	let platform;
	try {
		platform = await startPlatformHttp(world, {adminToken});
	} catch (error) {
		await docker.close();
		throw error;
	}
	world.startTicking(options.tickMs ?? 1000);

	const environment: EnvironmentConfig = {
		name: demoEnvironmentName,
		backend: {type: 'compose', socketPath: dockerSocketPath, project: world.project},
		protected: false,
		services: [
			...platformHttpServices.map(({service}) => ({name: service, container: service, healthUrl: platform.healthUrls[service], critical: true})),
			{name: 'mongodb-primary', container: 'mongodb-primary', critical: true},
		],
		adminTokenEnv: demoAdminTokenEnv,
	};

	let stopped: Promise<void> | undefined;
	return {
		environment,
		world,
		adminToken,
		dockerSocketPath,
		stop() {
			stopped ??= (async () => {
				world.stop();
				await Promise.all([docker.close(), platform.close()]);
				if (ownDir) rmSync(ownDir, {recursive: true, force: true});
				else rmSync(dockerSocketPath, {force: true});
				if (process.env[demoAdminTokenEnv] === adminToken) delete process.env[demoAdminTokenEnv];
			})();
			return stopped;
		},
	};
}

