import {createReadStream, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import React from 'react';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {configSchema, type EnvironmentConfig} from '../../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot} from '../../source/dashboard.js';
import {createStreamLogSource} from '../../source/services/stream-log-source.js';
import {renderTui} from '../helpers/tui.js';

/**
 * Issue 8, "`logs --env demo --file F --tui`": the header said "✖ 0/4 ok waiting for data" forever and every
 * service read as down. On a file there is no live backend, and the screen says so.
 */
const environment: EnvironmentConfig = {
	...configSchema.parse({
		environments: {
			demo: {
				backend: {type: 'compose', project: 'bot-core'},
				services: ['rust-core-engine', 'python-ai-service', 'nextjs-ui-dashboard', 'mongodb'].map((name, i) => ({name, container: name, healthUrl: i < 3 ? `http://127.0.0.1:${9000 + i}/health` : undefined})),
			},
		},
	}).environments['demo']!,
	name: 'demo',
};

describe('the dashboard on a log file', () => {
	let directory: string;
	let file: string;

	beforeAll(() => {
		directory = mkdtempSync(path.join(tmpdir(), 'botops-file-'));
		file = path.join(directory, 'engine.log');
		writeFileSync(file, '2026-11-25T12:00:00Z INFO engine started\n2026-11-25T12:00:01Z ERROR order rejected\n');
	});
	afterAll(() => rmSync(directory, {recursive: true, force: true}));

	it('says it runs on the file with no live backend, in the header and the panes, and judges no service', async () => {
		const source = createStreamLogSource({service: 'engine', open: () => createReadStream(file)});
		const config = configSchema.parse({environments: {}});
		const runtime = createDashboardRuntime({
			config,
			environment,
			refreshMs: 2000,
			readOnly: false,
			color: false,
			ascii: true,
			initialScreen: 'logs',
			logSource: {source, services: ['engine'], label: `file ${file}`},
		});
		await runtime.connect();
		const tui = renderTui(<DashboardRoot runtime={runtime} />, {columns: 160, rows: 30});
		try {
			const logs = await tui.waitFor('order rejected');
			const header = logs.split('\n')[0]!;
			expect(header).toContain(`file ${file}: no live backend`);
			expect(header).not.toMatch(/\d+\/\d+ ok/);
			expect(logs).not.toContain('waiting for data');

			runtime.store.getState().setScreen('services');
			const services = await tui.waitFor('[Services]');
			expect(services).not.toContain('waiting for data');
			const top = services.split('\n').find(line => line.includes('[Services]'))!;
			expect(top).toContain('no live backend');
			expect(top).not.toMatch(/\d+\/\d+ ok/);
			for (const service of environment.services) {
				const row = services.split('\n').find(line => line.includes(` ${service.name} `))!;
				expect(row, `${service.name}'s row`).toContain('no live backend');
				// No state glyph, no container "missing", no health "down": nothing is judged.
				expect(row).not.toMatch(/\b(missing|down|waiting|unknown)\b/);
				expect(row).toMatch(/^\|.-\s/);
			}
		} finally {
			tui.unmount();
			runtime.close();
		}
	});

	it('keeps the file name and "no live backend" on one 80-column header line when the path is long', async () => {
		const deep = path.join(directory, 'a-very-long-directory-name-for-saved-logs', 'from-the-incident-of-the-night', 'engine.log');
		mkdirSync(path.dirname(deep), {recursive: true});
		writeFileSync(deep, '2026-11-25T12:00:00Z INFO engine started\n');
		const source = createStreamLogSource({service: 'engine', open: () => createReadStream(deep)});
		const runtime = createDashboardRuntime({config: configSchema.parse({environments: {}}), environment, refreshMs: 2000, readOnly: false, color: false, ascii: true, initialScreen: 'logs', logSource: {source, services: ['engine'], label: `file ${deep}`}});
		await runtime.connect();
		const tui = renderTui(<DashboardRoot runtime={runtime} />, {columns: 80, rows: 24});
		try {
			const frame = await tui.waitFor('engine started');
			const header = frame.split('\n')[0]!;
			expect(header).toMatch(/~[^ ]*\/engine\.log: no live backend/);
			expect(header.length).toBeLessThanOrEqual(80);
			expect(frame.split('\n')[1]).toMatch(/^\+/);
		} finally {
			tui.unmount();
			runtime.close();
		}
	});
});
