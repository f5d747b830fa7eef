import type {EnvironmentConfig} from '../../config/schema.js';
import {describeError} from '../../services/errors.js';
import type {ContainerDetail, ContainerSummary, DockerService} from '../../services/types.js';
import {findServiceContainer} from '../../store/selectors.js';
import {containersUpdate} from '../../store/slices/containers.js';
import type {PollerDefinition} from '../poller.js';

type ContainersPoll = {list: ContainerSummary[]; details: ContainerDetail[]};

/**
 * The compose project's containers, with inspect data (restart count, start time) for the configured services'
 * containers, re-read only when their status text changes. List and details land in one commit.
 */
export function containersPoller(docker: DockerService, environment: EnvironmentConfig, timing: {intervalMs: number; timeoutMs: number}): PollerDefinition<ContainersPoll> {
	const detailReadAt = new Map<string, string>();
	return {
		name: 'containers',
		intervalMs: timing.intervalMs,
		// A list, then the inspects in parallel: two calls in a row, each with the Docker service's own timeout.
		timeoutMs: 2 * timing.timeoutMs + 1000,
		async poll() {
			const list = await docker.listContainers();
			const configured = new Set(environment.services.flatMap(service => findServiceContainer(service, list)?.id ?? []));
			const wanted = list.filter(c => configured.has(c.id) && detailReadAt.get(c.id) !== c.status);
			const settled = await Promise.allSettled(wanted.map(c => docker.inspect(c.id)));
			const details: ContainerDetail[] = [];
			for (const [i, c] of wanted.entries()) {
				const result = settled[i]!;
				if (result.status !== 'fulfilled') continue;
				detailReadAt.set(c.id, c.status);
				details.push(result.value);
			}
			const live = new Set(list.map(c => c.id));
			for (const id of detailReadAt.keys()) if (!live.has(id)) detailReadAt.delete(id);
			return {list, details};
		},
		commit: (state, outcome, retry) =>
			outcome.ok
				? containersUpdate.list(state, outcome.value.list, outcome.value.details, outcome.at)
				: containersUpdate.error(state, describeError(outcome.error, 'docker'), retry.retryAt),
	};
}
