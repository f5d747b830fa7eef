// The outputs of a crafted run: the table's width and ASCII, JSON counts, JUnit escaping through a real XML parser,
// the Prometheus text through promtool, with names and reasons that need escaping.
import {execFileSync} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {checkRunJson, checkRunJunit, checkRunProm, checkRunTable} from '../../source/checks/format.js';
import type {CheckResult, CheckRun} from '../../source/checks/types.js';
import type {CheckStatus} from '../../source/checks/verdict.js';

const ran = (id: string, status: CheckStatus, reason: string, extra: {figure?: string; value?: number} = {}): CheckResult => ({id, title: `Title of ${id}`, routines: ['morning'], leftOut: false, verdict: {status, reason, ...extra}, durationMs: 12.5});
const left = (id: string, reason: string): CheckResult => ({id, title: id, routines: ['midday'], leftOut: true, reason});

const run: CheckRun = {
	environment: 'prod "eu"\\1',
	routine: 'morning',
	at: Date.parse('2026-12-02T09:00:00Z'),
	durationMs: 1234,
	status: 'fail',
	results: [
		ran('services-up', 'fail', 'down: mongodb-primary exited — <oops> & "quotes"', {figure: '3/4 up', value: 3}),
		ran('log-errors', 'warn', `rust-core-engine 12; last: ${'x'.repeat(200)}\u0007bell`, {figure: '12 in 12h', value: 12}),
		ran('api-p95', 'unknown', 'connect ECONNREFUSED 127.0.0.1:9090'),
		ran('health', 'pass', '3 endpoints answered OK', {figure: '3/3 ok', value: Number.NaN}),
		left('backup-age', 'answered by the Database checks'),
		left('trading', 'answered by the Database checks'),
	],
};

function tool(command: string, args: string[], input: string): {code: number; output: string} {
	try {
		return {code: 0, output: execFileSync(command, args, {input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe']})};
	} catch (error) {
		const failed = error as {status: number; stdout: string; stderr: string};
		return {code: failed.status, output: `${failed.stdout}${failed.stderr}`};
	}
}

describe('check outputs', () => {
	it('the table fits the width, folds to ASCII with --ascii, groups left-out checks by reason and ends with the summary', () => {
		for (const width of [80, 100]) {
			const table = checkRunTable(run, {width, color: false, ascii: true});
			const lines = table.trimEnd().split('\n');
			for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(width);
			expect(table).toMatch(/^[\x20-\x7e\n]*$/);
			expect(lines[0]).toMatch(/^STATUS\s+CHECK\s+FIGURE\s+REASON$/);
			expect(lines[1]).toMatch(/^X fail\s+services-up\s+3\/4 up\s+down: mongodb-primary exited - <oops>/);
			expect(lines.find(line => line.includes('api-p95'))).toMatch(/^\? unknown\s+api-p95\s+-\s+connect ECONNREFUSED/);
			// The long reason goes on under its column, two rows at most, the second cut.
			const logs = lines.findIndex(line => line.includes('log-errors'));
			const column = lines[0]!.indexOf('REASON');
			expect(lines[logs + 1]!.slice(0, column).trim()).toBe('');
			expect(lines[logs + 1]!.endsWith('~')).toBe(true);
			expect(lines[logs + 2]).toMatch(/^\? unknown/);
			expect(lines).toContain('left out: backup-age, trading - answered by the Database checks');
			expect(lines.at(-1)).toBe('morning on prod "eu"\\1: 1 pass, 1 warn, 1 fail, 1 unknown, 2 left out (1.23 s)');
		}
		const coloured = checkRunTable(run, {width: 80, color: true, ascii: false});
		expect(coloured).toContain('\u001B[31m✖ fail');
		expect(coloured).not.toContain('\u0007');
	});

	it('JSON counts and entries: left-out checks with their reason, no NaN values', () => {
		const json = checkRunJson(run);
		expect(json).toMatchObject({schema: 'botops.check/v1', status: 'fail', exitCode: 1, counts: {pass: 1, warn: 1, fail: 1, unknown: 1, leftOut: 2}});
		expect(json.checks.find(c => c.id === 'trading')).toEqual({id: 'trading', title: 'trading', routines: ['midday'], status: 'left-out', reason: 'answered by the Database checks'});
		expect(JSON.parse(JSON.stringify(json)).checks.find((c: {id: string}) => c.id === 'health')).not.toHaveProperty('value');
	});

	it('JUnit: a failure, an error, skips, and escaped text, parsed by a real XML parser', () => {
		const xml = checkRunJunit(run);
		const script = [
			'import sys, json, xml.dom.minidom as m',
			'd = m.parseString(sys.stdin.buffer.read())',
			's = d.getElementsByTagName("testsuite")[0]',
			'f = d.getElementsByTagName("failure")[0]',
			'print(json.dumps({"suite": s.getAttribute("name"), "tests": s.getAttribute("tests"), "failures": s.getAttribute("failures"), "errors": s.getAttribute("errors"), "skipped": s.getAttribute("skipped"), "failure": f.getAttribute("message"), "cases": [c.getAttribute("name") for c in d.getElementsByTagName("testcase")]}))',
		].join('\n');
		const parsed = tool('python3', ['-c', script], xml);
		expect(parsed.code, parsed.output).toBe(0);
		expect(JSON.parse(parsed.output)).toEqual({
			suite: 'botops check morning (prod "eu"\\1)',
			tests: '6',
			failures: '1',
			errors: '1',
			skipped: '2',
			failure: 'down: mongodb-primary exited — <oops> & "quotes"',
			cases: ['services-up', 'log-errors', 'api-p95', 'health', 'backup-age', 'trading'],
		});
	});

	it('Prometheus: HELP and TYPE per family, escaped label values, NaN spelled as the format wants; promtool accepts it', () => {
		const text = checkRunProm(run);
		expect(text).toContain('botops_check_status{environment="prod \\"eu\\"\\\\1",routine="morning",check="services-up"} 3');
		expect(text).toContain('botops_check_value{environment="prod \\"eu\\"\\\\1",routine="morning",check="health"} NaN');
		expect(text).toContain('botops_check_left_out{environment="prod \\"eu\\"\\\\1",routine="morning",check="trading"} 1');
		expect(text).toContain('botops_check_run_status{environment="prod \\"eu\\"\\\\1",routine="morning"} 3');
		for (const family of ['botops_check_status', 'botops_check_value', 'botops_check_duration_seconds', 'botops_check_left_out', 'botops_check_run_status', 'botops_check_run_timestamp_seconds', 'botops_check_run_duration_seconds']) {
			expect(text).toContain(`# TYPE ${family} gauge\n`);
		}
		const lint = tool('promtool', ['check', 'metrics'], text);
		expect(lint, lint.output).toEqual({code: 0, output: ''});
	});
});
