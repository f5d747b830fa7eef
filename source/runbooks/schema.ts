import {z} from 'zod';

/** Ids double as CLI arguments and audit keys, so they stay shell- and grep-friendly. */
const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a lowercase id of letters, digits and "-"');

const inputName = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,40}$/, 'an input name of letters, digits and "_"');

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const inputSchema = z.strictObject({
	name: inputName,
	/** `backup`: a dump directory, offered from the environment's backup listing (a string with its pattern otherwise). */
	type: z.enum(['string', 'integer', 'boolean', 'enum', 'symbol', 'service', 'backup']),
	description: z.string().optional(),
	default: scalar.optional(),
	/** Allowed values: required for `enum`, optional narrowing for the others. */
	values: z.array(scalar).min(1).optional(),
	/** A regular expression the whole value must match (strings only). */
	pattern: z.string().optional(),
	min: z.number().optional(),
	max: z.number().optional(),
	/** Masked in the plan, progress, audit and errors. */
	secret: z.boolean().default(false),
});

/** Params are free-form here: each action validates its own after templating, at plan time. */
const params = z.record(z.string(), z.unknown()).default({});

export const stepSchema = z.strictObject({
	id,
	title: z.string().min(1),
	kind: z.enum(['check', 'mutate', 'wait', 'verify', 'confirm']),
	action: z.string().regex(/^[a-z][a-zA-Z0-9]*(\.[a-zA-Z0-9]+)*$/, 'an action name like docker.restart'),
	params,
	/** Seconds before the step is given up as failed. */
	timeout: z.number().positive().max(86_400).optional(),
	onFailure: z.enum(['stop', 'continue']).default('stop'),
});

export const preconditionSchema = z.strictObject({
	title: z.string().min(1),
	action: z.string().min(1),
	params,
});

export const runbookSchema = z.strictObject({
	id,
	title: z.string().min(1),
	/** One key that runs it from the dashboard. */
	key: z.string().length(1, 'a single key').optional(),
	description: z.string().default(''),
	/** Service names it is offered for on the Services screen, or "all". */
	appliesTo: z.union([z.literal('all'), z.array(z.string().min(1)).min(1)]).default('all'),
	/** "environment": always make the operator type the environment name, protected or not (restores). */
	confirm: z.enum(['default', 'environment']).default('default'),
	inputs: z.array(inputSchema).default([]),
	preconditions: z.array(preconditionSchema).default([]),
	steps: z.array(stepSchema).min(1),
	/** Seconds for the whole run. */
	timeout: z.number().positive().max(86_400).default(900),
});

export type RunbookInput = z.infer<typeof inputSchema>;
export type RunbookStep = z.infer<typeof stepSchema>;
export type Precondition = z.infer<typeof preconditionSchema>;
export type Runbook = z.infer<typeof runbookSchema> & {
	/** Where it came from: "builtin" or the file path. */
	source: string;
};
