import {Box, Text} from 'ink';
import React, {useMemo} from 'react';
import {Pane} from '../../components/Pane.js';
import {fitColumns, Table} from '../../components/Table.js';
import {useAppState} from '../../hooks/AppContext.js';
import {useKeymap} from '../../hooks/useKeymap.js';
import {useListSelection} from '../../hooks/useListSelection.js';
import {useNow} from '../../hooks/useNow.js';
import {useResourceStatus} from '../../hooks/useResourceStatus.js';
import {sortedTimeline} from '../../incident/model.js';
import {whatChanged, type Change} from '../../incident/what-changed.js';
import {useTheme} from '../../theme/ThemeContext.js';
import {truncate} from '../../util/format.js';
import type {ScreenProps} from '../screen.js';
import {changeColumns, timelineColumns, type TimelineRow} from './columns.js';
import {IncidentBanner} from './IncidentBanner.js';

const timelineKey = (row: TimelineRow) => row.key;
const changeKey = (change: Change) => `${change.at}\u0000${change.kind}\u0000${change.subject}\u0000${change.text}`;

/**
 * The open incident: its banner, its timeline (newest first: what just happened stays in view) and what changed
 * in the last 2 h (§8.2 step 3) from the platform and the audit log. Without one, the last closed incident's
 * post-mortem and what changed: the place to look before declaring.
 */
export function IncidentScreen({width, height, active}: ScreenProps) {
	const theme = useTheme();
	const view = useAppState(s => s.incident);
	const audit = useAppState(s => s.auditChanges);
	const containers = useAppState(s => s.containers.data);
	const polledAt = useAppState(s => s.containers.updatedAt);
	const details = useAppState(s => s.details);
	const cluster = useAppState(s => s.cluster.data);
	const status = useResourceStatus(...(cluster ? (['containers', 'cluster'] as const) : (['containers'] as const)));
	// Ages count up: a tick each 5 s while shown is enough for "3m12s ago", and the banner ticks each second on its own.
	const now = useNow(active ? 5000 : 0);
	const clock = useNow(active && view.open ? 1000 : 0);
	const rows = useMemo<TimelineRow[]>(
		() =>
			sortedTimeline(view.entries)
				.map((entry, index) => ({entry, key: `${entry.at}:${index}`}))
				.reverse(),
		[view.entries],
	);
	const changedAt = Math.max(now, polledAt, audit.updatedAt);
	const changes = useMemo(() => whatChanged({instances: containers, details, cluster, audit: audit.data}, changedAt), [containers, details, cluster, audit, changedAt]);
	const problems = view.problems.length;
	const headLines = 1 + (problems > 0 ? 1 : 0);
	const body = Math.max(0, height - headLines);
	const timelineHeight = view.open ? Math.max(5, Math.ceil(body * 0.55)) : Math.min(5, Math.floor(body / 3));
	const changesHeight = Math.max(0, body - timelineHeight);
	const selection = useListSelection(rows, timelineKey, timelineHeight - 3, 'incident-timeline');
	useKeymap({...selection.handlers}, {isActive: active});
	const tColumns = useMemo(() => fitColumns(timelineColumns, width - 2), [width]);
	const cColumns = useMemo(() => fitColumns(changeColumns(changedAt), width - 2), [changedAt, width]);
	const fit = (text: string) => truncate(theme.text(text), width, theme.glyph.ellipsis);
	const closed = view.closed;
	return (
		<Box flexDirection="column" width={width} height={height}>
			{view.open ? (
				<IncidentBanner incident={view.open} now={Math.max(clock, view.open.declaredAt)} width={width} form="long" />
			) : (
				<Text color={theme.color('muted')}>{fit(closed ? `no open incident; ${closed.incident.id} closed, post-mortem ${closed.postmortem}` : 'no open incident; I declares one (severity and title)')}</Text>
			)}
			{problems > 0 ? <Text color={theme.color('crit')}>{fit(`${problems} problem${problems === 1 ? '' : 's'} with incident files (skipped): ${view.problems.at(-1)}`)}</Text> : null}
			<Pane title="Timeline" info={view.open ? `${rows.length} entries, newest first; A adds a note` : undefined} width={width} height={timelineHeight} focused={active}>
				<Table columns={tColumns} rows={rows} rowKey={timelineKey} selectedIndex={active ? selection.index : undefined} height={timelineHeight - 2} width={width - 2} emptyText={view.open ? 'nothing recorded yet' : 'the timeline of an open incident records itself here'} />
			</Pane>
			{changesHeight >= 3 ? (
				<Pane title="What changed, last 2 h" info={audit.error ? undefined : `${changes.length}`} status={audit.error ? {stale: true, error: audit.error} : status} width={width} height={changesHeight}>
					<Table columns={cColumns} rows={changes} rowKey={changeKey} height={changesHeight - 2 - (audit.error || status.error ? 1 : 0)} width={width - 2} emptyText="no deployments, rollouts, restarts or config changes in the last 2 h" />
				</Pane>
			) : null}
		</Box>
	);
}
