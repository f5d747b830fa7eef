import {z} from 'zod';

/** A window back from now for the daily checks ("12h", "90m"), as `--since` takes it. */
const checkWindow = z.string().regex(/^\d+(?:ms|s|m|h|d)$/, 'a duration like 12h or 90m');

const serviceName = z
	.string()
	.regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'a lowercase name of letters, digits, "-", "_" or "."');

/** A document field path ("timestamp", "fill.price"): never an operator. */
const fieldPath = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'a field name like timestamp or fill.price');

/** http(s) only: `new URL` alone would take "localhost:8080" as a URL with scheme "localhost:". */
const httpUrl = z.url({protocol: /^https?$/});

export const serviceSchema = z.strictObject({
	name: serviceName,
	/** Docker container name, or compose service name, on the compose backend. */
	container: z.string().min(1).optional(),
	/** Deployment name on the kubernetes backend. */
	deployment: z.string().min(1).optional(),
	healthUrl: httpUrl.optional(),
	/** Whether this service is one the platform depends on (its failure makes `status` exit 1). */
	critical: z.boolean().default(true),
});

const composeBackend = z.strictObject({
	type: z.literal('compose'),
	/** Unix socket of the Docker engine; DOCKER_HOST wins when `host` is not set either. */
	socketPath: z.string().min(1).optional(),
	/** tcp://host:port of the Docker engine. */
	host: z.string().min(1).optional(),
	project: z.string().min(1).default('bot-core'),
});

const kubernetesBackend = z.strictObject({
	type: z.literal('kubernetes'),
	context: z.string().min(1).optional(),
	kubeconfig: z.string().min(1).optional(),
	namespace: z.string().min(1).default('bot-core-production'),
});

export const environmentSchema = z.strictObject({
	backend: z.discriminatedUnion('type', [composeBackend, kubernetesBackend]),
	protected: z.boolean().default(false),
	/** War-room mode on this environment: read-only (the runbook engine refuses every change) and the War room screen first. */
	warRoom: z.boolean().optional(),
	services: z.array(serviceSchema).min(1),
	mongo: z
		.strictObject({
			/** Name of the environment variable holding the URI: secrets never live in this file. */
			uriEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name like MONGODB_URI'),
			database: z.string().min(1).default('trading_bot'),
			/** Where the trades' fields are, for the Trading KPIs (defaults: trades, timestamp, symbol, status, pnl). */
			trades: z
				.strictObject({
					collection: z.string().min(1).optional(),
					time: fieldPath.optional(),
					symbol: fieldPath.optional(),
					status: fieldPath.optional(),
					pnl: fieldPath.optional(),
					successStatuses: z.array(z.string().min(1)).min(1).optional(),
				})
				.optional(),
			/** `$currentOp` appName -> service, where the appName does not contain the service's name. */
			appNames: z.record(z.string().min(1), serviceName).optional(),
		})
		.optional(),
	/** The backup listing (manual §4.1): a directory of dump_YYYYMMDD_HHMMSS folders, or a command's `aws s3 ls` output. */
	backups: z
		.strictObject({
			dir: z.string().min(1).optional(),
			/** With `dir`: the directory is inside this service's container or pod (listed with `ls` through the platform). */
			service: serviceName.optional(),
			/** argv, run without a shell: ["aws", "s3", "ls", "s3://bot-core-backups/daily/"]. */
			command: z.array(z.string().min(1)).min(1).optional(),
			/** Older than this is flagged (default 26). */
			maxAgeHours: z.number().positive().optional(),
		})
		.refine(b => (b.dir === undefined) !== (b.command === undefined), 'exactly one of dir or command')
		.refine(b => b.service === undefined || b.dir !== undefined, 'service names where dir is')
		.optional(),
	prometheusUrl: httpUrl.optional(),
	/** Wins over `prometheusUrl`; the queries take `$service` (default: request rate, 5xx ratio, p95 by job). */
	prometheus: z
		.strictObject({
			url: httpUrl.optional(),
			queries: z.strictObject({requestRate: z.string().min(1).optional(), errorRate: z.string().min(1).optional(), p95: z.string().min(1).optional()}).optional(),
		})
		.optional(),
	alertmanagerUrl: httpUrl.optional(),
	/** An HA pair (or more); alerts they all report are shown once. Joined with `alertmanagerUrl`. */
	alertmanagerUrls: z.array(httpUrl).min(1).optional(),
	/** Route `group_by` the Alerts screen groups by (Alertmanager's own is in its config, which botops does not read). */
	alertGroupBy: z.array(z.string().min(1)).min(1).optional(),
	silences: z
		.strictObject({
			/** Longest silence botops creates, e.g. "2h" (default). */
			maxDuration: z.string().regex(/^(?:\d+(?:ms|y|w|d|h|m|s))+$/, 'a duration like 2h or 90m').optional(),
			/** More caught alerts than this needs the environment name typed (default 10). */
			maxAlerts: z.number().int().min(1).optional(),
		})
		.optional(),
	grafanaUrl: httpUrl.optional(),
	adminTokenEnv: z
		.string()
		.regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name like BOTCORE_ADMIN_TOKEN')
		.optional(),
	/** Where the platform's .env lives (secret rotation writes it). */
	envFile: z.string().min(1).optional(),
	/** Where botops keeps this environment's state (its audit log); default $XDG_STATE_HOME/botops. */
	stateDir: z.string().min(1).optional(),
	/** The checkout `botops check` looks at for pending deployments (`git log <upstream> ^HEAD`); none: that check is left out. */
	deployCheckout: z.strictObject({path: z.string().min(1), upstream: z.string().min(1).default('origin/main'), fetch: z.boolean().default(false)}).optional(),
});

export const configSchema = z.strictObject({
	defaultEnvironment: z.string().min(1).default('local'),
	/** Seconds between polls. */
	refresh: z.number().min(0.5).max(300).default(2),
	/** Per-request timeout for health probes and API calls, in milliseconds. */
	timeoutMs: z.number().int().min(100).max(60_000).default(3000),
	/** The manual's p95 target for API latency. */
	latencyTargetMs: z.number().int().min(1).default(500),
	logBufferLines: z.number().int().min(1000).max(2_000_000).default(100_000),
	environments: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lowercase environment name'), environmentSchema),
	/** Thresholds of the daily checks (`botops check`, the Dashboard's Checks pane); defaults in source/checks/settings.ts. */
	checks: z
		.strictObject({
			logWindow: checkWindow.optional(),
			logErrorsFail: z.number().int().min(1).optional(),
			cpuWarnPercent: z.number().min(1).max(10_000).optional(),
			cpuFailPercent: z.number().min(1).max(10_000).optional(),
			memoryWarnPercent: z.number().min(1).max(100).optional(),
			memoryFailPercent: z.number().min(1).max(100).optional(),
			securityService: serviceName.optional(),
			authFailuresWarn: z.number().int().min(1).optional(),
			authFailuresFail: z.number().int().min(1).optional(),
			alertWindow: checkWindow.optional(),
			timeoutMs: z.number().int().min(100).max(60_000).optional(),
		})
		.optional(),
	/** Overrides of the key bindings: action id -> key list. */
	keys: z.record(z.string(), z.array(z.string().min(1))).default({}),
});

export type ServiceConfig = z.infer<typeof serviceSchema>;
export type EnvironmentConfig = z.infer<typeof environmentSchema> & {name: string};
export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
