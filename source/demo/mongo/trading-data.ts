/**
 * The `trading_bot` database as the platform writes it: trades as the simulated engine fills (or fails) orders,
 * the positions they move, one-minute market data, the AI service's analyses and hourly portfolio snapshots.
 * Every document comes from one seeded schedule, so the same seed and clock give the same database however often
 * it is read. Field names are plain snake_case, as the engine's Rust structs serialise them.
 */
import {ObjectId, type Document} from 'bson';
import {Prng} from '../prng.js';
import {demoSymbols, type World} from '../world.js';
import {DemoCatalog, DemoCollection} from './collections.js';

export const tradingDatabase = 'trading_bot';

/** The engine's trade record. `pnl` is the realised P&L in USDT (0 for a failed order). */
export type TradeDocument = {
	_id: ObjectId;
	order_id: number;
	user_id: string;
	symbol: string;
	side: 'BUY' | 'SELL';
	type: 'MARKET' | 'LIMIT';
	quantity: number;
	price: number;
	fee: number;
	pnl: number;
	status: 'executed' | 'failed';
	/** Why a failed order failed (Binance's message). */
	error?: string;
	strategy: string;
	/** When the order was placed. */
	timestamp: Date;
	/** When it was filled (executed trades only). */
	executed_at?: Date;
};

export type TradingDataOptions = {
	/** Trades written before the demo started, spread over `backlogHours` (default 24; benchmarks ask for 100,000). */
	backlogTrades?: number;
	backlogHours?: number;
	/** Mean time between trades while trading runs, ms. */
	meanTradeIntervalMs?: number;
};

const users = ['u-1001', 'u-1002', 'u-1003', 'u-1004'];
const strategies = ['ai_signal', 'rsi_reversal', 'grid', 'momentum'];
const failures = [
	'Account has insufficient balance for requested action.',
	'Filter failure: LOT_SIZE',
	'Timestamp for this request is outside of the recvWindow.',
	'error sending request for url (https://testnet.binance.vision/api/v3/order): operation timed out',
];
const minuteMs = 60_000;
const analysisEveryMs = 5 * minuteMs;
const snapshotEveryMs = 60 * minuteMs;
/** market_data keeps six hours of one-minute candles per symbol (a TTL index on open_time in the platform). */
const marketDataKeepMs = 6 * 60 * minuteMs;

const round = (value: number, digits: number) => Number(value.toFixed(digits));
const priceDigits = (price: number) => (price >= 100 ? 2 : 4);

export class TradingData {
	readonly catalog = new DemoCatalog();
	readonly trades: DemoCollection;
	readonly positions: DemoCollection;
	readonly marketData: DemoCollection;
	readonly analyses: DemoCollection;
	readonly snapshots: DemoCollection;
	readonly users: DemoCollection;
	/** Trades written since the demo started (the live part, not the backlog). */
	liveTrades = 0;
	private readonly rng: Prng;
	private readonly meanIntervalMs: number;
	private nextTradeAt: number;
	private nextMinute: number;
	private nextAnalysis: number;
	private nextSnapshot: number;
	private readonly listeners = new Set<(trade: TradeDocument) => void>();

	constructor(
		private readonly world: World,
		options: TradingDataOptions = {},
	) {
		this.rng = new Prng((world.seed ^ 0x6d6f6e67) >>> 0);
		this.meanIntervalMs = options.meanTradeIntervalMs ?? 20_000;
		const now = world.now();
		const backlogHours = options.backlogHours ?? 24;
		const start = now - backlogHours * 3_600_000;
		const since = new Date(start);
		const collection = (name: string, indexes: ConstructorParameters<typeof DemoCollection>[2]) => this.catalog.add(new DemoCollection(tradingDatabase, name, indexes, since, this.rng));
		this.trades = collection('trades', [{key: {symbol: 1, timestamp: -1}}, {key: {user_id: 1, timestamp: -1}}, {key: {order_id: 1}, unique: true}, {key: {strategy: 1}}]);
		this.positions = collection('positions', [{key: {user_id: 1, symbol: 1}, unique: true}]);
		this.marketData = collection('market_data', [{key: {symbol: 1, open_time: -1}}, {key: {open_time: 1}, expireAfterSeconds: marketDataKeepMs / 1000}]);
		this.analyses = collection('ai_analyses', [{key: {symbol: 1, timestamp: -1}}]);
		this.snapshots = collection('portfolio_snapshots', [{key: {user_id: 1, timestamp: -1}}]);
		this.users = collection('users', [{key: {email: 1}, unique: true}]);

		users.forEach((user_id, index) =>
			this.users.append({_id: this.objectId(start - 90 * 86_400_000), user_id, username: `trader${index + 1}`, email: `trader${index + 1}@botcore.local`, role: index === 0 ? 'admin' : 'trader', created_at: new Date(start - (90 - index * 7) * 86_400_000), active: true}),
		);
		for (const symbol of world.trading.symbols)
			for (const user_id of users)
				this.positions.append({_id: this.objectId(start), user_id, symbol, side: 'LONG', quantity: 0, entry_price: round(world.price(symbol), priceDigits(world.price(symbol))), current_price: round(world.price(symbol), priceDigits(world.price(symbol))), unrealized_pnl: 0, opened_at: since, updated_at: since});

		// The backlog is written at the first read, not here: the demo's start-up (and its first frame) should not wait for it.
		this.backlog = {start, end: now, trades: options.backlogTrades ?? Math.round((backlogHours * 3_600_000) / this.meanIntervalMs)};
		this.nextTradeAt = now + this.interval();
		this.nextMinute = Math.floor(Math.max(start, now - marketDataKeepMs) / minuteMs) * minuteMs;
		this.nextAnalysis = Math.floor(start / analysisEveryMs) * analysisEveryMs;
		this.nextSnapshot = Math.floor(start / snapshotEveryMs) * snapshotEveryMs;
	}

	private backlog?: {start: number; end: number; trades: number};

	/** Evenly many trades over the window before the demo started (a benchmark's 100,000 too), then the series up to then. */
	private writeBacklog(): void {
		const backlog = this.backlog;
		if (!backlog) return;
		this.backlog = undefined;
		const {start, end, trades} = backlog;
		const symbols = this.world.trading.symbols.length > 0 ? this.world.trading.symbols : demoSymbols;
		for (let i = 0; i < trades; i++) {
			const at = start + ((i + this.rng.next()) / trades) * (end - start);
			const symbol = this.rng.pick(symbols);
			this.writeTrade(at, symbol, this.backlogPrice(symbol));
		}
		this.advanceSeries(end);
	}

	/** An insert into a collection that does not exist creates it, as on a real server. */
	createCollection(db: string, name: string): DemoCollection {
		// Its own generator: a client's inserts must not shift the seeded schedule of the platform's writes.
		let hash = this.world.seed;
		for (const ch of `${db}.${name}`) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193);
		return this.catalog.add(new DemoCollection(db, name, [], new Date(this.world.now()), new Prng(hash >>> 0)));
	}

	/** Called with each trade the live engine writes (the server counts it as an insert and two updates). */
	onTrade(listener: (trade: TradeDocument) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** Writes everything the platform would have written up to `now`; trades only while trading runs and the database is up. */
	advance(now = this.world.now()): void {
		this.writeBacklog();
		while (this.nextTradeAt <= now) {
			const at = this.nextTradeAt;
			this.nextTradeAt += this.interval();
			if (!this.world.trading.enabled || !this.world.dbConnected) continue;
			if (this.world.trading.symbols.length === 0) continue;
			const symbol = this.rng.pick(this.world.trading.symbols);
			const trade = this.writeTrade(at, symbol, this.world.price(symbol) || this.backlogPrice(symbol));
			this.liveTrades++;
			for (const listener of this.listeners) listener(trade);
		}
		this.advanceSeries(now);
	}

	private interval(): number {
		return -Math.log(1 - this.rng.next()) * this.meanIntervalMs;
	}

	private backlogPrice(symbol: string): number {
		return (this.world.price(symbol) || 100) * (1 + 0.012 * this.rng.gauss());
	}

	/** A 12-byte ObjectId from the seeded generator: the time part is real, the rest replays with the seed. */
	private objectId(at: number): ObjectId {
		const bytes = Buffer.alloc(12);
		bytes.writeUInt32BE(Math.floor(at / 1000) >>> 0, 0);
		bytes.writeUInt32BE(Math.floor(this.rng.next() * 0x1_0000_0000), 4);
		bytes.writeUInt32BE(Math.floor(this.rng.next() * 0x1_0000_0000), 8);
		return new ObjectId(bytes);
	}

	private writeTrade(at: number, symbol: string, marketPrice: number): TradeDocument {
		const price = round(marketPrice * (1 + 0.0004 * this.rng.gauss()), priceDigits(marketPrice));
		const notional = this.rng.range(150, 2500);
		const quantity = round(notional / price, price >= 1000 ? 5 : 3);
		const failed = this.rng.chance(0.03);
		const side = this.rng.chance(0.5) ? 'BUY' : 'SELL';
		// Realised P&L: closing trades (sells) win a little more often than they lose.
		const pnl = failed || side === 'BUY' ? 0 : round(notional * (0.0012 + 0.006 * this.rng.gauss()), 2);
		const user_id = this.rng.pick(users);
		const trade: TradeDocument = {
			_id: this.objectId(at),
			order_id: 10_000_000 + this.trades.count * 37 + this.rng.int(0, 36),
			user_id,
			symbol,
			side,
			type: this.rng.chance(0.8) ? 'MARKET' : 'LIMIT',
			quantity,
			price,
			fee: failed ? 0 : round(quantity * price * 0.001, 4),
			pnl,
			status: failed ? 'failed' : 'executed',
			...(failed ? {error: this.rng.pick(failures)} : {}),
			strategy: this.rng.pick(strategies),
			timestamp: new Date(at),
			...(failed ? {} : {executed_at: new Date(at + this.rng.int(40, 900))}),
		};
		this.trades.append(trade);
		if (!failed) this.movePosition(trade, at);
		return trade;
	}

	private movePosition(trade: TradeDocument, at: number): void {
		const position = this.positions.documents.find(doc => doc.user_id === trade.user_id && doc.symbol === trade.symbol);
		if (!position) return;
		const quantity = Math.max(0, position.quantity + (trade.side === 'BUY' ? trade.quantity : -trade.quantity));
		if (trade.side === 'BUY') position.entry_price = round((position.entry_price * position.quantity + trade.price * trade.quantity) / (quantity || 1), priceDigits(trade.price));
		position.quantity = round(quantity, 5);
		position.current_price = trade.price;
		position.unrealized_pnl = round((trade.price - position.entry_price) * position.quantity, 2);
		position.updated_at = new Date(at);
	}

	private advanceSeries(now: number): void {
		const symbols = this.world.trading.symbols;
		for (; this.nextMinute + minuteMs <= now; this.nextMinute += minuteMs) {
			for (const symbol of symbols) {
				const close = this.world.price(symbol) * (1 + 0.001 * this.rng.gauss());
				const open = close * (1 + 0.0008 * this.rng.gauss());
				const digits = priceDigits(close);
				this.marketData.append({
					_id: this.objectId(this.nextMinute + minuteMs),
					symbol,
					interval: '1m',
					open_time: new Date(this.nextMinute),
					close_time: new Date(this.nextMinute + minuteMs - 1),
					open: round(open, digits),
					high: round(Math.max(open, close) * (1 + Math.abs(0.0004 * this.rng.gauss())), digits),
					low: round(Math.min(open, close) * (1 - Math.abs(0.0004 * this.rng.gauss())), digits),
					close: round(close, digits),
					volume: round(this.rng.range(5, 120), 3),
				});
			}
		}
		this.marketData.trim((marketDataKeepMs / minuteMs) * Math.max(1, symbols.length));
		for (; this.nextAnalysis <= now; this.nextAnalysis += analysisEveryMs) {
			for (const symbol of symbols) {
				const signal = this.rng.pick(['BUY', 'SELL', 'HOLD', 'HOLD'] as const);
				this.analyses.append({
					_id: this.objectId(this.nextAnalysis),
					symbol,
					signal,
					confidence: round(this.rng.range(0.52, 0.93), 3),
					model_version: this.world.model.version,
					latency_ms: Math.round(this.rng.range(60, 240)),
					timestamp: new Date(this.nextAnalysis + this.rng.int(0, 4000)),
				});
			}
		}
		for (; this.nextSnapshot <= now; this.nextSnapshot += snapshotEveryMs) {
			for (const user_id of users) {
				const positionsValue = this.positions.documents.filter(doc => doc.user_id === user_id).reduce((sum, doc) => sum + doc.quantity * doc.current_price, 0);
				const cash = this.rng.range(8000, 12_000);
				this.snapshots.append({_id: this.objectId(this.nextSnapshot), user_id, total_value: round(cash + positionsValue, 2), cash: round(cash, 2), positions_value: round(positionsValue, 2), timestamp: new Date(this.nextSnapshot)});
			}
		}
	}
}
