import {Box, Text} from 'ink';
import React, {useMemo} from 'react';
import {Pane} from '../../components/Pane.js';
import {fitColumns, Table, type TableColumn} from '../../components/Table.js';
import {databaseSettings} from '../../database/settings.js';
import type {TradingKpis} from '../../database/trading.js';
import {staleTradeVerdict, successRateVerdict} from '../../database/verdicts.js';
import {useAppContext, useAppState} from '../../hooks/AppContext.js';
import {useNow} from '../../hooks/useNow.js';
import {useResourceStatus} from '../../hooks/useResourceStatus.js';
import {selectTrading} from '../../store/selectors.js';
import {useTheme} from '../../theme/ThemeContext.js';
import {formatAge, truncate} from '../../util/format.js';
import {faultAge, faultText, verdictTone} from '../database/sections.js';
import type {ScreenProps} from '../screen.js';

type SymbolRow = TradingKpis['bySymbol'][number];

export const formatPnl = (value: number) => `${value < 0 ? '-' : value > 0 ? '+' : ''}${Math.abs(value).toFixed(2)}`;

export function symbolColumns(now: number): ReadonlyArray<TableColumn<SymbolRow>> {
	return [
		{key: 'symbol', header: 'SYMBOL', width: 12, render: r => r.symbol, priority: 0},
		{key: 'trades', header: 'TRADES', width: 8, align: 'right', render: r => String(r.trades), priority: 0},
		{key: 'pnl', header: 'P&L', width: 14, align: 'right', render: r => formatPnl(r.pnl), color: r => (r.pnl < 0 ? 'crit' : r.pnl > 0 ? 'ok' : undefined), priority: 0},
		{key: 'last', header: 'LAST TRADE', width: 12, align: 'right', render: r => (r.lastMs === undefined ? '-' : formatAge(now - r.lastMs).replace(' old', '')), priority: 1},
	];
}

/** The evening routine's figures (manual §2.1): trades today and in the last hour, success rate against 95 %, P&L by symbol. */
export function TradingScreen({width, height, active}: ScreenProps) {
	const theme = useTheme();
	const {environment} = useAppContext();
	const trading = useAppState(s => s.database.data.trading);
	const enabled = useAppState(s => selectTrading(s)?.enabled);
	const status = useResourceStatus('database');
	const now = useNow(active ? 1000 : 0);
	const settings = useMemo(() => databaseSettings(environment), [environment]);
	const columns = useMemo(() => fitColumns(symbolColumns(now), width - 2), [now, width]);
	const fit = (text: string) => truncate(theme.text(text), width - 2, theme.glyph.ellipsis);
	if (!environment.mongo) {
		return (
			<Pane title="Trading" width={width} height={height} focused={active}>
				<Text>{fit(`no MongoDB configured for ${environment.name}: the KPIs come from its ${settings.tradeFields.collection} collection`)}</Text>
			</Pane>
		);
	}
	const kpis = trading.value;
	const success = successRateVerdict(kpis, settings.limits);
	const stale = staleTradeVerdict(kpis, enabled, now, settings.limits);
	const error = faultText(trading.fault, `${settings.tradeFields.collection} aggregation`);
	const kpiHeight = 6 + (status.error || error ? 1 : 0);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Pane title="Trading" info={`${settings.database}.${settings.tradeFields.collection}${error ? `  ${faultAge(trading.updatedAt, now)}` : ''}`} status={error ? {...status, error: status.error ?? error} : status} width={width} height={kpiHeight} focused={active}>
				<Text wrap="truncate">{fit(kpis ? `trades today ${kpis.today}   last hour ${kpis.lastHour}` : 'waiting for the trades aggregation')}</Text>
				<Text wrap="truncate" color={theme.color(verdictTone[success.status])}>
					{fit(success.reason)}
				</Text>
				<Text wrap="truncate" color={theme.color(kpis ? (kpis.pnlTotal < 0 ? 'crit' : 'ok') : 'muted')}>
					{fit(kpis ? `P&L today ${formatPnl(kpis.pnlTotal)} over ${kpis.bySymbol.length} symbols` : 'P&L -')}
				</Text>
				<Text wrap="truncate" color={theme.color(verdictTone[stale.status])}>
					{fit(`${stale.reason}${enabled === undefined ? '' : enabled ? '   trading on' : '   TRADING OFF'}`)}
				</Text>
			</Pane>
			<Pane title="P&L by symbol (today, UTC)" info={kpis ? `${kpis.bySymbol.length} symbols` : undefined} width={width} height={height - kpiHeight}>
				<Table columns={columns} rows={kpis?.bySymbol ?? []} rowKey={r => r.symbol} height={height - kpiHeight - 2} width={width - 2} emptyText={kpis ? 'no trades today' : 'waiting for the trades aggregation'} />
			</Pane>
		</Box>
	);
}
