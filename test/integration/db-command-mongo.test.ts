// `botops db` against the demo (its wire server through the official driver): verdicts, exit codes, and the
// URI's password in no output.
import {Writable} from 'node:stream';
import {afterEach, describe, expect, it} from 'vitest';
import {runDbCommand} from '../../source/commands/db.js';
import {configSchema} from '../../source/config/schema.js';
import {demoMongoUriEnv, startDemo, type DemoDeployment} from '../../source/demo/index.js';

function capture() {
	let text = '';
	const stdout = new Writable({
		write(chunk, _encoding, done) {
			text += String(chunk);
			done();
		},
	});
	return {stdout, text: () => text};
}

const config = configSchema.parse({environments: {}});
let demo: DemoDeployment | undefined;
afterEach(async () => {
	await demo?.stop();
	demo = undefined;
});

const passwordOf = (uri: string) => decodeURIComponent(/^mongodb:\/\/[^:]+:([^@]+)@/.exec(uri)![1]!);

describe('botops db against the demo', () => {
	it('passes a healthy demo (exit 0) with every verdict, the collections, the last backup and the KPIs in --json', async () => {
		demo = await startDemo({tickMs: 200});
		const password = passwordOf(process.env[demoMongoUriEnv]!);
		const out = capture();
		const code = await runDbCommand({json: true, color: false}, {config, environment: demo.environment, stdout: out.stdout, sampleGapMs: 300});
		const report = JSON.parse(out.text());
		expect(report.verdicts.connections.status).toBe('pass');
		expect(report.verdicts.replication.status).toBe('pass');
		expect(report.verdicts.backup).toMatchObject({status: 'pass', reason: expect.stringMatching(/^last backup dump_\d{8}_020000/)});
		expect(report.collections.map((c: {name: string}) => c.name)).toContain('trades');
		expect(report.rates.ops.command).toBeGreaterThan(0);
		expect(report.trading.today).toBeGreaterThanOrEqual(0);
		expect(code).toBe(report.ok ? 0 : 1);
		expect(Object.values(report.verdicts).filter((v): v is {status: string} => Boolean(v)).some(v => v.status === 'fail')).toBe(!report.ok);
		expect(out.text()).not.toContain(password);
	});

	it('fails (exit 1) on the mongo-replication-lag drill, naming the lagging member, and never prints the password', async () => {
		demo = await startDemo({scenario: 'mongo-replication-lag', tickMs: 200});
		const password = passwordOf(process.env[demoMongoUriEnv]!);
		const out = capture();
		const code = await runDbCommand({json: false, color: false}, {config, environment: demo.environment, stdout: out.stdout, sampleGapMs: 300});
		expect(code).toBe(1);
		expect(out.text()).toMatch(/FAIL\s+replication\s+replication lag \d+(\.\d)? s on 127\.0\.0\.1:\d+ \(limit 1 s\)/);
		expect(out.text()).not.toContain(password);
	});

	it('fails (exit 1) with the server message when the password is wrong, without showing either password', async () => {
		demo = await startDemo({tickMs: 200});
		const uri = process.env[demoMongoUriEnv]!;
		const password = passwordOf(uri);
		process.env[demoMongoUriEnv] = uri.replace(encodeURIComponent(password), 'wrong-password-4a4a');
		try {
			const out = capture();
			const code = await runDbCommand({json: true, color: false}, {config, environment: demo.environment, stdout: out.stdout, sampleGapMs: 300});
			expect(code).toBe(1);
			const report = JSON.parse(out.text());
			expect(report.faults[0]).toMatch(/serverStatus, .*: authentication failed: Authentication failed/);
			expect(out.text()).not.toContain(password);
			expect(out.text()).not.toContain('wrong-password-4a4a');
		} finally {
			process.env[demoMongoUriEnv] = uri;
		}
	});
});
