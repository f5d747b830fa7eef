import type {TableColumn} from '../../components/Table.js';
import {formatMs} from '../../runbooks/render.js';
import type {RecentRun} from '../../services/audit.js';
import type {ThemeToken} from '../../theme/theme.js';

const outcomeTone = (run: RecentRun): ThemeToken =>
	run.outcome === 'ok' ? 'ok' : run.outcome === 'running' ? 'info' : run.outcome === 'aborted' || run.outcome === 'interrupted' ? 'warn' : 'crit';

/**
 * What the operator needs from one run: for a run that stopped mid-change, the step that was in flight and its
 * call (its effect is unknown: check before retrying); otherwise the state sentence the run ended with.
 */
export function runNote(run: RecentRun): string {
	if (run.inFlight) {
		const {step, call} = run.inFlight;
		return run.outcome === 'running' ? `in flight: ${step} (${call})` : `interrupted in flight: ${step} (${call}); its effect is unknown`;
	}
	if (run.outcome === 'running') return 'running';
	if (run.outcome === 'interrupted') return 'interrupted between steps: no run-end was written';
	return run.state ?? '';
}

/** Recent runs from the audit log: the Runbooks screen and the war-room Dashboard. */
export const runColumns: ReadonlyArray<TableColumn<RecentRun>> = [
	{key: 'time', header: 'TIME (UTC)', width: 19, render: r => r.time.slice(0, 19).replace('T', ' ')},
	{key: 'user', header: 'USER', width: 10, render: r => r.user, priority: 2},
	{key: 'env', header: 'ENV', width: 10, render: r => r.environment, priority: 1},
	{key: 'runbook', header: 'RUNBOOK', width: 18, render: r => r.runbook},
	{key: 'outcome', header: 'OUTCOME', width: 11, render: r => r.outcome, color: outcomeTone},
	{key: 'duration', header: 'DURATION', width: 9, align: 'right', render: r => (r.durationMs === undefined ? '-' : formatMs(r.durationMs)), priority: 3},
	// Last, so it takes the rest of the line; dropped first where there is no room for it.
	{key: 'note', header: 'WHAT HAPPENED', width: 24, render: runNote, color: r => (r.inFlight && r.outcome === 'interrupted' ? 'warn' : 'muted'), priority: 4},
];
