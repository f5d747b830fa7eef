import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {configSchema} from '../../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot, type DashboardRuntime} from '../../source/dashboard.js';
import type {AppState} from '../../source/store/store.js';
import {container, fakePlatform, okProbe, openFakeBackends, sample, type FakePlatform} from '../helpers/fake-backends.js';
import {renderTui} from '../helpers/tui.js';

const config = configSchema.parse({
	environments: {
		staging: {
			backend: {type: 'compose', project: 'bot-core'},
			services: [
				{name: 'rust-core-engine', container: 'rust-core-engine', healthUrl: 'http://127.0.0.1:9/api/health'},
				{name: 'python-ai-service', container: 'python-ai-service', healthUrl: 'http://127.0.0.1:9/health'},
				{name: 'mongodb-primary', container: 'mongodb-primary'},
			],
		},
	},
});

let cleanup: Array<() => void> = [];
afterEach(() => {
	for (const fn of cleanup.splice(0).reverse()) fn();
});

function start(platform: FakePlatform, size = {columns: 80, rows: 24}) {
	const runtime = createDashboardRuntime({
		config,
		environment: {...config.environments.staging!, name: 'staging'},
		refreshMs: 2000,
		readOnly: false,
		color: false,
		ascii: false,
		openBackends: openFakeBackends(platform),
	});
	void runtime.connect();
	const tui = renderTui(<DashboardRoot runtime={runtime} />, size);
	cleanup.push(() => tui.unmount(), () => runtime.close());
	return {runtime, tui};
}

function until(runtime: DashboardRuntime, check: (state: AppState) => boolean): Promise<void> {
	return new Promise(resolve => {
		if (check(runtime.store.getState())) return resolve();
		const unsubscribe = runtime.store.subscribe(state => {
			if (!check(state)) return;
			unsubscribe();
			resolve();
		});
	});
}

const healthy = () => [container('rust-core-engine'), container('python-ai-service'), container('mongodb-primary')];

describe('honest state on every pane', () => {
	it('shows a Docker failure with its retry countdown in every pane that needs Docker, and in the header', async () => {
		const platform = fakePlatform(healthy());
		platform.dockerError = Object.assign(new Error('connect ENOENT /var/run/docker.sock'), {code: 'ENOENT', syscall: 'connect', address: '/var/run/docker.sock'});
		const {tui} = start(platform);
		const frame = await tui.waitFor(/docker: connect ENOENT \/var\/run\/docker\.sock — retrying in \d s[\s\S]*docker: connect ENOENT/);
		const lines = frame.split('\n');
		expect(lines[0]).toMatch(/docker: connect ENOENT/);
		expect(lines.filter(line => line.includes('│✖ docker: connect ENOENT /var/run/docker.sock — retrying in'))).toHaveLength(2);
		await tui.press('3');
		await tui.waitFor(/Stats[\s\S]*✖ docker: connect ENOENT/);
		await tui.press('2');
		await tui.waitFor(/Services[\s\S]*✖ docker: connect ENOENT/);
	});

	it('does not count a starting container as ok, in the header or the panes', async () => {
		const platform = fakePlatform([container('rust-core-engine', {health: 'starting'}), container('python-ai-service'), container('mongodb-primary')]);
		const {tui} = start(platform);
		const frame = await tui.waitFor('2/3 ok');
		expect(frame.split('\n')[0]).toContain('✖ 2/3 ok');
		expect(frame).toMatch(/rust-core-engine\s+starting/);
	});

	it('ctrl-r while paused polls once, and polling stays paused', async () => {
		const platform = fakePlatform(healthy(), {firstSample: () => sample(3)});
		const {runtime, tui} = start(platform);
		await until(runtime, s => s.containers.updatedAt > 0 && s.health['rust-core-engine'] !== undefined && s.health['python-ai-service'] !== undefined);
		await tui.press('p');
		await tui.waitFor('PAUSED');
		const before = {...platform.calls, probes: {...platform.calls.probes}};
		const polled = until(runtime, s => s.containers.updatedAt > 0 && platform.calls.list === before.list + 1);
		await tui.press('\u0012');
		await polled;
		await until(runtime, s => s.health['rust-core-engine']!.data!.recent.length === 2 && s.health['python-ai-service']!.data!.recent.length === 2);
		expect(platform.calls.probes).toEqual({'rust-core-engine': before.probes['rust-core-engine']! + 1, 'python-ai-service': before.probes['python-ai-service']! + 1});
		expect(tui.lastFrame()).toContain('PAUSED');
		expect(runtime.store.getState().paused).toBe(true);
	});

	it('repeated ctrl-r while a probe is in flight adds no duplicate probe rows', async () => {
		const answers: Array<() => void> = [];
		const platform = fakePlatform(healthy(), {
			probe: (service, url) => new Promise(resolve => answers.push(() => resolve(okProbe(service, url)))),
		});
		const {runtime, tui} = start(platform);
		await until(runtime, s => s.containers.updatedAt > 0);
		await tui.press('\u0012', '\u0012', '\u0012');
		expect(platform.calls.probes).toEqual({'rust-core-engine': 1, 'python-ai-service': 1});
		for (const answer of answers.splice(0)) answer();
		await until(runtime, s => s.health['rust-core-engine'] !== undefined && s.health['python-ai-service'] !== undefined);
		expect(runtime.store.getState().health['rust-core-engine']!.data!.recent).toHaveLength(1);
	});
});
