import type {ConfigInput} from './schema.js';

/** The platform as the operations manual describes it (§3.4 ports, §4 mongodb-primary, §3.6 namespace). */
const manualServices = [
	{name: 'rust-core-engine', container: 'rust-core-engine', deployment: 'rust-core-engine', healthUrl: 'http://localhost:8080/api/health'},
	{name: 'python-ai-service', container: 'python-ai-service', deployment: 'python-ai-service', healthUrl: 'http://localhost:8000/health'},
	{name: 'nextjs-ui-dashboard', container: 'nextjs-ui-dashboard', deployment: 'nextjs-ui-dashboard', healthUrl: 'http://localhost:3000/health'},
	{name: 'mongodb-primary', container: 'mongodb-primary', deployment: 'mongodb-primary'},
];

export const defaultConfig: ConfigInput = {
	defaultEnvironment: 'local',
	environments: {
		local: {
			backend: {type: 'compose', project: 'bot-core'},
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
