import {PassThrough} from 'node:stream';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {runRunbookCommand, runRunbookHistory, runRunbookList, type RunbookArgs} from '../../source/commands/runbook.js';
import {FakeDocker, FakeHealth, healthyAnswers, MemoryAudit, testEnvironment} from '../fixtures/runbooks/fakes.js';

const configDir = path.join(fileURLToPath(new URL('../fixtures/runbooks/none', import.meta.url)));

async function run(partial: Partial<RunbookArgs> & {id: string}, options: {isTTY?: boolean; input?: string; protected?: boolean; env?: NodeJS.ProcessEnv} = {}) {
	const docker = new FakeDocker(['rust-core-engine', 'python-ai-service', 'nextjs-ui-dashboard', 'mongodb-primary']);
	const health = new FakeHealth();
	for (const [url, answer] of healthyAnswers) health.answers.set(url, answer);
	const audit = new MemoryAudit();
	let stdout = '';
	let stderr = '';
	const stdin = new PassThrough();
	if (options.input !== undefined) stdin.end(options.input);
	const controller = new AbortController();
	const code = await runRunbookCommand(
		{sub: 'run', params: [], dryRun: false, yes: false, readOnly: false, ...partial},
		{
			environment: testEnvironment(options.protected ? {name: 'production', protected: true} : {}),
			configDir,
			stdout: {write: (t: string) => (stdout += t)},
			stderr: {write: (t: string) => (stderr += t)},
			stdin,
			isTTY: options.isTTY ?? false,
			openBackends: async () => ({docker, health}),
			env: options.env ?? {},
			audit,
			signal: controller.signal,
		},
	);
	return {code, stdout, stderr, docker, audit};
}

describe('botops runbook', () => {
	it('lists runbooks with their keys', async () => {
		let stdout = '';
		let stderr = '';
		const code = runRunbookList({configDir, stdout: {write: (t: string) => (stdout += t)}, stderr: {write: (t: string) => (stderr += t)}});
		expect(code).toBe(0);
		expect(stderr).toBe('');
		expect(stdout).toMatch(/^KEY  ID +TITLE$/m);
		expect(stdout).toMatch(/^r    restart-service +Restart a service$/m);
		expect(stdout).toMatch(/^D    disable-trading +Emergency - disable trading$/m);
	});

	it('history lists recent runs with what happened, a refusal with its reason, and says when there are none', () => {
		let stdout = '';
		const base = {time: '2026-12-01T10:00:00.000Z', user: 'alice', host: 'h', environment: 'local', inputs: {}, steps: []};
		const runs = [
			{...base, runId: 'b', runbook: 'restart-all', outcome: 'refused', durationMs: 0, state: 'Refused: read-only mode: refusing restart. Nothing was changed.', refusal: 'read-only' as const},
			{...base, runId: 'a', runbook: 'db-backup', outcome: 'interrupted', inFlight: {step: 'dump', title: 'Dump', since: base.time, call: 'docker exec mongodb-primary mongodump'}},
		];
		const code = runRunbookHistory({environment: testEnvironment(), stdout: {write: (t: string) => (stdout += t)}, audit: {readRecentRuns: () => runs}});
		expect(code).toBe(0);
		expect(stdout.split('\n')).toEqual([
			'TIME (UTC)          USER       ENV        RUNBOOK            OUTCOME      DURATION WHAT HAPPENED',
			'2026-12-01 10:00:00 alice      local      restart-all        refused          0 ms Refused: read-only mode: refusing restart. Nothing was changed.',
			'2026-12-01 10:00:00 alice      local      db-backup          interrupted         - interrupted in flight: dump (docker exec mongodb-primary mongodump); its effect is unknown',
			'',
		]);
		let empty = '';
		runRunbookHistory({environment: testEnvironment(), stdout: {write: (t: string) => (empty += t)}, audit: {readRecentRuns: () => []}});
		expect(empty).toBe('no runs recorded yet for local\n');
	});

	it('shows the plan without running anything', async () => {
		const {code, stdout, docker} = await run({sub: 'show', id: 'restart-service', params: ['service=python-ai-service']});
		expect(code).toBe(0);
		expect(stdout).toContain('       call:   docker restart --time 10 python-ai-service');
		expect(docker.mutations()).toEqual([]);
	});

	it('exits 2 on validation errors, naming the input, and audits the refused run', async () => {
		const {code, stderr, audit} = await run({sub: 'run', id: 'add-symbol', params: ['symbol=ada'], yes: true});
		expect(code).toBe(2);
		expect(stderr).toContain('botops: add-symbol: input symbol: expected a symbol like BTCUSDT (2-20 characters A-Z, 0-9), got "ada"');
		expect(audit.records.map(r => r.type)).toEqual(['run-start', 'run-end']);
		expect(audit.records[0]).toMatchObject({runbook: 'add-symbol', inputs: {symbol: 'ada'}, plan: []});
		expect(audit.records[1]).toMatchObject({outcome: 'refused', refusal: 'invalid-inputs', ran: []});
		expect(audit.records[1]!.type === 'run-end' && audit.records[1]!.state).toContain('Refused: invalid inputs: input symbol: expected a symbol');
		// Looking is not asking: show and --dry-run audit nothing.
		const shown = await run({sub: 'show', id: 'add-symbol', params: ['symbol=ada']});
		expect(shown.audit.records).toEqual([]);
		const unknown = await run({sub: 'show', id: 'nope'});
		expect(unknown.code).toBe(2);
		const malformed = await run({sub: 'show', id: 'add-symbol', params: ['ADAUSDT']});
		expect(malformed.stderr).toBe('botops: --param ADAUSDT: expected NAME=VALUE\n');
	});

	it('refuses to run without a terminal to confirm on, unless --yes', async () => {
		const refused = await run({id: 'restart-service', params: ['service=rust-core-engine']});
		expect(refused.code).toBe(2);
		expect(refused.stderr).toContain('refusing to run without a terminal to confirm on; pass --yes');
		expect(refused.docker.mutations()).toEqual([]);
		expect(refused.audit.records.at(-1)).toMatchObject({type: 'run-end', outcome: 'refused', refusal: 'not-confirmed'});
		const ran = await run({id: 'restart-service', params: ['service=rust-core-engine'], yes: true});
		expect(ran.code).toBe(0);
		expect(ran.docker.mutations()).toEqual(['restart rust-core-engine']);
		expect(ran.stdout).toMatch(/→ step 1\/2 restart: Restart the service\n {4}restarted rust-core-engine\n {2}\[ok\] {3}restart \d+ ms — restarted rust-core-engine/);
		expect(ran.stdout).toContain('restart-service on local: OK');
		expect(ran.audit.records.at(-1)).toMatchObject({type: 'run-end', outcome: 'ok'});
	});

	it('asks y/N on a terminal; anything but yes cancels', async () => {
		const no = await run({id: 'restart-all'}, {isTTY: true, input: '\n'});
		expect(no.code).toBe(1);
		expect(no.stdout).toContain('Run Restart all services on local? [y/N]');
		expect(no.stdout).toContain('Cancelled: nothing was run.');
		expect(no.docker.mutations()).toEqual([]);
		const yes = await run({id: 'restart-all'}, {isTTY: true, input: 'y\n'});
		expect(yes.code).toBe(0);
		expect(yes.docker.mutations()).toHaveLength(4);
	});

	it('refuses a protected environment unless --confirm-env names it', async () => {
		const missing = await run({id: 'restart-all', yes: true}, {protected: true, isTTY: true});
		expect(missing.code).toBe(2);
		expect(missing.stderr).toContain('production is a protected environment: pass --confirm-env production');
		expect(missing.audit.records.at(-1)).toMatchObject({type: 'run-end', environment: 'production', outcome: 'refused', refusal: 'not-confirmed'});
		const wrong = await run({id: 'restart-all', yes: true, confirmEnv: 'staging'}, {protected: true});
		expect(wrong.code).toBe(2);
		expect(wrong.stderr).toContain('--confirm-env staging does not match environment production');
		expect(wrong.docker.mutations()).toEqual([]);
		expect(wrong.audit.records.at(-1)).toMatchObject({type: 'run-end', outcome: 'refused', refusal: 'not-confirmed'});
		// A wrong name typed at the prompt is refused the same way; nothing typed is the operator's cancel.
		const env = {DATABASE_URL: 'mongodb://u:p4ss-w0rd@db/x'};
		const typed = await run({id: 'db-restore', params: ['dir=/backup/dump_20251011_020000']}, {isTTY: true, input: 'prod\n', env});
		expect(typed.code).toBe(2);
		expect(typed.audit.records.at(-1)).toMatchObject({type: 'run-end', outcome: 'refused', refusal: 'not-confirmed'});
		const blank = await run({id: 'db-restore', params: ['dir=/backup/dump_20251011_020000']}, {isTTY: true, input: '\n', env});
		expect(blank.code).toBe(1);
		expect(blank.audit.records).toEqual([]);
		const right = await run({id: 'restart-all', confirmEnv: 'production'}, {protected: true});
		expect(right.code).toBe(0);
		expect(right.docker.mutations()).toHaveLength(4);
	});

	it('refuses mutating runbooks in read-only mode (exit 2) and audits the refusal', async () => {
		const {code, stdout, docker, audit} = await run({id: 'restart-all', yes: true, readOnly: true});
		expect(code).toBe(2);
		expect(stdout).toContain('REFUSED: read-only mode');
		expect(docker.mutations()).toEqual([]);
		expect(audit.records.at(-1)).toMatchObject({type: 'run-end', outcome: 'refused', refusal: 'read-only'});
	});

	it('refuses an unset token variable at plan time (exit 2), and dry runs change nothing', async () => {
		const refused = await run({id: 'disable-trading', yes: true});
		expect(refused.code).toBe(2);
		expect(refused.stdout).toContain('REFUSED: environment variable ADMIN_TOKEN is not set (needed by step disable)');
		expect(refused.audit.records.at(-1)).toMatchObject({type: 'run-end', outcome: 'refused', refusal: 'blocked'});
		const dry = await run({id: 'restart-all', dryRun: true});
		expect(dry.code).toBe(0);
		expect(dry.stdout).toContain('dry run: nothing was run');
		expect(dry.docker.mutations()).toEqual([]);
	});
});
