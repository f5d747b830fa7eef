/**
 * Which runbooks an environment's platform can run. A runbook that calls a Docker action (or writes compose's .env)
 * runs only on compose; one that calls a Kubernetes action only on Kubernetes; neutral actions (`service.*`) run on
 * both (db-backup and db-restore through `service.exec`: docker exec in the container, or kubectl exec in the
 * deployment's first ready pod). Lists hide the others and say how many and why, instead of offering a plan that
 * can only be refused.
 */
import type {EnvironmentConfig} from '../config/schema.js';
import {dockerActions} from './actions/docker.js';
import {k8sActions} from './actions/k8s.js';
import {serviceScale} from './actions/neutral.js';
import {secretsRotateAction} from './actions/secrets-rotate.js';
import type {Runbook} from './schema.js';

export type PlatformKind = EnvironmentConfig['backend']['type'];

const platformNames: Record<PlatformKind, string> = {compose: 'compose', kubernetes: 'Kubernetes'};

/** Actions that exist on one platform only, by name. */
const onlyOn: ReadonlyMap<string, PlatformKind> = new Map<string, PlatformKind>([
	...dockerActions.map(action => [action.name, 'compose'] as const),
	[secretsRotateAction.name, 'compose'],
	...k8sActions.map(action => [action.name, 'kubernetes'] as const),
	// Neutral, but compose has nothing to resolve it to: a compose service's replicas are fixed by its compose file.
	[serviceScale.name, 'kubernetes'],
]);

/** The platform a runbook needs, when one of its actions exists on one platform only. */
export function runbookPlatform(runbook: Pick<Runbook, 'steps' | 'preconditions'>): PlatformKind | undefined {
	for (const step of [...runbook.preconditions, ...runbook.steps]) {
		const platform = onlyOn.get(step.action);
		if (platform) return platform;
	}
	return undefined;
}

export type PlatformCatalog = {
	runbooks: Runbook[];
	/** How many were hidden, and why in one line ("1 compose-only (rotate-secrets) hidden: demo-k8s runs on Kubernetes"); undefined when none. */
	hidden?: {count: number; reason: string};
};

/** The runbooks this platform can run, and what was left out. */
export function runbooksForPlatform(runbooks: readonly Runbook[], platform: PlatformKind, environmentName: string): PlatformCatalog {
	const kept: Runbook[] = [];
	const hiddenBy = new Map<PlatformKind, string[]>();
	for (const runbook of runbooks) {
		const needs = runbookPlatform(runbook);
		if (needs === undefined || needs === platform) kept.push(runbook);
		else hiddenBy.set(needs, [...(hiddenBy.get(needs) ?? []), runbook.id]);
	}
	if (hiddenBy.size === 0) return {runbooks: kept};
	const count = [...hiddenBy.values()].reduce((sum, ids) => sum + ids.length, 0);
	const kinds = [...hiddenBy.entries()].map(([needs, ids]) => `${ids.length} ${platformNames[needs]}-only (${ids.join(', ')})`).join('; ');
	return {runbooks: kept, hidden: {count, reason: `${kinds} hidden: ${environmentName} runs on ${platformNames[platform]}`}};
}
