import type {Config, EnvironmentConfig} from '../config/schema.js';
import type {KubeContext} from './kubernetes/kubeconfig.js';
import type {ClusterSnapshot} from './kubernetes/platform.js';
import type {Platform} from './platform.js';
import type {DockerService, HealthProber} from './types.js';
import type {MongoDatabaseService} from './types-mongo.js';
import {lazyMongoService} from './mongo/lazy.js';

/** The I/O an environment needs, each client loaded only when the environment uses it (start-up cost, DESIGN.md). */
export type Backends = {
	environment: EnvironmentConfig;
	/** Where the services' instances run: every screen, poller and selector goes through this. */
	platform: Platform;
	/** The Docker client itself, on compose environments (the `docker.*` runbook actions use it). */
	docker?: DockerService;
	/** The kubeconfig and namespace, on Kubernetes environments (the `k8s.*` runbook actions use it). */
	kube?: KubeContext;
	/** A platform that keeps a cluster's objects (Kubernetes) offers them for its own screen. */
	cluster?: ClusterSource;
	health: HealthProber;
	/** On environments that configure `mongo`: the driver, loaded at its first call (the mongo.command action uses it too). */
	mongo?: MongoDatabaseService;
	close(): void;
};

/** The watched objects of a cluster and when they change. */
export type ClusterSource = {readonly version: number; snapshot(): ClusterSnapshot; onChange(listener: () => void): () => void};

export async function openBackends(environment: EnvironmentConfig, config: Pick<Config, 'timeoutMs'> & {refreshMs?: number}): Promise<Backends> {
	const healthModule = import('./health.js');
	let docker: DockerService | undefined;
	let kube: KubeContext | undefined;
	let cluster: ClusterSource | undefined;
	let platform: Platform;
	if (environment.backend.type === 'compose') {
		const [{createDockerService}, {createComposePlatform}] = await Promise.all([import('./docker.js'), import('./platform.js')]);
		docker = createDockerService({
			socketPath: environment.backend.socketPath,
			host: environment.backend.host,
			project: environment.backend.project,
			timeoutMs: config.timeoutMs,
		});
		platform = createComposePlatform(docker, environment.backend.project);
	} else {
		const {createKubernetesPlatform} = await import('./kubernetes/platform.js');
		const kubernetes = createKubernetesPlatform(environment, {timeoutMs: config.timeoutMs, metricsEveryMs: config.refreshMs});
		kube = kubernetes.kube;
		platform = kubernetes;
		cluster = kubernetes;
	}
	const {createHealthProber} = await healthModule;
	const mongo = environment.mongo ? lazyMongoService(environment.mongo.uriEnv, {timeoutMs: config.timeoutMs}) : undefined;
	return {
		environment,
		platform,
		docker,
		kube,
		cluster,
		health: createHealthProber({timeoutMs: config.timeoutMs}),
		mongo,
		close: () => {
			platform.close();
			void mongo?.close();
		},
	};
}
