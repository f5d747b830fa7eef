import {execFileSync} from 'node:child_process';
import React from 'react';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {configSchema} from '../../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot} from '../../source/dashboard.js';
import {createComposeContainer, dockerForTests, ensureBusyboxImage, removeProject, socketPath, uniqueProject} from '../helpers/docker.js';
import {reply, startHttpServer, type TestServer} from '../helpers/http.js';
import {renderTui} from '../helpers/tui.js';

const availability = await dockerForTests();

describe.skipIf(!availability.available)(`dashboard on a real Docker engine${availability.reason ? ` (skipped: ${availability.reason})` : ''}`, () => {
	const project = uniqueProject('dash');
	let health: TestServer;
	let runtime: ReturnType<typeof createDashboardRuntime>;
	let tui: ReturnType<typeof renderTui>;

	beforeAll(async () => {
		await ensureBusyboxImage();
		await Promise.all([
			createComposeContainer({project, service: 'engine', cmd: ['sh', '-c', 'while :; do :; done']}),
			createComposeContainer({project, service: 'db', cmd: ['sleep', '600']}),
		]);
		health = await startHttpServer(reply(200, 'application/json', '{"status":"healthy","trading_enabled":true}'));
		const config = configSchema.parse({
			environments: {
				real: {
					backend: {type: 'compose', socketPath, project},
					services: [
						{name: 'engine', container: 'engine', healthUrl: `${health.url}/api/health`},
						{name: 'db', container: 'db'},
					],
				},
			},
		});
		runtime = createDashboardRuntime({config, environment: {...config.environments.real!, name: 'real'}, refreshMs: 500, readOnly: false, color: false, ascii: false});
		tui = renderTui(<DashboardRoot runtime={runtime} />, {columns: 120, rows: 40});
		await runtime.connect();
	});

	afterAll(async () => {
		tui?.unmount();
		runtime?.close();
		await health?.close();
		await removeProject(project);
	});

	it('shows the services live: container state, health probe, restart count and stats', async () => {
		const frame = await tui.waitFor(/engine\s+running\s+200 OK/, 20_000);
		expect(frame).toMatch(/db\s+running\s+-/);
		expect(frame).toContain('2/2 ok');
		// A busy loop shows a non-zero CPU figure once the second stats sample is in.
		await tui.waitFor(/engine-1\s+[1-9]\d*(?:\.\d)?%/, 20_000);
	});

	it('notices a container that stops, and the one that comes back', async () => {
		execFileSync('docker', ['stop', '-t', '1', `${project}-db-1`]);
		const frame = await tui.waitFor(/db\s+exited/, 20_000);
		expect(frame).toContain('1/2 ok');
		execFileSync('docker', ['start', `${project}-db-1`]);
		await tui.waitFor('2/2 ok', 20_000);
	});

	it('shows a probe that fails', async () => {
		await health.close();
		const frame = await tui.waitFor(/engine\s+running\s+down/, 20_000);
		expect(frame).toMatch(/health: connect ECONNREFUSED/);
	});
});
