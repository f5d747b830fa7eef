import {Box, Text} from 'ink';
import React, {memo} from 'react';
import type {ServiceRow} from '../../store/selectors.js';
import {sparkline} from '../../components/Sparkline.js';
import {useTheme} from '../../theme/ThemeContext.js';
import {fitCell, formatDuration, formatLatency} from '../../util/format.js';
import {scrub} from '../../util/secrets.js';

/** The lines of the detail view: inspect fields, then the probe history with the fields of the last bodies. */
export function serviceDetailLines(row: ServiceRow, now: number, trend?: {glyphs: readonly string[]; width: number}): Array<{label: string; value: string; tone?: 'ok' | 'warn' | 'crit' | 'muted'}> {
	const lines: Array<{label: string; value: string; tone?: 'ok' | 'warn' | 'crit' | 'muted'}> = [];
	const add = (label: string, value: string, tone?: 'ok' | 'warn' | 'crit' | 'muted') => lines.push({label, value: scrub(value), tone});
	add('status', row.ok ? 'ok' : row.problems.join('; '), row.ok ? 'ok' : 'crit');
	const {container, detail, health} = row;
	if (container) {
		// A pod's id is its name: shown once.
		add('container', container.id === container.name ? container.name : `${container.name} ${container.id.slice(0, 12)}`);
		add('image', container.image);
		add('state', container.status, container.state === 'running' ? 'ok' : 'crit');
		if (row.instances.length > 1) add('instances', row.instances.map(i => `${i.name} ${i.state}`).join(', '), row.instances.every(i => i.state === 'running') ? undefined : 'warn');
	}
	if (detail) {
		if (detail.startedAt) add('started', `${new Date(detail.startedAt).toISOString()} (${formatDuration(now - detail.startedAt)} ago)`);
		if (detail.finishedAt && container?.state !== 'running') add('finished', `${new Date(detail.finishedAt).toISOString()} exit ${detail.exitCode ?? '?'}`);
		add('restarts', `${detail.restartCount}${detail.restartPolicy ? ` (policy ${detail.restartPolicy})` : ''}`, detail.restartCount > 0 ? 'warn' : undefined);
		if (detail.oomKilled) add('oom', 'killed by the OOM killer', 'crit');
		if (detail.lastTermination && !detail.oomKilled) add('last exit', `${detail.lastTermination.reason} (exit ${detail.lastTermination.exitCode})`, 'warn');
		if (detail.node) add('node', detail.node);
		if (detail.ports.length > 0) add('ports', detail.ports.join(', '));
		if (detail.networks.length > 0) add('networks', detail.networks.join(', '));
		if (detail.mounts.length > 0) add('mounts', detail.mounts.join(', '));
		if (detail.command.length > 0) add('command', detail.command.join(' '));
		if (detail.envNames.length > 0) add('env', detail.envNames.join(' '), 'muted');
		const check = detail.healthLog.at(-1);
		if (check) add('healthcheck', `exit ${check.exitCode}: ${check.output.trim() || '(no output)'}`, check.exitCode === 0 ? 'ok' : 'crit');
	}
	if (row.config.healthUrl) add('health url', row.config.healthUrl);
	if (health) {
		add('latency', `p50 ${health.p50 === undefined ? '-' : formatLatency(health.p50)}  p95 ${health.p95 === undefined ? '-' : formatLatency(health.p95)}  (${health.latencies.length} probes)`);
		if (trend && health.latencies.length > 1) add('latency trend', sparkline(health.latencies, Math.min(trend.width, health.latencies.length), undefined, trend.glyphs));
		for (const result of [...health.recent].reverse()) {
			const when = new Date(result.at).toISOString().slice(11, 19);
			const outcome = result.ok ? `${result.status} ${formatLatency(result.latencyMs)}` : (result.error ?? `HTTP ${result.status}`);
			const body = result.body ? Object.entries(result.body).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' ') : '';
			add(`probe ${when}`, `${outcome}${body ? `  ${body}` : ''}`, result.ok ? undefined : 'crit');
		}
	}
	return lines;
}

export const ServiceDetail = memo(function ServiceDetail({row, now, width, height}: {row: ServiceRow; now: number; width: number; height: number}) {
	const theme = useTheme();
	const labelWidth = 14;
	const lines = serviceDetailLines(row, now, {glyphs: theme.glyph.spark, width: width - labelWidth - 1}).slice(0, Math.max(0, height));
	return (
		<Box flexDirection="column" width={width} height={height}>
			{lines.map(line => (
				<Box key={line.label} height={1}>
					<Text color={theme.color('muted')}>{fitCell(line.label, labelWidth, 'left', theme.glyph.ellipsis)} </Text>
					<Text color={theme.color(line.tone)}>{fitCell(theme.text(line.value), Math.max(0, width - labelWidth - 1), 'left', theme.glyph.ellipsis)}</Text>
				</Box>
			))}
		</Box>
	);
});
