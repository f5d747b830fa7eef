/** The bot-core compose project as the demo simulates it: one spec per container. */

export type LogKind = 'engine' | 'ai' | 'nextjs' | 'mongo' | 'redis' | 'prometheus' | 'grafana' | 'worker';

export type PortSpec = {privatePort: number; publicPort?: number; type: 'tcp' | 'udp'};

export type MountSpec = {type: 'volume' | 'bind'; name?: string; source: string; destination: string; rw: boolean};

export type HealthcheckSpec = {test: string[]; intervalMs: number; timeoutMs: number; retries: number; startPeriodMs: number};

export type ContainerSpec = {
	name: string;
	service: string;
	image: string;
	cmd: string[];
	entrypoint?: string[];
	/** Names and harmless values; secret-looking ones are placeholders the demo never prints elsewhere. */
	env: string[];
	ports: PortSpec[];
	mounts: MountSpec[];
	restartPolicy: 'unless-stopped' | 'always' | 'on-failure' | 'no';
	/** Compose `depends_on`: these start (and are ready) before this one. */
	dependsOn?: string[];
	/** on-failure's MaximumRetryCount. */
	maxRetries?: number;
	/** Bytes; 0 means no limit (Docker then reports the host's memory as the limit). */
	memoryLimit: number;
	/** What `docker stats` shows (usage minus inactive file cache), in bytes. */
	memoryBaseline: number;
	/** Mean CPU use, percent of one core. */
	cpuPercent: number;
	/** Expected log lines per second while running. */
	logRate: number;
	logKind: LogKind;
	pids: number;
	healthcheck?: HealthcheckSpec;
	/** Signal-exit code when stopped (143 for SIGTERM-honouring programs, 0 for those that exit cleanly). */
	stopExitCode: number;
};

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const composeProject = 'bot-core';
export const composeNetwork = 'bot-core_bot-network';
export const hostMemTotal = 16 * GiB;
export const hostCpus = 4;

const secs = (s: number) => s * 1000;

export const platformSpecs: ContainerSpec[] = [
	{
		name: 'rust-core-engine',
		service: 'rust-core-engine',
		image: 'bot-core/rust-core-engine:1.4.2',
		cmd: ['./rust-core-engine', '--config', 'config.toml'],
		env: ['RUST_LOG=info', 'DATABASE_URL=mongodb://botuser:<redacted>@mongodb-primary:27017/trading_bot?authSource=admin', 'BINANCE_API_KEY=<redacted>', 'BINANCE_SECRET_KEY=<redacted>', 'BINANCE_TESTNET=true', 'TRADING_ENABLED=true', 'ADMIN_TOKEN=<redacted>', 'PYTHON_AI_SERVICE_URL=http://python-ai-service:8000', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
		ports: [{privatePort: 8080, type: 'tcp'}],
		mounts: [{type: 'bind', source: '/opt/bot-core/rust-core-engine/config.toml', destination: '/app/config.toml', rw: false}],
		restartPolicy: 'unless-stopped',
		dependsOn: ['mongodb-primary', 'redis'],
		memoryLimit: 1 * GiB,
		memoryBaseline: 180 * MiB,
		cpuPercent: 12,
		logRate: 3,
		logKind: 'engine',
		pids: 24,
		healthcheck: {test: ['CMD-SHELL', 'curl -f http://localhost:8080/api/health || exit 1'], intervalMs: secs(3), timeoutMs: secs(2), retries: 3, startPeriodMs: 0},
		stopExitCode: 0,
	},
	{
		name: 'python-ai-service',
		service: 'python-ai-service',
		image: 'bot-core/python-ai-service:2.3.0',
		cmd: ['uvicorn', 'main:app', '--host', '0.0.0.0', '--port', '8000', '--workers', '2'],
		env: ['MODEL_TYPE=lstm', 'MODEL_VERSION=lstm-v2.3', 'DATABASE_URL=mongodb://botuser:<redacted>@mongodb-primary:27017/trading_bot?authSource=admin', 'OPENAI_API_KEY=<redacted>', 'LOG_LEVEL=info', 'PYTHONUNBUFFERED=1', 'PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin'],
		ports: [{privatePort: 8000, type: 'tcp'}],
		mounts: [{type: 'volume', name: 'bot-core_ai-models', source: '/var/lib/docker/volumes/bot-core_ai-models/_data', destination: '/app/models/saved', rw: true}],
		restartPolicy: 'unless-stopped',
		dependsOn: ['mongodb-primary'],
		memoryLimit: 2 * GiB,
		memoryBaseline: 900 * MiB,
		cpuPercent: 18,
		logRate: 1.5,
		logKind: 'ai',
		pids: 11,
		healthcheck: {test: ['CMD-SHELL', 'curl -f http://localhost:8000/health || exit 1'], intervalMs: secs(5), timeoutMs: secs(10), retries: 3, startPeriodMs: secs(10)},
		stopExitCode: 0,
	},
	{
		name: 'nextjs-ui-dashboard',
		service: 'nextjs-ui-dashboard',
		image: 'bot-core/nextjs-ui-dashboard:1.4.2',
		cmd: ['npm', 'start'],
		env: ['NODE_ENV=production', 'NEXT_PUBLIC_API_URL=http://localhost:8080', 'NEXT_PUBLIC_AI_URL=http://localhost:8000', 'PORT=3000', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
		ports: [{privatePort: 3000, type: 'tcp'}],
		mounts: [],
		restartPolicy: 'unless-stopped',
		dependsOn: ['rust-core-engine', 'python-ai-service'],
		memoryLimit: 512 * MiB,
		memoryBaseline: 140 * MiB,
		cpuPercent: 2.5,
		logRate: 0.4,
		logKind: 'nextjs',
		pids: 12,
		healthcheck: {test: ['CMD-SHELL', 'wget -qO- http://localhost:3000/health || exit 1'], intervalMs: secs(5), timeoutMs: secs(5), retries: 3, startPeriodMs: secs(5)},
		stopExitCode: 143,
	},
	{
		name: 'mongodb-primary',
		service: 'mongodb-primary',
		image: 'mongo:7.0',
		cmd: ['mongod', '--replSet', 'rs0', '--bind_ip_all', '--wiredTigerCacheSizeGB', '1'],
		entrypoint: ['docker-entrypoint.sh'],
		env: ['MONGO_INITDB_ROOT_USERNAME=admin', 'MONGO_INITDB_ROOT_PASSWORD=<redacted>', 'MONGO_INITDB_DATABASE=trading_bot', 'GOSU_VERSION=1.17', 'JSYAML_VERSION=3.13.1', 'MONGO_MAJOR=7.0', 'MONGO_VERSION=7.0.14', 'HOME=/data/db', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
		ports: [{privatePort: 27017, publicPort: 27017, type: 'tcp'}],
		mounts: [
			{type: 'volume', name: 'bot-core_mongodb-data', source: '/var/lib/docker/volumes/bot-core_mongodb-data/_data', destination: '/data/db', rw: true},
			{type: 'volume', name: 'bot-core_mongodb-config', source: '/var/lib/docker/volumes/bot-core_mongodb-config/_data', destination: '/data/configdb', rw: true},
			{type: 'bind', source: '/opt/bot-core/backups', destination: '/backup', rw: true},
		],
		restartPolicy: 'unless-stopped',
		memoryLimit: 2 * GiB,
		memoryBaseline: 620 * MiB,
		cpuPercent: 6,
		logRate: 0.8,
		logKind: 'mongo',
		pids: 38,
		healthcheck: {test: ['CMD', 'mongosh', '--quiet', '--eval', "db.adminCommand('ping')"], intervalMs: secs(10), timeoutMs: secs(5), retries: 5, startPeriodMs: secs(20)},
		stopExitCode: 0,
	},
	{
		name: 'redis',
		service: 'redis',
		image: 'redis:7-alpine',
		cmd: ['redis-server', '--appendonly', 'yes', '--maxmemory', '256mb'],
		entrypoint: ['docker-entrypoint.sh'],
		env: ['REDIS_VERSION=7.2.5', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
		ports: [{privatePort: 6379, publicPort: 6379, type: 'tcp'}],
		mounts: [{type: 'volume', name: 'bot-core_redis-data', source: '/var/lib/docker/volumes/bot-core_redis-data/_data', destination: '/data', rw: true}],
		restartPolicy: 'unless-stopped',
		memoryLimit: 0,
		memoryBaseline: 14 * MiB,
		cpuPercent: 0.6,
		logRate: 0.03,
		logKind: 'redis',
		pids: 6,
		healthcheck: {test: ['CMD', 'redis-cli', 'ping'], intervalMs: secs(10), timeoutMs: secs(3), retries: 3, startPeriodMs: 0},
		stopExitCode: 0,
	},
	{
		name: 'prometheus',
		service: 'prometheus',
		image: 'prom/prometheus:v2.53.0',
		cmd: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus', '--storage.tsdb.retention.time=15d', '--web.enable-lifecycle'],
		entrypoint: ['/bin/prometheus'],
		env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
		ports: [{privatePort: 9090, publicPort: 9090, type: 'tcp'}],
		mounts: [
			{type: 'bind', source: '/opt/bot-core/infrastructure/monitoring/prometheus.yml', destination: '/etc/prometheus/prometheus.yml', rw: false},
			{type: 'volume', name: 'bot-core_prometheus-data', source: '/var/lib/docker/volumes/bot-core_prometheus-data/_data', destination: '/prometheus', rw: true},
		],
		restartPolicy: 'unless-stopped',
		memoryLimit: 0,
		memoryBaseline: 210 * MiB,
		cpuPercent: 3,
		logRate: 0.08,
		logKind: 'prometheus',
		pids: 14,
		stopExitCode: 0,
	},
	{
		name: 'grafana',
		service: 'grafana',
		image: 'grafana/grafana:11.1.0',
		cmd: [],
		entrypoint: ['/run.sh'],
		env: ['GF_SECURITY_ADMIN_PASSWORD=<redacted>', 'GF_USERS_ALLOW_SIGN_UP=false', 'GF_PATHS_DATA=/var/lib/grafana', 'PATH=/usr/share/grafana/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
		ports: [{privatePort: 3000, publicPort: 3001, type: 'tcp'}],
		mounts: [{type: 'volume', name: 'bot-core_grafana-data', source: '/var/lib/docker/volumes/bot-core_grafana-data/_data', destination: '/var/lib/grafana', rw: true}],
		restartPolicy: 'unless-stopped',
		dependsOn: ['prometheus'],
		memoryLimit: 0,
		memoryBaseline: 95 * MiB,
		cpuPercent: 0.9,
		logRate: 0.25,
		logKind: 'grafana',
		pids: 17,
		healthcheck: {test: ['CMD-SHELL', 'curl -f http://localhost:3000/api/health || exit 1'], intervalMs: secs(15), timeoutMs: secs(5), retries: 3, startPeriodMs: 0},
		stopExitCode: 0,
	},
];

/** Extra labelled containers for benchmarks: cheap, quiet, realistic enough. */
export function workerSpec(index: number): ContainerSpec {
	const name = `worker-${String(index).padStart(4, '0')}`;
	return {
		name,
		service: name,
		image: 'bot-core/worker:1.4.2',
		cmd: ['./worker', '--queue', 'signals'],
		env: ['WORKER_ID=' + index, 'QUEUE=signals', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
		ports: [],
		mounts: [],
		restartPolicy: 'unless-stopped',
		memoryLimit: 256 * MiB,
		memoryBaseline: 40 * MiB,
		cpuPercent: 0.8,
		logRate: 0.1,
		logKind: 'worker',
		pids: 4,
		stopExitCode: 143,
	};
}

/** The services whose HTTP endpoints the demo serves, with the path of their health endpoint. */
export const platformHttpServices = [
	{service: 'rust-core-engine', healthPath: '/api/health'},
	{service: 'python-ai-service', healthPath: '/health'},
	{service: 'nextjs-ui-dashboard', healthPath: '/health'},
] as const;

export type PlatformService = (typeof platformHttpServices)[number]['service'];
