import {Box, Text} from 'ink';
import React, {useMemo} from 'react';
import {Pane, type PaneStatus} from '../../components/Pane.js';
import {fitColumns, Table} from '../../components/Table.js';
import {wrapLines} from '../../components/wrapLines.js';
import type {LogRecord} from '../../logs/record.js';
import {clockTime, leadingTime} from '../../logs/time.js';
import type {RolloutPanelData, RolloutState} from '../../services/kubernetes/rollout-view.js';
import type {ReplicaSetRow} from '../../services/kubernetes/view.js';
import {useTheme} from '../../theme/ThemeContext.js';
import type {ThemeToken} from '../../theme/theme.js';
import {formatDuration} from '../../util/format.js';
import {serviceColour} from '../logs/colours.js';
import {revisionColumns} from './columns.js';

export type RolloutPanelProps = {
	deploymentName: string;
	data: RolloutPanelData | undefined;
	now: number;
	selected: ReplicaSetRow | undefined;
	selectedIndex: number;
	diff: string[] | 'identical' | undefined;
	logLines: readonly LogRecord[];
	status: PaneStatus;
	width: number;
	height: number;
};

const stateTone: Record<RolloutState, ThemeToken> = {complete: 'ok', 'rolling out': 'warn', paused: 'warn', stalled: 'crit', 'waiting for the controller': 'muted'};

/** Lines the top pane takes: its border, the state, the counts, and what is wrong (a stall's reason in full). */
export const rolloutStatusHeight = 5;

/** The pod name's own part (after the replica set's name): what tells a deployment's pods apart. */
const podSuffix = (pod: string, replicaSet: string | undefined) => (replicaSet && pod.startsWith(`${replicaSet}-`) ? pod.slice(replicaSet.length + 1) : pod);

const diffTone = (line: string): ThemeToken => (line.startsWith('-') ? 'crit' : line.startsWith('+') ? 'ok' : 'muted');

/**
 * One deployment's rollout: its state against desired (a stalled rollout in words), its revisions with the chosen
 * one's template diffed against the live one, and the new replica set's pod logs beside the deployment's warnings.
 */
export function RolloutPanel({deploymentName, data, now, selected, selectedIndex, diff, logLines, status, width, height}: RolloutPanelProps) {
	const theme = useTheme();
	const rest = Math.max(0, height - rolloutStatusHeight);
	const middleHeight = Math.max(5, Math.ceil(rest / 2));
	const bottomHeight = Math.max(0, rest - middleHeight);
	const leftWidth = Math.max(30, Math.floor(width * 0.55));
	const rightWidth = width - leftWidth;
	const columns = useMemo(() => fitColumns(revisionColumns(now, theme.glyph.bullet), leftWidth - 2), [now, theme, leftWidth]);
	const hints = `esc back${theme.glyph.separator}j/k revision${theme.glyph.separator}u undo${theme.glyph.separator}U undo to ${selected ? selected.revision : 'selected'}`;
	if (!data) {
		return (
			<Pane title={`Rollout of ${deploymentName}`} info={hints} status={status} width={width} height={height} focused>
				<Text color={theme.color('muted')}>{status.error ? 'no data' : `deployment ${deploymentName} is not in the namespace (any more)`}</Text>
			</Pane>
		);
	}
	const {deployment, status: rollout, newReplicaSet, warnings} = data;
	const diffRoom = Math.max(0, middleHeight - 3);
	// Wrapped, not cut: a changed image's tag is at the end of its line. Each row keeps its line's tone.
	const diffRows = (diff === 'identical' || diff === undefined ? [] : diff).flatMap(line => wrapLines([line], rightWidth - 2).map(row => ({row, tone: diffTone(line)})));
	const shownDiff = diffRows.length > diffRoom ? [...diffRows.slice(0, Math.max(0, diffRoom - 1)), {row: `  … ${diffRows.length - diffRoom + 1} more lines (the plan shows all)`, tone: 'muted' as ThemeToken}] : diffRows;
	const logRoom = Math.max(0, bottomHeight - 2);
	const shownLogs = logLines.slice(-logRoom);
	const warningRoom = Math.max(0, bottomHeight - 2);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Pane title={`Rollout of deployment/${deployment.name}`} info={hints} status={status} width={width} height={rolloutStatusHeight} focused>
				<Text wrap="truncate">
					<Text color={theme.color(stateTone[rollout.state])} bold={rollout.state === 'stalled' && !theme.noColor}>
						{theme.text(rollout.state === 'stalled' ? 'STALLED' : rollout.state)}
					</Text>
					<Text color={theme.color('muted')}>{theme.text(`${theme.glyph.separator}revision ${deployment.revision}${theme.glyph.separator}${deployment.image}`)}</Text>
				</Text>
				<Text wrap="truncate">{theme.text(rollout.counts.join(theme.glyph.separator))}</Text>
				<Text wrap="truncate" color={theme.color(rollout.state === 'stalled' ? 'crit' : 'muted')}>
					{theme.text(rollout.detail ?? '')}
				</Text>
			</Pane>
			<Box flexDirection="row" width={width} height={middleHeight}>
				<Pane title="Revisions" info={`${data.revisions.length}`} width={leftWidth} height={middleHeight}>
					<Table columns={columns} rows={data.revisions} rowKey={row => String(row.revision)} selectedIndex={selectedIndex} height={middleHeight - 2} width={leftWidth - 2} emptyText="no revisions (no replica sets owned by the deployment)" />
				</Pane>
				<Pane title={selected ? `Revision ${selected.revision} vs live (- live, + revision ${selected.revision})` : 'Template diff'} width={rightWidth} height={middleHeight}>
					{diff === 'identical' && selected ? (
						<Text wrap="truncate" color={theme.color('muted')}>
							{theme.text(`identical to the live template: undo to ${selected.revision} would be skipped`)}
						</Text>
					) : (
						shownDiff.map(({row, tone}, index) => (
							<Text key={index} wrap="truncate" color={theme.color(tone)}>
								{theme.text(row)}
							</Text>
						))
					)}
				</Pane>
			</Box>
			{bottomHeight >= 3 ? (
				<Box flexDirection="row" width={width} height={bottomHeight}>
					<Pane title={newReplicaSet ? `Logs of ${newReplicaSet.name}` : 'Logs of the new replica set'} info={`${data.newPods.length} pods`} width={leftWidth} height={bottomHeight}>
						{shownLogs.length === 0 ? (
							<Text color={theme.color('muted')}>{theme.text(data.newPods.length === 0 ? 'no pods in the new replica set' : 'no lines yet from its pods')}</Text>
						) : (
							shownLogs.map(record => (
								<Text key={record.seq} wrap="truncate">
									{leadingTime(record.text) === undefined ? <Text color={theme.color('muted')}>{clockTime(record.time)} </Text> : null}
									<Text color={serviceColour(record.instance ?? record.service, theme.noColor)}>{theme.text(podSuffix(record.instance ?? '', newReplicaSet?.name))} </Text>
									<Text color={record.level === 'error' || record.level === 'fatal' ? theme.color('crit') : record.level === 'warn' ? theme.color('warn') : undefined}>{theme.text(record.text.split('\n')[0] ?? '')}</Text>
								</Text>
							))
						)}
					</Pane>
					<Pane title="Warnings" info={`${warnings.length}`} infoTone={warnings.length > 0 ? 'warn' : 'muted'} width={rightWidth} height={bottomHeight}>
						{warnings.length === 0 ? (
							<Text color={theme.color('muted')}>no warning events for the deployment, its replica sets or pods</Text>
						) : (
							warnings.slice(0, warningRoom).map(event => (
								<Text key={`${event.object} ${event.reason} ${event.at}`} wrap="truncate">
									<Text color={theme.color('muted')}>{(event.at > 0 ? formatDuration(Math.max(0, now - event.at)) : '-').padStart(6)} </Text>
									<Text color={theme.color('warn')}>{theme.text(event.reason)}{event.count > 1 ? ` (${event.count})` : ''} </Text>
									<Text>{theme.text(event.message)} </Text>
									<Text color={theme.color('muted')}>{theme.text(event.object)}</Text>
								</Text>
							))
						)}
					</Pane>
				</Box>
			) : null}
		</Box>
	);
}
