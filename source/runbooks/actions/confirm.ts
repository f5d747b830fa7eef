import {z} from 'zod';
import {describeEnvironment, type Action} from './types.js';

const params = z.strictObject({prompt: z.string().min(1)});

/** A pause mid-run: the engine asks whoever drives it (modal or terminal) and stops on anything but yes. */
export const confirmAction: Action<z.infer<typeof params>> = {
	name: 'confirm',
	params,
	mutating: false,
	describe(p, ctx) {
		return {target: 'operator', call: `ask: ${p.prompt} [y/N]`, environment: describeEnvironment(ctx.environment)};
	},
	async run(p, ctx) {
		const yes = await ctx.confirm(p.prompt);
		return yes
			? {ok: true, output: '', detail: 'operator confirmed'}
			: {ok: false, output: '', detail: 'operator declined (or nobody could answer)'};
	},
};
