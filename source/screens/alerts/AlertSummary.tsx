import {Text} from 'ink';
import React, {memo} from 'react';
import {severityOrder} from '../../alerts/grouping.js';
import {useAppContext, useAppState} from '../../hooks/AppContext.js';
import {alertmanagerUrls} from '../../services/alertmanager.js';
import {prometheusSettings, type ServiceMetrics} from '../../services/prometheus.js';
import type {AlertsData} from '../../store/slices/alerts.js';
import type {PrometheusData} from '../../store/slices/metrics.js';
import {useTheme} from '../../theme/ThemeContext.js';
import type {ThemeToken} from '../../theme/theme.js';
import {displayWidth, formatLatency, truncate} from '../../util/format.js';
import {severityTone} from './rows.js';

export type SummaryPart = {text: string; tone?: ThemeToken};

/** Firing alerts by severity (most severe first), targets down, the worst p95 against the target. */
export function summaryParts(alerts: AlertsData | undefined, prometheus: PrometheusData | undefined, latencyTargetMs: number, withAlerts: boolean, withPrometheus: boolean, overMark: string): SummaryPart[] {
	const parts: SummaryPart[] = [];
	if (withAlerts) {
		if (!alerts) parts.push({text: 'alerts: waiting', tone: 'muted'});
		else {
			const counts = new Map<string, number>();
			for (const alert of alerts.alerts) if (alert.state === 'active') counts.set(alert.labels['severity'] ?? 'none', (counts.get(alert.labels['severity'] ?? 'none') ?? 0) + 1);
			const bySeverity = [...counts].sort((a, b) => severityOrder(a[0]) - severityOrder(b[0]));
			if (bySeverity.length === 0) parts.push({text: 'no alerts firing', tone: 'ok'});
			else parts.push({text: `firing: ${bySeverity.map(([severity, count]) => `${count} ${severity}`).join(', ')}`, tone: severityTone(bySeverity[0]![0])});
		}
	}
	if (withPrometheus) {
		if (!prometheus) parts.push({text: 'metrics: waiting', tone: 'muted'});
		else {
			const down = prometheus.targets.filter(t => t.health === 'down').length;
			parts.push({text: `targets ${down}/${prometheus.targets.length} down`, tone: down > 0 ? 'crit' : 'ok'});
			const worst = prometheus.services.reduce<ServiceMetrics | undefined>((w, m) => (m.p95Seconds !== undefined && (w?.p95Seconds === undefined || m.p95Seconds > w.p95Seconds) ? m : w), undefined);
			if (worst?.p95Seconds !== undefined) {
				const ms = worst.p95Seconds * 1000;
				// Over the target: marked (no colour needed) and red.
				parts.push({text: `${ms > latencyTargetMs ? `${overMark} ` : ''}worst p95 ${formatLatency(ms)} ${worst.service}`, tone: ms > latencyTargetMs ? 'crit' : 'ok'});
			}
		}
	}
	return parts;
}

/** Whether the environment has anything for the summary line (the Dashboard gives it a line only then). */
export function useHasAlertSummary(): boolean {
	const {environment} = useAppContext();
	return alertmanagerUrls(environment).length > 0 || prometheusSettings(environment) !== undefined;
}

/** The Dashboard's one line about alerts and metrics. */
export const AlertSummary = memo(function AlertSummary({width}: {width: number}) {
	const theme = useTheme();
	const {environment, latencyTargetMs} = useAppContext();
	const alerts = useAppState(s => s.alerts);
	const prometheus = useAppState(s => s.prometheus);
	const withAlerts = alertmanagerUrls(environment).length > 0;
	const withPrometheus = prometheusSettings(environment) !== undefined;
	const parts = summaryParts(alerts.data, prometheus.data, latencyTargetMs, withAlerts, withPrometheus, theme.glyph.status.warn);
	const errors = [alerts.error, prometheus.error].filter(Boolean).length;
	if (errors > 0) parts.push({text: `${theme.glyph.status.crit} ${errors === 1 ? 'a source fails' : 'sources fail'} (see Alerts, Metrics)`, tone: 'crit'});
	// Cut here with the theme's ellipsis (ink's would not be ASCII): each part gets what is left of the line.
	let room = width;
	const shown: Array<SummaryPart & {prefix: string}> = [];
	for (const [i, part] of parts.entries()) {
		const prefix = i > 0 ? theme.glyph.separator : ' ';
		if (room <= displayWidth(prefix)) break;
		const text = truncate(theme.text(part.text), room - displayWidth(prefix), theme.glyph.ellipsis);
		shown.push({...part, text, prefix});
		room -= displayWidth(prefix) + displayWidth(text);
	}
	return (
		<Text wrap="truncate">
			{shown.map((part, i) => (
				<Text key={i} color={part.tone ? theme.color(part.tone) : undefined}>
					{part.prefix}
					{part.text}
				</Text>
			))}
		</Text>
	);
});
