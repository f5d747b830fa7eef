import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {defaultConfig} from '../../source/config/defaults.js';
import {ConfigError} from '../../source/config/loader.js';
import type {Config, EnvironmentConfig} from '../../source/config/schema.js';
import {activateEnvironment, loadNamedSecrets, parseEnvFile} from '../../source/environment.js';

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true});
});

function envFileWith(text: string): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'botops-env-test-'));
	dirs.push(dir);
	const file = path.join(dir, '.env');
	writeFileSync(file, text);
	return file;
}

const local = (envFile?: string): EnvironmentConfig => ({...defaultConfig.environments.local!, name: 'local', envFile});

describe('environment secrets from the envFile', () => {
	it('parses compose .env syntax: export, quotes, comments, blank lines', () => {
		const values = parseEnvFile('# comment\n\nexport ADMIN_TOKEN=abc123\nDATABASE_URL="mongodb://u:p@h/db"\nQUOTED=\'a # b\'\nTRAILING=value # note\nnot a line\r\nCRLF=yes\r\n');
		expect(Object.fromEntries(values)).toEqual({ADMIN_TOKEN: 'abc123', DATABASE_URL: 'mongodb://u:p@h/db', QUOTED: 'a # b', TRAILING: 'value', CRLF: 'yes'});
	});

	it('fills only the variables the environment names, and only where the process has none', () => {
		const file = envFileWith('ADMIN_TOKEN=from-file\nDATABASE_URL=mongodb://u:p@h/db\nBINANCE_SECRET_KEY=not-named\n');
		const env: NodeJS.ProcessEnv = {ADMIN_TOKEN: 'exported'};
		loadNamedSecrets(local(file), env);
		expect(env).toEqual({ADMIN_TOKEN: 'exported', DATABASE_URL: 'mongodb://u:p@h/db'});
	});

	it('reads nothing when every named variable is set, and names the file and variables when it cannot read it', () => {
		const env: NodeJS.ProcessEnv = {ADMIN_TOKEN: 'a', DATABASE_URL: 'b'};
		expect(() => loadNamedSecrets(local('/nonexistent/.env'), env)).not.toThrow();
		expect(() => loadNamedSecrets(local('/nonexistent/.env'), {ADMIN_TOKEN: 'a'})).toThrow(new ConfigError('environment "local": cannot read envFile /nonexistent/.env (ENOENT); it holds DATABASE_URL'));
	});

	it('activates a configured environment with its secrets loaded', async () => {
		const file = envFileWith('ADMIN_TOKEN=t0ken\n');
		const config: Config = {...defaultConfig, environments: {local: {...defaultConfig.environments.local!, envFile: file}}};
		const env: NodeJS.ProcessEnv = {};
		const active = await activateEnvironment(config, undefined, {env});
		expect(active.environment.name).toBe('local');
		expect(env.ADMIN_TOKEN).toBe('t0ken');
		await active.stop();
	});
});
