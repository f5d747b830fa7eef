import {groupAlerts} from '../alerts/grouping.js';
import type {MergedAlert} from '../alerts/types.js';
import type {Config, EnvironmentConfig} from '../config/schema.js';
import {parseSince} from '../logs/time.js';
import {createAlertJournal} from '../services/alert-journal.js';
import {alertmanagerUrls, createAlertmanagerSet} from '../services/alertmanager.js';
import {describeError} from '../services/errors.js';
import {formatDuration} from '../util/format.js';
import {textTable} from '../util/text-table.js';
import {alertStateText} from '../screens/alerts/rows.js';

export type AlertsOptions = {json: boolean; firing: boolean; since?: string};
export type AlertsContext = {config: Pick<Config, 'timeoutMs'>; environment: EnvironmentConfig; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; now?: () => number};

/**
 * `botops alerts`: the Alerts screen's list once, as Alertmanager groups it (amtool alert query). With `--since`
 * it reads the alert journal instead: what fired in that window, and whether it resolved ("review overnight alerts").
 * Exit 0 on an answer, 1 when no Alertmanager answered, 2 for bad usage.
 */
export async function runAlertsCommand(options: AlertsOptions, context: AlertsContext): Promise<number> {
	const {environment, stdout, stderr} = context;
	const now = context.now ?? Date.now;
	if (options.since !== undefined) return printJournal(options, context, parseSince(options.since, now())!);
	const urls = alertmanagerUrls(environment);
	if (urls.length === 0) {
		stderr.write(`botops: no Alertmanager configured for ${environment.name} (alertmanagerUrl or alertmanagerUrls)\n`);
		return 2;
	}
	let answer;
	try {
		answer = await createAlertmanagerSet(urls, {timeoutMs: context.config.timeoutMs}).alerts();
	} catch (error) {
		stderr.write(`botops: ${describeError(error, 'alertmanager')}\n`);
		return 1;
	}
	const alerts = options.firing ? answer.alerts.filter(a => a.state === 'active') : answer.alerts;
	for (const failed of answer.errors) stderr.write(`botops: ${failed.source}: ${failed.error} (the other Alertmanagers answered)\n`);
	const groups = groupAlerts(alerts, environment.alertGroupBy);
	if (options.json) {
		stdout.write(JSON.stringify({environment: environment.name, groups: groups.map(g => ({labels: g.labels, severity: g.severity, alerts: g.alerts.map(alertJson)})), errors: answer.errors}, null, 2) + '\n');
		return 0;
	}
	if (alerts.length === 0) {
		stdout.write(`No ${options.firing ? 'firing ' : ''}alerts on ${environment.name}.\n`);
		return 0;
	}
	const rows = groups.flatMap(group =>
		group.alerts.map(alert => [
			alert.labels['severity'] ?? '-',
			alert.labels['alertname'] ?? '-',
			alert.labels['service'] ?? '-',
			formatDuration(Math.max(0, now() - Date.parse(alert.startsAt))),
			alertStateText(alert),
			alert.annotations['summary'] ?? '',
		]),
	);
	stdout.write(textTable(['SEVERITY', 'ALERT', 'SERVICE', 'AGE', 'STATE', 'SUMMARY'], rows));
	return 0;
}

function alertJson(alert: MergedAlert) {
	return {
		labels: alert.labels,
		annotations: alert.annotations,
		state: alert.state,
		startsAt: alert.startsAt,
		silencedBy: alert.silencedBy,
		inhibitedBy: alert.inhibitedBy,
		generatorURL: alert.generatorURL,
		sources: alert.sources,
	};
}

function printJournal(options: AlertsOptions, context: AlertsContext, since: number): number {
	const {environment, stdout} = context;
	const journal = createAlertJournal({environment: environment.name, stateDir: environment.stateDir});
	const entries = journal.firedSince(since).filter(entry => !options.firing || entry.resolvedAt === undefined);
	if (options.json) {
		stdout.write(JSON.stringify({environment: environment.name, since: new Date(since).toISOString(), journal: journal.file, alerts: entries}, null, 2) + '\n');
		return 0;
	}
	if (entries.length === 0) {
		stdout.write(`Nothing fired on ${environment.name} since ${new Date(since).toISOString()} (journal ${journal.file}).\n`);
		return 0;
	}
	const rows = entries.map(entry => [
		entry.firedAt,
		entry.resolvedAt ?? 'still firing',
		entry.firingMs === undefined ? '-' : formatDuration(entry.firingMs),
		entry.labels['alertname'] ?? '-',
		entry.labels['service'] ?? '-',
		entry.labels['severity'] ?? '-',
		entry.summary ?? '',
	]);
	stdout.write(textTable(['FIRED', 'RESOLVED', 'FOR', 'ALERT', 'SERVICE', 'SEVERITY', 'SUMMARY'], rows));
	return 0;
}
