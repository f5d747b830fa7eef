// `botops incident …` and `botops postmortem` as a user runs them: the built command line, spawned.
import {execFile} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = path.join(root, 'bin/botops.js');
if (!existsSync(path.join(root, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` before this test');

let home: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
	home = mkdtempSync(path.join(tmpdir(), 'botops-incident-cli-'));
	env = {...process.env, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_STATE_HOME: path.join(home, 'state'), NO_COLOR: '1'};
	delete env.BOTOPS_CONFIG;
});
afterEach(() => rmSync(home, {recursive: true, force: true}));

function botops(...args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
	return new Promise(resolve => {
		execFile(process.execPath, [cli, ...args], {cwd: root, env}, (error, stdout, stderr) => {
			resolve({code: error ? Number((error as {code?: number}).code ?? 1) : 0, stdout, stderr});
		});
	});
}

const incidents = () => path.join(home, 'state', 'botops', 'incidents');

describe('botops incident and botops postmortem', () => {
	it('declares, notes, lists, shows and closes an incident, writing its post-mortem, and regenerates it', async () => {
		const declared = await botops('incident', 'declare', '--severity', 'p1', '--title', 'engine crash loop');
		expect(declared).toMatchObject({code: 0, stderr: ''});
		const id = /^(INC-\d{8}-\d{6}) declared: P1 \(High\) "engine crash loop" in local; respond within 30 minutes$/m.exec(declared.stdout)?.[1];
		expect(id).toBeDefined();

		expect(await botops('incident', 'note', 'engine logs: negative position')).toMatchObject({code: 0, stdout: `note added to ${id}\n`});
		const list = JSON.parse((await botops('incident', 'list', '--json')).stdout) as {incidents: Array<{id: string; severity: string; closedAt: string | null; entries: number}>};
		expect(list.incidents).toEqual([expect.objectContaining({id, severity: 'P1', closedAt: null, entries: 2})]);

		const shown = JSON.parse((await botops('incident', 'show', '--json')).stdout) as {timeline: Array<{kind: string; text: string}>};
		expect(shown.timeline.map(e => [e.kind, e.text])).toEqual([
			['declared', 'P1 declared: engine crash loop'],
			['note', 'engine logs: negative position'],
		]);

		const closed = await botops('incident', 'close');
		expect(closed.code).toBe(0);
		const file = path.join(incidents(), `${id}-postmortem.md`);
		expect(closed.stdout).toContain(`post-mortem written to ${file}`);
		const markdown = readFileSync(file, 'utf8');
		expect(markdown).toContain('## Incident Summary\n- Incident: ');
		expect(markdown).toContain('- Severity: P1 (High');
		expect(markdown).toMatch(/- \d\d:\d\d:\d\d - Note: engine logs: negative position \(\S+\)/);
		expect(markdown).toMatch(/- \d\d:\d\d:\d\d - Incident resolved \(closed\)/);

		// Regenerated from the timeline: the same content even after the file was lost.
		rmSync(file);
		const again = await botops('postmortem', '--incident', id!);
		expect(again).toMatchObject({code: 0, stdout: `${id}: post-mortem written to ${file}\n`});
		expect(readFileSync(file, 'utf8')).toBe(markdown);
		expect((await botops('incident', 'list')).stdout).toMatch(new RegExp(`${id}\\s+P1\\s+\\S+ \\S+\\s+closed after 0:00:\\d\\d\\s+engine crash loop`));
	});

	it('reports a corrupt line with its file and line, and still reads the rest', async () => {
		expect((await botops('incident', 'declare', '--severity', 'P2', '--title', 'disk')).code).toBe(0);
		const name = readdirSync(incidents()).find(n => n.endsWith('.jsonl'))!;
		const file = path.join(incidents(), name);
		writeFileSync(file, `${readFileSync(file, 'utf8')}not json\n`);
		expect((await botops('incident', 'note', 'after the bad line')).code).toBe(0);
		const shown = await botops('incident', 'show');
		expect(shown.code).toBe(0);
		expect(shown.stderr.startsWith(`botops: ${file}:2: not JSON (`)).toBe(true);
		expect(shown.stderr.endsWith(') (line skipped)\n')).toBe(true);
		expect(shown.stdout).toMatch(/Note\s+after the bad line/);
	});

	it('answers bad input with a clear error and exit code 2', async () => {
		const cases: Array<[string[], RegExp]> = [
			[['incident', 'declare', '--title', 'x'], /--severity is required: one of P0, P1, P2, P3/],
			[['incident', 'declare', '--severity', 'P4', '--title', 'x'], /--severity: expected P0, P1, P2 or P3, got "P4"/],
			[['incident', 'declare', '--severity', 'P1'], /--title is required/],
			[['incident', 'declare', '--severity', 'P1', '--title', '   '], /--title is required/],
			[['incident', 'close'], /no incident is open in environment "local"/],
			[['incident', 'note', 'x'], /no incident is open in environment "local"/],
			[['incident', 'note'], /needs TEXT/],
			[['incident', 'show'], /no incidents in environment "local"/],
			[['incident', 'show', '--incident', '../../etc/passwd'], /"..\/..\/etc\/passwd" is not an incident id/],
			[['postmortem', '--incident', 'INC-20200101-000000'], /no incident INC-20200101-000000/],
			[['incident', 'list', '--env', 'nowhere'], /unknown environment "nowhere"/],
		];
		for (const [args, message] of cases) {
			const result = await botops(...args);
			expect({args, code: result.code}).toEqual({args, code: 2});
			expect(result.stderr).toMatch(message);
		}
		expect((await botops('incident', 'declare', '--severity', 'P0', '--title', 'outage')).code).toBe(0);
		const twice = await botops('incident', 'declare', '--severity', 'P1', '--title', 'another');
		expect(twice.code).toBe(2);
		expect(twice.stderr).toMatch(/INC-\S+ \(P0 "outage"\) is open in "local"; close it first/);
		expect((await botops('incident', 'close')).code).toBe(0);
		const closedTwice = await botops('incident', 'close', '--incident', JSON.parse((await botops('incident', 'list', '--json')).stdout).incidents[0].id);
		expect(closedTwice.code).toBe(2);
		expect(closedTwice.stderr).toMatch(/is closed already; botops postmortem --incident/);
	});
});
