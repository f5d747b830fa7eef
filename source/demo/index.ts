/** `botops demo`: the simulated Bot Core world, served over real protocols, plus the environment pointing at it. */
import {randomBytes} from 'node:crypto';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {demoEnvironmentName} from '../config/defaults.js';
import type {EnvironmentConfig} from '../config/schema.js';
import {platformHttpServices} from './catalog.js';
import {startDockerApi} from './docker-api.js';
import {startDemoAlertmanager} from './alertmanager-api.js';
import {DemoMetrics} from './metrics.js';
import {startPlatformHttp} from './platform-http.js';
import {startDemoPrometheus, type RuleName} from './prometheus-api.js';
import {World} from './world.js';

export {knownScenarios, scenarioDescriptions, type ScenarioName} from './scenarios.js';
export {World, type Backup, type WorldEvent, type WorldOptions} from './world.js';

export type DemoOptions = {
	scenario?: string;
	seed?: number;
	socketPath?: string;
	extraContainers?: number;
	tickMs?: number;
	/** The alert rules' `for:` durations, ms (tests shorten them). */
	alertFor?: Partial<Record<RuleName, number>>;
};

export type DemoDeployment = {
	environment: EnvironmentConfig;
	world: World;
	adminToken: string;
	dockerSocketPath: string;
	/** The deployment's own temporary directory (.env, state, socket); removed by stop(). */
	directory: string;
	stop(): Promise<void>;
};

export const demoAdminTokenEnv = 'BOTOPS_DEMO_ADMIN_TOKEN';
/** The URI as seen from inside the mongodb-primary container, as the manual's `docker exec mongodb-primary mongodump` uses it. */
export const demoMongoUriEnv = 'BOTOPS_DEMO_MONGODB_URI';

export async function startDemo(options: DemoOptions = {}): Promise<DemoDeployment> {
	const world = new World({scenario: options.scenario, seed: options.seed, extraContainers: options.extraContainers});
	const ownDir = mkdtempSync(join(tmpdir(), 'botops-demo-'));
	const dockerSocketPath = options.socketPath ?? join(ownDir, 'docker.sock');
	const adminToken = randomBytes(24).toString('base64url');
	process.env[demoAdminTokenEnv] = adminToken;
	const mongoUri = `mongodb://botuser:${randomBytes(16).toString('hex')}@localhost:27017/trading_bot?authSource=admin`;
	process.env[demoMongoUriEnv] = mongoUri;
	// The platform's .env, as the compose project keeps it: secret rotation rewrites it. It also holds the values of
	// the variables the environment names, so a botops in another process (`botops demo --serve`) reads them from it.
	const envFile = join(ownDir, '.env');
	const platformSecrets = ['INTER_SERVICE_TOKEN', 'RUST_API_KEY', 'BINANCE_API_KEY', 'BINANCE_SECRET_KEY'].map(name => `${name}=${randomBytes(32).toString('hex')}`);
	writeFileSync(envFile, [...platformSecrets, 'TRADING_ENABLED=true', `${demoAdminTokenEnv}=${adminToken}`, `${demoMongoUriEnv}=${mongoUri}`].join('\n') + '\n', {mode: 0o600});

	let docker;
	let platform;
	let alertmanager;
	let prometheus;
	const metrics = new DemoMetrics(world);
	try {
		docker = await startDockerApi(world, {socketPath: dockerSocketPath});
		platform = await startPlatformHttp(world, {adminToken, metrics});
		alertmanager = await startDemoAlertmanager(() => world.now());
		prometheus = await startDemoPrometheus(world, {metrics, ports: platform.ports, receiver: alertmanager.state, alertFor: options.alertFor});
	} catch (error) {
		await Promise.all([docker?.close(), platform?.close(), alertmanager?.close()]);
		rmSync(ownDir, {recursive: true, force: true});
		delete process.env[demoAdminTokenEnv];
		delete process.env[demoMongoUriEnv];
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
		prometheusUrl: prometheus.url,
		alertmanagerUrls: alertmanager.urls,
		mongo: {uriEnv: demoMongoUriEnv, database: 'trading_bot'},
		envFile,
		// Demo runbook runs are audited here, never in the operator's real audit log.
		stateDir: join(ownDir, 'state'),
	};

	let stopped: Promise<void> | undefined;
	return {
		environment,
		world,
		adminToken,
		dockerSocketPath,
		directory: ownDir,
		stop() {
			stopped ??= (async () => {
				world.stop();
				await Promise.all([docker.close(), platform.close(), prometheus.close(), alertmanager.close()]);
				rmSync(ownDir, {recursive: true, force: true});
				if (options.socketPath) rmSync(dockerSocketPath, {force: true});
				if (process.env[demoAdminTokenEnv] === adminToken) delete process.env[demoAdminTokenEnv];
				if (process.env[demoMongoUriEnv] === mongoUri) delete process.env[demoMongoUriEnv];
			})();
			return stopped;
		},
	};
}

