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

	it('names file, line, key and expectation for a wrong type', () => {
		const message = errorOf(good.replace('refresh: 5', 'refresh: fast'));
		expect(message).toBe('/etc/botops.yaml:3: refresh: expected number');
	});

	it('points at the line of a bad nested value', () => {
		const message = errorOf(good.replace('type: kubernetes', 'type: swarm'));
		expect(message).toMatch(/^\/etc\/botops\.yaml:14: environments\.production\.backend\.type: expected/);
		expect(message).toContain('kubernetes');
	});

	it('reports unknown keys and malformed URLs', () => {
		expect(errorOf(good.replace('container: rust-core-engine', 'containr: rust-core-engine'))).toBe(
			'/etc/botops.yaml:9: environments.staging.services.0: unknown key "containr"',
		);
		expect(errorOf(good.replace('http://localhost:8080/api/health', 'localhost:8080'))).toMatch(
			/^\/etc\/botops\.yaml:10: environments\.staging\.services\.0\.healthUrl: expected a URL/,
		);
	});

	it('reports a missing required key at its parent', () => {
		const message = errorOf('environments:\n  local:\n    backend: {type: compose}\n');
		expect(message).toBe('/etc/botops.yaml:2: environments.local.services: expected array, but it is missing');
	});

	it('reports YAML syntax errors with their line', () => {
		expect(errorOf('environments:\n  local: [unclosed\n')).toMatch(/^\/etc\/botops\.yaml:\d: invalid YAML: /);
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
