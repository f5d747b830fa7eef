import {Text} from 'ink';
import React, {memo, useMemo} from 'react';
import type {CheckVerdict} from '../../checks/verdict.js';
import {databaseSettings} from '../../database/settings.js';
import {backupVerdict, connectionsVerdict, longestOpVerdict, replicationVerdict, successRateVerdict} from '../../database/verdicts.js';
import type {DatabaseView} from '../../database/view.js';
import {useAppContext, useAppState} from '../../hooks/AppContext.js';
import {useNow} from '../../hooks/useNow.js';
import type {BackupListing} from '../../store/slices/database.js';
import {useTheme} from '../../theme/ThemeContext.js';
import {displayWidth, steadiness, truncate} from '../../util/format.js';
import {useSteady, type Steady} from '../../components/useSteady.js';
import type {DatabaseSettings} from '../../database/settings.js';
import {formatPnl} from '../trading/TradingScreen.js';
import {verdictTone} from './sections.js';

export type SummaryPart = {label: string; text: string; verdict?: CheckVerdict};

/** The Dashboard's database line: connections, worst lag, longest op, trades, success rate, P&L, backup age. */
export function databaseSummaryParts(view: DatabaseView, backups: BackupListing | undefined, settings: DatabaseSettings, now: number, unreachable?: string, steady?: Steady): SummaryPart[] {
	if (unreachable) return [{label: 'db', text: unreachable, verdict: {status: 'fail', reason: unreachable}}];
	const connections = connectionsVerdict(view.server.value?.sample.connections, settings.limits);
	const replication = view.replication.value;
	const lag = replicationVerdict(replication?.set, {notReplicaSet: replication?.notReplicaSet}, settings.limits);
	const longest = longestOpVerdict(view.ops.value, settings.limits);
	// Figures as a person reads them (steadyValue): 26 or 29 connections, a lag of 0.4 or 0.7 s under its 1 s limit,
	// an operation running for 10 or 14 s under its limits.
	const current = view.server.value?.sample.connections?.current;
	const lagFigure = lag.figure ?? (lag.status === 'pass' ? 'n/a' : lag.status === 'fail' ? 'FAIL' : '?');
	const longestFigure = longest.figure ?? '-';
	const longestBounds = [settings.limits.longestOpWarnMs / 1000, settings.limits.longestOpFailMs / 1000];
	const longestText = steady && longest.figure && longest.value !== undefined ? steady.text('longest op', longest.value, longestFigure, steadiness.runningSeconds, longestBounds) : longestFigure;
	const lagText = steady && lag.figure && lag.value !== undefined ? steady.text('lag', lag.value, lagFigure, steadiness.lagSeconds, [settings.limits.lagSeconds]) : lagFigure;
	const kpis = view.trading.value;
	const success = successRateVerdict(kpis, settings.limits);
	const parts: SummaryPart[] = [
		{label: 'db conn', text: current === undefined ? '-' : `${steady ? steady('conn', current, steadiness.count) : current}`, verdict: connections},
		{label: 'lag', text: lagText, verdict: lag},
		{label: 'longest op', text: longestText, verdict: longest},
		{label: 'trades', text: kpis ? String(kpis.today) : '-'},
		{label: 'success', text: success.figure ?? '-', verdict: success},
		{label: 'P&L', text: kpis ? formatPnl(kpis.pnlTotal) : '-'},
	];
	if (backups) {
		const backup = backupVerdict(backups.entries, now, settings.limits);
		parts.push({label: 'backup', text: backup.figure?.replace(' old', '') ?? 'none', verdict: backup});
	}
	return parts;
}

/** Whether the Dashboard gives the line a row: only on environments that configure MongoDB. */
export function useHasDatabaseSummary(): boolean {
	return useAppContext().environment.mongo !== undefined;
}

export const DatabaseSummary = memo(function DatabaseSummary({width}: {width: number}) {
	const theme = useTheme();
	const {environment} = useAppContext();
	const view = useAppState(s => s.database.data);
	const error = useAppState(s => s.database.error);
	const backups = useAppState(s => s.backups.data);
	// The backup's age is the one figure read off the clock: ticked when its text changes (every 5 s under a minute,
	// then on each minute of the age), not every 5 s for a whole-screen draw that changes nothing.
	const lastBackup = backups?.entries[0]?.createdMs;
	const now = useNow(lastBackup === undefined ? 0 : Date.now() - lastBackup < 60_000 ? 5000 : 60_000, lastBackup);
	const settings = useMemo(() => databaseSettings(environment), [environment]);
	const steady = useSteady();
	const parts = useMemo(() => databaseSummaryParts(view, backups, settings, now, error, steady), [view, backups, settings, now, error, steady]);
	let room = width;
	const shown: Array<{text: string; tone?: string}> = [];
	for (const part of parts) {
		const text = `${shown.length > 0 ? theme.glyph.separator : ''}${part.label} ${part.text}`;
		if (displayWidth(text) > room) {
			if (shown.length === 0) shown.push({text: truncate(theme.text(text), room, theme.glyph.ellipsis), tone: part.verdict ? theme.color(verdictTone[part.verdict.status]) : undefined});
			break;
		}
		room -= displayWidth(text);
		shown.push({text: theme.text(text), tone: part.verdict ? theme.color(verdictTone[part.verdict.status]) : undefined});
	}
	return (
		<Text wrap="truncate">
			{shown.map((part, i) => (
				<Text key={i} color={part.tone}>
					{part.text}
				</Text>
			))}
		</Text>
	);
});
