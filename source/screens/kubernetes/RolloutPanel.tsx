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
import {displayWidth, formatDuration, truncate} from '../../util/format.js';
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

type Span = {text: string; color?: string; bold?: boolean};

/** One line of spans cut to `width` with the theme's ellipsis (ink's own truncation would write "…" under --ascii). */
function FitLine({spans, width}: {spans: readonly Span[]; width: number}) {
	const theme = useTheme();
	let room = width;
	const shown: React.ReactElement[] = [];
	spans.forEach((span, index) => {
		if (room <= 0) return;
		const text = theme.text(span.text);
		const textWidth = displayWidth(text);
		shown.push(
			<Text key={index} color={span.color} bold={span.bold}>
				{textWidth <= room ? text : truncate(text, room, theme.glyph.ellipsis)}
			</Text>,
		);
		room = textWidth <= room ? room - textWidth : 0;
	});
	return <Text wrap="truncate">{shown}</Text>;
}

/**
 * One deployment's rollout: its state against desired (a stalled rollout in words), its revisions with the chosen
 * one's template diffed against the live one, and the new replica set's pod logs beside the deployment's warnings.
 */
export function RolloutPanel({deploymentName, data, now, selected, selectedIndex, diff, logLines, status, width, height}: RolloutPanelProps) {
	const theme = useTheme();
	const inner = width - 2;
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
	const shownDiff = diffRows.length > diffRoom ? [...diffRows.slice(0, Math.max(0, diffRoom - 1)), {row: `  ${theme.glyph.ellipsis} ${diffRows.length - diffRoom + 1} more lines (the plan shows all)`, tone: 'muted' as ThemeToken}] : diffRows;
	const logRoom = Math.max(0, bottomHeight - 2);
	const shownLogs = logLines.slice(-logRoom);
	const warningRoom = Math.max(0, bottomHeight - 2);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Pane title={`Rollout of deployment/${deployment.name}`} info={hints} status={status} width={width} height={rolloutStatusHeight} focused>
				<FitLine
					width={inner}
					spans={[
						{text: rollout.state === 'stalled' ? 'STALLED' : rollout.state, color: theme.color(stateTone[rollout.state]), bold: rollout.state === 'stalled' && !theme.noColor},
						{text: `${theme.glyph.separator}revision ${deployment.revision}${theme.glyph.separator}${deployment.image}`, color: theme.color('muted')},
					]}
				/>
				<FitLine width={inner} spans={[{text: rollout.counts.join(theme.glyph.separator)}]} />
				<FitLine width={inner} spans={[{text: rollout.detail ?? '', color: theme.color(rollout.state === 'stalled' ? 'crit' : 'muted')}]} />
			</Pane>
			<Box flexDirection="row" width={width} height={middleHeight}>
				<Pane title="Revisions" info={`${data.revisions.length}`} width={leftWidth} height={middleHeight}>
					<Table columns={columns} rows={data.revisions} rowKey={row => String(row.revision)} selectedIndex={selectedIndex} height={middleHeight - 2} width={leftWidth - 2} emptyText="no revisions (no replica sets owned by the deployment)" />
				</Pane>
				<Pane title={selected ? `Revision ${selected.revision} vs live (- live, + revision ${selected.revision})` : 'Template diff'} width={rightWidth} height={middleHeight}>
					{diff === 'identical' && selected ? (
						<FitLine width={rightWidth - 2} spans={[{text: `identical to the live template: undo to ${selected.revision} would be skipped`, color: theme.color('muted')}]} />
					) : (
						shownDiff.map(({row, tone}, index) => (
							<FitLine key={index} width={rightWidth - 2} spans={[{text: row, color: theme.color(tone)}]} />
						))
					)}
				</Pane>
			</Box>
			{bottomHeight >= 3 ? (
				<Box flexDirection="row" width={width} height={bottomHeight}>
					<Pane title={newReplicaSet ? `Logs of ${newReplicaSet.name}` : 'Logs of the new replica set'} info={`${data.newPods.length} pods`} width={leftWidth} height={bottomHeight}>
						{shownLogs.length === 0 ? (
							<FitLine width={leftWidth - 2} spans={[{text: data.newPods.length === 0 ? 'no pods in the new replica set' : 'no lines yet from its pods', color: theme.color('muted')}]} />
						) : (
							shownLogs.map(record => (
								<FitLine
									key={record.seq}
									width={leftWidth - 2}
									spans={[
										...(leadingTime(record.text) === undefined ? [{text: `${clockTime(record.time)} `, color: theme.color('muted')}] : []),
										{text: `${podSuffix(record.instance ?? '', newReplicaSet?.name)} `, color: serviceColour(record.instance ?? record.service, theme.noColor)},
										{text: record.text.split('\n')[0] ?? '', color: record.level === 'error' || record.level === 'fatal' ? theme.color('crit') : record.level === 'warn' ? theme.color('warn') : undefined},
									]}
								/>
							))
						)}
					</Pane>
					<Pane title="Warnings" info={`${warnings.length}`} infoTone={warnings.length > 0 ? 'warn' : 'muted'} width={rightWidth} height={bottomHeight}>
						{warnings.length === 0 ? (
							<FitLine width={rightWidth - 2} spans={[{text: 'no warning events for the deployment, its replica sets or pods', color: theme.color('muted')}]} />
						) : (
							warnings.slice(0, warningRoom).map(event => (
								<FitLine
									key={`${event.object} ${event.reason} ${event.at}`}
									width={rightWidth - 2}
									spans={[
										{text: `${(event.at > 0 ? formatDuration(Math.max(0, now - event.at)) : '-').padStart(6)} `, color: theme.color('muted')},
										{text: `${event.reason}${event.count > 1 ? ` (${event.count})` : ''} `, color: theme.color('warn')},
										{text: `${event.message} `},
										{text: event.object, color: theme.color('muted')},
									]}
								/>
							))
						)}
					</Pane>
				</Box>
			) : null}
		</Box>
	);
}
