import {parseDuration} from '../alerts/duration.js';
import {formatMatchers, parseMatcherArgs} from '../alerts/matchers.js';
import {guardSilence, previewExpire, silencePolicyFor} from '../alerts/silence-guard.js';
import type {MergedAlert} from '../alerts/types.js';
import type {Config, EnvironmentConfig} from '../config/schema.js';
import {alertmanagerUrls, createAlertmanagerSet, createGuardedSilence, expireGuardedSilence, type AlertmanagerSet, type SilenceActionContext} from '../services/alertmanager.js';
import {auditFilePath, currentUser} from '../services/audit.js';
import {describeError} from '../services/errors.js';
import {textTable} from '../util/text-table.js';

export type SilenceCommandContext = {config: Pick<Config, 'timeoutMs'>; environment: EnvironmentConfig; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream};

export type SilenceAddOptions = {matcher: string[]; comment?: string; author?: string; duration?: string; yes: boolean; confirmEnv?: string; readOnly: boolean; json: boolean};
export type SilenceExpireOptions = {id: string; yes: boolean; readOnly: boolean; json: boolean};

/** Bad usage or a refusal: exit 2, as the runbook commands do. */
const refused = 2;

function openSet(context: SilenceCommandContext): AlertmanagerSet | undefined {
	const urls = alertmanagerUrls(context.environment);
	if (urls.length === 0) {
		context.stderr.write(`botops: no Alertmanager configured for ${context.environment.name} (alertmanagerUrl or alertmanagerUrls)\n`);
		return undefined;
	}
	return createAlertmanagerSet(urls, {timeoutMs: context.config.timeoutMs});
}

function actionContext(context: SilenceCommandContext, set: AlertmanagerSet): SilenceActionContext {
	return {set, environment: context.environment.name, policy: silencePolicyFor(context.environment), auditFile: auditFilePath(process.env, context.environment)};
}

const alertLine = (alert: MergedAlert) => `  ${alert.labels['alertname'] ?? '-'} ${alert.labels['service'] ?? '-'} ${alert.labels['severity'] ?? '-'}`;

/** `botops silence list`: the silences that are active or pending, on every Alertmanager of the set. */
export async function runSilenceList(options: {json: boolean}, context: SilenceCommandContext): Promise<number> {
	const set = openSet(context);
	if (!set) return refused;
	let answer;
	try {
		answer = await set.silences();
	} catch (error) {
		context.stderr.write(`botops: ${describeError(error, 'alertmanager')}\n`);
		return 1;
	}
	const current = answer.silences.filter(s => s.state !== 'expired').sort((a, b) => a.endsAt.localeCompare(b.endsAt));
	if (options.json) {
		context.stdout.write(JSON.stringify({environment: context.environment.name, silences: current, errors: answer.errors}, null, 2) + '\n');
		return 0;
	}
	if (current.length === 0) {
		context.stdout.write(`No active silences on ${context.environment.name}.\n`);
		return 0;
	}
	context.stdout.write(textTable(['ID', 'STATE', 'ENDS', 'BY', 'MATCHERS', 'COMMENT'], current.map(s => [s.id, s.state, s.endsAt, s.createdBy, formatMatchers(s.matchers), s.comment])));
	return 0;
}

/**
 * `botops silence add`: the modal's guard, unattended. The preview is printed; a refusal is audited and exits 2;
 * a silence the guard would let through only with the environment name needs `--confirm-env NAME` (never `--yes`);
 * otherwise `--yes` creates it.
 */
export async function runSilenceAdd(options: SilenceAddOptions, context: SilenceCommandContext): Promise<number> {
	const {stdout, stderr, environment} = context;
	if (options.readOnly) {
		stderr.write('botops: --read-only: silences are refused\n');
		return refused;
	}
	let matchers;
	let durationMs;
	try {
		if (options.matcher.length === 0) throw new Error('a silence needs matchers: --matcher \'alertname="ServiceDown"\' (amtool syntax)');
		matchers = parseMatcherArgs(options.matcher);
		durationMs = parseDuration(options.duration ?? '1h');
	} catch (error) {
		stderr.write(`botops: ${describeError(error)}\n`);
		return refused;
	}
	const set = openSet(context);
	if (!set) return refused;
	const actions = actionContext(context, set);
	const input = {matchers, durationMs, comment: options.comment ?? '', createdBy: options.author ?? currentUser()};
	let alerts;
	try {
		alerts = (await set.alerts()).alerts;
	} catch (error) {
		stderr.write(`botops: ${describeError(error, 'alertmanager')}\n`);
		return 1;
	}
	const verdict = guardSilence(input, alerts, environment.name, actions.policy);
	const caught = verdict.preview?.caught ?? [];
	if (!options.json) stdout.write(`Silence ${formatMatchers(matchers)} for ${options.duration ?? '1h'} catches ${caught.length} alert(s) now:\n${caught.map(alertLine).join('\n')}${caught.length > 0 ? '\n' : ''}`);
	if (verdict.kind === 'needs-typed-confirmation' && options.confirmEnv !== environment.name) {
		const how = options.confirmEnv === undefined ? (options.yes ? '--yes is only allowed when the guards pass; ' : '') + `pass --confirm-env ${environment.name}` : `--confirm-env "${options.confirmEnv}" is not "${environment.name}"`;
		stderr.write(`botops: not created: ${verdict.reason.replace(/: type .*$/, '')}; ${how}\n`);
		return refused;
	}
	if (verdict.kind === 'ok' && !options.yes && options.confirmEnv !== environment.name) {
		stderr.write('botops: not created: pass --yes to create it (the guards pass)\n');
		return refused;
	}
	// Refusals go through the service too: it re-evaluates and audits them.
	const outcome = await createGuardedSilence(actions, {...input, confirmEnvironment: options.confirmEnv}, 'create');
	if (options.json) stdout.write(JSON.stringify(outcome.kind === 'created' ? {created: outcome.id, source: outcome.source, alerts: outcome.verdict.preview.caught.length} : outcome.kind === 'failed' ? {error: outcome.error} : {refused: outcome.verdict.reason}) + '\n');
	if (outcome.kind === 'created') {
		if (!options.json) stdout.write(`Created silence ${outcome.id} on ${outcome.source}\n`);
		return 0;
	}
	stderr.write(`botops: not created: ${outcome.kind === 'failed' ? outcome.error : outcome.verdict.reason}\n`);
	return outcome.kind === 'failed' ? 1 : refused;
}

/** `botops silence expire ID`: prints what fires again, then expires it on every peer with `--yes`. */
export async function runSilenceExpire(options: SilenceExpireOptions, context: SilenceCommandContext): Promise<number> {
	const {stdout, stderr} = context;
	if (options.readOnly) {
		stderr.write('botops: --read-only: silences are refused\n');
		return refused;
	}
	const set = openSet(context);
	if (!set) return refused;
	if (!options.yes) {
		try {
			const [{alerts}, {silences}] = await Promise.all([set.alerts(), set.silences()]);
			const silence = silences.find(s => s.id === options.id);
			if (silence) {
				const {willFire} = previewExpire(silence, alerts, silences);
				stdout.write(`Expiring ${options.id} ${formatMatchers(silence.matchers)} starts ${willFire.length} alert(s) firing again:\n${willFire.map(alertLine).join('\n')}${willFire.length > 0 ? '\n' : ''}`);
			}
		} catch (error) {
			stderr.write(`botops: ${describeError(error, 'alertmanager')}\n`);
			return 1;
		}
		stderr.write('botops: not expired: pass --yes to expire it\n');
		return refused;
	}
	const outcome = await expireGuardedSilence(actionContext(context, set), options.id);
	if (options.json) stdout.write(JSON.stringify(outcome.kind === 'expired' ? {expired: options.id, sources: outcome.sources, willFire: outcome.willFire.map(a => a.labels)} : outcome) + '\n');
	if (outcome.kind === 'expired') {
		if (!options.json) stdout.write(`Expired silence ${options.id} on ${outcome.sources.join(', ')}; ${outcome.willFire.length} alert(s) fire again:\n${outcome.willFire.map(alertLine).join('\n')}${outcome.willFire.length > 0 ? '\n' : ''}`);
		return 0;
	}
	stderr.write(`botops: not expired: ${outcome.kind === 'refused' ? outcome.reason : outcome.error}\n`);
	return outcome.kind === 'failed' ? 1 : refused;
}
