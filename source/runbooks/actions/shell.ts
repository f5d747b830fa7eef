import {z} from 'zod';
import {runArgv} from '../../services/shell.js';
import {quoteForDisplay} from './docker.js';
import {describeEnvironment, type Action} from './types.js';

const params = z.strictObject({
	/** Program and arguments. There is deliberately no string form: nothing is ever parsed by a shell. */
	argv: z.array(z.string()).min(1),
	cwd: z.string().min(1).optional(),
	env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'), z.string()).default({}),
	timeout: z.number().positive().max(86_400).default(300),
	expectExit: z.array(z.number().int()).default([0]),
	/** `false`: the runbook says the command only reads. Believed outside read-only mode only (see Action.declaredReadOnly). */
	mutating: z.boolean().default(true),
});
type Params = z.infer<typeof params>;

export const shellAction: Action<Params> = {
	name: 'shell',
	params,
	// A local program can do anything: it counts as a change whatever the runbook says.
	mutating: true,
	declaredReadOnly: p => !p.mutating,
	describe(p, ctx) {
		const env = Object.entries(p.env).map(([k, v]) => `${k}=${quoteForDisplay(String(v))} `).join('');
		return {
			target: `local process${p.cwd ? ` in ${p.cwd}` : ''}`,
			call: `${env}${p.argv.map(quoteForDisplay).join(' ')}`,
			environment: describeEnvironment(ctx.environment),
		};
	},
	async run(p, ctx, signal) {
		const result = await runArgv({
			argv: p.argv,
			cwd: p.cwd,
			env: p.env,
			timeoutMs: p.timeout * 1000,
			signal,
			onLine: line => ctx.output(line),
		});
		const output = [result.stdout.trimEnd(), result.stderr.trimEnd()].filter(Boolean).join('\n');
		if (result.timedOut) return {ok: false, output, detail: `${p.argv[0]} timed out after ${p.timeout} s and was terminated`};
		if (result.exitCode === null) return {ok: false, output, detail: `${p.argv[0]} was killed by ${result.signal}`};
		const ok = p.expectExit.includes(result.exitCode);
		return {ok, output, detail: `${p.argv[0]} exited ${result.exitCode}${ok ? '' : ` (expected ${p.expectExit.join(' or ')})`}`};
	},
};
