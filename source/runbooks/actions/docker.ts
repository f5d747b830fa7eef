import {z} from 'zod';
import {containerName, describeTargets, requireDocker, resolveContainers, selectServices, serviceSelector} from './targets.js';
import {describeEnvironment, type Action} from './types.js';

const lifecycleParams = z.strictObject({
	service: serviceSelector,
	/** Seconds Docker waits for a graceful stop before SIGKILL (docker's --time). */
	timeout: z.number().int().min(0).max(600).default(10),
});
type LifecycleParams = z.infer<typeof lifecycleParams>;

function lifecycle(verb: 'restart' | 'stop' | 'start'): Action<LifecycleParams> {
	return {
		name: `docker.${verb}`,
		params: lifecycleParams,
		mutating: true,
		describe(params, ctx) {
			const services = ordered(verb, selectServices(ctx.environment, params.service));
			const {target, affects} = describeTargets(services, ctx.containers);
			const flag = verb === 'start' ? '' : ` --time ${params.timeout}`;
			return {
				target,
				call: services.map(s => `docker ${verb}${flag} ${containerName(s)}`).join(' && '),
				environment: describeEnvironment(ctx.environment),
				affects,
			};
		},
		async run(params, ctx) {
			const docker = requireDocker(ctx);
			const services = ordered(verb, selectServices(ctx.environment, params.service));
			const targets = await resolveContainers(ctx, services);
			const done: string[] = [];
			for (const {container} of targets) {
				try {
					if (verb === 'start') await docker.start(container.id);
					else await docker[verb](container.id, params.timeout);
				} catch (error) {
					const message = error instanceof Error ? error.message : String(error);
					const before = done.length > 0 ? ` after ${verb === 'stop' ? 'stopping' : `${verb}ing`} ${done.join(', ')}` : '';
					return {ok: false, output: done.join('\n'), detail: `docker ${verb} ${container.name} failed${before}: ${message}`};
				}
				done.push(container.name);
				ctx.output(`${verb === 'stop' ? 'stopped' : `${verb}ed`} ${container.name}`);
			}
			return {ok: true, output: done.join('\n'), detail: `${verb === 'stop' ? 'stopped' : `${verb}ed`} ${done.join(', ')}`};
		},
	};
}

/** Stop in reverse dependency order (UI first, database last); start and restart in config order. */
function ordered<T>(verb: string, services: T[]): T[] {
	return verb === 'stop' ? [...services].reverse() : services;
}

const execParams = z.strictObject({
	service: z.string().min(1),
	argv: z.array(z.string()).min(1),
	/** Exit codes that count as success. */
	expectExit: z.array(z.number().int()).default([0]),
	/** `false`: the runbook says the command only reads (`ls`). Believed outside read-only mode only (see Action.declaredReadOnly). */
	mutating: z.boolean().default(true),
});

export const dockerExec: Action<z.infer<typeof execParams>> = {
	name: 'docker.exec',
	params: execParams,
	// A command inside a container can do anything: it counts as a change whatever the runbook says.
	mutating: true,
	declaredReadOnly: params => !params.mutating,
	describe(params, ctx) {
		const services = selectServices(ctx.environment, params.service);
		const {target, affects} = describeTargets(services, ctx.containers);
		return {
			target,
			call: `docker exec ${containerName(services[0]!)} ${params.argv.map(quoteForDisplay).join(' ')}`,
			environment: describeEnvironment(ctx.environment),
			affects: params.mutating ? affects : [],
		};
	},
	async run(params, ctx) {
		const docker = requireDocker(ctx);
		const [first] = await resolveContainers(ctx, selectServices(ctx.environment, params.service));
		const result = await docker.exec(first!.container.id, params.argv);
		const output = [result.stdout.trimEnd(), result.stderr.trimEnd()].filter(Boolean).join('\n');
		for (const line of output.split('\n').filter(Boolean).slice(-50)) ctx.output(line);
		const ok = params.expectExit.includes(result.exitCode);
		return {
			ok,
			output,
			detail: `${params.argv[0]} in ${first!.container.name} exited ${result.exitCode}${ok ? '' : ` (expected ${params.expectExit.join(' or ')})`}`,
		};
	},
};

/** Display only: argv is passed to Docker as an array, this just makes the plan copy-pasteable. */
export function quoteForDisplay(arg: string): string {
	return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

const checkParams = z.strictObject({
	service: serviceSelector,
	/** The state every container of the service must be in; any state when absent (the container just has to exist). */
	state: z.enum(['running', 'exited', 'created', 'paused', 'restarting', 'dead']).optional(),
});

/** A read-only precondition or verification: the containers exist (and are in the expected state). */
export const dockerCheck: Action<z.infer<typeof checkParams>> = {
	name: 'docker.check',
	params: checkParams,
	mutating: false,
	describe(params, ctx) {
		const services = selectServices(ctx.environment, params.service);
		return {
			target: describeTargets(services, ctx.containers).target,
			call: `docker inspect ${services.map(containerName).join(' ')} (expect ${params.state ?? 'to exist'})`,
			environment: describeEnvironment(ctx.environment),
		};
	},
	async run(params, ctx) {
		const targets = await resolveContainers(ctx, selectServices(ctx.environment, params.service));
		const wrong = params.state ? targets.filter(t => t.container.state !== params.state) : [];
		const list = targets.map(t => `${t.container.name} ${t.container.state}`).join(', ');
		if (wrong.length > 0) {
			return {ok: false, output: list, detail: `${wrong.map(t => `${t.container.name} is ${t.container.state}`).join(', ')}, expected ${params.state}`};
		}
		return {ok: true, output: list, detail: list};
	},
};

export const dockerActions: Action[] = [lifecycle('restart'), lifecycle('stop'), lifecycle('start'), dockerExec, dockerCheck];
