/**
 * The checks every silence action passes before it reaches Alertmanager, shared by the modal and `botops silence`.
 * A silence is evaluated against the alerts there are, not only validated: Alertmanager itself accepts matchers that
 * catch every alert lacking a label (`foo!~"x.+"`, alertmanager#3905) and has no maximum duration (#941, #3964).
 */
import {formatDuration} from '../util/format.js';
import {parseDuration} from './duration.js';
import {formatMatchers, matchesAll, type Matcher} from './matchers.js';
import type {MergedAlert, Silence} from './types.js';

export type SilencePolicy = {
	/** More caught alerts than this needs the environment's name typed. */
	maxAlerts: number;
	/** Longest allowed silence, ms. */
	maxDurationMs: number;
	/** The label that names an alert's service (the blast radius "across services" counts its values). */
	serviceLabel: string;
};

export const defaultSilencePolicy: SilencePolicy = {maxAlerts: 10, maxDurationMs: 2 * 3_600_000, serviceLabel: 'service'};

export const ackDurationMs = 15 * 60_000;
export const ackComment = 'ACK';

export type SilenceRequest = {
	matchers: Matcher[];
	durationMs: number;
	comment: string;
	createdBy: string;
	/** The environment name as the operator typed it, when asked. */
	confirmEnvironment?: string;
};

/** What a silence would do now: the alerts it catches and the services they belong to. */
export type SilencePreview = {caught: MergedAlert[]; services: string[]; matchesEmptyLabelSet: boolean};

export type GuardVerdict =
	| {kind: 'ok'; preview: SilencePreview}
	| {kind: 'needs-typed-confirmation'; reason: string; environment: string; preview: SilencePreview}
	| {kind: 'refused'; reason: string; preview?: SilencePreview};

/** Alertmanager's semantics (anchored regexes, absent label = ""), so the preview is what Alertmanager will silence. */
export function previewSilence(matchers: readonly Matcher[], alerts: readonly MergedAlert[], serviceLabel = defaultSilencePolicy.serviceLabel): SilencePreview {
	const caught = alerts.filter(alert => matchesAll(matchers, alert.labels));
	const services = [...new Set(caught.map(alert => alert.labels[serviceLabel] ?? ''))].sort();
	return {caught, services, matchesEmptyLabelSet: matchers.length > 0 && matchesAll(matchers, {})};
}

export function guardSilence(request: SilenceRequest, alerts: readonly MergedAlert[], environment: string, policy: SilencePolicy = defaultSilencePolicy): GuardVerdict {
	if (request.matchers.length === 0) return {kind: 'refused', reason: 'a silence needs at least one matcher'};
	if (!request.comment.trim()) return {kind: 'refused', reason: 'a silence needs a comment saying why'};
	if (!request.createdBy.trim()) return {kind: 'refused', reason: 'a silence needs an author'};
	if (!Number.isFinite(request.durationMs) || request.durationMs <= 0) return {kind: 'refused', reason: 'a silence needs a duration above zero'};
	if (request.durationMs > policy.maxDurationMs)
		return {kind: 'refused', reason: `${formatDuration(request.durationMs)} is longer than the ${formatDuration(policy.maxDurationMs)} maximum for a silence`};

	const preview = previewSilence(request.matchers, alerts, policy.serviceLabel);
	const shown = formatMatchers(request.matchers);
	if (preview.matchesEmptyLabelSet)
		return {kind: 'refused', reason: `${shown} matches an alert with no labels at all, so it silences every alert lacking them; add a matcher that needs a label`, preview};
	if (alerts.length >= 2 && preview.caught.length === alerts.length)
		return {kind: 'refused', reason: `${shown} matches every current alert (${alerts.length}); narrow it`, preview};

	const reasons: string[] = [];
	if (preview.caught.length > policy.maxAlerts) reasons.push(`it catches ${preview.caught.length} alerts (more than ${policy.maxAlerts})`);
	if (preview.services.length > 1) reasons.push(`it spans ${preview.services.length} services (${preview.services.map(s => s || '(none)').join(', ')})`);
	if (reasons.length === 0 || request.confirmEnvironment === environment) return {kind: 'ok', preview};
	return {kind: 'needs-typed-confirmation', reason: `${reasons.join(' and ')}: type "${environment}" to create it`, environment, preview};
}

/** An acknowledgement: a short silence of exactly this alert's label set, commented `ACK`. */
export function acknowledgement(alert: Pick<MergedAlert, 'labels'>, createdBy: string): SilenceRequest {
	const matchers = Object.keys(alert.labels)
		.sort()
		.map(name => ({name, value: alert.labels[name], isRegex: false, isEqual: true}));
	return {matchers, durationMs: ackDurationMs, comment: ackComment, createdBy};
}

/**
 * The matchers that silence one Alertmanager group: its group_by labels, an absent one as `name=""` (the group holds
 * exactly the alerts without it).
 */
export function groupMatchers(group: {labels: Record<string, string>}): Matcher[] {
	return Object.keys(group.labels)
		.sort()
		.map(name => ({name, value: group.labels[name], isRegex: false, isEqual: true}));
}

export type ExpirePreview = {
	/** Alerts this silence holds back that no other active silence or inhibition does: they fire again. */
	willFire: MergedAlert[];
	/** Alerts it holds back that stay suppressed by something else. */
	staySuppressed: MergedAlert[];
};

export function previewExpire(silence: Pick<Silence, 'id' | 'matchers'>, alerts: readonly MergedAlert[], others: readonly Silence[] = []): ExpirePreview {
	const otherActive = others.filter(s => s.id !== silence.id && s.state === 'active');
	const held = alerts.filter(alert => alert.silencedBy.includes(silence.id) || matchesAll(silence.matchers, alert.labels));
	const willFire: MergedAlert[] = [];
	const staySuppressed: MergedAlert[] = [];
	for (const alert of held) {
		const otherSilence = alert.silencedBy.some(id => id !== silence.id) || otherActive.some(s => matchesAll(s.matchers, alert.labels));
		(otherSilence || alert.inhibitedBy.length > 0 ? staySuppressed : willFire).push(alert);
	}
	return {willFire, staySuppressed};
}

export type ExpireRequest = {silenceId: string; createdBy: string; comment?: string};

export function guardExpire(silence: Silence | undefined, id: string): {kind: 'ok'} | {kind: 'refused'; reason: string} {
	if (!silence) return {kind: 'refused', reason: `no silence with id ${id}`};
	if (silence.state === 'expired') return {kind: 'refused', reason: `silence ${id} has already expired`};
	return {kind: 'ok'};
}

/** The environment's `silences:` settings over the defaults (2 h, 10 alerts). */
export function silencePolicyFor(environment: {silences?: {maxDuration?: string; maxAlerts?: number}}): SilencePolicy {
	return {
		...defaultSilencePolicy,
		...(environment.silences?.maxDuration ? {maxDurationMs: parseDuration(environment.silences.maxDuration)} : {}),
		...(environment.silences?.maxAlerts ? {maxAlerts: environment.silences.maxAlerts} : {}),
	};
}
