import {z} from 'zod';
import type {EnvironmentConfig, ServiceConfig} from '../../config/schema.js';
import type {ContainerSummary, DockerService} from '../../services/types.js';
import type {ActionContext} from './types.js';

/** `service: NAME`, `service: [A, B]` or `service: all`. */
export const serviceSelector = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** The configured services a selector names; unknown names are an error that lists the known ones. */
export function selectServices(environment: EnvironmentConfig, selector: string | string[]): ServiceConfig[] {
	if (selector === 'all') return environment.services;
	const names = Array.isArray(selector) ? selector : [selector];
	return names.map(name => {
		const service = environment.services.find(s => s.name === name);
		if (!service) {
			throw new Error(
				`no service "${name}" in environment ${environment.name}; expected one of ${environment.services.map(s => s.name).join(', ')}`,
			);
		}
		return service;
	});
}

export function containerName(service: ServiceConfig): string {
	return service.container ?? service.name;
}

/** Compose labels first (a scaled service has several containers), then the configured container name. */
export function containersOf(service: ServiceConfig, containers: ContainerSummary[]): ContainerSummary[] {
	const byLabel = containers.filter(c => c.service === service.name && c.project !== undefined);
	if (byLabel.length > 0) return byLabel;
	return containers.filter(c => c.name === containerName(service));
}

/** "rust-core-engine (container bot-core-rust-1 3f2a1b9c0d1e)", or the configured name when nothing was listed. */
export function describeTargets(services: ServiceConfig[], containers?: ContainerSummary[]): {target: string; affects: string[]} {
	const affects: string[] = [];
	const parts = services.map(service => {
		if (!containers) {
			affects.push(containerName(service));
			return `${service.name} (container ${containerName(service)})`;
		}
		const found = containersOf(service, containers);
		if (found.length === 0) return `${service.name} (no container found)`;
		affects.push(...found.map(c => c.name));
		return `${service.name} (container ${found.map(c => `${c.name} ${c.id.slice(0, 12)} ${c.state}`).join(', ')})`;
	});
	return {target: parts.join('; '), affects};
}

export function requireDocker(ctx: Pick<ActionContext, 'docker' | 'environment'>): DockerService {
	if (!ctx.docker) {
		throw new Error(`docker: not configured for environment ${ctx.environment.name} (backend ${ctx.environment.backend.type})`);
	}
	return ctx.docker;
}

/** Resolves services to the containers that exist now; a service without one is an error, not a silent skip. */
export async function resolveContainers(
	ctx: Pick<ActionContext, 'docker' | 'environment'>,
	services: ServiceConfig[],
): Promise<Array<{service: ServiceConfig; container: ContainerSummary}>> {
	const docker = requireDocker(ctx);
	const containers = await docker.listContainers();
	return services.flatMap(service => {
		const found = containersOf(service, containers);
		if (found.length === 0) {
			const project = ctx.environment.backend.type === 'compose' ? ctx.environment.backend.project : '?';
			throw new Error(`no container for service ${service.name} in compose project ${project}`);
		}
		return found.map(container => ({service, container}));
	});
}
