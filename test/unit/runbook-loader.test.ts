import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {renderIndex} from '../../source/runbooks/builtin/sync.js';
import {loadBuiltinRunbooks, loadRunbooks} from '../../source/runbooks/loader.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const configDir = path.join(root, 'test/fixtures/runbooks/config');
const userDir = path.join(configDir, 'runbooks');

describe('built-in runbooks', () => {
	it('all parse, with unique ids and keys, and cover the manual', () => {
		const runbooks = loadBuiltinRunbooks();
		expect(runbooks.map(r => r.id).sort()).toEqual([
			'add-symbol', 'db-backup', 'db-restore', 'disable-trading', 'enable-trading', 'maintenance-mode',
			'restart-all', 'restart-service', 'rotate-secrets', 'start-all', 'stop-all', 'update-ai-model',
		]);
		const keys = runbooks.map(r => r.key);
		expect(keys.every(k => typeof k === 'string' && k.length === 1)).toBe(true);
		expect(new Set(keys).size).toBe(keys.length);
	});

	it('index.ts carries exactly the YAML files (run sync.ts after editing them)', () => {
		const directory = path.join(root, 'source/runbooks/builtin');
		expect(readFileSync(path.join(directory, 'index.ts'), 'utf8')).toBe(renderIndex(directory));
	});
});

describe('user runbooks', () => {
	it('load with the same validation; each bad file says file:line: key: expected, and the rest still load', () => {
		const {runbooks, errors} = loadRunbooks({configDir});
		expect(runbooks.some(r => r.id === 'site-restart-engine' && r.source === path.join(userDir, 'good.yaml'))).toBe(true);
		expect(runbooks.some(r => r.id === 'restart-service')).toBe(true);
		expect(errors).toEqual([
			`${userDir}/bad-action.yaml:13: steps.1.action: expected one of confirm, docker.check, docker.exec, docker.restart, docker.start, docker.stop, http.request, mongo.command, secrets.rotate, shell, verify, wait, got "docker.explode"`,
			`${userDir}/bad-schema.yaml:5: inputs.0.type: expected one of "string", "integer", "boolean", "enum", "symbol", "service"`,
			`${userDir}/bad-schema.yaml:1: steps: expected array, but it is missing`,
			`${userDir}/bad-schema.yaml:1: (top level): unknown key "onFailure"`,
			expect.stringMatching(new RegExp(`^${userDir}/bad-yaml\\.yaml:[23]: invalid YAML: Flow sequence`)),
			`${userDir}/key-clash.yaml:14: steps.0.params.url: \${inputs.missing}: expected one of the declared inputs (service)`,
		]);
	});

	it('lose a key clash to the built-in and say so', () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'botops-runbooks-'));
		mkdirSync(path.join(dir, 'runbooks'));
		const yaml = readFileSync(path.join(userDir, 'key-clash.yaml'), 'utf8').replace('/${inputs.missing}', '/');
		writeFileSync(path.join(dir, 'runbooks', 'clash.yaml'), yaml);
		const {runbooks, errors} = loadRunbooks({configDir: dir});
		expect(errors).toEqual([`${path.join(dir, 'runbooks', 'clash.yaml')}: key: "r" is already used by restart-service; key-clash keeps no key`]);
		expect(runbooks.find(r => r.id === 'key-clash')?.key).toBeUndefined();
		expect(runbooks.find(r => r.id === 'restart-service')?.key).toBe('r');
		rmSync(dir, {recursive: true});
	});

	it('a missing runbooks directory is not an error', () => {
		expect(loadRunbooks({configDir: path.join(root, 'test/fixtures/runbooks/nowhere')}).errors).toEqual([]);
	});
});
