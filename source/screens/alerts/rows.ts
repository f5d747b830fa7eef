import {severityOrder, type AlertGroup} from '../../alerts/grouping.js';
import type {MergedAlert, Silence} from '../../alerts/types.js';
import {formatMatchers} from '../../alerts/matchers.js';
import type {TableColumn} from '../../components/Table.js';
import type {ThemeToken} from '../../theme/theme.js';
import {formatDuration} from '../../util/format.js';

/** One line of the Alerts list: a group's heading, or one of its alerts under it. */
export type AlertRow = {kind: 'group'; key: string; group: AlertGroup} | {kind: 'alert'; key: string; group: AlertGroup; alert: MergedAlert};

export const alertRowKey = (row: AlertRow) => row.key;

/** Groups in Alertmanager's order, each followed by its alerts; keyed by identity (group key, fingerprint). */
export function alertRows(groups: readonly AlertGroup[]): AlertRow[] {
	const rows: AlertRow[] = [];
	for (const group of groups) {
		rows.push({kind: 'group', key: `g:${group.key}`, group});
		for (const alert of group.alerts) rows.push({kind: 'alert', key: `a:${group.key}:${alert.fingerprint}`, group, alert});
	}
	return rows;
}

/** The filter's words are looked for in the group's labels, and each alert's labels and summary. */
export function alertFilterFields(row: AlertRow): string[] {
	const labels = row.kind === 'group' ? row.group.alerts.flatMap(a => Object.entries(a.labels)) : Object.entries(row.alert.labels);
	return [...labels.map(([name, value]) => `${name}=${value}`), ...(row.kind === 'alert' ? [row.alert.annotations['summary'] ?? ''] : [])];
}

/** Filtered rows keep a group heading when any of its alerts matches, and the alerts that match. */
export function filterAlertRows(rows: readonly AlertRow[], keep: (row: AlertRow) => boolean): AlertRow[] {
	const keptAlerts = new Set(rows.filter(r => r.kind === 'alert' && keep(r)).map(r => r.key));
	const keptGroups = new Set(rows.filter(r => r.kind === 'alert' && keptAlerts.has(r.key)).map(r => r.group.key));
	return rows.filter(r => (r.kind === 'group' ? keptGroups.has(r.group.key) || keep(r) : keptAlerts.has(r.key)));
}

export function severityTone(severity: string | undefined): ThemeToken {
	const rank = severityOrder(severity);
	return rank <= 1 ? 'crit' : rank <= 2 ? 'warn' : rank <= 3 ? 'info' : 'muted';
}

/** active, silenced, inhibited (both when both), as Alertmanager reports the alert. */
export function alertStateText(alert: MergedAlert): string {
	const states: string[] = [];
	if (alert.silencedBy.length > 0) states.push('silenced');
	if (alert.inhibitedBy.length > 0) states.push('inhibited');
	if (states.length === 0) states.push(alert.state === 'suppressed' ? 'suppressed' : alert.state);
	return states.join('+');
}

export function groupStateText(group: AlertGroup): string {
	const parts = [`${group.alerts.length} alert${group.alerts.length === 1 ? '' : 's'}`];
	if (group.silenced > 0) parts.push(`${group.silenced} silenced`);
	if (group.inhibited > 0) parts.push(`${group.inhibited} inhibited`);
	return parts.join(', ');
}

export function alertAgeMs(alert: Pick<MergedAlert, 'startsAt'>, now: number): number | undefined {
	const started = Date.parse(alert.startsAt);
	return Number.isFinite(started) ? Math.max(0, now - started) : undefined;
}

/** The oldest alert of a group sets its age. */
function groupAgeMs(group: AlertGroup, now: number): number | undefined {
	const ages = group.alerts.map(a => alertAgeMs(a, now)).filter((age): age is number => age !== undefined);
	return ages.length > 0 ? Math.max(...ages) : undefined;
}

export function alertColumns(now: number, indent: string): ReadonlyArray<TableColumn<AlertRow>> {
	const age = (ms: number | undefined) => (ms === undefined ? '-' : formatDuration(ms));
	return [
		{key: 'severity', header: 'SEVERITY', width: 8, render: r => (r.kind === 'group' ? r.group.severity : (r.alert.labels['severity'] ?? '-')), color: r => severityTone(r.kind === 'group' ? r.group.severity : r.alert.labels['severity']), priority: 0},
		{
			key: 'alert',
			header: 'ALERT',
			width: 33,
			render: r => (r.kind === 'group' ? Object.values(r.group.labels).filter(Boolean).join(' ') || '(no group labels)' : `${indent}${r.alert.labels['alertname'] ?? '(unnamed)'}`),
			priority: 0,
		},
		{key: 'age', header: 'AGE', width: 7, align: 'right', render: r => age(r.kind === 'group' ? groupAgeMs(r.group, now) : alertAgeMs(r.alert, now)), priority: 1},
		{
			key: 'state',
			header: 'STATE',
			width: 12,
			render: r => (r.kind === 'group' ? groupStateText(r.group) : alertStateText(r.alert)),
			color: r => (r.kind === 'alert' && r.alert.state === 'suppressed' ? 'muted' : undefined),
			priority: 1,
		},
		{key: 'summary', header: 'SUMMARY', width: 11, render: r => (r.kind === 'group' ? '' : (r.alert.annotations['summary'] ?? r.alert.annotations['description'] ?? '')), priority: 2},
	];
}

/** The service an alert row is about (the group's when it is one service), for the jump keys. */
export function rowService(row: AlertRow, serviceLabel = 'service'): string | undefined {
	if (row.kind === 'alert') return row.alert.labels[serviceLabel] || undefined;
	const services = new Set(row.group.alerts.map(a => a.labels[serviceLabel] ?? ''));
	return services.size === 1 ? [...services][0] || undefined : undefined;
}

/** Active and pending silences, ending soonest first. */
export function currentSilences(silences: readonly Silence[]): Silence[] {
	return silences.filter(s => s.state !== 'expired').sort((a, b) => a.endsAt.localeCompare(b.endsAt) || a.id.localeCompare(b.id));
}

export function silenceColumns(now: number): ReadonlyArray<TableColumn<Silence>> {
	return [
		{key: 'id', header: 'ID', width: 8, render: s => s.id.slice(0, 8), priority: 0},
		{key: 'state', header: 'STATE', width: 7, render: s => s.state, color: s => (s.state === 'active' ? 'warn' : 'muted'), priority: 1},
		{key: 'ends', header: 'ENDS IN', width: 8, align: 'right', render: s => formatDuration(Math.max(0, Date.parse(s.endsAt) - now)), priority: 1},
		{key: 'by', header: 'BY', width: 10, render: s => s.createdBy, priority: 2},
		{key: 'matchers', header: 'MATCHERS', width: 28, render: s => formatMatchers(s.matchers), priority: 0},
		{key: 'comment', header: 'COMMENT', width: 10, render: s => s.comment, priority: 2},
	];
}
