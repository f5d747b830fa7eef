import type {EnvironmentConfig} from '../../config/schema.js';
import {describeError} from '../../services/errors.js';
import type {Instance, InstanceDetail, Platform} from '../../services/platform.js';
import {findServiceInstances} from '../../store/selectors.js';
import {containersUpdate} from '../../store/slices/containers.js';
import {coalescedWake, type PollerDefinition} from '../poller.js';

type ContainersPoll = {list: Instance[]; details: InstanceDetail[]};

/**
 * The platform's instances (containers, pods), with their details (restart count, start time) for the configured
 * services' instances, re-read only when their status text changes. List and details land in one commit.
 * A platform that learns of changes itself (a Kubernetes watch) wakes the poller; its changes are coalesced there.
 */
export function containersPoller(platform: Platform, environment: EnvironmentConfig, timing: {intervalMs: number; timeoutMs: number}): PollerDefinition<ContainersPoll> {
	const detailReadAt = new Map<string, string>();
	let stopWaking: (() => void) | undefined;
	return {
		name: 'containers',
		open(wake) {
			stopWaking = coalescedWake(listener => platform.onChange(listener), wake);
		},
		close() {
			stopWaking?.();
		},
		intervalMs: timing.intervalMs,
		// A list, then the inspects in parallel: two calls in a row, each with the Docker service's own timeout.
		timeoutMs: 2 * timing.timeoutMs + 1000,
		async poll() {
			const list = await platform.listInstances();
			const configured = new Set(environment.services.flatMap(service => findServiceInstances(service, list).map(c => c.id)));
			const wanted = list.filter(c => configured.has(c.id) && detailReadAt.get(c.id) !== c.status);
			const details = await platform.details(wanted);
			const statusOf = new Map(wanted.map(c => [c.id, c.status]));
			for (const detail of details) detailReadAt.set(detail.id, statusOf.get(detail.id) ?? detail.status);
			const live = new Set(list.map(c => c.id));
			for (const id of detailReadAt.keys()) if (!live.has(id)) detailReadAt.delete(id);
			return {list, details};
		},
		commit(state, outcome, retry) {
			const noun = {...(state.instanceNoun === platform.instanceNoun ? {} : {instanceNoun: platform.instanceNoun}), ...(state.platformScope === platform.scope ? {} : {platformScope: platform.scope})};
			return outcome.ok
				? {...containersUpdate.list(state, outcome.value.list, outcome.value.details, outcome.at), ...noun}
				: {...containersUpdate.error(state, describeError(outcome.error, platform.source), retry.retryAt), ...noun};
		},
	};
}
