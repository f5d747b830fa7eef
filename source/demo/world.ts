/**
 * The demo's single source of truth: containers, logs, counters, trading state and backups, evolving on a tick.
 * Servers (Docker API, platform HTTP, and later MongoDB, Prometheus, Kubernetes) are thin adapters over it.
 */
import {composeProject, platformSpecs, workerSpec, type ContainerSpec} from './catalog.js';
import {SimContainer, healthLogLength, type HealthLogEntry, type HealthStatus} from './container.js';
import {LogRing, type LogEntry} from './log-ring.js';
import {
	aiModelReloadLines,
	aiSlowAnalysisLine,
	engineBackfillLines,
	engineBackfillStartLine,
	engineCrashLines,
	engineDatabaseLines,
	engineTradingLine,
	mongoDebugLine,
	mongoDiskWarningLine,
	mongoLagLines,
	mongoVerbosityLine,
	routineLines,
	shutdownLines,
	startupLines,
	type LogFacts,
} from './log-lines.js';
import {Prng} from './prng.js';
import {parseScenario, scenarioSpecs, type ScenarioName} from './scenarios.js';

export type WorldOptions = {
	scenario?: string;
	seed?: number;
	extraContainers?: number;
	/** Injected clock (epoch ms) for deterministic tests; defaults to Date.now. */
	clock?: () => number;
	/** Lines kept per container (Docker's json-file rotation, in effect). */
	logCapacity?: number;
	/** Log lines generated per platform container at start. */
	backlogLines?: number;
};

export type WorldEvent =
	| {type: 'start' | 'die' | 'restart' | 'health_status'; container: SimContainer}
	| {type: 'trading'; enabled: boolean}
	/** A drill started (at start-up or by the drill key) or was resolved by its runbook. */
	| {type: 'scenario'; scenario: ScenarioName; phase: 'started' | 'resolved'};

export type WorldListener = (event: WorldEvent) => void;

export type Backup = {path: string; createdAt: number; database?: string; collections: number; documents: number; bytes: number};

export type EngineHealth = {ok: boolean; reason?: string; database: 'connected' | 'disconnected'};

export const demoSymbols = ['BTCUSDT', 'ETHUSDT', 'BNBUSDT', 'SOLUSDT'] as const;

const basePrices: Record<string, number> = {BTCUSDT: 97_250, ETHUSDT: 3_420, BNBUSDT: 642, SOLUSDT: 238};

export const defaultSeed = 20_251_125;

/** Docker's restart manager: backoff starts at 100 ms, doubles, caps at a minute, resets after 10 s of uptime. */
const restartBackoffStartMs = 100;
const restartBackoffMaxMs = 60_000;
const restartResetAfterMs = 10_000;

/** The model ai-latency-spike hot-loads, and the configured one update-ai-model brings back. */
export const oversizedModel = 'lstm-v2.4-xl';
const configuredModel = 'lstm-v2.3';

/** mongo-replication-lag: the lag at onset, how fast it grows while the backfill runs, how fast it drains after. */
const lagOnsetMs = 1500;
const lagGrowthPerSecondMs = 500;
const lagCapMs = 60_000;
const lagDrainPerSecondMs = 4000;

/** disk-pressure: the data volume's use, %: the usual, at onset, its growth per second and where it stops. */
const diskUsualPercent = 64;
const diskOnsetPercent = 90;
const diskGrowthPerSecond = 0.05;
const diskCapPercent = 99;
/** mongodb-primary's healthcheck fails above this. */
export const diskHealthLimitPercent = 95;
/** A drill that starts with the demo has been going on this long (its lag or disk use already built up). */
const drillRunningAtStartMs = 60_000;

export class World {
	readonly seed: number;
	scenario: ScenarioName;
	readonly containers: SimContainer[] = [];
	readonly project = composeProject;
	readonly trading = {enabled: true, symbols: [...demoSymbols] as string[]};
	readonly model = {type: 'lstm', version: configuredModel, trainedAt: 0, accuracy: 0.684};
	readonly backups: Backup[] = [];
	/** Host boot time, for the cumulative system CPU counter in stats. */
	readonly bootTime: number;
	/** Id of the compose project's network. */
	readonly networkId: string;
	readonly clock: () => number;
	private readonly rng: Prng;
	private readonly prices = new Map<string, number>();
	private readonly byId = new Map<string, SimContainer>();
	private readonly byName = new Map<string, SimContainer>();
	private readonly listeners = new Set<WorldListener>();
	private timer?: NodeJS.Timeout;
	private lastTick: number;
	private dbWasConnected: boolean;
	/** When each container's start-up finished at construction (the time of its last start-up line). */
	private readonly readyAt = new Map<string, number>();
	readonly facts: LogFacts;
	/** When the current drill began (0 with none), and what mongo-replication-lag left to drain once resolved. */
	private scenarioSince = 0;
	private lagDrain?: {fromMs: number; at: number};

	constructor(options: WorldOptions = {}) {
		this.scenario = parseScenario(options.scenario);
		this.seed = options.seed ?? defaultSeed;
		this.clock = options.clock ?? Date.now;
		this.rng = new Prng(this.seed);
		const now = this.clock();
		this.lastTick = now;
		this.bootTime = now - this.rng.range(3, 9) * 86_400_000;
		this.networkId = this.rng.hex(64);
		this.model.trainedAt = Date.UTC(2026, 10, 2, 3, 14, 0);
		if (this.scenario !== 'healthy') this.scenarioSince = now - drillRunningAtStartMs;
		if (this.scenario === 'ai-latency-spike') this.model.version = oversizedModel;
		for (const symbol of this.trading.symbols) this.prices.set(symbol, basePrices[symbol] * this.rng.range(0.98, 1.02));
		const world = this;
		this.facts = {
			get tradingEnabled() {
				return world.trading.enabled;
			},
			get symbols() {
				return world.trading.symbols;
			},
			price: symbol => world.price(symbol),
			get dbConnected() {
				return world.dbConnected;
			},
			get modelVersion() {
				return world.model.version;
			},
			hostname: '',
			aiLatencyMs: () => world.aiLatencyMs(),
		};

		const capacity = options.logCapacity ?? 5000;
		const specs: ContainerSpec[] = [...platformSpecs];
		for (let i = 1; i <= (options.extraContainers ?? 0); i++) specs.push(workerSpec(i));
		const upSince = now - this.rng.range(2, 9) * 3_600_000;
		const created = upSince - this.rng.range(1, 6) * 86_400_000;
		specs.forEach((spec, index) => {
			// Each world owns its specs: published ports are filled in by the servers of this run.
			const own: ContainerSpec = {...spec, ports: spec.ports.map(port => ({...port}))};
			const effective = this.scenario === 'mongo-down' && spec.name === 'mongodb-primary' ? {...own, restartPolicy: 'on-failure' as const, maxRetries: 5} : own;
			const ip = index < 250 ? `172.18.0.${index + 2}` : `172.19.${Math.floor(index / 250)}.${(index % 250) + 2}`;
			const mac = `02:42:${ip
				.split('.')
				.map(part => Number(part).toString(16).padStart(2, '0'))
				.join(':')}`;
			const container = new SimContainer(this.rng.hex(64), effective, created + index * 1300, ip, mac, this.rng.hex(64), new LogRing(capacity), this.rng);
			this.containers.push(container);
			this.byId.set(container.id, container);
			this.byName.set(container.name, container);
		});
		// Compose order: a service boots once what it depends on is up, so no client logs its database missing.
		bootOrder(this.containers, this.byName).forEach((container, position) => {
			const platform = this.containers.indexOf(container) < platformSpecs.length;
			this.boot(container, upSince + position * 900, now, platform ? (options.backlogLines ?? 200) : 5);
		});
		this.dbWasConnected = this.dbConnected;
	}

	now(): number {
		return this.clock();
	}

	on(listener: WorldListener): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	private emit(event: WorldEvent): void {
		for (const listener of [...this.listeners]) listener(event);
	}

	/** Docker's lookup order: full id, then name (with or without "/"), then a unique id prefix. */
	resolve(idOrName: string): SimContainer | 'ambiguous' | undefined {
		const key = idOrName.startsWith('/') ? idOrName.slice(1) : idOrName;
		const exact = this.byId.get(key) ?? this.byName.get(key);
		if (exact) return exact;
		if (!/^[0-9a-f]+$/.test(key)) return undefined;
		const matches = this.containers.filter(c => c.id.startsWith(key));
		if (matches.length > 1) return 'ambiguous';
		return matches[0];
	}

	get(name: string): SimContainer {
		const container = this.byName.get(name);
		if (!container) throw new Error(`no demo container named ${name}`);
		return container;
	}

	get dbConnected(): boolean {
		return this.byName.get('mongodb-primary')?.isUp ?? false;
	}

	/** Cumulative host CPU time (all CPUs), ns, the denominator Docker's CPU percentage uses. */
	systemCpuNs(now: number, cpus: number): number {
		return Math.round((now - this.bootTime) * 1e6 * cpus);
	}

	price(symbol: string): number {
		return this.prices.get(symbol) ?? 0;
	}

	/** Analysis latency of the AI service right now, ms. */
	aiLatencyMs(): number {
		return this.scenario === 'ai-latency-spike' ? this.rng.range(1500, 4000) : this.rng.range(60, 240);
	}

	/** Latency of a plain HTTP answer from a service, ms (health endpoints and the like). */
	httpLatencyMs(service: string): number {
		if (service === 'python-ai-service' && this.scenario === 'ai-latency-spike') return this.rng.range(1500, 4000);
		if (service === 'rust-core-engine' && this.engineWritesWait()) return this.rng.range(300, 1200);
		return this.rng.range(5, 40);
	}

	engineHealth(): EngineHealth {
		const database = this.dbConnected ? 'connected' : 'disconnected';
		if (this.scenario === 'engine-crashloop') return {ok: false, reason: 'position manager in inconsistent state: position BTCUSDT has negative quantity', database};
		if (!this.dbConnected) return {ok: false, reason: 'database disconnected: Server selection timeout: No available servers', database};
		return {ok: true, database};
	}

	// --- actions -------------------------------------------------------------------------------------------

	/** `docker stop`: false when it was not running (Docker answers 304). */
	stopContainer(container: SimContainer): boolean {
		if (container.status !== 'running' && container.status !== 'restarting') return false;
		const now = this.clock();
		this.halt(container, now, container.spec.stopExitCode, true);
		return true;
	}

	/** `docker kill` (SIGKILL): no goodbye lines, exit 137, and like a manual stop the restart policy stays out of it. */
	killContainer(container: SimContainer): void {
		this.halt(container, this.clock(), 137, false);
	}

	/** `docker start`: false when already running (Docker answers 304). */
	startContainer(container: SimContainer): boolean {
		if (container.status === 'running' || container.status === 'restarting') return false;
		this.resolveScenarioBy(container);
		this.launch(container, this.clock());
		return true;
	}

	/** `docker restart`: a manual restart moves StartedAt but, as in Docker, not RestartCount. */
	restartContainer(container: SimContainer): void {
		const now = this.clock();
		if (container.status === 'running' || container.status === 'restarting') this.halt(container, now, container.spec.stopExitCode, true);
		this.resolveScenarioBy(container);
		this.launch(container, now);
		this.emit({type: 'restart', container});
	}

	setTradingEnabled(enabled: boolean, remote = '172.18.0.1'): void {
		const changed = this.trading.enabled !== enabled;
		this.trading.enabled = enabled;
		const engine = this.byName.get('rust-core-engine');
		if (engine?.isUp) this.write(engine, engineTradingLine(this.rng, this.clock(), enabled, remote));
		if (changed) this.emit({type: 'trading', enabled});
	}

	/** Records the host port a server of this run listens on, so `docker ps` shows the real mapping. */
	publishPort(name: string, privatePort: number, publicPort: number): void {
		const port = this.get(name).spec.ports.find(p => p.privatePort === privatePort);
		if (port) port.publicPort = publicPort;
	}

	recordBackup(backup: Backup): void {
		this.backups.push(backup);
	}

	/** Appends lines a program wrote, oldest first. */
	write(container: SimContainer, entries: LogEntry[]): void {
		for (const entry of entries) container.logs.push(entry);
	}

	// --- time ----------------------------------------------------------------------------------------------

	/** Starts the wall-clock tick; the timer is unref'd so the demo never keeps a process alive by itself. */
	startTicking(intervalMs = 1000): void {
		if (this.timer) return;
		this.timer = setInterval(() => this.tick(), intervalMs);
		this.timer.unref();
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
		this.listeners.clear();
	}

	/** Advances the simulation to `now`: counters, CPU/memory walk, logs, health checks, crashes and restarts. */
	tick(now = this.clock()): void {
		const dt = Math.max(0, now - this.lastTick);
		if (dt === 0) return;
		const dtSeconds = dt / 1000;
		for (const [symbol, value] of this.prices) this.prices.set(symbol, value * (1 + 0.0006 * Math.sqrt(dtSeconds) * this.rng.gauss()));

		for (const container of this.containers) {
			if (container.status === 'restarting' && container.restartAt !== undefined && now >= container.restartAt) this.launch(container, container.restartAt);
			if (container.status !== 'running') {
				container.integrate(now);
				continue;
			}
			if (container.crashAt !== undefined && now >= container.crashAt) {
				this.crash(container, container.crashAt);
				continue;
			}
			container.integrate(now);
			container.wander(this.rng, dtSeconds);
			this.applyScenarioLoad(container, dtSeconds);
			this.emitLogs(container, this.lastTick, now);
			this.runHealthcheck(container, now);
		}

		const connected = this.dbConnected;
		if (connected !== this.dbWasConnected) {
			this.dbWasConnected = connected;
			const engine = this.byName.get('rust-core-engine');
			if (engine?.isUp) this.write(engine, engineDatabaseLines(this.rng, now, connected));
		}
		this.lastTick = now;
	}

	private emitLogs(container: SimContainer, from: number, to: number): void {
		const due: LogEntry[] = [];
		while (container.pending.length > 0 && container.pending[0].time <= to) due.push(container.pending.shift()!);
		const count = this.rng.poisson(container.spec.logRate * ((to - from) / 1000));
		const facts = this.factsFor(container);
		for (let i = 0; i < count; i++) due.push(...routineLines(container.spec.logKind, this.rng, from + this.rng.next() * (to - from), facts));
		due.push(...this.scenarioLines(container, from, to));
		due.sort((a, b) => a.time - b.time);
		this.write(container, due);
	}

	private factsFor(container: SimContainer): LogFacts {
		return Object.assign(Object.create(this.facts) as LogFacts, {hostname: container.id.slice(0, 12)});
	}

	/** The facts as they were at `t` of the backlog: the database is there only while mongodb-primary ran. */
	private factsAt(container: SimContainer, t: number): LogFacts {
		return Object.create(this.factsFor(container), {dbConnected: {value: this.dbConnectedAt(t)}}) as LogFacts;
	}

	private dbConnectedAt(t: number): boolean {
		const database = this.byName.get('mongodb-primary');
		const ready = this.readyAt.get('mongodb-primary');
		if (!database || ready === undefined || t < ready) return false;
		return database.isUp || database.finishedAt === undefined || t < database.finishedAt;
	}

	private runHealthcheck(container: SimContainer, now: number): void {
		const check = container.spec.healthcheck;
		const health = container.health;
		if (!check || !health || now < health.nextCheckAt) return;
		const start = health.nextCheckAt;
		const entry = this.checkEntry(container, start);
		health.log.push(entry);
		if (health.log.length > healthLogLength) health.log.shift();
		health.nextCheckAt = start + check.intervalMs;
		const before: HealthStatus = health.status;
		if (entry.exitCode === 0) {
			health.failingStreak = 0;
			health.status = 'healthy';
		} else if (!(health.status === 'starting' && start - (container.startedAt ?? 0) < check.startPeriodMs)) {
			health.failingStreak++;
			if (health.failingStreak >= check.retries) health.status = 'unhealthy';
		}
		if (health.status !== before) this.emit({type: 'health_status', container});
	}

	/** One State.Health.Log entry: the probe's exit code and output always come from the same run. */
	private checkEntry(container: SimContainer, start: number): HealthLogEntry {
		const result = this.probe(container);
		return {start, end: start + result.durationMs, exitCode: result.exitCode, output: result.output};
	}

	/** What the container's HEALTHCHECK command would print and return right now. */
	private probe(container: SimContainer): {exitCode: number; output: string; durationMs: number} {
		const fast = this.rng.range(25, 90);
		switch (container.name) {
			case 'rust-core-engine': {
				const health = this.engineHealth();
				if (!health.ok) return {exitCode: 1, output: 'curl: (22) The requested URL returned error: 503\n', durationMs: fast};
				return {exitCode: 0, output: `{"status":"healthy","version":"1.4.2","database":"connected","trading_enabled":${this.trading.enabled}}`, durationMs: fast};
			}
			case 'python-ai-service':
				return {exitCode: 0, output: `{"status":"healthy","model_loaded":true,"model_version":"${this.model.version}"}`, durationMs: this.scenario === 'ai-latency-spike' ? this.rng.range(1500, 4000) : fast};
			case 'nextjs-ui-dashboard':
				return {exitCode: 0, output: '{"status":"ok"}', durationMs: fast};
			case 'mongodb-primary': {
				const used = this.diskUsedPercent();
				if (used > diskHealthLimitPercent) return {exitCode: 1, output: `disk /data/db ${used.toFixed(1)}% full (healthcheck limit ${diskHealthLimitPercent}%)\n`, durationMs: this.rng.range(900, 2500)};
				return {exitCode: 0, output: '{ ok: 1 }\n', durationMs: this.scenario === 'disk-pressure' ? this.rng.range(900, 2500) : this.rng.range(300, 700)};
			}
			case 'redis':
				return {exitCode: 0, output: 'PONG\n', durationMs: fast};
			default:
				return {exitCode: 0, output: '{\n  "commit": "5b85c4c2fcf5d32d4f68aaef345c53096359b2f1",\n  "database": "ok",\n  "version": "11.1.0"\n}', durationMs: fast};
		}
	}

	// --- drills (scenarios.ts) -----------------------------------------------------------------------------

	/**
	 * Starts a drill in the running world (the drill key, or a test): from now on health, logs, stats, metrics and
	 * alerts show it, until its runbook resolves it. One drill at a time; a Kubernetes-only drill is refused here,
	 * because its broken rollout is made when the demo's cluster starts (`botops demo --k8s --scenario bad-deploy`).
	 */
	startScenario(name: string): ScenarioName {
		const next = parseScenario(name);
		if (next === 'healthy') throw new Error('"healthy" is no drill: a drill ends when its runbook resolves it');
		if (this.scenario !== 'healthy') throw new Error(`the drill ${this.scenario} is under way: resolve it first (${scenarioSpecs[this.scenario].resolvedBy?.runbook ?? 'no runbook'})`);
		if (scenarioSpecs[next].backends === 'kubernetes') throw new Error(`${next} runs on Kubernetes only and starts with the demo: botops demo --k8s --scenario ${next}`);
		const now = this.clock();
		this.tick(now);
		this.scenario = next;
		this.scenarioSince = now;
		this.lagDrain = undefined;
		const engine = this.get('rust-core-engine');
		const ai = this.get('python-ai-service');
		const database = this.get('mongodb-primary');
		switch (next) {
			case 'engine-crashloop':
				if (engine.isUp) engine.crashAt = now + this.rng.range(1500, 4000);
				break;
			case 'ai-latency-spike':
				this.model.version = oversizedModel;
				if (ai.isUp) this.write(ai, aiModelReloadLines(this.rng, now, oversizedModel).filter(line => line.time <= now));
				break;
			case 'mongo-replication-lag':
				if (engine.isUp) this.write(engine, engineBackfillStartLine(this.rng, now));
				break;
			case 'disk-pressure':
				if (database.isUp) this.write(database, mongoVerbosityLine(this.rng, now));
				break;
			case 'mongo-down':
				if (database.isUp) {
					// Its last lines end now, after what it already wrote: logs never run ahead of the clock.
					const lastLine = database.logs.size > 0 ? database.logs.toArray().at(-1)!.time : 0;
					this.write(database, rebaseToEnd(mongoFatalLines(now), now, lastLine));
					this.halt(database, now, 14, false);
				}
				break;
		}
		this.emit({type: 'scenario', scenario: next, phase: 'started'});
		return next;
	}

	/** When the current drill began (epoch ms), undefined with none. */
	get scenarioStartedAt(): number | undefined {
		return this.scenario === 'healthy' ? undefined : this.scenarioSince;
	}

	/**
	 * A restart (or start) of the container a drill's runbook restarts is its fix: the crash-looping engine comes
	 * back without its bad snapshot, the AI service loads its configured model, the engine's backfill is not
	 * resumed, mongod comes back at its configured verbosity with its log rotated, a stopped mongod starts.
	 */
	private resolveScenarioBy(container: SimContainer): void {
		const fixes: Partial<Record<ScenarioName, string>> = {
			'engine-crashloop': 'rust-core-engine',
			'ai-latency-spike': 'python-ai-service',
			'mongo-replication-lag': 'rust-core-engine',
			'disk-pressure': 'mongodb-primary',
			'mongo-down': 'mongodb-primary',
		};
		const scenario = this.scenario;
		if (fixes[scenario] !== container.name) return;
		const now = this.clock();
		if (scenario === 'mongo-replication-lag') this.lagDrain = {fromMs: this.replicationLagMs(now), at: now};
		if (scenario === 'ai-latency-spike') this.model.version = configuredModel;
		container.crashAt = undefined;
		this.scenario = 'healthy';
		this.scenarioSince = 0;
		this.emit({type: 'scenario', scenario, phase: 'resolved'});
	}

	/**
	 * How far mongodb-secondary is behind the primary, ms (what replSetGetStatus and the exporter's
	 * mongodb_mongod_replset_member_replication_lag report): growing while the backfill runs, draining after.
	 */
	replicationLagMs(now = this.clock()): number {
		if (this.scenario === 'mongo-replication-lag') return Math.min(lagCapMs, lagOnsetMs + ((now - this.scenarioSince) / 1000) * lagGrowthPerSecondMs);
		if (this.lagDrain) return Math.max(0, this.lagDrain.fromMs - ((now - this.lagDrain.at) / 1000) * lagDrainPerSecondMs);
		return 0;
	}

	/** Use of mongodb-primary's data volume (/data/db), %. */
	diskUsedPercent(now = this.clock()): number {
		if (this.scenario !== 'disk-pressure') return diskUsualPercent;
		return Math.min(diskCapPercent, diskOnsetPercent + ((now - this.scenarioSince) / 1000) * diskGrowthPerSecond);
	}

	/** The engine's writes wait (for the majority, or for the disk): its answers slow down with them. */
	engineWritesWait(): boolean {
		return this.scenario === 'mongo-replication-lag' || this.scenario === 'disk-pressure' || this.replicationLagMs() > 1000;
	}

	/** A drill's extra load on top of the usual random walk: CPU, memory and block writes of the containers it hits. */
	private applyScenarioLoad(container: SimContainer, dtSeconds: number): void {
		const mean = container.spec.cpuPercent / 100;
		const floor = (factor: number) => (container.cpuRate = Math.max(container.cpuRate, mean * factor * this.rng.range(0.9, 1.1)));
		switch (this.scenario) {
			case 'ai-latency-spike':
				if (container.name !== 'python-ai-service') return;
				floor(4);
				container.memAnon = Math.min(container.memoryLimit * 0.95, Math.max(container.memAnon, container.spec.memoryBaseline * 1.6));
				return;
			case 'mongo-replication-lag':
				if (container.name === 'mongodb-primary') {
					floor(5);
					container.counters.blkWrite += Math.round(12 * 2 ** 20 * dtSeconds);
				} else if (container.name === 'rust-core-engine') floor(2.5);
				return;
			case 'disk-pressure':
				if (container.name !== 'mongodb-primary') return;
				floor(2);
				container.counters.blkWrite += Math.round(30 * 2 ** 20 * dtSeconds);
				return;
		}
	}

	/** The lines a drill adds to a container's own between `from` and `to`. */
	private scenarioLines(container: SimContainer, from: number, to: number): LogEntry[] {
		const seconds = (to - from) / 1000;
		const at = () => from + this.rng.next() * (to - from);
		const lines: LogEntry[] = [];
		const times = (ratePerSecond: number, make: (t: number) => LogEntry[]) => {
			for (let i = this.rng.poisson(ratePerSecond * seconds); i > 0; i--) lines.push(...make(at()));
		};
		const lagSeconds = this.replicationLagMs(to) / 1000;
		switch (this.scenario) {
			case 'ai-latency-spike':
				if (container.name === 'python-ai-service') times(0.5, t => aiSlowAnalysisLine(this.rng, t, this.rng.pick(this.trading.symbols), this.aiLatencyMs(), this.model.version));
				break;
			case 'mongo-replication-lag':
				if (container.name === 'rust-core-engine') times(0.8, t => engineBackfillLines(this.rng, t, this.rng.pick(this.trading.symbols), lagSeconds));
				if (container.name === 'mongodb-primary') times(0.5, t => mongoLagLines(this.rng, t, lagSeconds));
				break;
			case 'disk-pressure':
				if (container.name === 'mongodb-primary') {
					times(6, t => mongoDebugLine(this.rng, t));
					times(0.1, t => mongoDiskWarningLine(this.rng, t, this.diskUsedPercent(t)));
				}
				break;
		}
		return lines;
	}

	// --- lifecycle -----------------------------------------------------------------------------------------

	/** Puts a container in its steady state at construction, with a backlog of past log lines. */
	private boot(container: SimContainer, notBefore: number, now: number, backlog: number): void {
		const spec = container.spec;
		const dependenciesReady = Math.max(0, ...(spec.dependsOn ?? []).map(name => this.readyAt.get(name) ?? 0));
		const startedAt = Math.max(notBefore + this.rng.int(0, 400), dependenciesReady + this.rng.int(50, 300));
		const startup = startupLines(spec.logKind, this.rng, startedAt, this.factsAt(container, startedAt));
		this.readyAt.set(container.name, startup.at(-1)?.time ?? startedAt);
		const lines: LogEntry[] = [...startup];
		const mongoDown = this.scenario === 'mongo-down' && container.name === 'mongodb-primary';
		const crashloop = this.scenario === 'engine-crashloop' && container.name === 'rust-core-engine';
		const endOfBacklog = mongoDown ? now - this.rng.range(180, 480) * 1000 : crashloop ? now - 75_000 : now;
		const span = Math.min(endOfBacklog - startedAt - 5000, (backlog / spec.logRate) * 1000);
		for (let i = 0; i < backlog; i++) {
			const t = endOfBacklog - span + ((i + this.rng.next()) / backlog) * span;
			lines.push(...routineLines(spec.logKind, this.rng, t, this.factsAt(container, t)));
		}
		// The engine saw its database go away (the mongo-down drill) when it did, not at boot.
		const database = this.byName.get('mongodb-primary');
		if (spec.logKind === 'engine' && database && !database.isUp && database.finishedAt !== undefined && database.finishedAt > startedAt)
			lines.push(...engineDatabaseLines(this.rng, database.finishedAt + this.rng.int(5, 40), false));

		container.status = 'running';
		container.startedAt = startedAt;
		container.pid = this.rng.int(1000, 60_000);
		container.preload((now - startedAt) / 1000);
		container.resetIntegration(now);
		if (spec.healthcheck) {
			// The last checks ran before the process ended (or before now): each entry is what the probe returned then.
			const lastCheckBefore = mongoDown ? endOfBacklog : now;
			const log: HealthLogEntry[] = [];
			for (let i = healthLogLength; i > 0; i--) log.push(this.checkEntry(container, lastCheckBefore - i * spec.healthcheck.intervalMs + this.rng.int(0, 500)));
			const failingStreak = trailingFailures(log);
			container.health = {status: failingStreak >= spec.healthcheck.retries ? 'unhealthy' : 'healthy', failingStreak, log, nextCheckAt: now + this.rng.int(0, spec.healthcheck.intervalMs)};
		}

		if (mongoDown) {
			lines.push(
				...mongoFatalLines(endOfBacklog),
			);
			container.status = 'exited';
			container.exitCode = 14;
			container.finishedAt = endOfBacklog + 3;
			container.restartCount = 5;
			container.pid = 0;
			if (container.health) container.health = {...container.health, status: 'unhealthy', failingStreak: 0};
		}
		if (crashloop) {
			let t = endOfBacklog;
			container.restartCount = this.rng.int(6, 9);
			for (let cycle = 0; cycle < 4; cycle++) {
				lines.push(...engineCrashLines(this.rng, t));
				t += 400 + cycle * 3000;
				lines.push(...startupLines(spec.logKind, this.rng, t, this.factsAt(container, t)));
				t += this.rng.range(6000, 12_000);
			}
			container.startedAt = now - this.rng.range(1000, 3000);
			lines.push(...startupLines(spec.logKind, this.rng, container.startedAt, this.factsAt(container, container.startedAt)).filter(line => line.time <= now));
			container.crashAt = container.startedAt + this.rng.range(6000, 14_000);
			container.restartBackoffMs = 6400;
			container.finishedAt = container.startedAt - 6400;
			container.exitCode = 0;
			container.resetCounters(this.rng);
			container.preload((now - container.startedAt) / 1000);
			if (container.health) container.health = {...container.health, status: 'starting', failingStreak: 0, nextCheckAt: container.startedAt + spec.healthcheck!.intervalMs};
		}
		// The engine's checks have failed since its database went away, not only the ones still in the log.
		if (container.health && container.health.failingStreak === healthLogLength && database?.finishedAt !== undefined && spec.healthcheck)
			container.health.failingStreak = Math.max(healthLogLength, Math.floor((now - database.finishedAt) / spec.healthcheck.intervalMs));
		lines.sort((a, b) => a.time - b.time);
		this.write(container, lines);
	}

	/** The process ends: its last lines, then Docker's bookkeeping (health unhealthy, FinishedAt, exit code). */
	private halt(container: SimContainer, now: number, exitCode: number, graceful: boolean): void {
		container.integrate(now);
		const lastLine = container.logs.size > 0 ? container.logs.toArray().at(-1)!.time : 0;
		if (graceful) this.write(container, rebaseToEnd(shutdownLines(container.spec.logKind, this.rng, now), now, lastLine));
		container.status = 'exited';
		container.exitCode = exitCode;
		container.finishedAt = now;
		container.pid = 0;
		container.pending = [];
		container.crashAt = undefined;
		container.restartAt = undefined;
		if (container.health) container.health = {...container.health, status: 'unhealthy', failingStreak: 0};
		this.emit({type: 'die', container});
	}

	private launch(container: SimContainer, at: number): void {
		// StartedAt always moves forward, even for two actions within one millisecond.
		const now = Math.max(at, (container.startedAt ?? 0) + 1);
		container.status = 'running';
		container.startedAt = now;
		container.restartAt = undefined;
		container.exitCode = 0;
		container.pid = this.rng.int(1000, 60_000);
		container.resetCounters(this.rng);
		container.resetIntegration(now);
		const check = container.spec.healthcheck;
		if (check) container.health = {status: 'starting', failingStreak: 0, log: container.health?.log ?? [], nextCheckAt: now + check.intervalMs};
		const lines = startupLines(container.spec.logKind, this.rng, now, this.factsFor(container));
		const current = this.clock();
		this.write(container, lines.filter(line => line.time <= current));
		container.pending = lines.filter(line => line.time > current);
		if (this.scenario === 'engine-crashloop' && container.name === 'rust-core-engine') container.crashAt = now + this.rng.range(6000, 14_000);
		this.emit({type: 'start', container});
	}

	/** The crash-loop drill: an error burst and a panic, exit 101, then the restart policy's backoff. */
	private crash(container: SimContainer, at: number): void {
		container.integrate(at);
		const lastLine = container.logs.size > 0 ? container.logs.toArray().at(-1)!.time : 0;
		this.write(container, rebaseToEnd(engineCrashLines(this.rng, at), at, lastLine));
		const ranFor = at - (container.startedAt ?? at);
		this.halt(container, at, 101, false);
		const policy = container.spec.restartPolicy;
		const retriesLeft = policy !== 'on-failure' || !container.spec.maxRetries || container.restartCount < container.spec.maxRetries;
		if (policy === 'no' || !retriesLeft) return;
		container.restartBackoffMs = ranFor >= restartResetAfterMs || container.restartBackoffMs === 0 ? restartBackoffStartMs : Math.min(container.restartBackoffMs * 2, restartBackoffMaxMs);
		container.restartCount++;
		container.status = 'restarting';
		container.restartAt = at + container.restartBackoffMs;
	}
}

/** Dependencies first, otherwise in catalog order (compose's start order for `depends_on`). */
function bootOrder(containers: SimContainer[], byName: Map<string, SimContainer>): SimContainer[] {
	const order: SimContainer[] = [];
	const placed = new Set<SimContainer>();
	const place = (container: SimContainer, path: string[]) => {
		if (placed.has(container)) return;
		if (path.includes(container.name)) throw new Error(`demo catalog: depends_on cycle ${[...path, container.name].join(' -> ')}`);
		for (const name of container.spec.dependsOn ?? []) {
			const dependency = byName.get(name);
			if (!dependency) throw new Error(`demo catalog: ${container.name} depends on unknown ${name}`);
			place(dependency, [...path, container.name]);
		}
		placed.add(container);
		order.push(container);
	};
	for (const container of containers) place(container, []);
	return order;
}

function trailingFailures(log: HealthLogEntry[]): number {
	let count = 0;
	for (let i = log.length - 1; i >= 0 && log[i].exitCode !== 0; i--) count++;
	return count;
}

/** Shifts a sequence so it ends at `end` without going before `notBefore`: a stop happens during the request. */
function rebaseToEnd(lines: LogEntry[], end: number, notBefore: number): LogEntry[] {
	if (lines.length === 0) return lines;
	const span = lines.at(-1)!.time - lines[0].time;
	const start = Math.max(notBefore, end - span);
	const shift = start - lines[0].time;
	return lines.map(line => ({...line, time: Math.min(end, line.time + shift)}));
}

function mongoFatalLines(t: number): LogEntry[] {
	const line = (dt: number, text: string): LogEntry => ({time: t + dt, nanos: 0, stream: 'stdout', text});
	const date = (dt: number) => new Date(t + dt).toISOString().replace('Z', '+00:00');
	return [
		line(0, `{"t":{"$date":"${date(0)}"},"s":"E",  "c":"STORAGE",  "id":22435,   "ctx":"Checkpointer","msg":"WiredTiger error message","attr":{"error":28,"message":{"ts_sec":${Math.floor(t / 1000)},"ts_usec":0,"thread":"1:0x7f3c2a1fe640","session_name":"WT_SESSION.checkpoint","category":"WT_VERB_DEFAULT","category_id":9,"verbose_level":"ERROR","verbose_level_id":-3,"msg":"__posix_file_write:634:/data/db/WiredTiger.wt: handle-write: pwrite: failed to write 4096 bytes at offset 69632","error_str":"No space left on device","error_code":28}}}`),
		line(1, `{"t":{"$date":"${date(1)}"},"s":"F",  "c":"STORAGE",  "id":28595,   "ctx":"Checkpointer","msg":"Terminating.","attr":{"reason":"28: No space left on device"}}`),
		line(2, `{"t":{"$date":"${date(2)}"},"s":"F",  "c":"ASSERT",   "id":23091,   "ctx":"Checkpointer","msg":"Fatal assertion","attr":{"msgid":28595,"file":"src/mongo/db/storage/wiredtiger/wiredtiger_kv_engine.cpp","line":2012}}`),
		line(3, `{"t":{"$date":"${date(3)}"},"s":"F",  "c":"ASSERT",   "id":23092,   "ctx":"Checkpointer","msg":"\\n\\n***aborting after fassert() failure\\n\\n"}`),
	];
}
