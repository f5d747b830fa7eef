import {describe, expect, it} from 'vitest';
import {selectResourceStatus} from '../../source/store/selectors.js';
import {containersUpdate} from '../../source/store/slices/containers.js';
import {healthUpdate} from '../../source/store/slices/health.js';
import {createAppStore} from '../../source/store/store.js';
import {container} from '../helpers/fake-backends.js';

const refreshMs = 2000;

describe('resource status (what a pane and the header say about their data)', () => {
	it('is waiting before the first data, then takes the oldest polled source and the first error', () => {
		const store = createAppStore();
		expect(selectResourceStatus(store.getState(), ['containers', 'stats'], refreshMs)).toEqual({updatedAt: 0, polled: true, error: undefined, retryAt: undefined});
		store.setState(state => containersUpdate.list(state, [container('engine')], [], 10_000));
		store.setState(state => containersUpdate.stats(state, new Map(), 12_000));
		expect(selectResourceStatus(store.getState(), ['containers', 'stats'], refreshMs)).toMatchObject({updatedAt: 10_000, error: undefined});
		store.setState(state => containersUpdate.error(state, 'docker: connect ENOENT /var/run/docker.sock', 16_000));
		expect(selectResourceStatus(store.getState(), ['containers', 'stats'], refreshMs)).toEqual({
			updatedAt: 10_000,
			polled: true,
			error: 'docker: connect ENOENT /var/run/docker.sock',
			retryAt: 16_000,
		});
	});

	it('does not call a failing health probe stale while it backs off to its next attempt', () => {
		const store = createAppStore();
		const failed = {service: 'engine', url: 'http://127.0.0.1:1/', ok: false, status: 503, latencyMs: 3, error: 'HTTP 503', at: 20_000};
		store.setState(state => healthUpdate(state, failed, 20_000, 500, 28_000));
		// Next probe at 28 s: as fresh as a probe at 26 s would be with a 2 s refresh.
		expect(selectResourceStatus(store.getState(), ['health'], refreshMs)).toMatchObject({updatedAt: 26_000, error: undefined});
	});

	it('is not polled for the runbook catalogue and reports a failing log stream', () => {
		const store = createAppStore();
		expect(selectResourceStatus(store.getState(), ['runbookCatalog'], refreshMs).polled).toBe(false);
		store.getState().markLogsStarted(true, ['engine']);
		store.getState().commitLogs([{service: 'engine', state: 'reconnecting', message: 'docker: connect ECONNREFUSED', retryAt: 5000, at: 1000}]);
		expect(selectResourceStatus(store.getState(), ['logs'], refreshMs)).toEqual({updatedAt: 0, polled: false, error: 'logs engine: docker: connect ECONNREFUSED', retryAt: 5000});
	});
});
