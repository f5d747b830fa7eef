/**
 * Alerts as Alertmanager groups them (route `group_by`), and the merge of an HA pair's answers. Pure functions:
 * the services fetch, the store keeps, these shape.
 */
import {labelSetKey, type Labels} from './matchers.js';
import type {AmAlert, MergedAlert} from './types.js';

export const defaultGroupBy = ['alertname', 'service'];

export type AlertGroup = {
	/** Stable identity of the group: its group_by label values. */
	key: string;
	/** The group_by labels and their values ("" when an alert lacks one, as Alertmanager groups it). */
	labels: Labels;
	alerts: MergedAlert[];
	active: number;
	silenced: number;
	inhibited: number;
	/** The highest severity among the group's alerts. */
	severity: string;
};

const severityRank: Record<string, number> = {critical: 0, page: 0, error: 1, high: 1, warning: 2, warn: 2, medium: 2, info: 3, low: 3, none: 4};

export function severityOrder(severity: string | undefined): number {
	return severityRank[(severity ?? '').toLowerCase()] ?? 3.5;
}

/**
 * Several Alertmanagers' lists as one: alerts with the same label set (Alertmanager's fingerprint is a hash of the
 * sorted set) are one alert, tagged with every source that reported it. When the peers disagree (a silence not yet
 * gossiped), the alert counts as suppressed if any peer suppresses it, and its silences and inhibitions are the union.
 */
export function mergeAlerts(answers: ReadonlyArray<{source: string; alerts: readonly AmAlert[]}>): MergedAlert[] {
	const byKey = new Map<string, MergedAlert>();
	// Peers of one version hash labels alike: a fingerprint seen before, with equal labels, skips building the key.
	const byFingerprint = new Map<string, MergedAlert>();
	for (const {source, alerts} of answers) {
		for (const alert of alerts) {
			const candidate = byFingerprint.get(alert.fingerprint);
			let seen = candidate && sameLabels(candidate.labels, alert.labels) ? candidate : undefined;
			if (!seen) {
				const key = labelSetKey(alert.labels);
				seen = byKey.get(key);
				if (!seen) {
					const merged = {...alert, silencedBy: [...alert.silencedBy], inhibitedBy: [...alert.inhibitedBy], sources: [source]};
					byKey.set(key, merged);
					byFingerprint.set(alert.fingerprint, merged);
					continue;
				}
			}
			if (!seen.sources.includes(source)) seen.sources.push(source);
			if (alert.silencedBy.length > 0) seen.silencedBy = union(seen.silencedBy, alert.silencedBy);
			if (alert.inhibitedBy.length > 0) seen.inhibitedBy = union(seen.inhibitedBy, alert.inhibitedBy);
			if (alert.state === 'suppressed' || (alert.state === 'active' && seen.state === 'unprocessed')) seen.state = alert.state;
			if (alert.startsAt < seen.startsAt) seen.startsAt = alert.startsAt;
			if (alert.updatedAt > seen.updatedAt) seen.updatedAt = alert.updatedAt;
			if (alert.receivers.some(r => !seen.receivers.includes(r))) seen.receivers = union(seen.receivers, alert.receivers);
		}
	}
	return [...byKey.values()];
}

/** Alertmanager's grouping: by the `group_by` labels (`...` groups by every label); groups most severe first. */
export function groupAlerts(alerts: readonly MergedAlert[], groupBy: readonly string[] = defaultGroupBy): AlertGroup[] {
	const all = groupBy.includes('...');
	const groups = new Map<string, AlertGroup>();
	for (const alert of alerts) {
		const labels: Labels = {};
		if (all) Object.assign(labels, alert.labels);
		else for (const name of groupBy) labels[name] = alert.labels[name] ?? '';
		const key = labelSetKey(labels);
		let group = groups.get(key);
		if (!group) {
			group = {key, labels, alerts: [], active: 0, silenced: 0, inhibited: 0, severity: 'none'};
			groups.set(key, group);
		}
		group.alerts.push(alert);
		if (alert.silencedBy.length > 0) group.silenced++;
		if (alert.inhibitedBy.length > 0) group.inhibited++;
		if (alert.state === 'active') group.active++;
		if (severityOrder(alert.labels['severity']) < severityOrder(group.severity)) group.severity = alert.labels['severity'] ?? group.severity;
	}
	const list = [...groups.values()];
	for (const group of list) group.alerts.sort((a, b) => severityOrder(a.labels['severity']) - severityOrder(b.labels['severity']) || a.startsAt.localeCompare(b.startsAt) || a.fingerprint.localeCompare(b.fingerprint));
	// Ties by the group_by values in their order (alertname, then service), as a reader scans the list.
	const byValues = (g: AlertGroup) => Object.values(g.labels).join('\u0000');
	return list.sort((a, b) => severityOrder(a.severity) - severityOrder(b.severity) || b.active - a.active || byValues(a).localeCompare(byValues(b)) || a.key.localeCompare(b.key));
}

function sameLabels(a: Labels, b: Labels): boolean {
	let count = 0;
	for (const name in a) {
		if (a[name] !== b[name]) return false;
		count++;
	}
	for (const _ in b) count--;
	return count === 0;
}

function union(a: readonly string[], b: readonly string[]): string[] {
	return [...new Set([...a, ...b])];
}
