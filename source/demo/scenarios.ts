/**
 * Incident drills the demo can run (`botops demo --scenario NAME`, or the drill key while it runs), as data: what
 * each one breaks, where an operator sees it, and the runbook that resolves it. The world (world.ts) reads the
 * active scenario; each drill ends once its runbook has done the fix, and the demo then recovers by itself.
 */
export const knownScenarios = ['healthy', 'engine-crashloop', 'ai-latency-spike', 'mongo-replication-lag', 'disk-pressure', 'mongo-down', 'bad-deploy'] as const;

export type ScenarioName = (typeof knownScenarios)[number];

/** Old names still accepted on the command line and in tests: `ai-slow` became `ai-latency-spike`. */
export const scenarioAliases: Readonly<Record<string, ScenarioName>> = {'ai-slow': 'ai-latency-spike'};

/** Every name `--scenario` takes: the scenarios, their aliases, and `list`. */
export const acceptedScenarioNames: readonly string[] = [...knownScenarios, ...Object.keys(scenarioAliases)];

export type ScenarioSpec = {
	name: ScenarioName;
	/** One line: what goes wrong. */
	summary: string;
	/** Where it shows, one entry per view of the platform (health, logs, stats, metrics, alerts, database). */
	shows: Readonly<Partial<Record<'health' | 'logs' | 'stats' | 'metrics' | 'alerts' | 'database', string>>>;
	/** The runbook that resolves it, with its inputs, and what happens then. Undefined for `healthy`. */
	resolvedBy?: {runbook: string; inputs: Readonly<Record<string, string>>; then: string};
	/** Backends the drill runs on: the compose demo, or only the demo's Kubernetes face (`--k8s`). */
	backends: 'any' | 'kubernetes';
};

export const scenarioSpecs: Readonly<Record<ScenarioName, ScenarioSpec>> = {
	healthy: {name: 'healthy', summary: 'everything up and healthy (the demo without a drill)', shows: {}, backends: 'any'},
	'engine-crashloop': {
		name: 'engine-crashloop',
		summary: 'rust-core-engine panics every few seconds on a bad position snapshot and its restart policy brings it back into the same state',
		shows: {
			health: 'engine /api/health 503 and its container unhealthy or restarting',
			logs: 'ERROR position manager lines and a panic (exit 101) before each restart',
			stats: 'engine CPU and memory restart from zero on every crash',
			metrics: "engine requests answer 503: the error rate is 100 %",
			alerts: 'ContainerRestarting for rust-core-engine',
		},
		resolvedBy: {runbook: 'restart-service', inputs: {service: 'rust-core-engine'}, then: 'the manual restart clears the snapshot: the engine stays up and the alert resolves'},
		backends: 'any',
	},
	'ai-latency-spike': {
		name: 'ai-latency-spike',
		summary: 'python-ai-service hot-loaded the oversized model lstm-v2.4-xl: analyses take 1.5-4 s, far over the 500 ms p95 target',
		shows: {
			health: 'the AI health endpoint answers in seconds (degraded) and /api/model/info names lstm-v2.4-xl',
			logs: 'WARNING slow analysis lines with their processing time',
			stats: 'python-ai-service CPU several times its usual and memory up by the bigger model',
			metrics: 'python-ai-service p95 over 500 ms',
			alerts: 'HighLatencyP95 for python-ai-service',
		},
		resolvedBy: {runbook: 'update-ai-model', inputs: {symbol: 'BTCUSDT'}, then: 'the restart loads the configured model lstm-v2.3 again; p95 falls back under 500 ms and the alert resolves'},
		backends: 'any',
	},
	'mongo-replication-lag': {
		name: 'mongo-replication-lag',
		summary: "the engine's market-data backfill floods the primary with writes and the secondary falls behind (lag grows past 1 s, towards a minute)",
		shows: {
			health: 'the engine answers its health check slowly: writes wait for the majority',
			logs: 'engine WARN backfill and slow write lines; mongod slow query and "Lagging secondary" lines',
			stats: 'mongodb-primary CPU and block writes several times their usual; the engine busier',
			metrics: 'rust-core-engine p95 over 500 ms',
			alerts: 'MongoReplicationLag (critical)',
			database: 'replSetGetStatus: the secondary optime behind the primary by the lag (World.replicationLagMs)',
		},
		resolvedBy: {runbook: 'restart-service', inputs: {service: 'rust-core-engine'}, then: 'the restart stops the backfill (it is not resumed); the secondary catches up in about a quarter of the lag and the alert resolves'},
		backends: 'any',
	},
	'disk-pressure': {
		name: 'disk-pressure',
		summary: "a debug session left mongod at log verbosity 5: its log fills the data volume from 90 % towards full",
		shows: {
			health: "mongodb-primary's healthcheck fails once the volume is over 95 % (unhealthy)",
			logs: 'mongod D5 debug lines at a high rate and W STORAGE "low disk space" warnings',
			stats: 'mongodb-primary block writes many times their usual',
			metrics: 'rust-core-engine p95 over 500 ms: its writes wait for the disk',
			alerts: 'DiskSpaceLow (critical) for mongodb-primary',
		},
		resolvedBy: {runbook: 'restart-service', inputs: {service: 'mongodb-primary'}, then: 'mongod restarts with its configured verbosity and rotates its log: the volume drops to 64 % and the alert resolves'},
		backends: 'any',
	},
	'mongo-down': {
		name: 'mongo-down',
		summary: 'mongodb-primary has exited; the engine reports its database disconnected',
		shows: {
			health: 'mongodb-primary exited; engine /api/health 503 with the database disconnected',
			logs: 'mongod fatal assertion lines; engine "Server selection timeout" errors',
			stats: 'no stats for mongodb-primary (not running)',
			metrics: 'engine requests answer 503; the mongodb target down',
			alerts: 'ServiceDown for mongodb-primary (critical)',
		},
		resolvedBy: {runbook: 'restart-service', inputs: {service: 'mongodb-primary'}, then: 'mongod starts again, the engine reconnects and ServiceDown resolves'},
		backends: 'any',
	},
	'bad-deploy': {
		name: 'bad-deploy',
		summary: "Kubernetes only (botops demo --k8s): rust-core-engine's rollout of 1.5.0 never passes readiness and stalls (ProgressDeadlineExceeded)",
		shows: {
			health: 'the new engine pod is never ready',
			logs: "the new pod's start-up lines and its failing readiness probe",
			alerts: 'the deployment reports ProgressDeadlineExceeded (Kubernetes screen)',
		},
		resolvedBy: {runbook: 'rollback', inputs: {service: 'rust-core-engine'}, then: 'the undo brings back the 1.4.2 template; the stalled pod goes and the rollout completes'},
		backends: 'kubernetes',
	},
};

/** The drills an operator can start (everything but `healthy`). */
export const drillNames: readonly ScenarioName[] = knownScenarios.filter(name => name !== 'healthy');

/** A scenario's name, an alias's scenario, or undefined for anything else. */
export function lookupScenario(name: string): ScenarioName | undefined {
	if ((knownScenarios as readonly string[]).includes(name)) return name as ScenarioName;
	return scenarioAliases[name];
}

export function parseScenario(name: string | undefined): ScenarioName {
	const value = name ?? 'healthy';
	const found = lookupScenario(value);
	if (found) return found;
	throw new Error(`unknown demo scenario "${value}" (known: ${knownScenarios.join(', ')})`);
}

/** `botops demo --scenario list`: every drill, what it changes where, and the runbook that resolves it. */
export function describeScenarios(): string {
	const out: string[] = ['Demo drills (botops demo --scenario NAME; the drill key starts one in a running demo):', ''];
	for (const name of knownScenarios) {
		const spec = scenarioSpecs[name];
		const alias = Object.entries(scenarioAliases).filter(([, target]) => target === name).map(([old]) => old);
		out.push(`${name}${alias.length > 0 ? ` (also: ${alias.join(', ')})` : ''}`);
		out.push(`  ${spec.summary}`);
		for (const [view, text] of Object.entries(spec.shows)) out.push(`  ${`${view}:`.padEnd(10)}${text}`);
		if (spec.resolvedBy) {
			const inputs = Object.entries(spec.resolvedBy.inputs).map(([key, value]) => ` --param ${key}=${value}`).join('');
			out.push(`  ${'resolve:'.padEnd(10)}runbook ${spec.resolvedBy.runbook}${inputs ? ` (botops runbook run ${spec.resolvedBy.runbook}${inputs})` : ''}`);
			out.push(`  ${'then:'.padEnd(10)}${spec.resolvedBy.then}`);
		}
		out.push('');
	}
	return out.join('\n');
}

/** Each scenario's one-line summary, by name. */
export const scenarioDescriptions: Readonly<Record<ScenarioName, string>> = Object.fromEntries(knownScenarios.map(name => [name, scenarioSpecs[name].summary])) as Record<ScenarioName, string>;

/** What the dashboard of an embedded demo may do with its world's drills (the drill key). */
export type DrillControl = {
	/** The drills that can start on a running world. */
	drills: ReadonlyArray<{name: ScenarioName; /** What goes wrong. */ line: string; /** The runbook that resolves it. */ runbook?: string}>;
	/** The drill under way ("healthy": none). */
	current(): ScenarioName;
	/** Starts a drill on the running world; throws an Error saying why it cannot (one is under way, say). */
	start(name: string): ScenarioName;
};

/** The world as the drill control sees it: its current scenario and how to start one. */
export type DrillWorld = {readonly scenario: ScenarioName; startScenario(name: string): ScenarioName};

/** Kubernetes-only drills are not offered: they begin with the cluster, whose broken rollout is made as it starts. */
export function createDrillControl(world: DrillWorld): DrillControl {
	const drills = drillNames
		.filter(name => scenarioSpecs[name].backends === 'any')
		.map(name => ({name, line: scenarioSpecs[name].summary, runbook: scenarioSpecs[name].resolvedBy?.runbook}));
	return {drills, current: () => world.scenario, start: name => world.startScenario(name)};
}
