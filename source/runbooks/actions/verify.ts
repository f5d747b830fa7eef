import {z} from 'zod';
import type {ServiceConfig} from '../../config/schema.js';
import {bodyMismatches} from './body-fields.js';
import {sleep} from './sleep.js';
import {containersOf, selectServices, serviceSelector} from './targets.js';
import {describeEnvironment, type Action, type ActionContext} from './types.js';

const params = z
	.strictObject({
		/** Services whose container must be running (and healthy, when it has a healthcheck) and whose health URL must answer. */
		services: serviceSelector.optional(),
		/** Or one URL that must answer 2xx, e.g. /api/market-data/ADAUSDT. */
		url: z.url().optional(),
		/** Top-level JSON fields the health URL (or `url`) must return; "*" means present with any value. */
		expectFields: z.record(z.string(), z.unknown()).optional(),
		/** Seconds to keep retrying: services take a moment to come back after a restart. */
		within: z.number().min(0).max(3600).default(60),
		interval: z.number().positive().max(60).default(1),
	})
	.refine(p => p.services !== undefined || p.url !== undefined, 'services or url');
type Params = z.infer<typeof params>;

export const verifyAction: Action<Params> = {
	name: 'verify',
	params,
	mutating: false,
	describe(p, ctx) {
		const parts: string[] = [];
		if (p.services) {
			for (const service of selectServices(ctx.environment, p.services)) {
				const checks = [];
				if (ctx.environment.backend.type === 'compose') checks.push('container running');
				if (service.healthUrl) checks.push(`GET ${service.healthUrl} ok`);
				parts.push(`${service.name}: ${checks.join(', ') || 'nothing to check'}`);
			}
		}
		if (p.url) parts.push(`GET ${p.url} ok`);
		const fields = p.expectFields ? ` with ${JSON.stringify(p.expectFields)}` : '';
		return {
			target: p.services ? selectServices(ctx.environment, p.services).map(s => s.name).join(', ') : new URL(p.url!).origin,
			call: `${parts.join('; ')}${fields} (retry up to ${p.within} s)`,
			environment: describeEnvironment(ctx.environment),
		};
	},
	async run(p, ctx, signal) {
		const services = p.services ? selectServices(ctx.environment, p.services) : [];
		const started = Date.now();
		for (let attempt = 1; ; attempt++) {
			const problems = await checkOnce(p, services, ctx);
			if (problems.length === 0) {
				const what = [...services.map(s => s.name), ...(p.url ? [p.url] : [])].join(', ');
				return {ok: true, output: '', detail: `${what}: up${attempt > 1 ? ` after ${Math.round((Date.now() - started) / 1000)} s` : ''}`};
			}
			if (Date.now() - started + p.interval * 1000 > p.within * 1000) {
				return {ok: false, output: problems.join('\n'), detail: problems.join('; ')};
			}
			ctx.output(`not yet: ${problems.join('; ')}`);
			await sleep(p.interval * 1000, signal);
		}
	},
};

async function checkOnce(p: Params, services: ServiceConfig[], ctx: ActionContext): Promise<string[]> {
	const problems: string[] = [];
	if (services.length > 0 && ctx.docker && ctx.environment.backend.type === 'compose') {
		try {
			const containers = await ctx.docker.listContainers();
			for (const service of services) {
				const found = containersOf(service, containers);
				if (found.length === 0) problems.push(`${service.name}: no container`);
				for (const c of found) {
					if (c.state !== 'running') problems.push(`${service.name}: container ${c.name} is ${c.state}`);
					else if (c.health === 'unhealthy' || c.health === 'starting') problems.push(`${service.name}: container ${c.name} is ${c.health}`);
				}
			}
		} catch (error) {
			problems.push(`docker: ${error instanceof Error ? error.message : String(error)}`);
		}
	}
	const probes: Array<[string, string]> = services.filter(s => s.healthUrl).map(s => [s.name, s.healthUrl!]);
	if (p.url) probes.push([p.url, p.url]);
	const results = await Promise.all(probes.map(([name, url]) => ctx.health.probe(name, url)));
	for (const result of results) {
		if (!result.ok) {
			problems.push(`${result.service}: ${result.error ?? `HTTP ${result.status ?? '?'}`}`);
			continue;
		}
		if (p.expectFields) {
			const wrong = bodyMismatches(result.body, p.expectFields);
			if (wrong.length > 0) problems.push(`${result.service}: ${wrong.join(', ')}`);
		}
	}
	if (services.length > 0 && !ctx.docker && probes.length === 0) problems.push('nothing to verify: no health URLs and no docker');
	return problems;
}
