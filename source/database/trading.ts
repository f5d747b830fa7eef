import {epochMs, isDoc, num, str, type Doc} from './values.js';

/** Where the trades' fields are (config `mongo.trades`; the defaults are the platform's `trades` collection). */
export type TradeFields = {
	collection: string;
	time: string;
	symbol: string;
	status: string;
	pnl: string;
	/** Status values that count as a successful execution. */
	successStatuses: readonly string[];
};

export const defaultTradeFields: TradeFields = {collection: 'trades', time: 'timestamp', symbol: 'symbol', status: 'status', pnl: 'pnl', successStatuses: ['filled', 'executed', 'success']};

/** The manual's evening routine (§2.1): trades executed, success rate (target > 95 %), P&L summary. */
export type TradingKpis = {
	/** Since 00:00 UTC. */
	today: number;
	lastHour: number;
	succeeded: number;
	/** succeeded / today, 0–1; undefined with no trades today. */
	successRate?: number;
	pnlTotal: number;
	bySymbol: Array<{symbol: string; trades: number; pnl: number; lastMs?: number}>;
	/** The newest trade ever recorded, today or not. */
	lastTradeMs?: number;
};

export function startOfUtcDay(ms: number): number {
	const day = new Date(ms);
	return Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
}

const field = (name: string) => `$${name}`;

/**
 * Today's trades grouped by symbol, in the server (the collection may hold millions; only one document per
 * symbol comes back). Field names are the configured ones; they are validated as plain field paths by the
 * config schema, so none can smuggle an operator in.
 */
export function tradesTodayPipeline(fields: TradeFields, now: number): Doc[] {
	const hourAgo = new Date(now - 3_600_000);
	return [
		{$match: {[fields.time]: {$gte: new Date(startOfUtcDay(now))}}},
		{
			$group: {
				_id: field(fields.symbol),
				trades: {$sum: 1},
				lastHour: {$sum: {$cond: [{$gte: [field(fields.time), hourAgo]}, 1, 0]}},
				succeeded: {$sum: {$cond: [{$in: [field(fields.status), [...fields.successStatuses]]}, 1, 0]}},
				pnl: {$sum: field(fields.pnl)},
				last: {$max: field(fields.time)},
			},
		},
	];
}

/** The newest trade's time, whatever its day. */
export function lastTradePipeline(fields: TradeFields): Doc[] {
	return [{$sort: {[fields.time]: -1}}, {$limit: 1}, {$project: {_id: 0, time: field(fields.time)}}];
}

export function tradingKpis(groups: readonly Doc[], last: readonly Doc[]): TradingKpis {
	const bySymbol: TradingKpis['bySymbol'] = [];
	let today = 0;
	let lastHour = 0;
	let succeeded = 0;
	let pnlTotal = 0;
	for (const group of groups) {
		if (!isDoc(group)) continue;
		const trades = num(group['trades']) ?? 0;
		const pnl = num(group['pnl']) ?? 0;
		today += trades;
		lastHour += num(group['lastHour']) ?? 0;
		succeeded += num(group['succeeded']) ?? 0;
		pnlTotal += pnl;
		bySymbol.push({symbol: str(group['_id']) ?? '(none)', trades, pnl, lastMs: epochMs(group['last'])});
	}
	bySymbol.sort((a, b) => b.pnl - a.pnl || a.symbol.localeCompare(b.symbol));
	const newest = last.find(isDoc);
	return {today, lastHour, succeeded, successRate: today > 0 ? succeeded / today : undefined, pnlTotal, bySymbol, lastTradeMs: newest ? epochMs(newest['time']) : undefined};
}
