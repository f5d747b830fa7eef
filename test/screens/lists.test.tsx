import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {configSchema} from '../../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot} from '../../source/dashboard.js';
import type {ContainerSummary, HealthResult, StatsSample} from '../../source/services/types.js';
import {seed} from '../helpers/seed-store.js';
import {keys, renderTui} from '../helpers/tui.js';

const engineUrl = 'http://127.0.0.1:9/api/health';
const aiUrl = 'http://127.0.0.1:9/health';
const config = configSchema.parse({
	environments: {
		staging: {
			backend: {type: 'compose', project: 'bot-core'},
			services: [
				{name: 'rust-core-engine', container: 'rust-core-engine', healthUrl: engineUrl},
				{name: 'python-ai-service', container: 'python-ai-service', healthUrl: aiUrl},
				{name: 'mongodb-primary', container: 'mongodb-primary'},
			],
		},
	},
});

const container = (letter: string, name: string, state: ContainerSummary['state'] = 'running'): ContainerSummary => ({
	id: letter.repeat(64),
	name,
	service: name,
	image: `${name}:1`,
	state,
	status: state === 'running' ? 'Up' : 'Exited (137)',
	health: state === 'running' ? 'healthy' : 'none',
	createdAt: 0,
});
const sample: StatsSample = {at: 0, cpuPercent: 12, memUsage: 2 ** 27, memLimit: 2 ** 31, memPercent: 6, netRx: 1, netTx: 1, blockRead: 0, blockWrite: 0, pids: 9};

/** The AI service's probe fails with a reason longer than an 80-column PROBLEMS cell. */
const refused = 'connect ECONNREFUSED 127.0.0.1:9 (python-ai-service is not listening)';

function start(size = {columns: 80, rows: 24}) {
	const runtime = createDashboardRuntime({config, environment: {...config.environments.staging!, name: 'staging'}, refreshMs: 2000, readOnly: false, color: false, ascii: false});
	seed.containers(runtime.store, [container('a', 'rust-core-engine'), container('b', 'python-ai-service'), container('c', 'mongodb-primary', 'exited')], Date.now());
	const now = Date.now();
	const probes: HealthResult[] = [];
	for (let i = 0; i < 8; i++) {
		probes.push({service: 'rust-core-engine', url: engineUrl, ok: true, status: 200, latencyMs: 10 + i, at: now - (8 - i) * 2000});
	}
	for (const probe of probes) seed.health(runtime.store, [probe], probe.at);
	seed.health(runtime.store, [{service: 'python-ai-service', url: aiUrl, ok: false, latencyMs: 1, error: refused, at: now}], now);
	seed.stats(runtime.store, new Map([['a'.repeat(64), sample], ['b'.repeat(64), sample]]), now);
	const tui = renderTui(<DashboardRoot runtime={runtime} />, size);
	cleanup = () => tui.unmount();
	return {tui, runtime};
}

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('/ filters every list the footer offers it on', () => {
	it('on Services, typed text goes into the filter line: p does not pause polling', async () => {
		const {tui} = start();
		await tui.press('2');
		await tui.waitFor('[Services]');
		await tui.press('/', 'p', 'y');
		const typed = await tui.waitFor('/py');
		expect(typed).not.toContain('PAUSED');
		expect(typed).toContain('python-ai-service');
		expect(typed).not.toMatch(/│[ ›].\s+rust-core-engine/);
		expect(typed).toContain('0/1 ok of 3');
		await tui.press(keys.enter);
		await tui.waitFor('filter "py"');
		await tui.press(keys.escape);
		const cleared = await tui.waitFor('1/3 ok');
		expect(cleared).toMatch(/rust-core-engine/);
	});

	it('on the Dashboard, filters both lists', async () => {
		const {tui} = start();
		await tui.waitFor('Containers by CPU');
		await tui.press('/', ...'engine', keys.enter);
		const frame = await tui.waitFor('filter "engine"');
		expect(frame).toContain('1/1 ok of 3');
		expect(frame).toContain('1 containers');
		expect(frame).not.toContain('mongodb-primary');
		expect(frame).not.toContain('python-ai-service');
	});

	it('on Runbooks, filters the catalogue and shows the selected description whole', async () => {
		const {tui} = start({columns: 80, rows: 30});
		await tui.press('5');
		// The catalogue's count says it loaded (a run in the audit log may name restart-all before it has).
		await tui.waitFor(/\d+ · enter or key runs/);
		await tui.press('/', ...'symbol', keys.enter);
		const frame = await tui.waitFor('filter "symbol"');
		expect(frame).toContain('add-symbol');
		expect(frame).not.toContain('restart-all');
		// The description (longer than a line) is wrapped, to its last words.
		expect(frame.replace(/[│\s]+/g, ' ')).toContain('checks that market data for the symbol is served.');
	});

	it('on Help, keeps the matching lines under their headings; esc clears, then goes back', async () => {
		const {tui} = start();
		await tui.press('?');
		await tui.waitFor('Everywhere');
		await tui.press('/', ...'sort', keys.enter);
		const frame = await tui.waitFor('filter "sort"');
		expect(frame).toMatch(/S\s+reverse sort/);
		expect(frame).toContain('Stats');
		expect(frame).not.toContain('Everywhere');
		await tui.press(keys.escape);
		await tui.waitFor('Everywhere');
		await tui.press(keys.escape);
		await tui.waitFor('Containers by CPU');
	});
});

describe('the screen, used', () => {
	it('at 80x24 spells out why a row is red', async () => {
		const {tui} = start();
		const dashboard = await tui.waitFor('Containers by CPU');
		// The cell is too narrow for the reason: the line under the table has it whole (wrapped).
		expect(dashboard.replace(/\s*│\s*\n\s*│\s*/g, ' ')).toContain(`python-ai-service: health: ${refused}`);
		expect(dashboard).toContain('container exited');
		await tui.press('2', 'j');
		const services = await tui.waitFor(/│›.\s+python-ai-service/);
		expect(services.replace(/\s*│\s*\n\s*│\s*/g, ' ')).toContain(`python-ai-service: health: ${refused}`);
		expect(tui.lines().length).toBeLessThanOrEqual(23);
	});

	it('shows the selected runbook description whole in the runbook dialog at 80x24', async () => {
		const {tui} = start();
		await tui.waitFor('Containers by CPU');
		await tui.press('r');
		const picker = await tui.waitFor('add-symbol');
		expect(picker.replace(/\s*│\s*\n\s*│\s*/g, ' ')).toContain('this runbook then restarts the engine and checks that market data for the symbol is served.');
		expect(tui.lines().length).toBeLessThanOrEqual(23);
	});

	it('at 200x60 the Dashboard adds the health history and recent runs, Help uses columns, the detail a latency trend', async () => {
		const {tui} = start({columns: 200, rows: 60});
		const dashboard = await tui.waitFor('Health probes');
		expect(dashboard).toContain('Recent runs');
		// Newest first, each probe with its service's latency trend.
		expect(dashboard).toMatch(/Health probes.*\n.*TIME\s+SERVICE\s+LATENCY\s+TREND\s+RESULT.*\n.*python-ai-service\s+-\s+connect ECONNREFUSED.*\n.*rust-core-engine\s+17 ms\s+\S{8}\s+200 OK/);
		await tui.press('?');
		const help = await tui.waitFor('Everywhere');
		// Two sections that are a screen apart at 80x24 share one line here.
		const row = help.split('\n').find(line => line.includes('q ctrl-c'));
		expect(row?.match(/│/g)?.length).toBe(2);
		// Every screen's keys and then the commands: the last section is one G away, still in two columns.
		await tui.press('G');
		const end = await tui.waitFor('Commands (after :)');
		expect(end.split('\n').find(line => line.includes('Commands (after :)'))?.match(/│/g)?.length).toBe(2);
		await tui.press(keys.escape, '2', keys.enter);
		const detail = await tui.waitFor('Service rust-core-engine');
		expect(detail).toMatch(/latency trend\s+\S{8}/);
		// The container's figures and history in a pane beside it.
		expect(detail).toMatch(/Container rust-core-engine.*cpu and memory history/);
		expect(detail).toMatch(/cpu history\s+\S/);
	});
});
