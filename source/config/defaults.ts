import type {Config} from './schema.js';

/** The platform as the operations manual describes it (§3.4 ports, §4 mongodb-primary, §3.6 namespace). */
const manualServices = [
	{name: 'rust-core-engine', container: 'rust-core-engine', deployment: 'rust-core-engine', healthUrl: 'http://localhost:8080/api/health', critical: true},
	{name: 'python-ai-service', container: 'python-ai-service', deployment: 'python-ai-service', healthUrl: 'http://localhost:8000/health', critical: true},
	{name: 'nextjs-ui-dashboard', container: 'nextjs-ui-dashboard', deployment: 'nextjs-ui-dashboard', healthUrl: 'http://localhost:3000/health', critical: true},
	{name: 'mongodb-primary', container: 'mongodb-primary', deployment: 'mongodb-primary', critical: true},
];

/**
 * The config used when there is no file, already in its validated form so that no validator loads at start-up;
 * a unit test checks that the schema maps it to itself.
 */
export const defaultConfig: Config = {
	defaultEnvironment: 'local',
	refresh: 2,
	timeoutMs: 3000,
	latencyTargetMs: 500,
	logBufferLines: 100_000,
	keys: {},
	environments: {
		local: {
			backend: {type: 'compose', project: 'bot-core'},
			protected: false,
			services: manualServices,
			mongo: {uriEnv: 'DATABASE_URL', database: 'trading_bot'},
			prometheusUrl: 'http://localhost:9090',
			alertmanagerUrl: 'http://localhost:9093',
			grafanaUrl: 'http://localhost:3001',
			adminTokenEnv: 'ADMIN_TOKEN',
		},
	},
};

/** Name of the built-in environment backed by the embedded demo deployment. */
export const demoEnvironmentName = 'demo';
/** The embedded demo on its Kubernetes API server (`--env demo-k8s`, `botops demo --k8s`). */
export const demoKubernetesEnvironmentName = 'demo-k8s';
