import {elapsedClock, type Incident} from '../../incident/model.js';
import {responseTargetText, severityLevels} from '../../incident/severity.js';

/**
 * The incident banner's words, pure: severity, running clock and response-time target, and whether the target
 * is past. `compact` is the header's form ("P1 0:12:04/30m"); the long form is for wide panes and the war room
 * ("INC-… P1 High · 0:12:04 of 30m · title").
 */
export type BannerText = {text: string; overdue: boolean};

export function incidentBannerText(incident: Incident, now: number, form: 'compact' | 'long'): BannerText {
	const elapsed = Math.max(0, now - incident.declaredAt);
	const target = severityLevels[incident.severity].responseMs;
	const overdue = target !== undefined && elapsed > target;
	const clock = elapsedClock(elapsed);
	const targetText = responseTargetText(incident.severity);
	if (form === 'compact') return {text: `${incident.severity} ${clock}${overdue ? '>' : '/'}${targetText}`, overdue};
	const level = severityLevels[incident.severity];
	const against = overdue ? `over the ${targetText} response target` : `of ${targetText} response target`;
	return {text: `INCIDENT ${incident.severity} ${level.name} ${clock} ${against} ${incident.id} ${incident.title}`, overdue};
}
