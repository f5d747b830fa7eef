import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {loadConfig} from '../../source/config/loader.js';
import {exportRecords} from '../../source/logs/export.js';
import {parseLine} from '../../source/logs/parse.js';
import {makeRecord} from '../../source/logs/record.js';
import {serviceDetailLines} from '../../source/screens/services/ServiceDetail.js';
import {describeError} from '../../source/services/errors.js';
import {createAuditLog} from '../../source/services/audit.js';
import {
	environmentSecrets,
	maskInputs,
	registerSecrets,
	scrub,
} from '../../source/util/secrets.js';

// Registered values stay registered for the rest of the process, as they do in botops: every test uses its own.

/** [form, text, scrubbed]: every shape the scrubber knows. */
const masked: Array<[string, string, string]> = [
	['URI userinfo (mongodb)', 'connect mongodb://bot:hunter22@db:27017/x failed', 'connect mongodb://bot:***@db:27017/x failed'],
	['URI userinfo (mongodb+srv, encoded)', 'mongodb+srv://user:p%40ss@cluster/db', 'mongodb+srv://user:***@cluster/db'],
	['URI userinfo (redis)', 'redis://user:pass@cache:6379/0', 'redis://user:***@cache:6379/0'],
	['URI userinfo (amqp, empty user)', 'amqp://:s3cret@mq:5672', 'amqp://:***@mq:5672'],
	['URI userinfo (token only)', 'git clone https://ghp_abcdef123456@github.com/x/y', 'git clone https://***@github.com/x/y'],
	['URI userinfo (password with colon)', 'postgres://app:a:b:c@pg/db', 'postgres://app:***@pg/db'],
	['Authorization: Basic', 'Authorization: Basic dXNlcjpwYXNz', 'Authorization: Basic ***'],
	['Authorization: Bearer', 'Authorization: Bearer eyJhbGciOi.x.y', 'Authorization: Bearer ***'],
	['authorization header, lower case', 'authorization: bearer abc.def', 'authorization: bearer ***'],
	['Authorization in JSON', '{"headers":{"Authorization":"Basic dXNlcjpwYXNz"}}', '{"headers":{"Authorization":"***"}}'],
	['bare Bearer token', 'curl -H "Bearer abcdef123456" http://x', 'curl -H "Bearer ***" http://x'],
	['password=value', 'login password=hunter2 user=bob', 'login password=*** user=bob'],
	['token=value in a query', 'GET /api?symbol=BTC&token=abc123&x=1', 'GET /api?symbol=BTC&token=***&x=1'],
	['prefixed keys', 'API_KEY=abc SECRET: "xyz" admin_token=q', 'API_KEY=*** SECRET: "***" admin_token=***'],
	['api-key header', 'x-api-key: 0123456789abcdef', 'x-api-key: ***'],
	['JSON password', '{"user":"bob","password": "x y z","ok":true}', '{"user":"bob","password": "***","ok":true}'],
	['JSON api_key', "{'api_key': 'abc'}", "{'api_key': '***'}"],
	['JSON with escaped quote', '{"secret":"a\\"b","n":1}', '{"secret":"***","n":1}'],
	['JSON number value', '{"pin_token": 123456}', '{"pin_token": ***}'],
	['YAML password', 'password: hunter2', 'password: ***'],
	['YAML nested client_secret', '  client_secret: abc', '  client_secret: ***'],
	['mixed-case key', 'DbPassWord=hunter2', 'DbPassWord=***'],
	['env file line', 'BINANCE_SECRET_KEY=0f0f0f0f', 'BINANCE_SECRET_KEY=***'],
	['AWS access key id (AKIA)', 'using key AKIAIOSFODNN7EXAMPLE now', 'using key *** now'],
	['AWS temporary key id (ASIA)', 'ASIAY34FZKBOKMUTVV7A', '***'],
	['AWS secret access key', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key = ***'],
];

/** Text that mentions secrets without containing one: it must come out unchanged. */
const unchanged: string[] = [
	'token bucket refilled',
	'secret rotation finished',
	'password reset email sent to the operator',
	'tokens_used=42 latency_ms=12',
	'author: alice',
	'GET http://rust-core-engine:8080/api/health 200',
	'Authorization: Bearer $ADMIN_TOKEN',
	'curl -H "Authorization: Bearer ${ADMIN_TOKEN}" http://localhost:8080',
	'password=***',
	'mongodb://db:27017/trading_bot',
	'connection from 172.18.0.3:51234 accepted',
	'AKIA is a prefix; AKIA123 is too short',
	'the bearer of bad news',
	'keyboard layout: us',
];

describe('scrub', () => {
	it.each(masked)('masks %s', (_form, text, expected) => {
		expect(scrub(text)).toBe(expected);
	});

	it.each(unchanged)('leaves "%s" alone', text => {
		expect(scrub(text)).toBe(text);
	});

	it('masks the values it is given, longest first, wherever they appear', () => {
		expect(scrub('token abcdef123 in text', ['abcdef123'])).toBe('token *** in text');
		expect(scrub('key abcd and abcdefgh', ['abcd', 'abcdefgh'])).toBe('key *** and ***');
		// Shorter than four characters: masking "abc" everywhere would wreck every line.
		expect(scrub('abc abc', ['abc'])).toBe('abc abc');
	});

	it('masks registered values in every later call, and a URI value\'s password on its own', () => {
		registerSecrets(['admin-token-value-1', 'mongodb://bot:pa%24%24word@db/x']);
		expect(scrub('sent admin-token-value-1 to the engine')).toBe('sent *** to the engine');
		expect(scrub('auth failed for pa$$word')).toBe('auth failed for ***');
		expect(scrub('pa%24%24word leaked')).toBe('*** leaked');
	});
});

describe('known values are masked exactly', () => {
	it('masks every occurrence, one mask each, with the text between kept', () => {
		expect(scrub('k1-abcdef|k1-abcdef k1-abcdef.', ['k1-abcdef'])).toBe('***|*** ***.');
		expect(scrub('k1-abcdefk1-abcdef', ['k1-abcdef'])).toBe('******');
	});

	it('covers overlapping values whole: no tail of either is left', () => {
		// Replacing one value after another would mask "aaaa1111" and leave "2222" of "11112222".
		expect(scrub('x aaaa11112222 y', ['aaaa1111', '11112222'])).toBe('x *** y');
		expect(scrub('x 11112222aaaa y', ['aaaa1111', '11112222', '2222aaaa'])).toBe('x *** y');
		// One value inside another: the longer one is masked whole, the shorter alone elsewhere.
		expect(scrub('pw-secret-long and pw-secret', ['pw-secret', 'pw-secret-long'])).toBe('*** and ***');
	});

	it('treats values as text, not as patterns', () => {
		expect(scrub('a.b*c+d(e)[f]$ and aXbbc', ['a.b*c+d(e)[f]$', 'a.b*c'])).toBe('*** and aXbbc');
		expect(scrub('p\\q|r and p', ['p\\q|r'])).toBe('*** and p');
	});

	it('never masks text a mask made: the line is matched once, before any is written', () => {
		// Replacing one value after another would turn "qzzzzz" into "q***" and then mask that as the value "q***".
		expect(scrub('qzzzzz', ['zzzzz', 'q***'])).toBe('q***');
		expect(scrub('q*** qzzzzz', ['zzzzz', 'q***'])).toBe('*** q***');
	});

	it('masks a run\'s values next to the registered ones, and forgets them on the next call', () => {
		registerSecrets(['registered-exact-1']);
		expect(scrub('registered-exact-1 run-value-1', ['run-value-1'])).toBe('*** ***');
		expect(scrub('registered-exact-1 run-value-1', ['run-value-2'])).toBe('*** run-value-1');
		expect(scrub('registered-exact-1 run-value-1')).toBe('*** run-value-1');
	});

	it('leaves a line with none of them as it is (the same string)', () => {
		registerSecrets(['registered-exact-2']);
		const line = 'INFO processed tick symbol="BTCUSDT" price=60001.00';
		expect(scrub(line)).toBe(line);
	});
});

describe('the secrets an environment names', () => {
	it('are the values of its admin token and MongoDB URI variables', () => {
		const env = {ADMIN_TOKEN: 'tok-123456', DATABASE_URL: 'mongodb://u:pw-secret@db/x', OTHER: 'visible'};
		expect(environmentSecrets({adminTokenEnv: 'ADMIN_TOKEN', mongo: {uriEnv: 'DATABASE_URL'}}, env)).toEqual([
			'tok-123456',
			'mongodb://u:pw-secret@db/x',
			'pw-secret',
			'pw-secret',
		]);
		expect(environmentSecrets({}, env)).toEqual([]);
	});

	it('are registered when the config is loaded', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'botops-secrets-'));
		const file = path.join(dir, 'config.yaml');
		writeFileSync(
			file,
			'defaultEnvironment: staging\nenvironments:\n  staging:\n    backend: {type: compose}\n    services: [{name: api}]\n    adminTokenEnv: STAGING_TOKEN\n',
		);
		await loadConfig({file, env: {STAGING_TOKEN: 'the-staging-token'}});
		expect(scrub('echo the-staging-token')).toBe('echo ***');
		// The defaults name ADMIN_TOKEN and DATABASE_URL.
		await loadConfig({env: {XDG_CONFIG_HOME: dir, ADMIN_TOKEN: 'default-admin'}});
		expect(scrub('x default-admin y')).toBe('x *** y');
	});
});

describe('every output goes through the scrubber', () => {
	it('error messages', () => {
		registerSecrets(['registered-secret']);
		expect(describeError(new Error('auth to redis://u:p4ss@cache failed with registered-secret'), 'redis')).toBe(
			'redis: auth to redis://u:***@cache failed with ***',
		);
		expect(describeError(new Error('request had Authorization: Basic dXNlcjpwYXNz'))).toBe('request had Authorization: Basic ***');
	});

	it('log lines as they are parsed (shown, printed and followed)', () => {
		registerSecrets(['admin-token-xyz']);
		const line = (text: string) => parseLine({stream: 'stdout', text}, 'api', 0).text;
		expect(line('INFO using admin-token-xyz')).toBe('INFO using ***');
		expect(line('WARN retry redis://app:pw@cache:6379')).toBe('WARN retry redis://app:***@cache:6379');
		// Colour codes inside a secret do not hide it.
		expect(line('password=\x1b[31mhunter2\x1b[0m')).toBe('password=***');
		expect(line('{"level":"info","password":"x"}')).toBe('{"level":"info","password":"***"}');
		expect(line('INFO token bucket refilled')).toBe('INFO token bucket refilled');
	});

	it('log exports', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'botops-export-'));
		// A record that skipped parsing (built directly) is still scrubbed on its way to disk.
		const file = await exportRecords([makeRecord(0, 'api', 'stdout', 'info', 'Authorization: Bearer abc.def.ghi')], {directory: dir, now: 0});
		expect(readFileSync(file, 'utf8')).toContain('Authorization: Bearer ***');
		expect(readFileSync(file, 'utf8')).not.toContain('abc.def.ghi');
	});

	it('audit records', () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'botops-audit-'));
		const audit = createAuditLog({file: path.join(dir, 'audit.jsonl')});
		const ref = {runId: 'r1', time: '2026-01-01T00:00:00Z', environment: 'local', runbook: 'x'};
		audit.append({...ref, type: 'run-start', user: 'u', host: 'h', readOnly: false, inputs: {apiKey: 'k', note: 'redis://a:b@c'}, plan: [{id: 's', call: 'GET http://x -H Authorization: Basic dXNlcjpwYXNz'}]});
		audit.append({...ref, type: 'step', phase: 'step', step: 's', title: 't', status: 'ok', durationMs: 1, detail: 'connected to redis://user:pass@host'});
		audit.append({...ref, type: 'run-end', user: 'u', host: 'h', outcome: 'ok', durationMs: 1, state: 'token=abc rotated', ran: [], notRun: []});
		const text = readFileSync(path.join(dir, 'audit.jsonl'), 'utf8');
		for (const leak of ['dXNlcjpwYXNz', 'user:pass@', 'a:b@', 'token=abc', '"k"']) expect(text).not.toContain(leak);
		expect(text).toContain('redis://user:***@host');
	});

	it('service detail lines (problems, health URL)', () => {
		const lines = serviceDetailLines(
			{name: 'api', config: {name: 'api', critical: true, healthUrl: 'http://probe:s3cret-pw@api:8080/health'}, instances: [], ok: false, state: 'down', problems: ['health: redis://u:pw-123@cache refused']},
			0,
		);
		const text = lines.map(line => line.value).join('\n');
		expect(text).toContain('http://probe:***@api:8080/health');
		expect(text).toContain('redis://u:***@cache');
		expect(text).not.toMatch(/s3cret-pw|pw-123/);
	});

	it('runbook inputs: by declaration, by name, and scrubbed otherwise', () => {
		expect(maskInputs({a: 'x', b: 'y', rustApiKey: 'z', service: 'rust-core-engine', url: 'redis://u:p@h'}, ['a'])).toEqual({
			a: '***',
			b: 'y',
			rustApiKey: '***',
			service: 'rust-core-engine',
			url: 'redis://u:***@h',
		});
	});
});
