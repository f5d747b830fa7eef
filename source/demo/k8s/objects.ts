/**
 * The Kubernetes face of the demo catalog: the manifests bot-core's production overlay would apply (deployments,
 * HPAs, secrets) for the same simulated services the compose world runs.
 */
import {createHash} from 'node:crypto';
import type {ContainerSpec} from '../catalog.js';
import type {KubeObject} from './store.js';

export const demoNamespace = 'bot-core-production';
export const demoContext = 'demo-k8s';
export const demoClusterName = 'demo';
/** What /version reports: a recent release, within every supported kubectl's skew. */
export const demoServerVersion = {major: '1', minor: '30', gitVersion: 'v1.30.6', gitCommit: '00f20d443ba0cee78d2d8b6ceb4e1a8bda3f3a07', gitTreeState: 'clean', buildDate: '2024-10-22T20:28:14Z', goVersion: 'go1.22.8', compiler: 'gc', platform: 'linux/amd64'};

export const revisionAnnotation = 'deployment.kubernetes.io/revision';
export const changeCauseAnnotation = 'kubernetes.io/change-cause';
export const restartedAtAnnotation = 'kubectl.kubernetes.io/restartedAt';
export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';
export const podTemplateHashLabel = 'pod-template-hash';

/** One deployment of the production overlay, from the compose service it runs. */
export type DeploymentPlan = {
	name: string;
	spec: ContainerSpec;
	replicas: number;
	/** Images of the revisions before the current one, oldest first (each left a scaled-down replica set). */
	previousImages: string[];
	strategy: 'RollingUpdate' | 'Recreate';
	requests: {cpu: string; memory: string};
	readinessPath?: string;
	port: number;
	hpa?: {minReplicas: number; maxReplicas: number; cpuUtilization: number};
};

const MiB = 1024 * 1024;

/** `workerReplicas`: the replicas of each benchmark worker's deployment (the world's extra containers). */
export const deploymentPlans = (specs: readonly ContainerSpec[], workerReplicas = 1): DeploymentPlan[] => {
	const spec = (name: string) => {
		const found = specs.find(s => s.name === name);
		if (!found) throw new Error(`demo catalog has no ${name}`);
		return found;
	};
	return [
		{name: 'rust-core-engine', spec: spec('rust-core-engine'), replicas: 2, previousImages: ['bot-core/rust-core-engine:1.4.0', 'bot-core/rust-core-engine:1.4.1'], strategy: 'RollingUpdate', requests: {cpu: '250m', memory: '256Mi'}, readinessPath: '/api/health', port: 8080, hpa: {minReplicas: 2, maxReplicas: 10, cpuUtilization: 70}},
		{name: 'python-ai-service', spec: spec('python-ai-service'), replicas: 2, previousImages: ['bot-core/python-ai-service:2.2.1'], strategy: 'RollingUpdate', requests: {cpu: '500m', memory: '1Gi'}, readinessPath: '/health', port: 8000, hpa: {minReplicas: 2, maxReplicas: 6, cpuUtilization: 75}},
		{name: 'nextjs-ui-dashboard', spec: spec('nextjs-ui-dashboard'), replicas: 2, previousImages: ['bot-core/nextjs-ui-dashboard:1.4.1'], strategy: 'RollingUpdate', requests: {cpu: '100m', memory: '192Mi'}, readinessPath: '/health', port: 3000},
		// One primary behind a volume: two mongods on one data directory would corrupt it, so never surge.
		{name: 'mongodb-primary', spec: spec('mongodb-primary'), replicas: 1, previousImages: [], strategy: 'Recreate', requests: {cpu: '250m', memory: '1Gi'}, port: 27017},
		...specs
			.filter(s => s.logKind === 'worker')
			.map((worker): DeploymentPlan => ({name: worker.name, spec: worker, replicas: workerReplicas, previousImages: [], strategy: 'RollingUpdate', requests: {cpu: '50m', memory: '64Mi'}, port: 9100})),
	];
};

/** The image the bad-deploy drill rolls out: its pods start and never pass readiness. */
export const badDeployImage = 'bot-core/rust-core-engine:1.5.0';

/** Secret keys per compose variable holding a secret value: the pod reads them from a secret, as production does. */
const secretRefs: Record<string, {name: string; key: string}> = {
	DATABASE_URL: {name: 'bot-core-secrets', key: 'database-url'},
	BINANCE_API_KEY: {name: 'binance-secrets', key: 'api-key'},
	BINANCE_SECRET_KEY: {name: 'binance-secrets', key: 'secret-key'},
	ADMIN_TOKEN: {name: 'bot-core-secrets', key: 'rust-api-key'},
	OPENAI_API_KEY: {name: 'bot-core-secrets', key: 'openai-api-key'},
	MONGO_INITDB_ROOT_PASSWORD: {name: 'bot-core-secrets', key: 'mongodb-root-password'},
};

export function podTemplate(plan: DeploymentPlan, image: string): Record<string, unknown> {
	const spec = plan.spec;
	const env = spec.env
		.filter(entry => !entry.startsWith('PATH='))
		.map(entry => {
			const [name, ...rest] = entry.split('=');
			const ref = secretRefs[name];
			return ref ? {name, valueFrom: {secretKeyRef: {name: ref.name, key: ref.key}}} : {name, value: rest.join('=')};
		});
	const probe = plan.readinessPath
		? {httpGet: {path: plan.readinessPath, port: plan.port, scheme: 'HTTP'}, initialDelaySeconds: 2, periodSeconds: 3, timeoutSeconds: 2, successThreshold: 1, failureThreshold: 3}
		: {tcpSocket: {port: plan.port}, initialDelaySeconds: 2, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3};
	const container: Record<string, unknown> = {
		name: plan.name,
		image,
		...(spec.entrypoint ? {command: spec.entrypoint, args: spec.cmd} : {command: spec.cmd}),
		ports: [{containerPort: plan.port, name: plan.name === 'mongodb-primary' ? 'mongo' : 'http', protocol: 'TCP'}],
		env,
		resources: {requests: plan.requests, limits: {cpu: '2', memory: canonicalMemory(spec.memoryLimit || 1024 * MiB)}},
		readinessProbe: probe,
		livenessProbe: {...probe, initialDelaySeconds: 15, periodSeconds: 20},
		imagePullPolicy: 'IfNotPresent',
		terminationMessagePath: '/dev/termination-log',
		terminationMessagePolicy: 'File',
	};
	return {
		metadata: {labels: {app: plan.name, 'app.kubernetes.io/part-of': 'bot-core'}},
		spec: {
			containers: [container],
			restartPolicy: 'Always',
			terminationGracePeriodSeconds: plan.name === 'mongodb-primary' ? 30 : 10,
			dnsPolicy: 'ClusterFirst',
			schedulerName: 'default-scheduler',
			securityContext: {},
		},
	};
}

/** resource.Quantity's canonical form, as the API server stores it ("2Gi", not "2048Mi"). */
function canonicalMemory(bytes: number): string {
	const mebibytes = Math.round(bytes / MiB);
	return mebibytes % 1024 === 0 ? `${mebibytes / 1024}Gi` : `${mebibytes}Mi`;
}

export function deploymentObject(plan: DeploymentPlan, template: Record<string, unknown>, created: string): KubeObject {
	return {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {name: plan.name, namespace: demoNamespace, generation: 1, creationTimestamp: created, labels: {app: plan.name, 'app.kubernetes.io/part-of': 'bot-core'}, annotations: {}},
		spec: {
			replicas: plan.replicas,
			selector: {matchLabels: {app: plan.name}},
			template,
			strategy: plan.strategy === 'Recreate' ? {type: 'Recreate'} : {type: 'RollingUpdate', rollingUpdate: {maxSurge: '25%', maxUnavailable: '25%'}},
			revisionHistoryLimit: 10,
			progressDeadlineSeconds: 60,
			minReadySeconds: 0,
		},
		status: {},
	};
}

export function hpaObject(plan: DeploymentPlan, created: string): KubeObject | undefined {
	if (!plan.hpa) return undefined;
	return {
		apiVersion: 'autoscaling/v2',
		kind: 'HorizontalPodAutoscaler',
		metadata: {name: `${plan.name}-hpa`, namespace: demoNamespace, creationTimestamp: created, labels: {app: plan.name}},
		spec: {
			scaleTargetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: plan.name},
			minReplicas: plan.hpa.minReplicas,
			maxReplicas: plan.hpa.maxReplicas,
			metrics: [{type: 'Resource', resource: {name: 'cpu', target: {type: 'Utilization', averageUtilization: plan.hpa.cpuUtilization}}}],
		},
		status: {currentReplicas: plan.replicas, desiredReplicas: plan.replicas},
	};
}

export function secretObject(name: string, data: Record<string, string>, created: string): KubeObject {
	return {
		apiVersion: 'v1',
		kind: 'Secret',
		metadata: {name, namespace: demoNamespace, creationTimestamp: created},
		type: 'Opaque',
		data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
	};
}

/**
 * The pod-template-hash: a hash of the template rendered with the characters Kubernetes' SafeEncodeString uses
 * (no vowels, no look-alikes), so names look like the real controller's.
 */
export function templateHash(template: unknown): string {
	const digest = createHash('sha256').update(canonicalJson(withoutHashLabel(template))).digest();
	const decimal = String(digest.readUInt32BE(0));
	const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
	return [...decimal].map(char => alphabet[char.charCodeAt(0) % alphabet.length]).join('');
}

/** Stored objects are replaced, never changed in place: a template's canonical text is computed once. */
const templateKeys = new WeakMap<object, string>();

function templateKey(template: unknown): string {
	if (!template || typeof template !== 'object') return canonicalJson(template);
	let key = templateKeys.get(template);
	if (key === undefined) {
		key = canonicalJson(withoutHashLabel(template));
		templateKeys.set(template, key);
	}
	return key;
}

/** Two templates are the same rollout when they are equal apart from the pod-template-hash label. */
export function sameTemplate(a: unknown, b: unknown): boolean {
	return templateKey(a) === templateKey(b);
}

export function withoutHashLabel<T>(template: T): T {
	const copy = structuredClone(template) as {metadata?: {labels?: Record<string, string>}};
	if (copy?.metadata?.labels) {
		delete copy.metadata.labels[podTemplateHashLabel];
		if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
	}
	return copy as T;
}

/** JSON with object keys sorted, so key order never makes two equal templates differ. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(value, (_key, item: unknown) =>
		item && typeof item === 'object' && !Array.isArray(item) ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : item,
	);
}
