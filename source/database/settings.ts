import type {EnvironmentConfig} from '../config/schema.js';
import {serviceMatcher, type ServiceMatcher} from './current-ops.js';
import {defaultTradeFields, type TradeFields} from './trading.js';
import {bounds} from './verdicts.js';

/** What the Database work reads from an environment's config, with the defaults filled in. */
export type DatabaseSettings = {
	database: string;
	tradeFields: TradeFields;
	services: ServiceMatcher;
	limits: typeof bounds;
};

export function databaseSettings(environment: EnvironmentConfig): DatabaseSettings {
	const trades = environment.mongo?.trades ?? {};
	const backupHours = environment.backups?.maxAgeHours;
	return {
		database: environment.mongo?.database ?? 'trading_bot',
		tradeFields: {
			collection: trades.collection ?? defaultTradeFields.collection,
			time: trades.time ?? defaultTradeFields.time,
			symbol: trades.symbol ?? defaultTradeFields.symbol,
			status: trades.status ?? defaultTradeFields.status,
			pnl: trades.pnl ?? defaultTradeFields.pnl,
			successStatuses: trades.successStatuses ?? defaultTradeFields.successStatuses,
		},
		services: serviceMatcher(environment.services.map(s => s.name), environment.mongo?.appNames),
		limits: backupHours === undefined ? bounds : {...bounds, backupMaxAgeMs: backupHours * 3_600_000},
	};
}
