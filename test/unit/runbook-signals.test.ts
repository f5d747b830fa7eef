import {PassThrough} from 'node:stream';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {runRunbookCommand, type RunbookArgs} from '../../source/commands/runbook.js';
import {FakeDocker, FakeHealth, healthyAnswers, MemoryAudit, testEnvironment} from '../fixtures/runbooks/fakes.js';

const configDir = path.join(fileURLToPath(new URL('../fixtures/runbooks/none', import.meta.url)));

/** `botops runbook run` with a stop signal that `onOutput` may abort when it sees a line. */
async function run(args: Partial<RunbookArgs> & {id: string}, onOutput: (text: string, stop: AbortController) => void, isTTY = false) {
	const docker = new FakeDocker(['rust-core-engine', 'python-ai-service', 'nextjs-ui-dashboard', 'mongodb-primary']);
	const health = new FakeHealth();
	for (const [url, answer] of healthyAnswers) health.answers.set(url, answer);
	const audit = new MemoryAudit();
	const stop = new AbortController();
	let stdout = '';
	let stderr = '';
	const code = await runRunbookCommand(
		{sub: 'run', params: [], dryRun: false, yes: false, readOnly: false, ...args},
		{
			environment: testEnvironment(),
			configDir,
			stdout: {
				write: (text: string) => {
					stdout += text;
					onOutput(stdout, stop);
				},
			},
			stderr: {write: (text: string) => (stderr += text)},
			// Nobody types: the question waits until the signal.
			stdin: new PassThrough(),
			isTTY,
			openBackends: async () => ({docker, health}),
			env: {},
			audit,
			signal: stop.signal,
		},
	);
	return {code, stdout, stderr, docker, audit};
}

describe('botops runbook run on a stop signal', () => {
	it('a signal during the drain wait aborts the run at once: nothing changed, run-end written as aborted', async () => {
		const {code, stdout, stderr, docker, audit} = await run({id: 'maintenance-mode', params: ['drainSeconds=600'], yes: true}, (text, stop) => {
			if (text.includes('→ step 1/7 drain:') && !stop.signal.aborted) stop.abort('SIGHUP');
		});
		expect(code).toBe(1);
		expect(stderr).toContain('botops: aborting after the current step…');
		expect(stdout).toContain('maintenance-mode on local: ABORTED');
		expect(docker.mutations()).toEqual([]);
		const types = audit.records.map(record => record.type);
		expect(types[0]).toBe('run-start');
		expect(audit.records.at(-1)).toMatchObject({type: 'run-end', runbook: 'maintenance-mode', outcome: 'aborted', notRun: expect.arrayContaining(['stop', 'start'])});
	});

	it('a signal while the y/N question waits cancels it: nothing run, nothing audited', async () => {
		const {code, stdout, docker, audit} = await run(
			{id: 'restart-service', params: ['service=python-ai-service']},
			(text, stop) => {
				if (/\[y\/N\]|\?\s*$/.test(text) && !stop.signal.aborted) stop.abort('SIGINT');
			},
			true,
		);
		expect(code).toBe(1);
		expect(stdout).toMatch(/Cancelled: nothing was run\.\n$/);
		expect(docker.mutations()).toEqual([]);
		expect(audit.records).toEqual([]);
	});
});
