import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {defaultConfig} from '../../source/config/defaults.js';
import {ConfigError, loadConfig, selectEnvironment} from '../../source/config/loader.js';
import {parseConfig} from '../../source/config/parse.js';
import {configSchema} from '../../source/config/schema.js';

const good = `
defaultEnvironment: staging
refresh: 5
environments:
  staging:
    backend: {type: compose, project: bot-core}
    services:
      - name: rust-core-engine
        container: rust-core-engine
        healthUrl: http://localhost:8080/api/health
  production:
    protected: true
    backend:
      type: kubernetes
      namespace: bot-core-production
    services:
      - name: rust-core-engine
        deployment: rust-core-engine
`;

function errorOf(text: string): string {
	try {
		parseConfig(text, '/etc/botops.yaml');
	} catch (error) {
		expect(error).toBeInstanceOf(ConfigError);
		return (error as Error).message;
	}
	throw new Error('expected a ConfigError');
}

describe('config', () => {
	it('parses a valid file with defaults filled in', () => {
		const config = parseConfig(good, 'x.yaml');
		expect(config.refresh).toBe(5);
		expect(config.timeoutMs).toBe(3000);
		const production = selectEnvironment(config, 'production');
		expect(production.protected).toBe(true);
		expect(production.backend).toEqual({type: 'kubernetes', namespace: 'bot-core-production'});
		expect(selectEnvironment(config).name).toBe('staging');
	});

	/** [what is broken, edit of the good file (from, to) or a whole file, the error]: file:line, key path, plain words. */
	const broken: Array<[string, [string, string] | string, string]> = [
		['a wrong type', ['refresh: 5', 'refresh: fast'], '/etc/botops.yaml:3: refresh: expected a number, got "fast"'],
		['a number below its minimum', ['refresh: 5', 'refresh: 0.1'], '/etc/botops.yaml:3: refresh: expected a number of at least 0.5, got 0.1'],
		['a number above its maximum', ['refresh: 5', 'refresh: 900'], '/etc/botops.yaml:3: refresh: expected a number of at most 300, got 900'],
		['a fraction where a whole number goes', ['refresh: 5', 'refresh: 5\ntimeoutMs: 1.5'], '/etc/botops.yaml:4: timeoutMs: expected a whole number, got 1.5'],
		['an unknown backend type', ['type: kubernetes', 'type: swarm'], '/etc/botops.yaml:14: environments.production.backend.type: expected "compose" or "kubernetes", got "swarm"'],
		[
			'an unknown key, with the keys allowed there',
			['container: rust-core-engine', 'containr: rust-core-engine'],
			'/etc/botops.yaml:9: environments.staging.services.0: unknown key "containr"; expected one of name, container, deployment, healthUrl, critical',
		],
		[
			"a key of the other backend's kind",
			['namespace: bot-core-production', 'project: bot-core'],
			'/etc/botops.yaml:15: environments.production.backend: unknown key "project"; expected one of type, context, kubeconfig, namespace',
		],
		[
			'a URL without a scheme',
			['http://localhost:8080/api/health', 'localhost:8080'],
			'/etc/botops.yaml:10: environments.staging.services.0.healthUrl: expected a URL like http://localhost:8080/health, got "localhost:8080"',
		],
		[
			'a URL that is not http(s)',
			['http://localhost:8080/api/health', 'ftp://localhost/health'],
			'/etc/botops.yaml:10: environments.staging.services.0.healthUrl: expected a URL like http://localhost:8080/health, got "ftp://localhost/health"',
		],
		['a bad environment name', ['  production:', '  Production:'], '/etc/botops.yaml:11: environments.Production: expected a lowercase environment name as the key, got "Production"'],
		['a word where true/false goes', ['protected: true', 'protected: yes please'], '/etc/botops.yaml:12: environments.production.protected: expected true/false, got "yes please"'],
		[
			'a service name with spaces (the schema\'s own words)',
			['- name: rust-core-engine\n        deployment', '- name: Rust Core\n        deployment'],
			'/etc/botops.yaml:17: environments.production.services.0.name: expected a lowercase name of letters, digits, "-", "_" or ".", got "Rust Core"',
		],
		['a missing required list', 'environments:\n  local:\n    backend: {type: compose}\n', '/etc/botops.yaml:2: environments.local.services: expected a list, but it is missing'],
		['an empty value', 'environments:\n  local:\n    backend: {type: compose}\n    services:\n', '/etc/botops.yaml:4: environments.local.services: expected a list, got nothing'],
		[
			'an empty list (no raw validator text)',
			'environments:\n  local:\n    backend: {type: compose}\n    services: []\n',
			'/etc/botops.yaml:4: environments.local.services: expected a list with at least one item, got an empty list',
		],
		['a missing discriminator', 'environments:\n  local:\n    backend: {}\n    services: [{name: a}]\n', '/etc/botops.yaml:3: environments.local.backend.type: expected "compose" or "kubernetes", but it is missing'],
		['a list at the top', '- a\n- b\n', '/etc/botops.yaml:1: (top level): expected a mapping of keys to values, got a list'],
		['an empty file', '', '/etc/botops.yaml:1: environments: expected a mapping of keys to values, but it is missing'],
		['a key binding that is not a list', 'keys:\n  quit: q\nenvironments: {}\n', '/etc/botops.yaml:2: keys.quit: expected a list, got "q"'],
		[
			'an inline URI where a variable name goes: its password is not echoed',
			'environments:\n  local:\n    backend: {type: compose}\n    services: [{name: a}]\n    mongo: {uriEnv: "mongodb://bot:hunter22@db/x"}\n',
			'/etc/botops.yaml:5: environments.local.mongo.uriEnv: expected an environment variable name like MONGODB_URI, got "mongodb://bot:***@db/x"',
		],
		[
			'an inline token where a variable name goes: not echoed at all',
			'environments:\n  local:\n    backend: {type: compose}\n    services: [{name: a}]\n    adminTokenEnv: 9f8e7d6c5b4a\n',
			'/etc/botops.yaml:5: environments.local.adminTokenEnv: expected an environment variable name like BOTCORE_ADMIN_TOKEN, got a value (not shown: the key names a secret)',
		],
	];

	it.each(broken)('reports %s as file:line: key: expected …', (_what, edit, expected) => {
		const text = typeof edit === 'string' ? edit : good.replace(edit[0], edit[1]);
		if (typeof edit !== 'string') expect(text).not.toBe(good);
		expect(errorOf(text)).toBe(expected);
	});

	it('lists several problems, then counts the rest', () => {
		const services = Array.from({length: 7}, (_, i) => `      - {name: s${i}, critical: maybe}`).join('\n');
		const lines = errorOf(`environments:\n  local:\n    backend: {type: compose}\n    services:\n${services}\n`).split('\n');
		expect(lines).toHaveLength(6);
		expect(lines[0]).toBe('/etc/botops.yaml:5: environments.local.services.0.critical: expected true/false, got "maybe"');
		expect(lines[5]).toBe('/etc/botops.yaml: and 2 more problems');
	});

	it('reports YAML syntax errors with their line', () => {
		expect(errorOf('environments:\n  local: [unclosed\n')).toMatch(/^\/etc\/botops\.yaml:\d: invalid YAML: /);
		expect(errorOf('refresh: 2\nrefresh: 3\nenvironments: {}\n')).toMatch(/^\/etc\/botops\.yaml:2: invalid YAML: .*[Uu]nique/);
	});

	it('rejects an unknown default environment, listing the known ones', () => {
		expect(errorOf(good.replace('defaultEnvironment: staging', 'defaultEnvironment: prod'))).toBe(
			'/etc/botops.yaml:2: defaultEnvironment: expected one of "staging", "production", "demo", got "prod"',
		);
	});

	it('lists environments for an unknown --env', () => {
		const config = parseConfig(good, 'x.yaml');
		expect(() => selectEnvironment(config, 'qa')).toThrow('unknown environment "qa"; configured: "staging", "production", "demo"');
	});

	it('keeps the built-in defaults in their validated form', () => {
		expect(configSchema.parse(defaultConfig)).toEqual(defaultConfig);
	});

	it('falls back to the manual defaults when no file exists, but not when one was named', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'botops-config-'));
		const loaded = await loadConfig({env: {XDG_CONFIG_HOME: dir}});
		expect(loaded.file).toBeUndefined();
		const local = selectEnvironment(loaded.config);
		expect(local.services.map(s => s.healthUrl).filter(Boolean)).toEqual([
			'http://localhost:8080/api/health',
			'http://localhost:8000/health',
			'http://localhost:3000/health',
		]);
		await expect(loadConfig({file: path.join(dir, 'missing.yaml'), env: {}})).rejects.toThrow(/missing\.yaml: cannot read config \(ENOENT\)/);
		const file = path.join(dir, 'config.yaml');
		writeFileSync(file, good);
		expect((await loadConfig({env: {BOTOPS_CONFIG: file}})).file).toBe(file);
	});
});
