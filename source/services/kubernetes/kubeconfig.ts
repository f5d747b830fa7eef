import {existsSync} from 'node:fs';
import {KubeConfig} from '@kubernetes/client-node';
import {ConfigError} from '../../config/errors.js';
import type {EnvironmentConfig} from '../../config/schema.js';

/** What every Kubernetes call of an environment needs: the client configuration and the namespace it works in. */
export type KubeContext = {kubeConfig: KubeConfig; namespace: string};

/** A configuration error (exit 2 in the CLI, the pane's error in the dashboard), not a failure of the cluster. */
export class KubeconfigError extends ConfigError {
	override name = 'KubeconfigError';
}

/** Where a pod's service account token lives: botops runs in-cluster when it is there and nothing else is configured. */
const serviceAccountToken = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * The environment's kubeconfig (its `backend.kubeconfig`, else KUBECONFIG, else ~/.kube/config; the in-cluster
 * service account when none exists and botops runs in a pod), switched to the environment's context. A context that
 * does not exist names the kubeconfig and lists the contexts it has.
 */
export function loadKubeContext(environment: EnvironmentConfig, env: NodeJS.ProcessEnv = process.env): KubeContext {
	const {backend} = environment;
	if (backend.type !== 'kubernetes') throw new KubeconfigError(`environment "${environment.name}" has no Kubernetes backend (backend ${backend.type})`);
	const kubeConfig = new KubeConfig();
	const files = backend.kubeconfig ? [backend.kubeconfig] : (env['KUBECONFIG'] ?? '').split(':').filter(Boolean);
	const home = env['HOME'] ? `${env['HOME']}/.kube/config` : undefined;
	const candidates = files.length > 0 ? files : home && existsSync(home) ? [home] : [];
	const source = candidates.join(':');
	if (candidates.length === 0 && env['KUBERNETES_SERVICE_HOST'] && existsSync(serviceAccountToken)) {
		kubeConfig.loadFromCluster();
	} else {
		if (candidates.length === 0) throw new KubeconfigError(`environment "${environment.name}": no kubeconfig (set backend.kubeconfig or KUBECONFIG, or create ~/.kube/config)`);
		for (const file of candidates) {
			if (!existsSync(file)) throw new KubeconfigError(`environment "${environment.name}": kubeconfig ${file} does not exist`);
		}
		try {
			if (candidates.length === 1) kubeConfig.loadFromFile(candidates[0]!);
			else {
				// KUBECONFIG with several files: the client merges them as kubectl does.
				const saved = process.env['KUBECONFIG'];
				process.env['KUBECONFIG'] = source;
				try {
					kubeConfig.loadFromDefault();
				} finally {
					if (saved === undefined) delete process.env['KUBECONFIG'];
					else process.env['KUBECONFIG'] = saved;
				}
			}
		} catch (error) {
			throw new KubeconfigError(`environment "${environment.name}": kubeconfig ${source} is not valid: ${(error as Error).message}`);
		}
	}
	if (backend.context) {
		const contexts = kubeConfig.getContexts().map(c => c.name);
		if (!contexts.includes(backend.context)) {
			throw new KubeconfigError(`environment "${environment.name}": context "${backend.context}" is not in kubeconfig ${source || 'in-cluster'} (contexts: ${contexts.join(', ') || 'none'})`);
		}
		kubeConfig.setCurrentContext(backend.context);
	}
	if (!kubeConfig.getCurrentCluster()) {
		throw new KubeconfigError(`environment "${environment.name}": kubeconfig ${source || 'in-cluster'} has no current context with a cluster (contexts: ${kubeConfig.getContexts().map(c => c.name).join(', ') || 'none'})`);
	}
	const cluster = kubeConfig.getCurrentCluster()!;
	if (cluster.server.startsWith('http:')) {
		// client-node refuses plain http unless told to skip TLS verification, which kubectl does not ask for: on a
		// loopback server (the demo, a `kubectl proxy`) there is no TLS to verify, so botops says so for it.
		if (!isLoopback(cluster.server)) throw new KubeconfigError(`environment "${environment.name}": cluster ${cluster.name} is plain http on ${cluster.server}; only a loopback server may be reached without TLS`);
		kubeConfig.clusters = kubeConfig.clusters.map(c => (c.name === cluster.name ? {...c, skipTLSVerify: true} : c));
	}
	return {kubeConfig, namespace: backend.namespace};
}

function isLoopback(server: string): boolean {
	try {
		const host = new URL(server).hostname;
		return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
	} catch {
		return false;
	}
}
