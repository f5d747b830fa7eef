/** Market data the engine serves: derived from the world's current prices, stable within a minute. */
import {Prng} from './prng.js';
import type {World} from './world.js';

export type Kline = {open_time: number; close_time: number; open: number; high: number; low: number; close: number; volume: number};

const round = (value: number) => Number(value.toFixed(value >= 100 ? 2 : 4));

export function marketData(world: World, symbol: string, now: number) {
	const minute = Math.floor(now / 60_000);
	let hash = world.seed ^ minute;
	for (const ch of symbol) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193);
	const rng = new Prng(hash >>> 0);
	const price = world.price(symbol);
	const klines: Kline[] = [];
	let close = price;
	for (let i = 0; i < 30; i++) {
		const open = close * (1 + 0.0008 * rng.gauss());
		const high = Math.max(open, close) * (1 + Math.abs(0.0004 * rng.gauss()));
		const low = Math.min(open, close) * (1 - Math.abs(0.0004 * rng.gauss()));
		const openTime = (minute - i) * 60_000;
		klines.unshift({open_time: openTime, close_time: openTime + 59_999, open: round(open), high: round(high), low: round(low), close: round(close), volume: Number(rng.range(5, 120).toFixed(3))});
		close = open;
	}
	const open24h = price * (1 + 0.02 * rng.gauss());
	const volume = rng.range(8_000, 40_000) * (symbol === 'BTCUSDT' ? 1 : 30_000 / price);
	return {
		symbol,
		price: round(price),
		change_24h: round(price - open24h),
		change_percent_24h: Number((((price - open24h) / open24h) * 100).toFixed(2)),
		high_24h: round(Math.max(price, open24h) * 1.012),
		low_24h: round(Math.min(price, open24h) * 0.988),
		volume_24h: Number(volume.toFixed(3)),
		quote_volume_24h: Number((volume * price).toFixed(2)),
		interval: '1m',
		klines,
		timestamp: now,
	};
}
