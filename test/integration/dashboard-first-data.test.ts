// The first frame waits for the first list of instances (cli.tsx draws it with the services' rows, not an empty
// frame first): runtime.firstData resolves once the list or its error is in the store, or at its bound.
import {createReadStream} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {configSchema, type EnvironmentConfig} from '../../source/config/schema.js';
import {createDashboardRuntime} from '../../source/dashboard.js';
import {createStreamLogSource} from '../../source/services/stream-log-source.js';
import {container, fakePlatform, openFakeBackends} from '../helpers/fake-backends.js';

const environment: EnvironmentConfig = {
	...configSchema.parse({environments: {demo: {backend: {type: 'compose', project: 'bot-core'}, services: [{name: 'rust-core-engine', container: 'rust-core-engine'}]}}}).environments['demo']!,
	name: 'demo',
};
const config = configSchema.parse({environments: {}});
const runtimeWith = (extra: Partial<Parameters<typeof createDashboardRuntime>[0]>) => createDashboardRuntime({config, environment, refreshMs: 60_000, readOnly: false, color: false, ascii: true, ...extra});

describe('the dashboard runtime before its first frame', () => {
	it('has the containers in the store once firstData resolves, although the bound is far away', async () => {
		const runtime = runtimeWith({openBackends: openFakeBackends(fakePlatform([container('rust-core-engine')]))});
		try {
			void runtime.connect();
			await runtime.firstData(600_000);
			expect(runtime.store.getState().containers.data.map(c => c.name)).toEqual(['rust-core-engine']);
		} finally {
			runtime.close();
		}
	});

	it('resolves with the error when the backends cannot be opened', async () => {
		const runtime = runtimeWith({
			openBackends: async () => {
				throw new Error('connect ENOENT /var/run/docker.sock');
			},
		});
		void runtime.connect();
		await runtime.firstData(600_000);
		expect(runtime.store.getState().containers.error).toMatch(/ENOENT/);
		runtime.close();
	});

	it('draws without the list when the engine has not answered by the bound', async () => {
		const runtime = runtimeWith({openBackends: () => new Promise(() => {})});
		void runtime.connect();
		await runtime.firstData(1);
		expect(runtime.store.getState().containers.updatedAt).toBe(0);
		runtime.close();
	});

	it('does not wait on a log file, which has no instances', async () => {
		const source = createStreamLogSource({service: 'engine', open: () => createReadStream('/dev/null')});
		const runtime = runtimeWith({logSource: {source, services: ['engine']}, openBackends: () => new Promise(() => {})});
		await runtime.firstData(600_000);
		expect(runtime.store.getState().containers.updatedAt).toBe(0);
		runtime.close();
	});
});
