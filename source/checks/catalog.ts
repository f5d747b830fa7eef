/**
 * The daily checks of the operations manual (§2.1), one entry each: the one extension point. A new check is one
 * more entry here; `botops check`, its formats and the Dashboard's Checks pane pick it up from this list.
 */
import {alertmanagerUrls} from '../services/alertmanager.js';
import {prometheusSettings} from '../services/prometheus.js';
import {findServiceInstances} from '../store/selectors.js';
import {parseSince} from '../logs/time.js';
import {formatLatency} from '../util/format.js';
import {emptyServiceTally} from './log-tally.js';
import type {EnvironmentConfig} from '../config/schema.js';
import {databaseSettings} from '../database/settings.js';
import type {DatabaseSection, DatabaseView} from '../database/view.js';
import {backupVerdict, connectionsVerdict, replicationVerdict, staleTradeVerdict, successRateVerdict} from '../database/verdicts.js';
import type {Applicability, CheckContext, CheckDefinition} from './types.js';
import {worstStatus, type CheckStatus, type CheckVerdict} from './verdict.js';

const applies: Applicability = {applies: true};
const leftOut = (reason: string): Applicability => ({applies: false, reason});

function verdict(status: CheckStatus, reason: string, figure?: string, value?: number): CheckVerdict {
	const out: CheckVerdict = {status, reason};
	if (figure !== undefined) out.figure = figure;
	if (value !== undefined && Number.isFinite(value)) out.value = value;
	return out;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
/** "a, b and 2 more": a reason stays one line. */
function names(list: readonly string[], max = 3): string {
	if (list.length <= max) return list.join(', ');
	return `${list.slice(0, max).join(', ')} and ${list.length - max} more`;
}
const percent = (value: number) => `${value.toFixed(value >= 100 ? 0 : 1)} %`;

const needsPrometheus = (environment: Parameters<CheckDefinition['appliesTo']>[0]) =>
	prometheusSettings(environment) ? applies : leftOut('no Prometheus configured (prometheus.url or prometheusUrl)');

const needsMongo = (environment: EnvironmentConfig): Applicability => (environment.mongo ? applies : leftOut('no MongoDB configured (mongo.uriEnv)'));

/**
 * A part of MongoDB's reading, judged only when it is current: a part that failed (no privilege, a timeout) is the
 * check's unknown with the server's message, even if an older value is still held.
 */
async function databasePart<T>(context: CheckContext, signal: AbortSignal, pick: (view: DatabaseView) => DatabaseSection<T>): Promise<T | undefined> {
	const part = pick(await context.database(signal));
	if (part.fault) throw new Error(part.fault.message);
	return part.value;
}

/** What the engine's health endpoint says of trading (`trading_enabled`), when a probe answered it. */
async function tradingEnabled(context: CheckContext, signal: AbortSignal): Promise<boolean | undefined> {
	const results = await context.health(signal).catch(() => []);
	for (const result of results) {
		const enabled = result.body?.['trading_enabled'];
		if (typeof enabled === 'boolean') return enabled;
	}
	return undefined;
}

export const checkCatalog: readonly CheckDefinition[] = [
	{
		id: 'services-up',
		title: 'Services up',
		routines: ['morning'],
		needs: "the platform's instances (compose containers or Kubernetes pods)",
		appliesTo: () => applies,
		async run(context, signal) {
			const instances = await context.instances(signal);
			const down: string[] = [];
			const degraded: string[] = [];
			const optionalDown: string[] = [];
			let up = 0;
			for (const service of context.environment.services) {
				const own = findServiceInstances(service, instances);
				const running = own.filter(instance => instance.state === 'running');
				const unhealthy = running.filter(instance => instance.health === 'unhealthy');
				if (running.length === 0) {
					const state = own.length === 0 ? 'missing' : own.map(instance => instance.state).join('/');
					(service.critical ? down : optionalDown).push(`${service.name} ${state}`);
					continue;
				}
				up++;
				if (running.length < own.length) degraded.push(`${service.name} ${running.length}/${own.length} running`);
				else if (unhealthy.length > 0) degraded.push(`${service.name} unhealthy`);
			}
			const total = context.environment.services.length;
			const figure = `${up}/${total} up`;
			if (down.length > 0) return verdict('fail', `down: ${names(down)}`, figure, up);
			if (optionalDown.length > 0 || degraded.length > 0) return verdict('warn', names([...optionalDown.map(text => `${text} (not critical)`), ...degraded]), figure, up);
			return verdict('pass', `all ${total} services running`, figure, up);
		},
	},
	{
		id: 'log-errors',
		title: 'Errors in the logs',
		routines: ['morning'],
		needs: "each service's logs of the window (checks.logWindow, default 12h), levels as the Logs screen detects them",
		appliesTo: () => applies,
		async run(context, signal) {
			const {logWindow, logErrorsFail} = context.settings;
			const tally = await context.logTally(parseSince(logWindow, context.now())!, signal);
			const counts = context.environment.services.map(service => ({service: service.name, ...(tally.get(service.name) ?? emptyServiceTally())}));
			const total = counts.reduce((sum, count) => sum + count.errors, 0);
			const figure = `${total} in ${logWindow}`;
			const unreadable = counts.filter(count => count.error !== undefined);
			const unread = unreadable.length > 0 ? `; unreadable: ${names(unreadable.map(count => `${count.service} (${count.error})`), 2)}` : '';
			if (total === 0) {
				const read = `${plural(counts.reduce((sum, c) => sum + c.lines, 0), 'line')} read`;
				return verdict(unreadable.length > 0 ? 'warn' : 'pass', `no error or fatal lines in ${logWindow} (${read})${unread}`, figure, 0);
			}
			const worst = counts.filter(count => count.errors > 0).sort((a, b) => b.errors - a.errors);
			const detail = names(worst.map(count => `${count.service} ${count.errors}`));
			const last = worst[0]!.lastError;
			return verdict(total >= logErrorsFail ? 'fail' : 'warn', `${detail}${unread}${last ? `; last: ${last}` : ''}`, figure, total);
		},
	},
	{
		id: 'resources',
		title: 'Resource usage',
		routines: ['morning'],
		needs: 'a stats sample of each running instance (docker stats, metrics.k8s.io)',
		appliesTo: () => applies,
		async run(context, signal) {
			const [instances, stats] = await Promise.all([context.instances(signal), context.stats(signal)]);
			const {cpuWarnPercent, cpuFailPercent, memoryWarnPercent, memoryFailPercent} = context.settings;
			const running = instances.filter(instance => instance.state === 'running');
			const sampled = running.filter(instance => stats.has(instance.id));
			if (sampled.length === 0) return verdict('unknown', running.length === 0 ? 'no running instances to sample' : `no stats from any of ${plural(running.length, 'running instance')}`);
			const fails: string[] = [];
			const warns: string[] = [];
			let worstCpu = 0;
			let worstMemory = 0;
			for (const instance of sampled) {
				const sample = stats.get(instance.id)!;
				worstCpu = Math.max(worstCpu, sample.cpuPercent);
				const memory = sample.memLimit > 0 ? sample.memPercent : 0;
				worstMemory = Math.max(worstMemory, memory);
				if (sample.cpuPercent >= cpuFailPercent) fails.push(`${instance.name} CPU ${percent(sample.cpuPercent)}`);
				else if (sample.cpuPercent >= cpuWarnPercent) warns.push(`${instance.name} CPU ${percent(sample.cpuPercent)}`);
				if (memory >= memoryFailPercent) fails.push(`${instance.name} memory ${percent(memory)}`);
				else if (memory >= memoryWarnPercent) warns.push(`${instance.name} memory ${percent(memory)}`);
			}
			const figure = `cpu ${Math.round(worstCpu)} % mem ${Math.round(worstMemory)} %`;
			const missing = running.length - sampled.length;
			const unsampled = missing > 0 ? `; no stats from ${plural(missing, 'instance')}` : '';
			if (fails.length > 0) return verdict('fail', `${names(fails)} (limits ${cpuFailPercent} % CPU, ${memoryFailPercent} % memory)`, figure, worstMemory);
			if (warns.length > 0) return verdict('warn', `${names(warns)} (warn at ${cpuWarnPercent} % CPU, ${memoryWarnPercent} % memory)${unsampled}`, figure, worstMemory);
			if (missing > 0) return verdict('warn', `within thresholds${unsampled}`, figure, worstMemory);
			return verdict('pass', `${plural(sampled.length, 'instance')} under ${cpuWarnPercent} % cpu, ${memoryWarnPercent} % mem`, figure, worstMemory);
		},
	},
	{
		id: 'backup-age',
		title: 'Last backup age',
		routines: ['morning'],
		needs: 'the newest entry of the backup listing (backups: a dump_ directory or a command such as aws s3 ls), under 26 h',
		appliesTo: environment => (environment.backups ? applies : leftOut('no backup listing configured (backups)')),
		async run(context, signal) {
			const listing = await context.backups(signal);
			return backupVerdict(listing.entries, context.now(), databaseSettings(context.environment).limits);
		},
	},
	{
		id: 'trading',
		title: 'Trades, success rate, P&L',
		routines: ['morning', 'evening'],
		needs: "the day's trades in MongoDB: count, success rate > 95 %, P&L, and a recent last trade while trading is enabled",
		appliesTo: needsMongo,
		async run(context, signal) {
			const kpis = await databasePart(context, signal, view => view.trading);
			const limits = databaseSettings(context.environment).limits;
			const rate = successRateVerdict(kpis, limits);
			const last = staleTradeVerdict(kpis, await tradingEnabled(context, signal), context.now(), limits);
			const status = worstStatus([rate.status, last.status]);
			const pnl = kpis ? `; P&L ${kpis.pnlTotal >= 0 ? '+' : ''}${kpis.pnlTotal.toFixed(2)}` : '';
			return {status, reason: `${rate.reason}${pnl}; ${last.reason}`, figure: rate.figure, value: rate.value};
		},
	},
	{
		id: 'health',
		title: 'Health endpoints',
		routines: ['midday'],
		needs: "each service's healthUrl, probed (make health)",
		appliesTo: environment => (environment.services.some(service => service.healthUrl) ? applies : leftOut('no service has a healthUrl')),
		async run(context, signal) {
			const results = await context.health(signal);
			const critical = new Map(context.environment.services.map(service => [service.name, service.critical]));
			const failing = results.filter(result => !result.ok);
			const slow = results.filter(result => result.ok && result.latencyMs > context.settings.latencyTargetMs);
			const figure = `${results.length - failing.length}/${results.length} ok`;
			const describe = (result: (typeof results)[number]) => `${result.service} ${result.error ?? `HTTP ${result.status}`}`;
			const criticalFailing = failing.filter(result => critical.get(result.service) !== false);
			if (criticalFailing.length > 0) return verdict('fail', names(criticalFailing.map(describe)), figure, results.length - failing.length);
			if (failing.length > 0) return verdict('warn', `${names(failing.map(describe))} (not critical)`, figure, results.length - failing.length);
			if (slow.length > 0) return verdict('warn', `slow: ${names(slow.map(result => `${result.service} ${formatLatency(result.latencyMs)}`))} (target ${context.settings.latencyTargetMs} ms)`, figure, results.length);
			return verdict('pass', `${plural(results.length, 'endpoint')} answered OK`, figure, results.length);
		},
	},
	{
		id: 'api-p95',
		title: 'API latency p95',
		routines: ['midday'],
		needs: "Prometheus: each service's p95 (prometheus.queries.p95), against latencyTargetMs",
		appliesTo: needsPrometheus,
		async run(context, signal) {
			const {services} = await context.prometheus(signal);
			const target = context.settings.latencyTargetMs;
			const measured = services.filter(service => service.p95Seconds !== undefined && Number.isFinite(service.p95Seconds));
			if (measured.length === 0) return verdict('unknown', 'Prometheus has no p95 for any service (no requests in 5 min, or no histogram)');
			const worst = measured.reduce((a, b) => (b.p95Seconds! > a.p95Seconds! ? b : a));
			const worstMs = worst.p95Seconds! * 1000;
			const over = measured.filter(service => service.p95Seconds! * 1000 > target);
			const figure = formatLatency(worstMs);
			if (over.length > 0) return verdict('fail', `${names(over.map(service => `${service.service} ${formatLatency(service.p95Seconds! * 1000)}`))} over the ${target} ms target`, figure, worst.p95Seconds);
			if (worstMs > target * 0.8) return verdict('warn', `${worst.service} at ${figure}, near the ${target} ms target`, figure, worst.p95Seconds);
			return verdict('pass', `${worst.service} slowest, target ${target} ms`, figure, worst.p95Seconds);
		},
	},
	{
		id: 'security',
		title: 'Security signals',
		routines: ['midday'],
		needs: "the security service's logs of the window (checks.securityService): HTTP 401/403 and failed logins",
		appliesTo: (environment, settings) =>
			environment.services.some(service => service.name === settings.securityService) ? applies : leftOut(`no service ${settings.securityService} (checks.securityService) in this environment`),
		async run(context, signal) {
			const {logWindow, securityService, authFailuresWarn, authFailuresFail} = context.settings;
			const tally = (await context.logTally(parseSince(logWindow, context.now())!, signal)).get(securityService) ?? emptyServiceTally();
			const total = tally.unauthorized + tally.forbidden + tally.failedLogins;
			const figure = `${total} in ${logWindow}`;
			const reason =
				total === 0
					? `no 401/403 or failed logins from ${securityService} in ${logWindow}`
					: `${securityService}: 401 x${tally.unauthorized}, 403 x${tally.forbidden}, ${plural(tally.failedLogins, 'failed login')} in ${logWindow}`;
			if (total >= authFailuresFail) return verdict('fail', reason, figure, total);
			if (total >= authFailuresWarn) return verdict('warn', reason, figure, total);
			return verdict('pass', tally.lines === 0 ? `${reason} (no lines read)` : reason, figure, total);
		},
	},
	{
		id: 'mongo-pool',
		title: 'MongoDB connections',
		routines: ['midday'],
		needs: "serverStatus().connections: in use against the server's limit (warn 80 %, fail 90 %)",
		appliesTo: needsMongo,
		async run(context, signal) {
			const server = await databasePart(context, signal, view => view.server);
			return connectionsVerdict(server?.sample.connections, databaseSettings(context.environment).limits);
		},
	},
	{
		id: 'replication-lag',
		title: 'Replication lag',
		routines: ['midday'],
		needs: "replSetGetStatus: each secondary's lag behind the primary, corrected for heartbeat age, < 1 s",
		appliesTo: needsMongo,
		async run(context, signal) {
			const replication = await databasePart(context, signal, view => view.replication);
			return replicationVerdict(replication?.set, {notReplicaSet: replication?.notReplicaSet}, databaseSettings(context.environment).limits);
		},
	},
	{
		id: 'k8s-deployments',
		title: 'Deployments available',
		routines: ['morning', 'midday'],
		needs: "the cluster's deployments (Kubernetes only)",
		appliesTo: environment => (environment.backend.type === 'kubernetes' ? applies : leftOut('not a Kubernetes environment (compose has no deployments)')),
		async run(context, signal) {
			const {deployments} = await context.cluster(signal);
			if (deployments.length === 0) return verdict('unknown', 'no deployments in the namespace');
			const unavailable = deployments.filter(d => d.available === 0 && d.desired > 0);
			const stalled = deployments.filter(d => d.stalled);
			const short = deployments.filter(d => d.available < d.desired && !unavailable.includes(d));
			const full = deployments.filter(d => d.available >= d.desired).length;
			const figure = `${full}/${deployments.length} available`;
			if (unavailable.length > 0 || stalled.length > 0) {
				const problems = [...unavailable.map(d => `${d.name} 0/${d.desired}`), ...stalled.filter(d => !unavailable.includes(d)).map(d => `${d.name} rollout stalled (ProgressDeadlineExceeded)`)];
				return verdict('fail', names(problems), figure, full);
			}
			if (short.length > 0) return verdict('warn', names(short.map(d => `${d.name} ${d.available}/${d.desired}`)), figure, full);
			return verdict('pass', `${plural(deployments.length, 'deployment')} fully available`, figure, full);
		},
	},
	{
		id: 'prom-targets',
		title: 'Prometheus targets up',
		routines: ['evening'],
		needs: "Prometheus's active targets",
		appliesTo: needsPrometheus,
		async run(context, signal) {
			const {targets} = await context.prometheus(signal);
			if (targets.length === 0) return verdict('fail', 'Prometheus scrapes no targets', '0 targets', 0);
			const down = targets.filter(target => target.health === 'down');
			const unknown = targets.filter(target => target.health === 'unknown');
			const up = targets.length - down.length - unknown.length;
			const figure = `${up}/${targets.length} up`;
			const label = (target: (typeof targets)[number]) => `${target.job} ${target.instance}${target.lastError ? ` (${target.lastError})` : ''}`;
			if (down.length > 0) return verdict('fail', `down: ${names(down.map(label), 2)}`, figure, up);
			if (unknown.length > 0) return verdict('warn', `not scraped yet: ${names(unknown.map(label), 2)}`, figure, up);
			return verdict('pass', `all ${targets.length} targets up`, figure, up);
		},
	},
	{
		id: 'alerts',
		title: 'Alerts firing or fired',
		routines: ['morning', 'evening'],
		needs: 'Alertmanager (else Prometheus) for what fires now; the alert journal for what fired in checks.alertWindow',
		appliesTo: environment =>
			alertmanagerUrls(environment).length > 0 || prometheusSettings(environment) ? applies : leftOut('no Alertmanager or Prometheus configured'),
		async run(context, signal) {
			const {alertWindow} = context.settings;
			// Alertmanager's view wins: it knows silences; Prometheus's firing alerts stand in when there is none.
			const firing =
				alertmanagerUrls(context.environment).length > 0
					? (await context.alertmanager(signal)).map(alert => ({labels: alert.labels, silenced: alert.state === 'suppressed'}))
					: (await context.prometheus(signal)).alerts.filter(alert => alert.state === 'firing').map(alert => ({labels: alert.labels, silenced: false}));
			const fired = await context.firedSince(parseSince(alertWindow, context.now())!);
			const resolved = (fired ?? []).filter(entry => entry.resolvedAt !== undefined);
			// Without a journal the past is not known: said so, not passed off as quiet.
			const past = fired === undefined ? `no alert journal yet (the dashboard keeps it)` : `none fired in ${alertWindow}`;
			const active = firing.filter(alert => !alert.silenced);
			const label = (labels: Record<string, string>) => `${labels['alertname'] ?? '?'}${labels['service'] ? ` ${labels['service']}` : ''}`;
			const figure = `${active.length} firing, ${resolved.length} resolved`;
			const overnight = resolved.length > 0 ? `; ${resolved.length} fired and resolved in ${alertWindow}` : '';
			const critical = active.filter(alert => alert.labels['severity'] === 'critical');
			if (critical.length > 0) return verdict('fail', `firing: ${names(critical.map(alert => label(alert.labels)), 2)}${overnight}`, figure, active.length);
			if (active.length > 0) return verdict('warn', `firing: ${names(active.map(alert => label(alert.labels)), 2)}${overnight}`, figure, active.length);
			const silenced = firing.length - active.length;
			if (resolved.length > 0) return verdict('warn', `none firing; in ${alertWindow}: ${names(resolved.map(entry => label(entry.labels)), 2)}, resolved`, figure, 0);
			return verdict('pass', `none firing${silenced > 0 ? ` (${silenced} silenced)` : ''}, ${past}`, figure, 0);
		},
	},
	{
		id: 'pending-deploys',
		title: 'Pending deployments',
		routines: ['evening'],
		needs: 'a git checkout (deployCheckout.path): git log --oneline <upstream> ^HEAD',
		appliesTo: environment => (environment.deployCheckout ? applies : leftOut('no checkout configured (deployCheckout.path)')),
		async run(context, signal) {
			const pending = await context.pendingDeploys(signal);
			const upstream = context.environment.deployCheckout?.upstream ?? 'origin/main';
			const figure = plural(pending.length, 'commit');
			if (pending.length === 0) return verdict('pass', `HEAD is at ${upstream}: nothing pending`, figure, 0);
			return verdict('warn', `${figure} on ${upstream} not deployed; newest: ${pending[0]}`, figure, pending.length);
		},
	},
];

/** A check by id (the CLI's, the tests'); undefined when there is none. */
export function findCheck(id: string): CheckDefinition | undefined {
	return checkCatalog.find(check => check.id === id);
}
