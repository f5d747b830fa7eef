import type {TableColumn} from '../../components/Table.js';
import {clockTime, type TimelineEntry} from '../../incident/model.js';
import {kindLabel} from '../../incident/postmortem.js';
import type {Change} from '../../incident/what-changed.js';
import type {ThemeToken} from '../../theme/theme.js';
import {formatDuration} from '../../util/format.js';

export type TimelineRow = {entry: TimelineEntry; key: string};

const kindTone: Partial<Record<TimelineEntry['kind'], ThemeToken>> = {
	'alert-firing': 'crit',
	'service-down': 'crit',
	'alert-resolved': 'ok',
	'service-up': 'ok',
	declared: 'warn',
	closed: 'ok',
	note: 'accent',
	rollback: 'warn',
	'kill-op': 'warn',
};

function entryTone(entry: TimelineEntry): ThemeToken | undefined {
	const outcome = entry.refs?.outcome;
	if (entry.kind === 'runbook' || entry.kind === 'rollback' || entry.kind === 'kill-op') return outcome === 'ok' ? 'ok' : outcome === 'refused' ? 'warn' : outcome ? 'crit' : undefined;
	return kindTone[entry.kind];
}

export const timelineColumns: ReadonlyArray<TableColumn<TimelineRow>> = [
	{key: 'time', header: 'TIME UTC', width: 8, render: r => clockTime(r.entry.at)},
	{key: 'kind', header: 'WHAT', width: 14, render: r => kindLabel[r.entry.kind], color: r => entryTone(r.entry)},
	{key: 'text', header: 'DETAIL', width: 30, render: r => `${r.entry.text}${r.entry.kind === 'note' && r.entry.by ? ` (${r.entry.by})` : ''}${r.entry.refs?.auditRunId ? ` [audit ${r.entry.refs.auditRunId}]` : ''}`},
];

export function changeColumns(now: number): Array<TableColumn<Change>> {
	return [
		{key: 'ago', header: 'AGO', width: 7, align: 'right', render: c => formatDuration(now - c.at)},
		{key: 'kind', header: 'KIND', width: 8, render: c => c.kind, color: c => (c.kind === 'restart' ? 'warn' : c.kind === 'rollout' || c.kind === 'deploy' ? 'accent' : undefined)},
		{key: 'subject', header: 'WHAT', width: 22, render: c => c.subject, priority: 1},
		{key: 'text', header: 'CHANGE', width: 30, render: c => `${c.text}${c.auditRunId ? ` [audit ${c.auditRunId}]` : ''}`},
	];
}
