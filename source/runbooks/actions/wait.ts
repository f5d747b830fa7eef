import {z} from 'zod';
import {sleep} from './sleep.js';
import {describeEnvironment, isMutating, type Action} from './types.js';

const params = z.union([
	// 0 is allowed: an operator may choose not to wait (maintenance with nothing in flight).
	z.strictObject({seconds: z.number().min(0).max(86_400)}),
	z.strictObject({
		/** A non-mutating action tried every `interval` seconds until it passes. */
		until: z.strictObject({action: z.string().min(1), params: z.record(z.string(), z.unknown()).default({})}),
		timeout: z.number().positive().max(86_400).default(120),
		interval: z.number().positive().max(3600).default(2),
	}),
]);
type Params = z.infer<typeof params>;

export const waitAction: Action<Params> = {
	name: 'wait',
	params,
	mutating: false,
	nested: p => ('seconds' in p ? [] : [{action: p.until.action, params: p.until.params}]),
	describe(p, ctx) {
		if ('seconds' in p) return {target: '-', call: `sleep ${p.seconds}`, environment: describeEnvironment(ctx.environment)};
		// describe() has no registry; buildPlan validated the nested action (Action.nested).
		return {
			target: '-',
			call: `until ${p.until.action} ${JSON.stringify(p.until.params)} passes (every ${p.interval} s, up to ${p.timeout} s)`,
			environment: describeEnvironment(ctx.environment),
		};
	},
	async run(p, ctx, signal) {
		if ('seconds' in p) {
			await sleep(p.seconds * 1000, signal);
			return {ok: true, output: '', detail: `waited ${p.seconds} s`};
		}
		const check = ctx.registry.get(p.until.action);
		if (!check) return {ok: false, output: '', detail: `wait: unknown action ${p.until.action}`};
		const checkParams = check.params.parse(p.until.params);
		if (isMutating(check, checkParams, {readOnly: ctx.readOnly ?? true})) return {ok: false, output: '', detail: `wait: ${p.until.action} changes things; until needs a check`};
		const started = Date.now();
		let attempts = 0;
		let last = '';
		for (;;) {
			attempts++;
			try {
				const result = await check.run(checkParams, {...ctx, output: () => {}}, signal);
				if (result.ok) return {ok: true, output: result.output, detail: `${result.detail} after ${attempts} attempt(s)`};
				last = result.detail;
			} catch (error) {
				if (signal.aborted) throw error;
				last = error instanceof Error ? error.message : String(error);
			}
			ctx.output(`attempt ${attempts}: ${last}`);
			if (Date.now() - started + p.interval * 1000 > p.timeout * 1000) {
				return {ok: false, output: '', detail: `still failing after ${p.timeout} s (${attempts} attempts): ${last}`};
			}
			await sleep(p.interval * 1000, signal);
		}
	},
};
