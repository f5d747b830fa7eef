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
import {defaultMongoUsers, startDemoMongo, type DemoMongo} from './mongo/server.js';
import {World} from './world.js';

export {knownScenarios, scenarioDescriptions, type ScenarioName} from './scenarios.js';
import {createDrillControl, type DrillControl} from './scenarios.js';
export {World, type Backup, type WorldEvent, type WorldOptions} from './world.js';

export type DemoOptions = {
	scenario?: string;
	seed?: number;
	socketPath?: string;
	extraContainers?: number;
	tickMs?: number;
	/** Also serve the world as a Kubernetes API (its modules load only then: start-up time matters). */
	kubernetes?: boolean;
	/** With `kubernetes` and `extraContainers`: the replicas of each worker's deployment (1,000 pods for benchmarks). */
	kubernetesWorkerReplicas?: number;
	/** The alert rules' `for:` durations, ms (tests shorten them). */
	alertFor?: Partial<Record<RuleName, number>>;
};

/** The Kubernetes face of the demo: its API server, the kubeconfig pointing at it and the environment using it. */
export type DemoKubernetesFace = {
	url: string;
	kubeconfig: string;
	context: string;
	namespace: string;
	environment: EnvironmentConfig;
	cluster: import('./k8s/cluster.js').Cluster;
};

/** Name of the environment backed by the demo's Kubernetes API. */
export const demoKubernetesEnvironmentName = 'demo-k8s';

export type DemoDeployment = {
	environment: EnvironmentConfig;
	world: World;
	adminToken: string;
	dockerSocketPath: string;
	kubernetes?: DemoKubernetesFace;
	/** The MongoDB replica set (wire protocol on 127.0.0.1): its member hosts, the users' URIs, its data and activity. */
	mongo: DemoMongo;
	/** Starts drills on the running world (the dashboard's drill key). */
	drills: DrillControl;
	/** The deployment's own temporary directory (.env, state, socket); removed by stop(). */
	directory: string;
	stop(): Promise<void>;
};

export const demoAdminTokenEnv = 'BOTOPS_DEMO_ADMIN_TOKEN';
/** The URI of the demo's MongoDB replica set (its primary on 127.0.0.1), with the platform user `botuser`. */
export const demoMongoUriEnv = 'BOTOPS_DEMO_MONGODB_URI';
/** The same replica set as `reporter`, a user with read on trading_bot only (currentOp fails with Unauthorized): for fault tests, in the .env only. */
export const demoMongoReadOnlyUriEnv = 'BOTOPS_DEMO_MONGODB_READONLY_URI';

export async function startDemo(options: DemoOptions = {}): Promise<DemoDeployment> {
	const world = new World({scenario: options.scenario, seed: options.seed, extraContainers: options.extraContainers});
	// The nightly backups (manual §4.1: 02:00 UTC) of the last few days, for the backup listing and the restore runbook.
	for (let daysAgo = 3; daysAgo >= 0; daysAgo--) {
		const createdAt = Math.floor(world.now() / 86_400_000 - daysAgo) * 86_400_000 + 2 * 3_600_000;
		const stamp = new Date(createdAt).toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
		if (createdAt <= world.now()) world.recordBackup({path: `/backup/dump_${stamp}`, createdAt, database: 'trading_bot', collections: 6, documents: 7036, bytes: 1_950_000});
	}
	const mongo = await startDemoMongo(world, {users: defaultMongoUsers(randomBytes(16).toString('hex'), randomBytes(16).toString('hex'))});
	const ownDir = mkdtempSync(join(tmpdir(), 'botops-demo-'));
	const dockerSocketPath = options.socketPath ?? join(ownDir, 'docker.sock');
	const adminToken = randomBytes(24).toString('base64url');
	process.env[demoAdminTokenEnv] = adminToken;
	const mongoUri = mongo.uris.botuser;
	process.env[demoMongoUriEnv] = mongoUri;
	// The platform's .env, as the compose project keeps it: secret rotation rewrites it. It also holds the values of
	// the variables the environment names, so a botops in another process (`botops demo --serve`) reads them from it.
	const envFile = join(ownDir, '.env');
	const platformSecrets = ['INTER_SERVICE_TOKEN', 'RUST_API_KEY', 'BINANCE_API_KEY', 'BINANCE_SECRET_KEY'].map(name => `${name}=${randomBytes(32).toString('hex')}`);
	writeFileSync(envFile, [...platformSecrets, 'TRADING_ENABLED=true', `${demoAdminTokenEnv}=${adminToken}`, `${demoMongoUriEnv}=${mongoUri}`, `${demoMongoReadOnlyUriEnv}=${mongo.uris.reporter}`].join('\n') + '\n', {mode: 0o600});

	let docker;
	let platform;
	let kubernetes: import('./k8s/index.js').DemoKubernetes | undefined;
	let alertmanager;
	let prometheus;
	const metrics = new DemoMetrics(world);
	try {
		docker = await startDockerApi(world, {socketPath: dockerSocketPath});
		platform = await startPlatformHttp(world, {adminToken, metrics});
		alertmanager = await startDemoAlertmanager(() => world.now());
		prometheus = await startDemoPrometheus(world, {metrics, ports: platform.ports, receiver: alertmanager.state, alertFor: options.alertFor});
		if (options.kubernetes) {
			const {startDemoKubernetes} = await import('./k8s/index.js');
			kubernetes = await startDemoKubernetes(world, {directory: ownDir, workerReplicas: options.kubernetesWorkerReplicas});
		}
	} catch (error) {
		await Promise.all([docker?.close(), platform?.close(), alertmanager?.close(), prometheus?.close(), mongo.close()]);
		rmSync(ownDir, {recursive: true, force: true});
		delete process.env[demoAdminTokenEnv];
		delete process.env[demoMongoUriEnv];
		throw error;
	}
	world.startTicking(options.tickMs ?? 1000);
	// A process that ends without stop() (a crash, process.exit) still removes the .env of secrets and the socket.
	const removeDirectory = () => rmSync(ownDir, {recursive: true, force: true});
	process.on('exit', removeDirectory);

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
		backups: {service: 'mongodb-primary', dir: '/backup'},
		envFile,
		// Demo runbook runs are audited here, never in the operator's real audit log.
		stateDir: join(ownDir, 'state'),
	};

	const kubernetesFace: DemoKubernetesFace | undefined = kubernetes && {
		url: kubernetes.url,
		kubeconfig: kubernetes.kubeconfig,
		context: kubernetes.context,
		namespace: kubernetes.namespace,
		cluster: kubernetes.cluster,
		environment: {
			...environment,
			...(environment.mongo ? {mongo: {...environment.mongo}} : {}),
			name: demoKubernetesEnvironmentName,
			backend: {type: 'kubernetes', kubeconfig: kubernetes.kubeconfig, context: kubernetes.context, namespace: kubernetes.namespace},
			services: environment.services.filter(service => kubernetes.deployments.includes(service.name)).map(({container: _container, ...service}) => ({...service, deployment: service.name})),
		},
	};

	let stopped: Promise<void> | undefined;
	return {
		environment,
		world,
		adminToken,
		dockerSocketPath,
		kubernetes: kubernetesFace,
		mongo,
		drills: createDrillControl(world),
		directory: ownDir,
		stop() {
			stopped ??= (async () => {
				world.stop();
				await Promise.all([docker.close(), platform.close(), prometheus.close(), alertmanager.close(), kubernetes?.close(), mongo.close()]);
				removeDirectory();
				process.off('exit', removeDirectory);
				if (options.socketPath) rmSync(dockerSocketPath, {force: true});
				if (process.env[demoAdminTokenEnv] === adminToken) delete process.env[demoAdminTokenEnv];
				if (process.env[demoMongoUriEnv] === mongoUri) delete process.env[demoMongoUriEnv];
			})();
			return stopped;
		},
	};
}

