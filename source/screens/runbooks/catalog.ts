import type {Runbook} from '../../runbooks/schema.js';

/** The runbooks offered for a service (those that apply to it or to all), or every runbook. */
export function runbooksFor(runbooks: readonly Runbook[], service?: string): Runbook[] {
	if (!service) return [...runbooks];
	return runbooks.filter(r => r.appliesTo === 'all' || r.appliesTo.includes(service));
}

export function appliesToText(runbook: Runbook): string {
	return runbook.appliesTo === 'all' ? 'all' : runbook.appliesTo.join(', ');
}

export const runbookId = (runbook: Runbook): string => runbook.id;

/** What `/` matches on a runbook: its key, id, title, description and the services it applies to. */
export const runbookFilterFields = (runbook: Runbook): string[] => [runbook.key ?? '', runbook.id, runbook.title, runbook.description, appliesToText(runbook)];
