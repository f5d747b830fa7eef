import {Text} from 'ink';
import React from 'react';
import type {MergedAlert} from '../../alerts/types.js';
import {wrapLines} from '../../components/wrapLines.js';
import {useTheme} from '../../theme/ThemeContext.js';
import {formatDuration} from '../../util/format.js';
import {alertAgeMs, alertStateText} from './rows.js';

/** The lines of one alert's detail: state, labels, annotations, generator and runbook URLs, where it came from. */
export function alertDetailLines(alert: MergedAlert, now: number): string[] {
	const age = alertAgeMs(alert, now);
	const lines = [
		`state      ${alertStateText(alert)}${alert.silencedBy.length > 0 ? ` by ${alert.silencedBy.join(', ')}` : ''}${alert.inhibitedBy.length > 0 ? ` (inhibited by ${alert.inhibitedBy.length})` : ''}`,
		`since      ${alert.startsAt}${age === undefined ? '' : ` (${formatDuration(age)} ago)`}`,
		`from       ${alert.sources.join(', ')}`,
		'labels',
		...Object.keys(alert.labels)
			.sort()
			.map(name => `  ${name}=${JSON.stringify(alert.labels[name])}`),
		'annotations',
		...Object.keys(alert.annotations)
			.sort()
			.map(name => `  ${name}: ${alert.annotations[name]}`),
		`generator  ${alert.generatorURL ?? '-'}`,
		`runbook    ${alert.annotations['runbook_url'] ?? alert.annotations['runbook'] ?? '-'}`,
	];
	return lines;
}

export function AlertDetail({alert, now, width, height}: {alert: MergedAlert; now: number; width: number; height: number}) {
	const theme = useTheme();
	const lines = wrapLines(alertDetailLines(alert, now).map(line => theme.text(line)), width).slice(0, height);
	return (
		<>
			{lines.map((line, i) => (
				<Text key={i} wrap="truncate">
					{line}
				</Text>
			))}
		</>
	);
}
