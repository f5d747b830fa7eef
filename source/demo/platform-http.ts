/**
 * The platform's own HTTP endpoints, one server per service on its own 127.0.0.1 port. A server listens only
 * while its container runs (connections are refused otherwise) and keeps its port across stop and start.
 */
import http, {type IncomingMessage, type ServerResponse} from 'node:http';
import {platformHttpServices, type PlatformService} from './catalog.js';
import {marketData} from './market.js';
import type {DemoMetrics} from './metrics.js';
import type {World} from './world.js';

export type PlatformHttp = {
	ports: Record<PlatformService, number>;
	/** Health URLs, e.g. http://127.0.0.1:41234/api/health. */
	healthUrls: Record<PlatformService, string>;
	close(): Promise<void>;
};

type Reply = {status: number; body: unknown};
type Handler = (req: IncomingMessage, url: URL, body: string) => Reply | Promise<Reply>;

const privatePorts: Record<PlatformService, number> = {'rust-core-engine': 8080, 'python-ai-service': 8000, 'nextjs-ui-dashboard': 3000};
const timeframes = ['1m', '5m', '15m', '30m', '1h', '4h', '1d'];

export async function startPlatformHttp(world: World, options: {adminToken: string; metrics?: DemoMetrics}): Promise<PlatformHttp> {
	const timers = new Set<NodeJS.Timeout>();
	const delay = (ms: number) =>
		new Promise<void>(resolve => {
			const timer = setTimeout(() => {
				timers.delete(timer);
				resolve();
			}, ms);
			timers.add(timer);
		});
	const uptime = (name: string) => {
		const startedAt = world.get(name).startedAt ?? world.now();
		return Math.max(0, Math.floor((world.now() - startedAt) / 1000));
	};

	const handlers: Record<PlatformService, Handler> = {
		'rust-core-engine': (req, url) => {
			const health = world.engineHealth();
			const summary = {
				version: '1.4.2',
				uptime_seconds: uptime('rust-core-engine'),
				trading_enabled: world.trading.enabled,
				database: health.database,
				// What the engine's driver sees of the replica set (the mongo-replication-lag drill).
				replication_lag_seconds: Math.round(world.replicationLagMs() / 100) / 10,
				binance: 'connected',
				active_symbols: world.trading.symbols,
				timestamp: new Date(world.now()).toISOString(),
			};
			const admin = /^\/api\/admin\/trading\/(enable|disable)$/.exec(url.pathname);
			if (admin) {
				if (req.method !== 'POST') return {status: 405, body: {error: 'method not allowed'}};
				if (req.headers.authorization !== `Bearer ${options.adminToken}`) return {status: 401, body: {error: 'unauthorized', message: 'missing or invalid admin token'}};
				const enabled = admin[1] === 'enable';
				world.setTradingEnabled(enabled, req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1');
				return {status: 200, body: {success: true, trading_enabled: enabled, message: `Trading ${enabled ? 'enabled' : 'disabled'}`}};
			}
			if (req.method !== 'GET') return {status: 405, body: {error: 'method not allowed'}};
			if (url.pathname === '/api/health') return health.ok ? {status: 200, body: {status: 'healthy', ...summary}} : {status: 503, body: {status: 'unhealthy', reason: health.reason, ...summary}};
			if (!health.ok) return {status: 503, body: {error: 'service unavailable', reason: health.reason}};
			const market = /^\/api\/market-data\/([^/]+)$/.exec(url.pathname);
			if (market) {
				const symbol = decodeURIComponent(market[1]).toUpperCase();
				if (!world.trading.symbols.includes(symbol)) return {status: 404, body: {error: 'symbol not configured', symbol, configured_symbols: world.trading.symbols}};
				return {status: 200, body: marketData(world, symbol, world.now())};
			}
			if (url.pathname === '/api/trading/status') return {status: 200, body: {trading_enabled: world.trading.enabled, active_symbols: world.trading.symbols}};
			return {status: 404, body: {error: 'not found', path: url.pathname}};
		},
		'python-ai-service': async (req, url, body) => {
			if (url.pathname === '/health' && req.method === 'GET')
				return {status: 200, body: {status: 'healthy', model_loaded: true, model_version: world.model.version, uptime_seconds: uptime('python-ai-service'), timestamp: new Date(world.now()).toISOString()}};
			if (url.pathname === '/api/model/info' && req.method === 'GET')
				return {
					status: 200,
					body: {
						model_type: world.model.type,
						model_version: world.model.version,
						trained_at: new Date(world.model.trainedAt).toISOString(),
						accuracy: world.model.accuracy,
						features: ['open', 'high', 'low', 'close', 'volume', 'rsi_14', 'macd', 'bb_width'],
						timeframes,
						symbols: world.trading.symbols,
						loaded_at: new Date(world.get('python-ai-service').startedAt ?? world.now()).toISOString(),
					},
				};
			if (url.pathname === '/api/analyze' && req.method === 'POST') return analyze(body);
			if (['/health', '/api/model/info', '/api/analyze'].includes(url.pathname)) return {status: 405, body: {detail: 'Method Not Allowed'}};
			return {status: 404, body: {detail: 'Not Found'}};
		},
		'nextjs-ui-dashboard': (req, url) => {
			if (url.pathname === '/health') return {status: 200, body: {status: 'ok'}};
			return {status: 404, body: {error: 'This page could not be found.'}};
		},
	};

	/** FastAPI/pydantic v2 validation, including its 422 error shape. */
	async function analyze(raw: string): Promise<Reply> {
		let input: unknown;
		try {
			input = JSON.parse(raw);
		} catch (error) {
			return {status: 422, body: {detail: [{type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {}, ctx: {error: error instanceof Error ? error.message : 'Expecting value'}}]}};
		}
		if (!input || typeof input !== 'object' || Array.isArray(input))
			return {status: 422, body: {detail: [{type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input}]}};
		const fields = input as Record<string, unknown>;
		const errors: unknown[] = [];
		for (const name of ['symbol', 'timeframe']) {
			if (!(name in fields)) errors.push({type: 'missing', loc: ['body', name], msg: 'Field required', input});
			else if (typeof fields[name] !== 'string') errors.push({type: 'string_type', loc: ['body', name], msg: 'Input should be a valid string', input: fields[name]});
		}
		if (typeof fields.timeframe === 'string' && !timeframes.includes(fields.timeframe))
			errors.push({type: 'literal_error', loc: ['body', 'timeframe'], msg: `Input should be ${timeframes.map(t => `'${t}'`).join(', ')}`, input: fields.timeframe, ctx: {expected: timeframes.map(t => `'${t}'`).join(', ')}});
		if (errors.length > 0) return {status: 422, body: {detail: errors}};
		const symbol = String(fields.symbol).toUpperCase();
		if (!world.trading.symbols.includes(symbol)) return {status: 400, body: {detail: `Symbol ${symbol} is not supported`}};
		const elapsed = world.aiLatencyMs();
		await delay(elapsed);
		const score = Math.sin(world.price(symbol) / 37 + Math.floor(world.now() / 60_000));
		return {
			status: 200,
			body: {
				symbol,
				timeframe: fields.timeframe,
				signal: score > 0.3 ? 'BUY' : score < -0.3 ? 'SELL' : 'HOLD',
				confidence: Number((0.55 + Math.abs(score) * 0.35).toFixed(2)),
				model_version: world.model.version,
				price: Number(world.price(symbol).toFixed(2)),
				indicators: {rsi_14: Number((50 + score * 22).toFixed(1)), macd: Number((score * 41.7).toFixed(2)), bb_width: Number((0.021 + Math.abs(score) * 0.01).toFixed(4))},
				processing_time_ms: Math.round(elapsed),
				timestamp: new Date(world.now()).toISOString(),
			},
		};
	}

	const servers = new Map<PlatformService, {server: http.Server; port: number; listening: boolean}>();
	let closed = false;

	for (const {service} of platformHttpServices) {
		const server = http.createServer((req, res) => void respond(service, req, res));
		const port = await listen(server, 0);
		servers.set(service, {server, port, listening: true});
		world.publishPort(service, privatePorts[service], port);
		if (!world.get(service).isUp) await shutListener(service);
	}

	async function respond(service: PlatformService, req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const url = new URL(req.url ?? '/', 'http://platform');
		world.tick();
		// Scrapes are answered at once, as a client library's handler is, however slow the service's own routes are.
		if (url.pathname === '/metrics' && req.method === 'GET' && options.metrics) {
			const text = options.metrics.render(service);
			res.writeHead(200, {'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Content-Length': Buffer.byteLength(text)});
			res.end(text);
			return;
		}
		await delay(world.httpLatencyMs(service));
		if (res.destroyed || closed) return;
		let reply: Reply;
		try {
			reply = await handlers[service](req, url, Buffer.concat(chunks).toString('utf8'));
		} catch (error) {
			reply = {status: 500, body: {error: 'internal server error', message: error instanceof Error ? error.message : String(error)}};
		}
		if (res.destroyed || closed) return;
		const text = JSON.stringify(reply.body);
		res.writeHead(reply.status, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text)});
		res.end(text);
	}

	async function shutListener(service: PlatformService): Promise<void> {
		const entry = servers.get(service)!;
		if (!entry.listening) return;
		entry.listening = false;
		entry.server.closeAllConnections();
		await new Promise<void>(resolve => entry.server.close(() => resolve()));
	}

	async function openListener(service: PlatformService): Promise<void> {
		const entry = servers.get(service)!;
		if (entry.listening || closed) return;
		entry.listening = true;
		// The same port as before: health URLs in the environment must keep working after a restart.
		for (let attempt = 0; attempt < 20; attempt++) {
			try {
				await listen(entry.server, entry.port);
				return;
			} catch {
				await delay(50);
			}
		}
		entry.listening = false;
	}

	// Listener changes are serialised per service so a quick restart (die then start) cannot interleave.
	const queues = new Map<PlatformService, Promise<void>>();
	const enqueue = (service: PlatformService, run: () => Promise<void>) => {
		const next = (queues.get(service) ?? Promise.resolve()).then(run, run);
		queues.set(service, next);
	};
	const unsubscribe = world.on(event => {
		if (event.type !== 'start' && event.type !== 'die') return;
		const service = event.container.name as PlatformService;
		if (!servers.has(service)) return;
		enqueue(service, () => (event.type === 'start' ? openListener(service) : shutListener(service)));
	});

	const ports = Object.fromEntries([...servers].map(([service, entry]) => [service, entry.port])) as Record<PlatformService, number>;
	const healthUrls = Object.fromEntries(platformHttpServices.map(({service, healthPath}) => [service, `http://127.0.0.1:${ports[service]}${healthPath}`])) as Record<PlatformService, string>;

	return {
		ports,
		healthUrls,
		async close() {
			closed = true;
			unsubscribe();
			await Promise.all([...queues.values()]);
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
			await Promise.all([...servers.keys()].map(service => shutListener(service)));
		},
	};
}

function listen(server: http.Server, port: number): Promise<number> {
	return new Promise((resolve, reject) => {
		const onError = (error: Error) => reject(error);
		server.once('error', onError);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', onError);
			const address = server.address();
			resolve(typeof address === 'object' && address ? address.port : port);
		});
	});
}
