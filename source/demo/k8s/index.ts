/**
 * The demo's Kubernetes face, loaded only when asked for (`botops demo --k8s`): the cluster model over the world,
 * its API server and the kubeconfig that points at it.
 */
import {randomBytes} from 'node:crypto';
import {join} from 'node:path';
import type {World} from '../world.js';
import {startKubernetesApi} from './api-server.js';
import {Cluster} from './cluster.js';
import {writeKubeconfig} from './kubeconfig.js';
import {demoContext, demoNamespace} from './objects.js';

export {Cluster} from './cluster.js';
export {demoContext, demoNamespace} from './objects.js';

export type DemoKubernetes = {
	cluster: Cluster;
	url: string;
	kubeconfig: string;
	context: string;
	namespace: string;
	/** The deployments, in the order of the platform's services. */
	deployments: string[];
	close(): Promise<void>;
};

export async function startDemoKubernetes(world: World, options: {directory: string; bookmarkIntervalMs?: number; tickMs?: number; workerReplicas?: number}): Promise<DemoKubernetes> {
	const cluster = new Cluster(world, {tickMs: options.tickMs, workerReplicas: options.workerReplicas});
	const token = randomBytes(24).toString('base64url');
	const api = await startKubernetesApi(cluster, {token, bookmarkIntervalMs: options.bookmarkIntervalMs});
	const kubeconfig = join(options.directory, 'kubeconfig');
	writeKubeconfig(kubeconfig, api.url, token);
	cluster.start();
	return {
		cluster,
		url: api.url,
		kubeconfig,
		context: demoContext,
		namespace: demoNamespace,
		deployments: cluster.store.list('deployments', demoNamespace).map(d => d.metadata.name),
		async close() {
			cluster.stop();
			await api.close();
		},
	};
}
