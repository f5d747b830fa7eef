import {EventEmitter} from 'node:events';
import {closeSync, mkdtempSync, openSync, rmSync, writeFileSync, ftruncateSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {commands} from '../../source/cli/commands.js';
import {parseCommandLine} from '../../source/cli/parse.js';
import {colourWanted, withEnvironment} from '../../source/cli/session.js';
import {signalExitCode, watchShutdownSignals} from '../../source/cli/shutdown.js';
import {ConfigError, loadConfig} from '../../source/config/loader.js';
import {maxServices, parseConfig} from '../../source/config/parse.js';
import {maxYamlBytes} from '../../source/config/yaml-limits.js';
import {maxSinceDays, parseSince, sinceProblem} from '../../source/logs/time.js';

function usageError(argv: string[]): string {
	const result = parseCommandLine(argv, commands);
	if (result.kind !== 'usage-error') throw new Error(`expected a usage error, got ${result.kind}`);
	return result.message;
}

const directory = mkdtempSync(path.join(tmpdir(), 'botops-hardening-'));
afterAll(() => rmSync(directory, {recursive: true, force: true}));

describe('repeated flags', () => {
	it('a repeated --param NAME is an error that names it, whatever the values', () => {
		expect(usageError(['runbook', 'run', 'restart-service', '--param', 'service=a', '--param', 'service=b'])).toBe(
			'botops runbook run: --param service is given twice ("service=a" and "service=b"); give it once',
		);
		expect(usageError(['runbook', 'show', 'restart-service', '--param=service=a', '--param', 'service=a'])).toBe('botops runbook show: --param service is given twice (both "service=a"); give it once');
		// Different names are fine, and a value may contain "=".
		const ok = parseCommandLine(['runbook', 'show', 'x', '--param', 'a=1', '--param', 'b=c=d'], commands);
		expect(ok).toMatchObject({kind: 'run', flags: {param: ['a=1', 'b=c=d']}});
	});

	it('--param without NAME= is refused while parsing', () => {
		expect(usageError(['runbook', 'show', 'x', '--param', 'ADAUSDT'])).toBe('botops runbook show: --param: expected NAME=VALUE, got "ADAUSDT"');
		expect(usageError(['runbook', 'show', 'x', '--param', '=v'])).toBe('botops runbook show: --param: expected NAME=VALUE, got "=v"');
	});

	it('a repeated --service and a repeated single-value flag are errors', () => {
		expect(usageError(['logs', '--service', 'mongodb-primary', '--service', 'mongodb-primary'])).toBe('botops logs: --service mongodb-primary is given twice (both "mongodb-primary"); give it once');
		expect(usageError(['logs', '--since', '1h', '--since', '2h'])).toBe('botops logs: --since is given twice');
		expect(usageError(['logs', '--tail', '1', '--tail', '2'])).toBe('botops logs: --tail is given twice');
	});
});

describe('bounded durations and counts', () => {
	it('--since is bounded: ten years back as a duration, 1970 on as a time', () => {
		expect(usageError(['logs', '--since', '99999999999d'])).toBe(`botops logs: --since: a duration reaches back at most ${maxSinceDays}d (ten years), got "99999999999d"`);
		expect(usageError(['logs', '--since', '1969-12-31T23:59:59Z'])).toBe('botops logs: --since: an ISO time from 1970-01-01 on (Docker reads it as a Unix time), got "1969-12-31T23:59:59Z"');
		expect(usageError(['logs', '--since', 'last tuesday'])).toMatch(/--since: expected a duration \(30s, 5m, 1h30m, 2d\), a time .*got "last tuesday"/);
		expect(parseCommandLine(['logs', '--since', `${maxSinceDays}d`], commands).kind).toBe('run');
	});

	it('parseSince takes what sinceProblem accepts and nothing else', () => {
		const now = Date.UTC(2026, 11, 1);
		expect(parseSince('90m', now)).toBe(now - 90 * 60_000);
		expect(parseSince('2026-11-25T12:00:00Z', now)).toBe(Date.UTC(2026, 10, 25, 12));
		expect(sinceProblem(`${maxSinceDays * 24 + 1}h`)).toMatch(/at most 3650d/);
		expect(parseSince(`${maxSinceDays * 24 + 1}h`, now)).toBeUndefined();
	});

	it('--tail is a whole number up to a million, --refresh stays between 0.5 and 300 s', () => {
		expect(usageError(['logs', '--tail', '1e20'])).toBe('botops logs: --tail: expected a whole number of lines from 0 to 1,000,000, got 100000000000000000000');
		expect(usageError(['logs', '--tail', '2.5'])).toMatch(/--tail: expected a whole number/);
		expect(usageError(['logs', '--tail', '-3'])).toMatch(/--tail needs a value/);
		expect(usageError(['--refresh', '0.1'])).toBe('botops dashboard: --refresh: expected seconds between 0.5 and 300, got 0.1');
		expect(parseCommandLine(['logs', '--tail', '1000000'], commands).kind).toBe('run');
	});
});

describe('a large config', () => {
	const services = (count: number) =>
		['defaultEnvironment: big', 'environments:', '  big:', '    backend: {type: compose}', '    services:', ...Array.from({length: count}, (_, i) => `      - {name: svc-${i}}`)].join('\n') + '\n';

	it('more than 1000 services in one environment is an error at the services line', () => {
		expect(() => parseConfig(services(maxServices), 'ok.yaml')).not.toThrow();
		expect(() => parseConfig(services(maxServices + 1), 'big.yaml')).toThrow(new ConfigError(`big.yaml:5: environments.big.services: ${maxServices + 1} services; at most ${maxServices} per environment`));
	});

	it('text over 1 MiB is refused before parsing', () => {
		const text = services(60_000);
		expect(Buffer.byteLength(text)).toBeGreaterThan(maxYamlBytes);
		expect(() => parseConfig(text, 'huge.yaml')).toThrow(/^huge\.yaml: too large \(1\.\d MiB\); a botops YAML file may be at most 1 MiB, nothing was parsed$/);
	});

	it('a 10 GB config file is refused with its size after reading no more than the limit', async () => {
		const file = path.join(directory, 'sparse.yaml');
		const fd = openSync(file, 'w');
		ftruncateSync(fd, 10 * 1024 ** 3);
		closeSync(fd);
		await expect(loadConfig({file, env: {}})).rejects.toThrow(`${file}: too large (10240.0 MiB); a botops YAML file may be at most 1 MiB, nothing was parsed`);
	});

	it('a device without a size (/dev/zero) is refused too', async () => {
		await expect(loadConfig({file: '/dev/zero', env: {}})).rejects.toThrow('/dev/zero: too large (more than 1 MiB); a botops YAML file may be at most 1 MiB, nothing was parsed');
	});
});

describe('stop signals', () => {
	const fakeProcess = () => new EventEmitter() as EventEmitter & Pick<NodeJS.Process, 'on' | 'off'>;

	it('the first SIGINT, SIGTERM or SIGHUP aborts the stop signal; the exit code is 128 + its number', () => {
		expect([signalExitCode('SIGHUP'), signalExitCode('SIGINT'), signalExitCode('SIGTERM')]).toEqual([129, 130, 143]);
		const target = fakeProcess();
		const shutdown = watchShutdownSignals(target);
		expect(shutdown.exitCode()).toBeUndefined();
		target.emit('SIGHUP', 'SIGHUP');
		expect(shutdown.signal.aborted).toBe(true);
		expect(shutdown.signal.reason).toBe('SIGHUP');
		// A later signal (ctrl-c while stopping, the second hang-up of an SSH drop) changes nothing.
		target.emit('SIGINT', 'SIGINT');
		expect(shutdown.exitCode()).toBe(129);
	});

	it('keeps listening until disposed, so no signal ever falls through to its default action', () => {
		const target = fakeProcess();
		const shutdown = watchShutdownSignals(target);
		target.emit('SIGTERM', 'SIGTERM');
		expect(['SIGINT', 'SIGTERM', 'SIGHUP'].map(signal => target.listenerCount(signal))).toEqual([1, 1, 1]);
		shutdown.dispose();
		expect(['SIGINT', 'SIGTERM', 'SIGHUP'].map(signal => target.listenerCount(signal))).toEqual([0, 0, 0]);
	});

	it('withEnvironment leaves a reading command behind on the signal, and waits for one that winds down by itself', async () => {
		const file = path.join(directory, 'config.yaml');
		writeFileSync(file, 'defaultEnvironment: local\nenvironments:\n  local:\n    backend: {type: compose}\n    services: [{name: api}]\n');
		const stop = new AbortController();
		const never = new Promise<number>(() => {});
		// The signal comes while the command waits (a probe that takes its timeout).
		const left = withEnvironment({config: file}, {signal: stop.signal}, () => {
			stop.abort('SIGTERM');
			return never;
		});
		expect(await left).toBe(143);

		const winding = new AbortController();
		const steps: string[] = [];
		const awaited = withEnvironment({config: file}, {signal: winding.signal, awaitUse: true}, async () => {
			const aborted = new Promise(resolve => winding.signal.addEventListener('abort', resolve));
			winding.abort('SIGINT');
			await aborted;
			await new Promise(resolve => setImmediate(resolve));
			steps.push('run-end written');
			return 1;
		});
		expect(await awaited).toBe(1);
		expect(steps).toEqual(['run-end written']);

		// Already stopped before the environment started: `use` never runs.
		let used = false;
		expect(
			await withEnvironment({config: file}, {signal: AbortSignal.abort('SIGHUP'), awaitUse: true}, async () => {
				used = true;
				return 0;
			}),
		).toBe(129);
		expect(used).toBe(false);
	});
});

describe('colour', () => {
	it('NO_COLOR, TERM=dumb and --no-color turn it off', () => {
		expect(colourWanted({noColor: false}, {TERM: 'xterm-256color'})).toBe(true);
		expect(colourWanted({noColor: false}, {TERM: 'dumb'})).toBe(false);
		expect(colourWanted({noColor: false}, {NO_COLOR: '1'})).toBe(false);
		expect(colourWanted({noColor: true}, {})).toBe(false);
	});
});
