/**
 * What the demo's mongod is doing besides answering botops: the platform's own connections and traffic (opcounters,
 * network, per-collection time for `top`), the slow operations that turn up now and then and can be killed, and the
 * replica set's optimes and heartbeats. Counters are smooth functions of time plus what was really served, so they
 * grow with the trading and replay with the seed.
 */
import {Long, Timestamp, type Document} from 'bson';
import type {LogEntry} from '../log-ring.js';
import {Prng} from '../prng.js';
import type {World} from '../world.js';
import type {TradingData} from './trading-data.js';

export type OpCounters = {insert: number; query: number; update: number; delete: number; getmore: number; command: number};
const counterNames = ['insert', 'query', 'update', 'delete', 'getmore', 'command'] as const;

/** The platform's steady traffic on the primary, per second (the engine polls positions and market data; the AI service reads candles). */
const baseRates: OpCounters = {insert: 0.4, query: 38, update: 3.2, delete: 0.05, getmore: 4.5, command: 62};
/** Share of reads/writes per collection, for `top`. */
const collectionShares: Record<string, {read: number; write: number; readMicros: number; writeMicros: number}> = {
	trades: {read: 0.22, write: 0.35, readMicros: 420, writeMicros: 180},
	positions: {read: 0.31, write: 0.45, readMicros: 90, writeMicros: 140},
	market_data: {read: 0.3, write: 0.15, readMicros: 260, writeMicros: 120},
	ai_analyses: {read: 0.1, write: 0.04, readMicros: 150, writeMicros: 110},
	portfolio_snapshots: {read: 0.05, write: 0.01, readMicros: 130, writeMicros: 100},
	users: {read: 0.02, write: 0, readMicros: 60, writeMicros: 0},
};

/** Index accesses per second by the platform's queries, by collection and index; an index missing here is unused. */
const indexRates: Record<string, Record<string, number>> = {
	trades: {_id_: 0.3, 'symbol_1_timestamp_-1': 6.2, 'user_id_1_timestamp_-1': 1.4, order_id_1: 0.05},
	positions: {_id_: 0.2, user_id_1_symbol_1: 11.5},
	market_data: {'symbol_1_open_time_-1': 9.8, open_time_1: 0.02},
	ai_analyses: {'symbol_1_timestamp_-1': 2.1},
	portfolio_snapshots: {'user_id_1_timestamp_-1': 0.4},
	users: {_id_: 0.6, email_1: 0.01},
};

/** A client connection of the platform's own services, as currentOp shows it. */
export type SimulatedClient = {connectionId: number; appName: string; client: string; driver: {name: string; version: string}};

export type ActiveOp = {
	opid: number;
	client: SimulatedClient;
	ns: string;
	op: 'query' | 'command' | 'getmore' | 'insert' | 'update' | 'remove';
	command: Document;
	planSummary: string;
	startedAt: number;
	endsAt: number;
	/** What the slow-query log line reports when the op ends by itself. */
	docsExamined: number;
	nreturned: number;
};

export type ReplicaMember = {id: number; host: string};

export type MemberOptime = {ts: Timestamp; t: Long; date: Date};

/** One replica-set member's status as the member asked knows it (for the others: as of their last heartbeat). */
export type MemberStatus = {
	member: ReplicaMember;
	state: 1 | 2 | 8;
	stateStr: 'PRIMARY' | 'SECONDARY' | '(not reachable/healthy)';
	health: 0 | 1;
	optime: MemberOptime;
	/** Lag actually applied on this member, ms (what a correct lag computation recovers). */
	trueLagMs: number;
	lastHeartbeat?: Date;
	lastHeartbeatRecv?: Date;
	pingMs: number;
	uptime: number;
};

const heartbeatIntervalMs = 2000;
/** The `mongo-replication-lag` drill: the second secondary falls behind by this much, growing while the drill runs. */

export class MongoActivity {
	readonly term: number;
	readonly electionAt: number;
	/** The platform's connections (engine pool, AI service pool) and the secondaries' replication connections. */
	readonly clients: SimulatedClient[] = [];
	/** Served for real: counted by the server as it answers. */
	readonly served: OpCounters = {insert: 0, query: 0, update: 0, delete: 0, getmore: 0, command: 0};
	readonly servedNetwork = {bytesIn: 0, bytesOut: 0, numRequests: 0};
	/** Microseconds and counts of the commands really served, by namespace and kind, for `top`. */
	readonly servedTop = new Map<string, Map<string, {time: number; count: number}>>();
	private readonly ops = new Map<number, ActiveOp>();
	private nextOpid: number;
	private nextSlowAt: number;
	private readonly rng: Prng;
	private readonly phase: number;
	private readonly startedAt: number;
	private readonly connectionsCreatedBefore: number;
	private readonly listeners = new Set<(entries: LogEntry[]) => void>();

	constructor(
		private readonly world: World,
		private readonly data: TradingData,
		readonly members: ReplicaMember[],
		/** Secondaries taken away, with when (the server's setMemberReachable). */
		private readonly unreachable: ReadonlyMap<number, number> = new Map(),
	) {
		this.rng = new Prng((world.seed ^ 0x61637476) >>> 0);
		const now = world.now();
		this.startedAt = this.primaryStartedAt(now);
		this.term = this.rng.int(1, 4);
		this.electionAt = this.startedAt + this.rng.int(1500, 4000);
		this.phase = this.rng.range(0, 2 * Math.PI);
		this.nextOpid = this.rng.int(40_000, 90_000);
		this.connectionsCreatedBefore = this.rng.int(180, 420);
		const address = (service: string) => world.containers.find(container => container.name === service)?.ipAddress ?? '172.18.0.10';
		let connectionId = this.rng.int(40, 120);
		const add = (appName: string, service: string, count: number, driver: {name: string; version: string}) => {
			for (let i = 0; i < count; i++) this.clients.push({connectionId: connectionId++, appName, client: `${address(service)}:${this.rng.int(32_768, 60_999)}`, driver});
		};
		add('rust-core-engine', 'rust-core-engine', 10, {name: 'mongo-rust-driver', version: '2.8.2'});
		add('python-ai-service', 'python-ai-service', 6, {name: 'PyMongo|Motor', version: '4.9.1|3.6.0'});
		add('nextjs-ui-dashboard', 'nextjs-ui-dashboard', 4, {name: 'nodejs', version: '6.10.0'});
		// The first slow operation shows up soon after start, so there is one to look at (and kill).
		this.nextSlowAt = now + this.rng.range(2000, 6000);
		data.onTrade(() => {
			// An engine fill writes the trade and updates the position and the balance.
			this.tradeWrites++;
		});
	}

	private tradeWrites = 0;

	onLog(listener: (entries: LogEntry[]) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	private primaryStartedAt(now: number): number {
		return this.world.containers.find(container => container.name === 'mongodb-primary')?.startedAt ?? now - 3_600_000;
	}

	/** Seconds the primary's mongod has run. */
	uptimeSeconds(now = this.world.now()): number {
		return Math.max(0, (now - this.primaryStartedAt(now)) / 1000);
	}

	/** A smooth cumulative count at `rate` per second whose rate swings ±30 % over ten minutes: never decreasing. */
	private cumulative(rate: number, seconds: number, period = 600): number {
		const w = (2 * Math.PI) / period;
		return Math.floor(rate * (seconds + (0.3 / w) * (Math.sin(w * seconds + this.phase) - Math.sin(this.phase))));
	}

	opcounters(now = this.world.now()): OpCounters {
		const seconds = this.uptimeSeconds(now);
		const out = {} as OpCounters;
		for (const name of counterNames) out[name] = this.cumulative(baseRates[name], seconds) + this.served[name];
		out.insert += this.data.liveTrades;
		out.update += 2 * this.tradeWrites;
		out.query += this.tradeWrites;
		return out;
	}

	/** The secondaries apply what the primary wrote; their opcountersRepl are the primary's writes, less the lag. */
	opcountersRepl(memberId: number, now = this.world.now()): OpCounters {
		const zero: OpCounters = {insert: 0, query: 0, update: 0, delete: 0, getmore: 0, command: 0};
		if (memberId === 0) return zero;
		const applied = this.opcounters(now - this.trueLagMs(memberId, now));
		return {...zero, insert: applied.insert, update: applied.update, delete: applied.delete, command: Math.floor(applied.command / 40)};
	}

	network(now = this.world.now()): {bytesIn: number; bytesOut: number; numRequests: number} {
		const seconds = this.uptimeSeconds(now);
		return {
			bytesIn: this.cumulative(26_000, seconds) + this.servedNetwork.bytesIn,
			bytesOut: this.cumulative(31_000, seconds) + this.servedNetwork.bytesOut,
			numRequests: this.cumulative(baseRates.query + baseRates.command + baseRates.getmore + baseRates.update, seconds) + this.servedNetwork.numRequests,
		};
	}

	connectionsCreated(now = this.world.now()): number {
		return this.connectionsCreatedBefore + this.cumulative(1 / 45, this.uptimeSeconds(now));
	}

	/** Index accesses by the platform's own queries since mongod started (the trades indexes behind its hot paths). */
	indexOps(ns: string, index: string, now = this.world.now()): number {
		const rate = indexRates[ns.slice(ns.indexOf('.') + 1)]?.[index] ?? 0;
		return rate === 0 ? 0 : this.cumulative(rate, this.uptimeSeconds(now));
	}

	/** When mongod started: index statistics (and every counter) start there. */
	startedAtMs(now = this.world.now()): number {
		return this.primaryStartedAt(now);
	}

	recordServed(ns: string, kind: string, micros: number): void {
		let byKind = this.servedTop.get(ns);
		if (!byKind) this.servedTop.set(ns, (byKind = new Map()));
		const entry = byKind.get(kind) ?? {time: 0, count: 0};
		entry.time += micros;
		entry.count += 1;
		byKind.set(kind, entry);
	}

	/** `top`'s totals: per namespace, microseconds and counts since start-up, as mongotop diffs them. */
	top(now = this.world.now()): Document {
		const counters = this.opcounters(now);
		const seconds = this.uptimeSeconds(now);
		const totals: Document = {note: 'all times in microseconds'};
		const entry = (time: number, count: number) => ({time: Math.round(time), count: Math.round(count)});
		const namespaces = new Set([...Object.keys(collectionShares).map(name => `${this.data.trades.db}.${name}`), ...this.servedTop.keys()]);
		for (const ns of [...namespaces].sort()) {
			const share = collectionShares[ns.slice(ns.indexOf('.') + 1)];
			const served = this.servedTop.get(ns);
			const get = (kind: string) => served?.get(kind) ?? {time: 0, count: 0};
			const queries = (share?.read ?? 0) * counters.query;
			const getmore = (share?.read ?? 0) * counters.getmore;
			const insert = (share?.write ?? 0) * counters.insert;
			const update = (share?.write ?? 0) * counters.update;
			const remove = (share?.write ?? 0) * counters.delete;
			const commands = (share?.read ?? 0) * this.cumulative(6, seconds);
			const readMicros = share?.readMicros ?? 0;
			const writeMicros = share?.writeMicros ?? 0;
			const kinds = {
				queries: entry(queries * readMicros + get('queries').time, queries + get('queries').count),
				getmore: entry(getmore * readMicros * 0.4 + get('getmore').time, getmore + get('getmore').count),
				insert: entry(insert * writeMicros + get('insert').time, insert + get('insert').count),
				update: entry(update * writeMicros + get('update').time, update + get('update').count),
				remove: entry(remove * writeMicros + get('remove').time, remove + get('remove').count),
				commands: entry(commands * readMicros + get('commands').time, commands + get('commands').count),
			};
			const readLock = entry(kinds.queries.time + kinds.getmore.time + kinds.commands.time, kinds.queries.count + kinds.getmore.count + kinds.commands.count);
			const writeLock = entry(kinds.insert.time + kinds.update.time + kinds.remove.time, kinds.insert.count + kinds.update.count + kinds.remove.count);
			totals[ns] = {total: entry(readLock.time + writeLock.time, readLock.count + writeLock.count), readLock, writeLock, ...kinds};
		}
		return totals;
	}

	// --- operations ----------------------------------------------------------------------------------------

	/** The slow operations running now (short ones finish within a millisecond and never show). */
	activeOps(now = this.world.now()): ActiveOp[] {
		this.advanceOps(now);
		return [...this.ops.values()];
	}

	/** Starts a slow operation now (drills and tests); it runs `durationMs` unless killed. */
	startSlowOp(kind: 'trades-collscan' | 'market-data-aggregate' | 'trades-kpi-aggregate' = 'trades-collscan', durationMs = 600_000, now = this.world.now()): ActiveOp {
		const op = this.makeSlowOp(kind, now, durationMs);
		this.ops.set(op.opid, op);
		return op;
	}

	/** killOp: true when the op was there (it is gone now). */
	kill(opid: number, now = this.world.now()): boolean {
		this.advanceOps(now);
		const op = this.ops.get(opid);
		if (!op) return false;
		this.ops.delete(opid);
		const date = new Date(now).toISOString().replace('Z', '+00:00');
		this.log([
			{time: now, nanos: 0, stream: 'stdout', text: `{"t":{"$date":"${date}"},"s":"I",  "c":"COMMAND",  "id":20482,   "ctx":"conn${op.client.connectionId}","msg":"Going to kill op","attr":{"opId":${opid}}}`},
			{time: now, nanos: 0, stream: 'stdout', text: `{"t":{"$date":"${date}"},"s":"I",  "c":"COMMAND",  "id":20884,   "ctx":"conn${op.client.connectionId}","msg":"Killed operation","attr":{"opId":${opid}}}`},
		]);
		return true;
	}

	allocateOpid(): number {
		return this.nextOpid++;
	}

	private advanceOps(now: number): void {
		for (const op of [...this.ops.values()]) {
			if (op.endsAt > now) continue;
			this.ops.delete(op.opid);
			this.logSlowQuery(op);
		}
		if (!this.world.dbConnected) return;
		while (this.nextSlowAt <= now) {
			const startedAt = this.nextSlowAt;
			this.nextSlowAt += this.rng.range(45_000, 150_000);
			const kind = this.rng.pick(['trades-collscan', 'trades-collscan', 'market-data-aggregate', 'trades-kpi-aggregate'] as const);
			const op = this.makeSlowOp(kind, startedAt, this.rng.range(25_000, 240_000));
			if (op.endsAt > now) this.ops.set(op.opid, op);
			else this.logSlowQuery(op);
		}
	}

	private makeSlowOp(kind: 'trades-collscan' | 'market-data-aggregate' | 'trades-kpi-aggregate', startedAt: number, durationMs: number): ActiveOp {
		const data = this.data;
		const pickClient = (appName: string) => this.rng.pick(this.clients.filter(client => client.appName === appName));
		const base = {opid: this.allocateOpid(), startedAt, endsAt: startedAt + durationMs};
		if (kind === 'trades-collscan') {
			const threshold = -this.rng.int(20, 80);
			return {
				...base,
				client: pickClient('nextjs-ui-dashboard'),
				ns: data.trades.ns,
				op: 'query',
				command: {find: 'trades', filter: {status: 'failed', pnl: {$lt: threshold}}, sort: {pnl: 1}, $db: data.trades.db},
				planSummary: 'COLLSCAN',
				docsExamined: data.trades.count,
				nreturned: this.rng.int(0, 40),
			};
		}
		if (kind === 'market-data-aggregate') {
			return {
				...base,
				client: pickClient('python-ai-service'),
				ns: data.marketData.ns,
				op: 'command',
				command: {aggregate: 'market_data', pipeline: [{$match: {interval: '1m'}}, {$group: {_id: '$symbol', avgClose: {$avg: '$close'}, volume: {$sum: '$volume'}}}], cursor: {}, $db: data.marketData.db},
				planSummary: 'COLLSCAN',
				docsExamined: data.marketData.count,
				nreturned: this.world.trading.symbols.length,
			};
		}
		const day = new Date(startedAt);
		day.setUTCHours(0, 0, 0, 0);
		return {
			...base,
			client: pickClient('rust-core-engine'),
			ns: data.trades.ns,
			op: 'command',
			command: {aggregate: 'trades', pipeline: [{$match: {timestamp: {$gte: day}}}, {$group: {_id: '$symbol', pnl: {$sum: '$pnl'}, trades: {$sum: 1}}}], cursor: {}, $db: data.trades.db},
			planSummary: 'COLLSCAN',
			docsExamined: data.trades.count,
			nreturned: this.world.trading.symbols.length,
		};
	}

	/** mongod's "Slow query" line (id 51803) in the mongodb-primary container's log when a slow op finishes. */
	private logSlowQuery(op: ActiveOp): void {
		const date = new Date(op.endsAt).toISOString().replace('Z', '+00:00');
		const {$db: _db, ...command} = op.command;
		const attr = {type: 'command', ns: op.ns, appName: op.client.appName, command: {...command, $db: op.command.$db}, planSummary: op.planSummary, keysExamined: 0, docsExamined: op.docsExamined, nreturned: op.nreturned, durationMillis: Math.round(op.endsAt - op.startedAt)};
		this.log([{time: op.endsAt, nanos: 0, stream: 'stdout', text: `{"t":{"$date":"${date}"},"s":"I",  "c":"COMMAND",  "id":51803,   "ctx":"conn${op.client.connectionId}","msg":"Slow query","attr":${JSON.stringify(attr)}}`}]);
	}

	private log(entries: LogEntry[]): void {
		for (const listener of this.listeners) listener(entries);
	}

	// --- replication ---------------------------------------------------------------------------------------

	/** The primary's last applied optime at `at`: the platform writes every second, so it is that second. */
	primaryOptime(at: number): MemberOptime {
		const seconds = Math.floor(at / 1000);
		const increment = 1 + (Math.imul(seconds ^ this.world.seed, 0x9e3779b1) >>> 0) % 40;
		return {ts: new Timestamp({t: seconds, i: increment}), t: Long.fromNumber(this.term), date: new Date(seconds * 1000)};
	}

	/** How far behind the primary a secondary really is at `now`, ms. */
	trueLagMs(memberId: number, now = this.world.now()): number {
		if (memberId === 0) return 0;
		// The drill's lag is the world's: it grows while the drill runs and drains after its runbook's fix.
		const drillLagMs = memberId === 2 ? this.world.replicationLagMs(now) : 0;
		if (drillLagMs > 0) return drillLagMs;
		// A healthy secondary applies within a few hundred ms.
		const beat = Math.floor(now / heartbeatIntervalMs);
		return 40 + ((Math.imul(beat ^ (memberId * 0x45d9f3b) ^ this.world.seed, 0x2c1b3c6d) >>> 0) % 360);
	}

	/**
	 * When member `from` last heard from member `to`: heartbeats go out every two seconds, each pair at its own phase,
	 * 500-900 ms into a second. With a healthy lag (under 400 ms) the optime a heartbeat carries is then the second it
	 * arrived in, so lag corrected for the heartbeat's age stays under a second while the uncorrected difference of
	 * optimeDates reaches two (the stale-heartbeat false alarm of mongodb_exporter #1362).
	 */
	lastHeartbeat(from: number, to: number, now: number): {sent: Date; received: Date; pingMs: number} {
		const offset = 500 + (((from * 7 + to * 13) * 173) % 400) + 1000 * ((from + to) % 2);
		const sent = Math.floor((now - offset) / heartbeatIntervalMs) * heartbeatIntervalMs + offset;
		const pingMs = (from + to) % 2;
		return {sent: new Date(sent), received: new Date(Math.min(now, sent + 1 + pingMs)), pingMs};
	}

	/** The members as `self` sees them: its own optime now, the others' as their last heartbeat reported it. */
	memberStatuses(self: number, now = this.world.now()): MemberStatus[] {
		const primaryUp = this.world.dbConnected;
		return this.members.map(member => {
			const isPrimary = member.id === 0;
			const trueLagMs = this.trueLagMs(member.id, now);
			const heartbeat = member.id === self ? undefined : this.lastHeartbeat(self, member.id, now);
			const asOf = heartbeat ? heartbeat.received.getTime() : now;
			const goneSince = member.id === self ? undefined : this.unreachable.get(member.id);
			const down = (isPrimary && !primaryUp) || goneSince !== undefined;
			const downSince = goneSince ?? this.world.containers.find(container => container.name === 'mongodb-primary')?.finishedAt ?? now;
			return {
				member,
				state: down ? 8 : isPrimary ? 1 : 2,
				stateStr: down ? '(not reachable/healthy)' : isPrimary ? 'PRIMARY' : 'SECONDARY',
				health: down ? 0 : 1,
				optime: this.primaryOptime(down ? downSince : asOf - trueLagMs),
				trueLagMs,
				...(heartbeat ? {lastHeartbeat: heartbeat.sent, lastHeartbeatRecv: down ? new Date(downSince) : heartbeat.received} : {}),
				pingMs: heartbeat?.pingMs ?? 0,
				uptime: Math.floor(isPrimary ? this.uptimeSeconds(now) : (now - this.startedAt) / 1000 + 3600 * member.id),
			};
		});
	}
}

/** The oplog's time window: WiredTiger truncates it at its configured size, about two days of this platform's writes. */
export const oplogWindowHours = 47.5;
export const oplogMaxBytes = 1990 * 1024 * 1024;
