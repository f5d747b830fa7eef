import {z} from 'zod';
import {describeEnvironment, type Action} from './types.js';

/** Commands that only read; anything else (killOp, dropDatabase, …) counts as a change. */
const readOnlyCommands = new Set([
	'ping', 'hello', 'isMaster', 'ismaster', 'buildInfo', 'serverStatus', 'replSetGetStatus', 'currentOp', 'listDatabases',
	'listCollections', 'listIndexes', 'collStats', 'dbStats', 'count', 'find', 'getMore', 'distinct',
]);

const params = z.strictObject({
	/** Defaults to the environment's database. */
	db: z.string().min(1).optional(),
	command: z.record(z.string(), z.unknown()).refine(c => Object.keys(c).length > 0, 'a command document like {ping: 1}'),
	/** Top-level reply fields that must equal these values (`ok: 1` is always required). */
	expectFields: z.record(z.string(), z.unknown()).optional(),
});
type Params = z.infer<typeof params>;

function commandName(command: Record<string, unknown>): string {
	return Object.keys(command)[0]!;
}

function writesViaPipeline(command: Record<string, unknown>): boolean {
	const pipeline = command.pipeline;
	return Array.isArray(pipeline) && pipeline.some(stage => stage && typeof stage === 'object' && ('$out' in stage || '$merge' in stage));
}

export const mongoAction: Action<Params> = {
	name: 'mongo.command',
	params,
	mutating: p => {
		const name = commandName(p.command);
		if (name === 'aggregate') return writesViaPipeline(p.command);
		return !readOnlyCommands.has(name);
	},
	describe(p, ctx) {
		const db = p.db ?? ctx.environment.mongo?.database ?? '(no database configured)';
		return {
			target: `MongoDB ${ctx.environment.mongo ? `$${ctx.environment.mongo.uriEnv}` : '(not configured)'} database ${db}`,
			call: `db.runCommand(${JSON.stringify(p.command)})`,
			environment: describeEnvironment(ctx.environment),
		};
	},
	async run(p, ctx) {
		if (!ctx.mongo || !ctx.environment.mongo) {
			return {ok: false, output: '', detail: `mongo: not configured for environment ${ctx.environment.name}`};
		}
		const db = p.db ?? ctx.environment.mongo.database;
		const reply = await ctx.mongo.runCommand(db, p.command);
		const output = JSON.stringify(reply);
		ctx.output(output.length > 500 ? `${output.slice(0, 500)}…` : output);
		const expected: Record<string, unknown> = {ok: 1, ...p.expectFields};
		const wrong = Object.entries(expected).filter(([field, want]) => JSON.stringify(reply[field]) !== JSON.stringify(want));
		if (wrong.length > 0) {
			const message = typeof reply.errmsg === 'string' ? `: ${reply.errmsg}` : '';
			return {
				ok: false,
				output,
				detail: `${commandName(p.command)} on ${db}${message} (${wrong.map(([f, w]) => `${f} is ${JSON.stringify(reply[f])}, expected ${JSON.stringify(w)}`).join('; ')})`,
			};
		}
		return {ok: true, output, detail: `${commandName(p.command)} on ${db} ok`};
	},
};
