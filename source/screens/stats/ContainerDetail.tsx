import {Box, Text} from 'ink';
import React from 'react';
import {sparkline} from '../../components/Sparkline.js';
import type {ServiceRow, StatsRow} from '../../store/selectors.js';
import {useTheme} from '../../theme/ThemeContext.js';
import {fitCell, formatBytes, formatPercent} from '../../util/format.js';
import {ServiceDetail} from '../services/ServiceDetail.js';

const labelWidth = 14;

/** A container's lines: what it is, its latest sample and its history as sparklines as wide as the screen allows. */
export function containerDetailLines(row: StatsRow, glyphs: readonly string[], sparkWidth: number): Array<{label: string; value: string}> {
	const {container, stats} = row;
	const lines = [
		{label: 'container', value: `${container.name} ${container.id.slice(0, 12)}`},
		{label: 'service', value: container.service},
		{label: 'image', value: container.image},
		{label: 'state', value: container.status || container.state},
	];
	if (stats) {
		const s = stats.latest;
		lines.push(
			{label: 'cpu', value: formatPercent(s.cpuPercent)},
			{label: 'cpu history', value: sparkline(stats.cpu, Math.min(sparkWidth, Math.max(1, stats.cpu.length)), 100, glyphs)},
			{label: 'memory', value: `${formatBytes(s.memUsage)} of ${formatBytes(s.memLimit)} (${formatPercent(s.memPercent)})`},
			{label: 'mem history', value: sparkline(stats.mem, Math.min(sparkWidth, Math.max(1, stats.mem.length)), 100, glyphs)},
			{label: 'net rx / tx', value: `${formatBytes(s.netRx)} / ${formatBytes(s.netTx)}`},
			{label: 'block r / w', value: `${formatBytes(s.blockRead)} / ${formatBytes(s.blockWrite)}`},
			{label: 'pids', value: String(s.pids)},
		);
	} else lines.push({label: 'stats', value: container.state === 'running' ? 'no sample yet' : `none while ${container.state}`});
	return lines;
}

/** The container's lines in a box (the war-room service detail puts them beside the service's). */
export function ContainerLines({row, width, height}: {row: StatsRow; width: number; height: number}) {
	const theme = useTheme();
	const lines = containerDetailLines(row, theme.glyph.spark, width - labelWidth - 1).slice(0, Math.max(0, height));
	return (
		<Box flexDirection="column" width={width} height={height}>
			{lines.map(line => (
				<Box key={line.label} height={1}>
					<Text color={theme.color('muted')}>{fitCell(line.label, labelWidth)} </Text>
					<Text>{fitCell(line.value, Math.max(0, width - labelWidth - 1), 'left', theme.glyph.ellipsis)}</Text>
				</Box>
			))}
		</Box>
	);
}

/** Enter on a Stats row: the container's figures, then (for a configured service's container) the service detail. */
export function ContainerDetail({row, service, width, height}: {row: StatsRow; service?: ServiceRow; width: number; height: number}) {
	const theme = useTheme();
	const shown = Math.min(height, containerDetailLines(row, theme.glyph.spark, width).length);
	const rest = height - shown - 1;
	return (
		<Box flexDirection="column" width={width} height={height}>
			<ContainerLines row={row} width={width} height={shown} />
			{service && rest > 0 ? (
				<Box flexDirection="column" marginTop={1}>
					<ServiceDetail row={service} now={Date.now()} width={width} height={rest} />
				</Box>
			) : null}
		</Box>
	);
}
