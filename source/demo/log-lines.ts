/** Realistic log lines for each simulated program, in each program's own format. */
import type {LogKind} from './catalog.js';
import type {LogEntry} from './log-ring.js';
import type {Prng} from './prng.js';
import {rfc3339Micros} from './time-format.js';

/** What the programs know about the world when they write a line. */
export type LogFacts = {
	tradingEnabled: boolean;
	symbols: readonly string[];
	price(symbol: string): number;
	dbConnected: boolean;
	modelVersion: string;
	/** Container short id (the hostname inside the container). */
	hostname: string;
	/** Simulated latency of the AI service's analysis, ms. */
	aiLatencyMs(): number;
};

type Line = {stream: 'stdout' | 'stderr'; text: string};

/** Builds entries at successive instants so multi-line sequences keep their order and look real. */
class Writer {
	readonly out: LogEntry[] = [];
	constructor(
		private readonly rng: Prng,
		public t: number,
	) {}

	add(build: (t: number, nanos: number) => Line, gapMs = 0): void {
		this.t += gapMs;
		const nanos = this.rng.int(0, 999_999);
		const line = build(this.t, nanos);
		this.out.push({time: this.t, nanos, stream: line.stream, text: line.text});
	}
}

// --- formats ---------------------------------------------------------------------------------------------

type Level = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** tracing-subscriber's default fmt layer without ANSI: `<ts> <LEVEL:>5> <target>: <message> <fields>`. */
const rust = (level: Level, target: string, message: string) => (t: number, n: number): Line => ({
	stream: 'stdout',
	text: `${rfc3339Micros(t, n)} ${level.padStart(5)} ${target}: ${message}`,
});

const pyTime = (t: number) => {
	const iso = new Date(t).toISOString();
	return `${iso.slice(0, 10)} ${iso.slice(11, 19)},${iso.slice(20, 23)}`;
};

/** Python logging with the service's formatter; logging's default stream is stderr. */
const py = (level: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL', logger: string, message: string) => (t: number): Line => ({
	stream: 'stderr',
	text: `${pyTime(t)} - ${logger} - ${level} - ${message}`,
});

/** uvicorn's access log goes to stdout, its server messages to stderr. */
const uvicornAccess = (client: string, request: string, status: string) => (): Line => ({
	stream: 'stdout',
	text: `INFO:     ${client} - "${request} HTTP/1.1" ${status}`,
});
const uvicorn = (level: 'INFO' | 'WARNING' | 'ERROR', message: string) => (): Line => ({
	stream: 'stderr',
	text: `${`${level}:`.padEnd(10)}${message}`,
});

const plain = (text: string, stream: 'stdout' | 'stderr' = 'stdout') => (): Line => ({stream, text});

const mongoTime = (t: number) => new Date(t).toISOString().replace('Z', '+00:00');

/** mongod's structured log, with its column padding. */
const mongo = (s: 'I' | 'W' | 'E' | 'F', c: string, id: number, ctx: string, msg: string, attr?: unknown) => (t: number): Line => ({
	stream: 'stdout',
	text:
		`{"t":{"$date":"${mongoTime(t)}"},"s":"${s}",  ${`"c":"${c}",`.padEnd(14)} ${`"id":${id},`.padEnd(13)} "ctx":${JSON.stringify(ctx)},"msg":${JSON.stringify(msg)}` +
		(attr === undefined ? '}' : `,"attr":${JSON.stringify(attr)}}`),
});

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const redisTime = (t: number) => {
	const d = new Date(t);
	const two = (v: number) => String(v).padStart(2, '0');
	return `${two(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')}`;
};
const redis = (pid: number, role: 'M' | 'C', mark: '*' | '#' | '-' | '.', message: string) => (t: number): Line => ({
	stream: 'stdout',
	text: `${pid}:${role} ${redisTime(t)} ${mark} ${message}`,
});

/** Prometheus 2.x go-kit logfmt on stderr. */
const prom = (level: 'info' | 'warn' | 'error', caller: string, rest: string) => (t: number): Line => ({
	stream: 'stderr',
	text: `ts=${new Date(t).toISOString()} caller=${caller} level=${level} ${rest}`,
});

const grafana = (logger: string, level: 'info' | 'warn' | 'error', rest: string) => (t: number, n: number): Line => ({
	stream: 'stdout',
	text: `logger=${logger} t=${new Date(t).toISOString().slice(0, 23)}${String(n).padStart(6, '0')}Z level=${level} ${rest}`,
});

const price = (value: number) => value.toFixed(value >= 100 ? 2 : 4);

// --- routine lines ---------------------------------------------------------------------------------------

/** One line of steady-state activity; `t` is the line's time. */
export function routineLines(kind: LogKind, rng: Prng, t: number, facts: LogFacts): LogEntry[] {
	const w = new Writer(rng, t);
	const symbol = rng.pick(facts.symbols);
	const client = `172.18.0.${rng.int(2, 9)}:${rng.int(32768, 60999)}`;
	switch (kind) {
		case 'engine': {
			const roll = rng.next();
			if (!facts.dbConnected && roll < 0.3)
				w.add(rust('ERROR', 'bot_core::storage::mongodb', `failed to persist kline: Kind: Server selection timeout: No available servers, labels: {} symbol=${symbol}`));
			else if (roll < 0.55)
				w.add(rust('INFO', 'bot_core::market_data', `received kline symbol=${symbol} interval=1m close=${price(facts.price(symbol))} volume=${rng.range(0.5, 40).toFixed(3)}`));
			else if (roll < 0.68)
				w.add(rust('INFO', 'bot_core::strategies::engine', `signal evaluated symbol=${symbol} strategy=rsi_macd signal=${rng.pick(['Long', 'Short', 'Neutral', 'Neutral'])} confidence=${rng.range(0.4, 0.9).toFixed(2)}`));
			else if (roll < 0.76 && facts.tradingEnabled)
				w.add(rust('INFO', 'bot_core::trading::executor', `order filled symbol=${symbol} side=${rng.pick(['BUY', 'SELL'])} qty=${rng.range(0.001, 0.5).toFixed(4)} price=${price(facts.price(symbol))} order_id=${rng.int(10_000_000, 99_999_999)}`));
			else if (roll < 0.76)
				w.add(rust('INFO', 'bot_core::trading::executor', `trading disabled, skipping order symbol=${symbol}`));
			else if (roll < 0.86)
				w.add(rust('INFO', 'bot_core::api', `request method=GET path=/api/health status=200 latency_ms=${rng.int(1, 6)}`));
			else if (roll < 0.93)
				w.add(rust('DEBUG', 'bot_core::binance::websocket', `ping/pong ok stream=${symbol.toLowerCase()}@kline_1m rtt_ms=${rng.int(20, 90)}`));
			else if (roll < 0.985)
				w.add(rust('INFO', 'bot_core::ai_client', `analysis received symbol=${symbol} model=${facts.modelVersion} latency_ms=${Math.round(facts.aiLatencyMs())}`));
			else
				w.add(rust('WARN', 'bot_core::binance::rest', `rate limit weight high used_weight=${rng.int(900, 1150)} limit=1200`));
			break;
		}
		case 'ai': {
			const roll = rng.next();
			const latency = Math.round(facts.aiLatencyMs());
			if (roll < 0.4) w.add(uvicornAccess(client, 'GET /health', '200 OK'));
			else if (roll < 0.7) {
				w.add(py('INFO', 'app.services.analyzer', `analysis complete symbol=${symbol} timeframe=1h signal=${rng.pick(['BUY', 'SELL', 'HOLD'])} confidence=${rng.range(0.5, 0.92).toFixed(2)} elapsed_ms=${latency}`));
				w.add(uvicornAccess(client, 'POST /api/analyze', '200 OK'), 1);
			} else if (roll < 0.85) w.add(py('INFO', 'app.models.lstm', `inference batch=32 model=${facts.modelVersion} elapsed_ms=${Math.round(latency * 0.7)}`));
			else if (latency > 1000 || roll > 0.985)
				w.add(py('WARNING', 'app.middleware.timing', `slow request path=/api/analyze elapsed_ms=${latency} threshold_ms=500`));
			else w.add(uvicornAccess(client, `GET /api/model/info`, '200 OK'));
			break;
		}
		case 'nextjs': {
			const path = rng.pick(['/dashboard', '/trades', '/portfolio', '/api/bot/status', '/settings']);
			if (rng.chance(0.03)) w.add(plain(` ⚠ Fetch failed for ${path}: request to http://rust-core-engine:8080/api/portfolio timed out`, 'stderr'));
			else w.add(plain(` GET ${path} ${rng.chance(0.97) ? 200 : 304} in ${rng.int(4, 60)}ms`));
			break;
		}
		case 'mongo': {
			const roll = rng.next();
			const conn = rng.int(1200, 1900);
			if (roll < 0.4)
				w.add(mongo('I', 'NETWORK', 22943, 'listener', 'Connection accepted', {remote: client, uuid: {uuid: {$uuid: uuid(rng)}}, connectionId: conn, connectionCount: rng.int(18, 42)}));
			else if (roll < 0.75) w.add(mongo('I', 'NETWORK', 22944, `conn${conn}`, 'Connection ended', {remote: client, uuid: {uuid: {$uuid: uuid(rng)}}, connectionId: conn, connectionCount: rng.int(17, 41)}));
			else if (roll < 0.9)
				w.add(mongo('I', 'STORAGE', 22430, 'Checkpointer', 'WiredTiger message', {message: {ts_sec: Math.floor(t / 1000), ts_usec: rng.int(0, 999_999), thread: `1:0x7f${rng.hex(10)}`, message: `[WT_VERB_CHECKPOINT_PROGRESS] saving checkpoint snapshot min: ${rng.int(1e5, 9e5)}, snapshot max: ${rng.int(1e5, 9e5)} snapshot count: 0, oldest timestamp: (0, 0) , meta checkpoint timestamp: (0, 0) base write gen: ${rng.int(1e4, 9e4)}`}}));
			else
				w.add(mongo('I', 'COMMAND', 51803, `conn${conn}`, 'Slow query', {type: 'command', ns: 'trading_bot.trades', command: {find: 'trades', filter: {symbol}, sort: {timestamp: -1}, $db: 'trading_bot'}, planSummary: 'IXSCAN { symbol: 1, timestamp: -1 }', keysExamined: rng.int(100, 5000), docsExamined: rng.int(100, 5000), nreturned: rng.int(1, 100), durationMillis: rng.int(100, 420)}));
			break;
		}
		case 'redis':
			if (rng.chance(0.5)) w.add(redis(1, 'M', '*', `${rng.int(10, 200)} changes in 300 seconds. Saving...`));
			else w.add(redis(1, 'M', '*', `Background saving started by pid ${rng.int(20, 900)}`));
			break;
		case 'prometheus':
			if (rng.chance(0.6)) w.add(prom('info', 'compact.go:576', `component=tsdb msg="write block" mint=${t - 7_200_000} maxt=${t} ulid=01J${rng.hex(23).toUpperCase()} duration=${rng.range(40, 400).toFixed(1)}ms ooo=false`));
			else w.add(prom('info', 'head.go:1355', `component=tsdb msg="Head GC completed" caller=truncateMemory duration=${rng.range(1, 9).toFixed(3)}ms`));
			break;
		case 'grafana':
			w.add(grafana('context', 'info', `userId=1 orgId=1 uname=admin msg="Request Completed" method=GET path=/api/dashboards/uid/bot-core-trading status=200 remote_addr=172.18.0.1 time_ms=${rng.int(3, 40)} duration=${rng.range(3, 40).toFixed(3)}ms size=${rng.int(2000, 40000)} referer= handler=/api/dashboards/uid/:uid status_source=server`));
			break;
		case 'worker':
			w.add(plain(`${new Date(t).toISOString()} INFO worker: processed job id=${rng.hex(12)} queue=signals duration_ms=${rng.int(2, 80)}`));
			break;
	}
	return w.out;
}

function uuid(rng: Prng): string {
	const h = rng.hex(32);
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

// --- lifecycle -------------------------------------------------------------------------------------------

export function startupLines(kind: LogKind, rng: Prng, t: number, facts: LogFacts): LogEntry[] {
	const w = new Writer(rng, t);
	switch (kind) {
		case 'engine':
			w.add(rust('INFO', 'bot_core', 'starting rust-core-engine version=1.4.2 build=release'));
			w.add(rust('INFO', 'bot_core::config', 'loaded configuration path=config.toml'), 2);
			if (facts.dbConnected) w.add(rust('INFO', 'bot_core::storage::mongodb', 'connected to MongoDB database=trading_bot pool_size=20'), 35);
			else w.add(rust('ERROR', 'bot_core::storage::mongodb', 'failed to connect to MongoDB: Kind: Server selection timeout: No available servers, labels: {}'), 120);
			w.add(rust('INFO', 'bot_core::binance', 'Binance API connected testnet=true'), 80);
			w.add(rust('INFO', 'bot_core::market_data', `subscribed to kline streams symbols=[${facts.symbols.join(', ')}] interval=1m`), 40);
			w.add(rust('INFO', 'bot_core::trading', `trading engine ready trading_enabled=${facts.tradingEnabled}`), 3);
			w.add(rust('INFO', 'bot_core::api', 'HTTP server listening addr=0.0.0.0:8080'), 1);
			break;
		case 'ai':
			w.add(uvicorn('INFO', 'Started parent process [1]'));
			w.add(uvicorn('INFO', `Started server process [${rng.int(7, 9)}]`), 600);
			w.add(uvicorn('INFO', 'Waiting for application startup.'), 1);
			w.add(py('INFO', 'app.models.loader', `loading model ${facts.modelVersion} from /app/models/saved/${facts.modelVersion}.pkl`), 3);
			w.add(py('INFO', 'app.models.loader', `model loaded model=${facts.modelVersion} params=1842817 elapsed_ms=${rng.int(1800, 2600)}`), 2100);
			w.add(uvicorn('INFO', 'Application startup complete.'), 2);
			w.add(uvicorn('INFO', 'Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)'), 1);
			break;
		case 'nextjs':
			w.add(plain(''));
			w.add(plain('> nextjs-ui-dashboard@1.4.2 start'));
			w.add(plain('> next start'));
			w.add(plain(''));
			w.add(plain('  ▲ Next.js 14.2.5'), 300);
			w.add(plain('  - Local:        http://localhost:3000'));
			w.add(plain(''));
			w.add(plain(' ✓ Starting...'));
			w.add(plain(` ✓ Ready in ${rng.int(300, 700)}ms`), 400);
			break;
		case 'mongo':
			w.add(mongo('I', 'CONTROL', 23285, 'main', 'Automatically disabling TLS 1.0, to force-enable TLS 1.0 specify --sslDisabledProtocols \'none\''));
			w.add(mongo('I', 'CONTROL', 4615611, 'initandlisten', 'MongoDB starting', {pid: 1, port: 27017, dbPath: '/data/db', architecture: '64-bit', host: facts.hostname}), 3);
			w.add(mongo('I', 'CONTROL', 23403, 'initandlisten', 'Build Info', {buildInfo: {version: '7.0.14', gitVersion: 'ce59cfc6a3c5e5c067dca0d30697edd68d4f5188', openSSLVersion: 'OpenSSL 3.0.2 15 Mar 2022', modules: [], allocator: 'tcmalloc', environment: {distmod: 'ubuntu2204', distarch: 'x86_64', target_arch: 'x86_64'}}}), 1);
			w.add(mongo('I', 'STORAGE', 22315, 'initandlisten', 'Opening WiredTiger', {config: 'create,cache_size=1024M,session_max=33000,eviction=(threads_min=4,threads_max=4)'}), 5);
			w.add(mongo('I', 'REPL', 21529, 'initandlisten', 'Initializing rollback ID', {rbid: rng.int(1, 9)}), 400);
			w.add(mongo('I', 'NETWORK', 23015, 'listener', 'Listening on', {address: '0.0.0.0'}), 30);
			w.add(mongo('I', 'NETWORK', 23016, 'listener', 'Waiting for connections', {port: 27017, ssl: 'off'}), 1);
			w.add(mongo('I', 'REPL', 21358, 'ReplCoord-0', 'Replica set state transition', {newState: 'PRIMARY', oldState: 'SECONDARY'}), 900);
			break;
		case 'redis':
			w.add(redis(1, 'C', '#', 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo'));
			w.add(redis(1, 'C', '#', 'Redis version=7.2.5, bits=64, commit=00000000, modified=0, pid=1, just started'));
			w.add(redis(1, 'M', '*', 'monotonic clock: POSIX clock_gettime'), 1);
			w.add(redis(1, 'M', '*', 'Running mode=standalone, port=6379.'), 1);
			w.add(redis(1, 'M', '*', 'Server initialized'), 1);
			w.add(redis(1, 'M', '*', 'DB loaded from append only file: 0.012 seconds'), 12);
			w.add(redis(1, 'M', '*', 'Ready to accept connections tcp'), 1);
			break;
		case 'prometheus':
			w.add(prom('info', 'main.go:589', 'msg="No time or size retention was set so using the default time retention" duration=15d'));
			w.add(prom('info', 'main.go:633', 'msg="Starting Prometheus Server" mode=server version="(version=2.53.0, branch=HEAD, revision=4c35b9250afefede41c5f5acd76191f90f625898)"'), 1);
			w.add(prom('info', 'web.go:568', 'component=web msg="Start listening for connections" address=0.0.0.0:9090'), 3);
			w.add(prom('info', 'main.go:1129', 'msg="Server is ready to receive web requests."'), 500);
			w.add(prom('info', 'manager.go:164', 'component="rule manager" msg="Starting rule manager..."'), 1);
			break;
		case 'grafana':
			w.add(grafana('settings', 'info', 'msg="Starting Grafana" version=11.1.0 commit=5b85c4c2fcf5d32d4f68aaef345c53096359b2f1 branch=HEAD compiled=2024-06-21T16:13:12Z'));
			w.add(grafana('sqlstore', 'info', 'msg="Connecting to DB" dbtype=sqlite3'), 20);
			w.add(grafana('migrator', 'info', 'msg="migrations completed" performed=0 skipped=594 duration=1.2ms'), 40);
			w.add(grafana('http.server', 'info', 'msg="HTTP Server Listen" address=[::]:3000 protocol=http subUrl= socket='), 900);
			break;
		case 'worker':
			w.add(plain(`${new Date(t).toISOString()} INFO worker: starting queue=signals concurrency=4`));
			break;
	}
	return w.out;
}

export function shutdownLines(kind: LogKind, rng: Prng, t: number): LogEntry[] {
	const w = new Writer(rng, t);
	switch (kind) {
		case 'engine':
			w.add(rust('INFO', 'bot_core', 'received SIGTERM, shutting down gracefully'));
			w.add(rust('INFO', 'bot_core::market_data', 'closed kline streams'), 4);
			w.add(rust('INFO', 'bot_core::trading', 'trading engine stopped open_orders=0'), 10);
			w.add(rust('INFO', 'bot_core', 'shutdown complete'), 2);
			break;
		case 'ai':
			w.add(uvicorn('INFO', 'Shutting down'));
			w.add(uvicorn('INFO', 'Waiting for application shutdown.'), 2);
			w.add(uvicorn('INFO', 'Application shutdown complete.'), 5);
			w.add(uvicorn('INFO', 'Finished server process [8]'), 1);
			w.add(uvicorn('INFO', 'Stopping parent process [1]'), 30);
			break;
		case 'nextjs':
			break;
		case 'mongo':
			w.add(mongo('I', 'CONTROL', 23377, 'SignalHandler', 'Received signal', {signal: 15, error: 'Terminated'}));
			w.add(mongo('I', 'CONTROL', 4784900, 'SignalHandler', 'Stepping down the ReplicationCoordinator for shutdown', {waitTimeMillis: 15000}), 1);
			w.add(mongo('I', 'STORAGE', 4795902, 'SignalHandler', 'Closing WiredTiger', {closeConfig: 'leak_memory=true,use_timestamp=false,'}), 200);
			w.add(mongo('I', 'CONTROL', 20565, 'SignalHandler', 'Now exiting'), 150);
			w.add(mongo('I', 'CONTROL', 23138, 'SignalHandler', 'Shutting down', {exitCode: 0}), 1);
			break;
		case 'redis':
			w.add(redis(1, 'M', '#', 'Received SIGTERM scheduling shutdown...'));
			w.add(redis(1, 'M', '#', 'User requested shutdown...'), 90);
			w.add(redis(1, 'M', '*', 'Saving the final RDB snapshot before exiting.'), 1);
			w.add(redis(1, 'M', '*', 'DB saved on disk'), 8);
			w.add(redis(1, 'M', '#', 'Redis is now ready to exit, bye bye...'), 1);
			break;
		case 'prometheus':
			w.add(prom('warn', 'main.go:882', 'msg="Received SIGTERM, exiting gracefully..."'));
			w.add(prom('info', 'main.go:1294', 'msg="See you next time!"'), 120);
			break;
		case 'grafana':
			w.add(grafana('server', 'info', 'msg="Shutdown started" reason="System signal: terminated"'));
			break;
		case 'worker':
			w.add(plain(`${new Date(t).toISOString()} INFO worker: SIGTERM received, draining queue=signals`));
			break;
	}
	return w.out;
}

/** The engine's last words in the crash-loop drill: an error burst, then a panic on stderr. */
export function engineCrashLines(rng: Prng, t: number): LogEntry[] {
	const w = new Writer(rng, t);
	const burst = rng.int(3, 7);
	for (let i = 0; i < burst; i++)
		w.add(
			rust('ERROR', rng.pick(['bot_core::binance::websocket', 'bot_core::trading::executor', 'bot_core::storage::mongodb']), rng.pick([
				'websocket error: Connection reset without closing handshake stream=btcusdt@kline_1m',
				'order placement failed: error sending request for url (https://testnet.binance.vision/api/v3/order): operation timed out',
				'position reconciliation failed: inconsistent state for BTCUSDT',
				'failed to acquire connection from pool: Timeout',
			])),
			rng.int(20, 300),
		);
	w.add(() => ({stream: 'stderr', text: "thread 'tokio-runtime-worker' panicked at src/trading/position_manager.rs:214:37:"}), 2);
	w.add(() => ({stream: 'stderr', text: 'called `Result::unwrap()` on an `Err` value: InconsistentState("position BTCUSDT has negative quantity")'}));
	w.add(() => ({stream: 'stderr', text: 'note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace'}));
	return w.out;
}

/** The engine's reaction when its database goes away or comes back. */
export function engineDatabaseLines(rng: Prng, t: number, connected: boolean): LogEntry[] {
	const w = new Writer(rng, t);
	if (connected) w.add(rust('INFO', 'bot_core::storage::mongodb', 'reconnected to MongoDB database=trading_bot'));
	else {
		w.add(rust('WARN', 'bot_core::storage::mongodb', 'connection to mongodb-primary:27017 lost: Connection refused (os error 111)'));
		w.add(rust('ERROR', 'bot_core::storage::mongodb', 'health check failed: Kind: Server selection timeout: No available servers, labels: {}'), 30);
	}
	return w.out;
}

export function engineTradingLine(rng: Prng, t: number, enabled: boolean, remote: string): LogEntry[] {
	const w = new Writer(rng, t);
	w.add(rust('WARN', 'bot_core::api::admin', `trading ${enabled ? 'enabled' : 'disabled'} via admin API remote_addr=${remote}`));
	return w.out;
}

// --- drill lines (scenarios.ts) --------------------------------------------------------------------------

/** ai-latency-spike: the hot reload that brought in the oversized model. */
export function aiModelReloadLines(rng: Prng, t: number, model: string): LogEntry[] {
	const w = new Writer(rng, t);
	w.add(py('INFO', 'app.models.loader', `Model directory changed: hot-reloading model ${model}`));
	w.add(py('WARNING', 'app.models.loader', `Model ${model} is 4.1 GB (limit 1.5 GB recommended); inference will run on CPU`), rng.int(800, 2000));
	return w.out;
}

/** ai-latency-spike: an analysis that took far over the 500 ms target. */
export function aiSlowAnalysisLine(rng: Prng, t: number, symbol: string, elapsedMs: number, model: string): LogEntry[] {
	const w = new Writer(rng, t);
	w.add(py('WARNING', 'app.api.analyze', `Slow analysis: ${symbol} 1h took ${Math.round(elapsedMs)} ms (target 500 ms) model=${model}`));
	return w.out;
}

/** mongo-replication-lag: the engine's backfill, writing with majority write concern. */
export function engineBackfillLines(rng: Prng, t: number, symbol: string, lagSeconds: number): LogEntry[] {
	const w = new Writer(rng, t);
	w.add(rust('WARN', 'bot_core::market_data::backfill', `backfill ${symbol} 1m: wrote 5000 candles in one batch; write concern majority waited ${Math.round(300 + lagSeconds * 90)}ms`));
	return w.out;
}

export function engineBackfillStartLine(rng: Prng, t: number): LogEntry[] {
	const w = new Writer(rng, t);
	w.add(rust('INFO', 'bot_core::market_data::backfill', 'backfill started: 90 days of 1m candles for 4 symbols (batch=5000, concurrency=8)'));
	return w.out;
}

/** mongo-replication-lag: the primary's view (slow inserts, and the secondary falling behind). */
export function mongoLagLines(rng: Prng, t: number, lagSeconds: number): LogEntry[] {
	const w = new Writer(rng, t);
	if (rng.chance(0.5)) w.add(mongo('I', 'COMMAND', 51803, 'conn' + rng.int(20, 90), 'Slow query', {type: 'command', ns: 'trading_bot.market_data', command: {insert: 'market_data', ordered: false, writeConcern: {w: 'majority'}}, ninserted: 5000, durationMillis: rng.int(400, 2400)}));
	else w.add(mongo('W', 'REPL', 21279, 'ReplCoord-' + rng.int(0, 9), 'Lagging secondary', {member: 'mongodb-secondary:27017', lagSecs: Math.round(lagSeconds)}));
	return w.out;
}

/** disk-pressure: what mongod at verbosity 5 prints all the time. */
export function mongoDebugLine(rng: Prng, t: number): LogEntry[] {
	const w = new Writer(rng, t);
	const component = rng.pick(['STORAGE', 'QUERY', 'NETWORK', 'WRITE']);
	w.add(mongo('I', component, rng.int(20_000, 29_999), 'conn' + rng.int(20, 90), rng.pick(['WT begin_transaction', 'Beginning planning', 'Received message', 'WT commit_transaction', 'Only one plan is available']), {s: 'D5'}));
	return w.out;
}

export function mongoVerbosityLine(rng: Prng, t: number): LogEntry[] {
	const w = new Writer(rng, t);
	w.add(mongo('I', 'CONTROL', 21951, 'conn42', 'Options set by command line', {parameter: 'logComponentVerbosity', verbosity: 5, setBy: 'setParameter'}));
	return w.out;
}

/** disk-pressure: the warning mongod's free-space check writes. */
export function mongoDiskWarningLine(rng: Prng, t: number, usedPercent: number): LogEntry[] {
	const w = new Writer(rng, t);
	w.add(mongo('W', 'STORAGE', 22_001, 'FreeMonProcessor', 'Low disk space', {path: '/data/db', usedPercent: Number(usedPercent.toFixed(1)), availableMB: Math.round((100 - usedPercent) * 204.8)}));
	return w.out;
}
