import {aggregate} from 'mingo';
import {describe, expect, it} from 'vitest';
import {defaultTradeFields, lastTradePipeline, tradesTodayPipeline, tradingKpis, type TradeFields} from '../../source/database/trading.js';
import {staleTradeVerdict, successRateVerdict} from '../../source/database/verdicts.js';

const now = Date.UTC(2026, 11, 2, 15, 0, 0);
const minutesAgo = (m: number) => new Date(now - m * 60_000);

/** Known trades: yesterday's must not count; 20 today, 2 of them failed, 3 within the last hour. */
function knownTrades(fields: TradeFields = defaultTradeFields) {
	const trades: Array<Record<string, unknown>> = [{[fields.time]: new Date(now - 16 * 3_600_000), [fields.symbol]: 'BTCUSDT', [fields.status]: 'filled', [fields.pnl]: 1000}];
	for (let i = 0; i < 20; i++) {
		const symbol = i % 2 === 0 ? 'BTCUSDT' : 'ETHUSDT';
		const minutes = i < 3 ? 10 + i * 10 : 120 + i * 10;
		trades.push({[fields.time]: minutesAgo(minutes), [fields.symbol]: symbol, [fields.status]: i === 5 || i === 6 ? 'rejected' : 'filled', [fields.pnl]: symbol === 'BTCUSDT' ? 10 : -2.5});
	}
	return trades;
}

/** The pipelines run through mingo, which implements MongoDB's aggregation as the demo server does. */
function kpisOf(trades: Array<Record<string, unknown>>, fields: TradeFields = defaultTradeFields) {
	const groups = aggregate(trades, tradesTodayPipeline(fields, now)) as Array<Record<string, unknown>>;
	const last = aggregate(trades, lastTradePipeline(fields)) as Array<Record<string, unknown>>;
	return tradingKpis(groups, last);
}

describe('trading KPIs', () => {
	it('counts today, the last hour, the success rate and P&L by symbol from known trades', () => {
		const kpis = kpisOf(knownTrades());
		expect(kpis.today).toBe(20);
		expect(kpis.lastHour).toBe(3);
		expect(kpis.succeeded).toBe(18);
		expect(kpis.successRate).toBeCloseTo(0.9, 10);
		expect(kpis.bySymbol).toEqual([
			{symbol: 'BTCUSDT', trades: 10, pnl: 100, lastMs: now - 10 * 60_000},
			{symbol: 'ETHUSDT', trades: 10, pnl: -25, lastMs: now - 20 * 60_000},
		]);
		expect(kpis.pnlTotal).toBe(75);
		expect(kpis.lastTradeMs).toBe(now - 10 * 60_000);
	});

	it('reads configured field names', () => {
		const fields: TradeFields = {collection: 'executions', time: 'executed_at', symbol: 'pair', status: 'state', pnl: 'realized', successStatuses: ['done']};
		const trades = knownTrades(fields).map(t => ({...t, state: t['state'] === 'filled' ? 'done' : 'error'}));
		const kpis = kpisOf(trades, fields);
		expect(kpis.today).toBe(20);
		expect(kpis.succeeded).toBe(18);
		expect(kpis.pnlTotal).toBe(75);
	});

	it('fails a success rate under 95 % and passes one above', () => {
		expect(successRateVerdict(kpisOf(knownTrades()))).toMatchObject({status: 'fail', figure: '90.0 %'});
		const good = knownTrades().map(t => ({...t, status: 'filled'}));
		expect(successRateVerdict(kpisOf(good))).toMatchObject({status: 'pass', figure: '100.0 %'});
		expect(successRateVerdict(kpisOf([])).status).toBe('unknown');
	});

	it('warns on a stale last trade only while trading is enabled', () => {
		const old = kpisOf([{timestamp: minutesAgo(45), symbol: 'BTCUSDT', status: 'filled', pnl: 1}]);
		expect(old.lastTradeMs).toBe(now - 45 * 60_000);
		expect(staleTradeVerdict(old, true, now).status).toBe('warn');
		expect(staleTradeVerdict(old, false, now).status).toBe('pass');
		expect(staleTradeVerdict(old, undefined, now).status).toBe('unknown');
		expect(staleTradeVerdict(kpisOf(knownTrades()), true, now).status).toBe('pass');
	});
});
