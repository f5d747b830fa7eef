import {randomBytes} from 'node:crypto';
import {closeSync, constants, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync} from 'node:fs';
import path from 'node:path';
import {z} from 'zod';
import {stamp} from '../template.js';
import {describeEnvironment, type Action} from './types.js';

const params = z.strictObject({
	/** The platform's .env; defaults to the environment's `envFile`. */
	file: z.string().min(1).optional(),
	secrets: z
		.array(
			z.strictObject({
				name: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name like INTER_SERVICE_TOKEN'),
				/** token: 64 hex chars (`openssl rand -hex 32`); password: 32 hex chars (`openssl rand -hex 16`). */
				kind: z.enum(['token', 'password']),
			}),
		)
		.min(1),
});
type Params = z.infer<typeof params>;

function envFileOf(p: Params, environment: {envFile?: string; name: string}): string {
	const file = p.file ?? environment.envFile;
	if (!file) throw new Error(`secrets.rotate: no envFile configured for environment ${environment.name}`);
	return path.resolve(file);
}

export function generateSecret(kind: 'token' | 'password'): string {
	return randomBytes(kind === 'token' ? 32 : 16).toString('hex');
}

export const secretsRotateAction: Action<Params> = {
	name: 'secrets.rotate',
	params,
	mutating: true,
	describe(p, ctx) {
		// Thrown here, the plan is refused up front instead of failing at step one.
		const file = envFileOf(p, ctx.environment);
		return {
			target: file,
			call: `generate ${p.secrets.map(s => `${s.name} (${s.kind === 'token' ? '64' : '32'} hex chars)`).join(', ')}; back up ${file}; write it atomically (mode 0600)`,
			environment: describeEnvironment(ctx.environment),
			affects: [file],
		};
	},
	async run(p, ctx) {
		const file = envFileOf(p, ctx.environment);
		let original: string;
		try {
			original = readFileSync(file, 'utf8');
		} catch (error) {
			return {ok: false, output: '', detail: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`};
		}
		const backup = `${file}.bak-${stamp(ctx.now())}`;
		writeDurably(backup, original, 'wx');
		let text = original;
		for (const secret of p.secrets) {
			const value = generateSecret(secret.kind);
			ctx.addSecret(value);
			text = setVariable(text, secret.name, value);
		}
		const temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
		try {
			writeDurably(temp, text, 'wx');
			renameSync(temp, file);
		} catch (error) {
			rmSync(temp, {force: true});
			throw error;
		}
		syncDirectory(path.dirname(file));
		const names = p.secrets.map(s => s.name).join(', ');
		ctx.output(`rotated ${names}; backup ${backup}`);
		return {ok: true, output: `backup: ${backup}`, detail: `rotated ${names} in ${file} (backup ${path.basename(backup)}); restart services to pick them up`};
	},
};

/** Replaces `NAME=…` (or `export NAME=…`) in place, or appends it; other lines, comments and order are kept. */
export function setVariable(text: string, name: string, value: string): string {
	const line = new RegExp(`^(\\s*(?:export\\s+)?${name}\\s*=).*$`, 'm');
	if (line.test(text)) return text.replace(line, (_match, prefix: string) => `${prefix}${value}`);
	return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${name}=${value}\n`;
}

/** Mode 0600 from creation (never readable by others, even for a moment), fsynced before anyone renames it. */
function writeDurably(file: string, text: string, flag: 'wx'): void {
	const fd = openSync(file, flag, 0o600);
	try {
		writeSync(fd, text);
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}

function syncDirectory(directory: string): void {
	try {
		const fd = openSync(directory, constants.O_RDONLY);
		try {
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}
	} catch {
		// Some filesystems refuse fsync on directories; the rename itself already happened.
	}
}
