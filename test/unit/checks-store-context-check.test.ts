// The Dashboard's check context: store-held data judged from the store (waiting for a first answer, an error is not
// an answer), and the checks' own queries (logs, git, the journal) asked at most once a minute.
import {describe, expect, it} from 'vitest';
import {findCheck} from '../../source/checks/catalog.js';
import {runChecks} from '../../source/checks/run.js';
import {checkSettings} from '../../source/checks/settings.js';
import {createStoreCheckContext} from '../../source/checks/store-context.js';
import type {CheckContext} from '../../source/checks/types.js';
import type {EnvironmentConfig} from '../../source/config/schema.js';
import {containersUpdate} from '../../source/store/slices/containers.js';
import {createAppStore} from '../../source/store/store.js';
import type {ContainerSummary} from '../../source/services/types.js';

const environment: EnvironmentConfig = {
	name: 'test',
	backend: {type: 'compose', project: 'bot-core'},
	protected: false,
	services: [{name: 'rust-core-engine', critical: true}],
	deployCheckout: {path: '/srv/bot-core', upstream: 'origin/main', fetch: false},
};
const engine: ContainerSummary = {id: 'c1', name: 'bot-core-rust-core-engine-1', service: 'rust-core-engine', image: 'x', state: 'running', status: 'Up', health: 'none', createdAt: 0};

function liveContext(clock: {now: number}, calls: {logs: number; git: number}, failGit = false): CheckContext {
	const refuse = () => Promise.reject(new Error('the Dashboard context must not ask this of the backends'));
	return {
		environment,
		settings: checkSettings({timeoutMs: 500, latencyTargetMs: 500}),
		now: () => clock.now,
		instances: refuse,
		stats: refuse,
		health: refuse,
		prometheus: refuse,
		alertmanager: refuse,
		cluster: refuse,
		database: refuse,
		backups: refuse,
		firedSince: async () => [],
		async logTally() {
			calls.logs++;
			return new Map();
		},
		async pendingDeploys() {
			calls.git++;
			if (failGit) throw new Error('git log in /srv/bot-core: not a git repository');
			return [];
		},
	};
}

describe('the store check context', () => {
	it('judges the store, waiting for the first answer; an error in the store is unknown', async () => {
		const store = createAppStore();
		const context = createStoreCheckContext(store, liveContext({now: 0}, {logs: 0, git: 0}));
		const pending = runChecks([findCheck('services-up')!], 'all', context);
		store.setState(containersUpdate.list(store.getState(), [engine], [], 1000));
		expect((await pending).results[0]).toMatchObject({verdict: {status: 'pass', figure: '1/1 up'}});
		store.setState(containersUpdate.error(store.getState(), 'docker: connect ENOENT /var/run/docker.sock'));
		const failed = await runChecks([findCheck('services-up')!], 'all', context);
		expect(failed.results[0]).toMatchObject({verdict: {status: 'unknown', reason: 'docker: connect ENOENT /var/run/docker.sock'}});
	});

	it('stats: a fresh resource without samples yet is waited for, not judged empty', async () => {
		const store = createAppStore();
		const context = createStoreCheckContext(store, liveContext({now: 0}, {logs: 0, git: 0}));
		store.setState(containersUpdate.list(store.getState(), [engine], [], 1000));
		store.setState(containersUpdate.stats(store.getState(), new Map(), 1000));
		const pending = runChecks([findCheck('resources')!], 'all', context);
		store.setState(containersUpdate.stats(store.getState(), new Map([['c1', {at: 1, cpuPercent: 12, memUsage: 1, memLimit: 10, memPercent: 10, netRx: 0, netTx: 0, blockRead: 0, blockWrite: 0, pids: 1}]]), 2000));
		expect((await pending).results[0]).toMatchObject({verdict: {status: 'pass', figure: 'cpu 12 % mem 10 %'}});
	});

	it('judges data within its staleness bound; older data is waited for, unless its poller announced a later poll', async () => {
		const clock = {now: 100_000};
		const store = createAppStore();
		const context = createStoreCheckContext(store, liveContext(clock, {logs: 0, git: 0}), {freshWithinMs: 30_000});
		// A list from a minute ago: not the present.
		store.setState(containersUpdate.list(store.getState(), [engine], [], 40_000));
		let settled = false;
		const pending = runChecks([findCheck('services-up')!], 'all', context).finally(() => (settled = true));
		await new Promise(resolve => setImmediate(resolve));
		expect(settled).toBe(false);
		store.setState(containersUpdate.list(store.getState(), [engine], [], 99_000));
		expect((await pending).results[0]).toMatchObject({verdict: {status: 'pass', figure: '1/1 up'}});
		// As old, but polled slowly on purpose (a hidden screen's cadence): its next poll is still ahead.
		store.setState({containers: {...containersUpdate.list(store.getState(), [engine], [], 40_000).containers!, retryAt: 105_000}});
		expect((await runChecks([findCheck('services-up')!], 'all', context)).results[0]).toMatchObject({verdict: {status: 'pass'}});
	});

	it('asks the logs and git at most once a minute, and again after a failure', async () => {
		const clock = {now: 10_000_000};
		const calls = {logs: 0, git: 0};
		const store = createAppStore();
		const context = createStoreCheckContext(store, liveContext(clock, calls));
		const checks = [findCheck('log-errors')!, findCheck('security')!, findCheck('pending-deploys')!];
		await runChecks(checks, 'all', context);
		// log-errors and security share one read of the window.
		expect(calls).toEqual({logs: 1, git: 1});
		clock.now += 30_000;
		await runChecks(checks, 'all', context);
		expect(calls).toEqual({logs: 1, git: 1});
		clock.now += 31_000;
		await runChecks(checks, 'all', context);
		expect(calls).toEqual({logs: 2, git: 2});

		const failing = {logs: 0, git: 0};
		const broken = createStoreCheckContext(store, liveContext(clock, failing, true));
		const first = await runChecks([findCheck('pending-deploys')!], 'all', broken);
		expect(first.results[0]).toMatchObject({verdict: {status: 'unknown', reason: expect.stringContaining('not a git repository')}});
		await runChecks([findCheck('pending-deploys')!], 'all', broken);
		expect(failing.git).toBe(2);
	});
});
