import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {renderIndex} from '../../source/runbooks/builtin/sync.js';
import {loadBuiltinRunbooks, loadRunbooks, parseRunbook} from '../../source/runbooks/loader.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const configDir = path.join(root, 'test/fixtures/runbooks/config');
const userDir = path.join(configDir, 'runbooks');

describe('built-in runbooks', () => {
	it('all parse, with unique ids and keys, and cover the manual', () => {
		const runbooks = loadBuiltinRunbooks();
		expect(runbooks.map(r => r.id).sort()).toEqual([
			'add-symbol', 'adjust-hpa', 'db-backup', 'db-kill-op', 'db-restore', 'disable-trading', 'enable-trading', 'maintenance-mode',
			'restart-all', 'restart-service', 'rollback', 'rollout-restart', 'rotate-binance-keys', 'rotate-secrets',
			'rotate-secrets-k8s', 'scale-service', 'start-all', 'stop-all', 'update-ai-model',
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
			`${userDir}/bad-action.yaml:13: steps.1.action: expected one of confirm, docker.check, docker.exec, docker.restart, docker.start, docker.stop, http.request, k8s.applySecret, k8s.check, k8s.exec, k8s.patchHpa, k8s.rolloutRestart, k8s.rolloutUndo, k8s.scale, k8s.waitRollout, mongo.command, secrets.rotate, service.check, service.exec, service.restart, service.scale, service.start, service.stop, service.waitReady, shell, verify, wait, got "docker.explode"`,
			`${userDir}/bad-schema.yaml:5: inputs.0.type: expected "string", "integer", "boolean", "enum", "symbol", "service" or "backup", got "ticker"`,
			`${userDir}/bad-schema.yaml:1: steps: expected a list, but it is missing`,
			`${userDir}/bad-schema.yaml:6: (top level): unknown key "onFailure"; expected one of id, title, key, description, appliesTo, confirm, inputs, preconditions, steps, timeout`,
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

describe('runbook file errors', () => {
	const good = `id: site-scale
title: Scale a service
key: e
appliesTo: [rust-core-engine]
inputs:
  - name: service
    type: service
    default: rust-core-engine
  - name: replicas
    type: integer
    min: 0
    max: 50
steps:
  - id: restart
    title: Restart
    kind: mutate
    action: docker.restart
    params:
      service: \${inputs.service}
    timeout: 30
`;

	it('the unbroken file parses', () => {
		expect(parseRunbook(good, 'rb.yaml', 'rb.yaml')).toMatchObject({ok: true});
	});

	/** [what is broken, from, to, the error]: each union error says what that union takes, not one fixed sentence. */
	const broken: Array<[string, string | RegExp, string, string]> = [
		['a word where "all" or a list goes', 'appliesTo: [rust-core-engine]', 'appliesTo: some', 'rb.yaml:4: appliesTo: expected "all" or a list, got "some"'],
		['a number where "all" or a list goes', 'appliesTo: [rust-core-engine]', 'appliesTo: 5', 'rb.yaml:4: appliesTo: expected "all" or a list, got 5'],
		['an empty appliesTo list', 'appliesTo: [rust-core-engine]', 'appliesTo: []', 'rb.yaml:4: appliesTo: expected a list with at least one item, got an empty list'],
		['an empty name inside the list (the option that matched)', 'appliesTo: [rust-core-engine]', 'appliesTo: [""]', 'rb.yaml:4: appliesTo.0: expected text that is not empty, got ""'],
		[
			'a mapping where a scalar default goes (another union)',
			'default: rust-core-engine',
			'default: {x: 1}',
			'rb.yaml:8: inputs.0.default: expected text, a number or true/false, got a mapping',
		],
		['a key of two letters', 'key: e', 'key: ab', 'rb.yaml:3: key: expected a single key, got "ab"'],
		['a negative timeout', 'timeout: 30', 'timeout: -1', 'rb.yaml:20: steps.0.timeout: expected a number above 0, got -1'],
		['a timeout over a day', 'timeout: 30', 'timeout: 100000', 'rb.yaml:20: steps.0.timeout: expected a number of at most 86400, got 100000'],
		['an unknown step kind', 'kind: mutate', 'kind: change', 'rb.yaml:16: steps.0.kind: expected "check", "mutate", "wait", "verify" or "confirm", got "change"'],
		['an id with capitals and spaces', 'id: site-scale', 'id: Site Scale', 'rb.yaml:1: id: expected a lowercase id of letters, digits and "-", got "Site Scale"'],
		['an empty list of allowed values', '    max: 50', '    max: 50\n    values: []', 'rb.yaml:13: inputs.1.values: expected a list with at least one item, got an empty list'],
		['an unknown step key', '    timeout: 30', '    timeout: 30\n    retry: 3', 'rb.yaml:21: steps.0: unknown key "retry"; expected one of id, title, kind, action, params, timeout, onFailure'],
		['a missing title', 'title: Scale a service\n', '', 'rb.yaml:1: title: expected text, but it is missing'],
		['params as a list', 'params:\n      service: ${inputs.service}', 'params: [a]', 'rb.yaml:18: steps.0.params: expected a mapping of keys to values, got a list'],
		['a malformed action name', 'action: docker.restart', 'action: Docker Restart', 'rb.yaml:17: steps.0.action: expected an action name like docker.restart, got "Docker Restart"'],
		['no steps', /steps:\n[\s\S]*$/, 'steps: []\n', 'rb.yaml:13: steps: expected a list with at least one item, got an empty list'],
	];

	it.each(broken)('%s', (_what, from, to, expected) => {
		const text = good.replace(from, to);
		expect(text).not.toBe(good);
		const result = parseRunbook(text, 'rb.yaml', 'rb.yaml');
		expect(result).toEqual({ok: false, errors: [expected]});
	});

	it('names no validator wording in any of them', () => {
		for (const [, from, to] of broken) {
			const result = parseRunbook(good.replace(from, to), 'rb.yaml', 'rb.yaml');
			const text = result.ok ? '' : result.errors.join('\n');
			expect(text).not.toMatch(/Too small|Too big|Invalid input|expected array|expected string|>=|<=/);
		}
	});
});
