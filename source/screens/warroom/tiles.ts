import type {MergedAlert} from '../../alerts/types.js';
import type {ServiceRow, ServiceState} from '../../store/selectors.js';
import type {ThemeToken} from '../../theme/theme.js';
import {formatDuration} from '../../util/format.js';
import {severityTone} from '../alerts/rows.js';
import type {TileState} from './StatusTile.js';

const stateTone: Record<ServiceState, ThemeToken> = {ok: 'ok', degraded: 'warn', starting: 'warn', down: 'crit', unknown: 'muted'};

/** A service's tile: its state word, and its first problem (or its uptime while it is fine). */
export function serviceTile(row: ServiceRow, asOf: string): TileState {
	const detail = row.problems[0] ?? (row.uptimeMs !== undefined ? `up ${formatDuration(row.uptimeMs)}` : undefined);
	return {title: row.name, word: row.state.toUpperCase(), tone: stateTone[row.state], detail, asOf};
}

/** The alerts tile: how many fire and the worst severity, or "NONE"; unknown (not "none") before the first answer. */
export function alertsTile(firing: readonly MergedAlert[] | undefined, asOf: string): TileState {
	if (!firing) return {title: 'Alerts', word: 'UNKNOWN', tone: 'muted', detail: 'no answer from Alertmanager yet', asOf};
	if (firing.length === 0) return {title: 'Alerts', word: 'NONE FIRING', tone: 'ok', asOf};
	const worst = firing[0]!.labels['severity'] ?? 'none';
	const names = [...new Set(firing.map(a => a.labels['alertname'] ?? '?'))];
	return {title: 'Alerts', word: `${firing.length} FIRING`, tone: severityTone(worst), detail: names.join(', '), asOf};
}
