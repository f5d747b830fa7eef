import type {TableColumn} from '../../components/Table.js';
import {formatMs} from '../../runbooks/render.js';
import type {RecentRun} from '../../services/audit.js';
import type {ThemeToken} from '../../theme/theme.js';

const outcomeTone = (run: RecentRun): ThemeToken => (run.outcome === 'ok' ? 'ok' : run.outcome === 'aborted' || run.outcome === 'interrupted' ? 'warn' : 'crit');

/** Recent runs from the audit log: the Runbooks screen and the war-room Dashboard. */
export const runColumns: ReadonlyArray<TableColumn<RecentRun>> = [
	{key: 'time', header: 'TIME (UTC)', width: 19, render: r => r.time.slice(0, 19).replace('T', ' ')},
	{key: 'user', header: 'USER', width: 10, render: r => r.user},
	{key: 'env', header: 'ENV', width: 10, render: r => r.environment},
	{key: 'runbook', header: 'RUNBOOK', width: 18, render: r => r.runbook},
	{key: 'outcome', header: 'OUTCOME', width: 11, render: r => r.outcome, color: outcomeTone},
	{key: 'duration', header: 'DURATION', width: 9, align: 'right', render: r => (r.durationMs === undefined ? '-' : formatMs(r.durationMs))},
];
