import {describe, expect, it, vi} from 'vitest';
import type {LogRecord} from '../../source/logs/record.js';
import {createDockerLogSource, type LogSourceStatus} from '../../source/services/log-source.js';
import type {ContainerSummary, DockerService, RawLogLine} from '../../source/services/types.js';

type FakeStream = {onLines: (lines: RawLogLine[]) => unknown; onEnd: (error?: Error) => void};

/** A Docker service whose log streams the test drives: it pushes lines and ends streams itself. */
function fakeDocker(services: string[]) {
	const streams = new Map<string, FakeStream>();
	const containers: ContainerSummary[] = services.map(service => ({
		id: `${service}-id`,
		name: `${service}-1`,
		service,
		image: 'busybox',
		state: 'running',
		status: 'Up 1 minute',
		health: 'none',
		createdAt: 0,
	}));
	const docker: DockerService = {
		listContainers: async () => containers,
		inspect: () => Promise.reject(new Error('not used without follow')),
		restart: async () => undefined,
		stop: async () => undefined,
		start: async () => undefined,
		exec: () => Promise.reject(new Error('not used')),
		streamStats: () => () => undefined,
		streamLogs(id, _options, onLines, onEnd) {
			streams.set(id, {onLines, onEnd});
			return () => streams.delete(id);
		},
		close: () => undefined,
	};
	const line = (time: number, text: string): RawLogLine => ({stream: 'stdout', time, text});
	return {docker, streams, line};
}

describe('Docker log source and a slow reader', () => {
	it('hands over one batch at a time, holds the engine streams meanwhile, and ends only after the last batch', async () => {
		const {docker, streams, line} = fakeDocker(['a', 'b']);
		const batches: LogRecord[][] = [];
		const statuses: LogSourceStatus[] = [];
		let release: () => void = () => undefined;
		const onRecords = (batch: LogRecord[]) => {
			batches.push(batch);
			// The first batch finds the writer full; the later ones go straight through.
			if (batches.length > 1) return undefined;
			return new Promise<void>(resolve => {
				release = resolve;
			});
		};
		createDockerLogSource({docker}).subscribe(['a', 'b'], {follow: false}, onRecords, status => statuses.push(status));
		await vi.waitFor(() => expect([...streams.keys()].sort()).toEqual(['a-id', 'b-id']));
		const a = streams.get('a-id')!;
		const b = streams.get('b-id')!;

		// Without follow, a line is released once every stream has delivered past it: a1 and b2 go, a3 waits for b.
		expect(a.onLines([line(1, 'a1'), line(3, 'a3')])).toBeUndefined();
		const held = b.onLines([line(2, 'b2'), line(4, 'b4')]);
		expect(batches.map(batch => batch.map(r => r.text))).toEqual([['a1', 'b2']]);
		expect(held).toBeInstanceOf(Promise);

		// While the reader digests, more lines only wait: no second batch, and the engine streams are told to wait.
		expect(a.onLines([line(5, 'a5')])).toBe(held);
		a.onEnd();
		b.onEnd();
		expect(batches).toHaveLength(1);
		expect(statuses.some(s => s.service === '*')).toBe(false);

		release();
		await vi.waitFor(() => expect(statuses.at(-1)).toMatchObject({service: '*', state: 'ended'}));
		expect(batches.flat().map(r => r.text)).toEqual(['a1', 'b2', 'a3', 'b4', 'a5']);
	});
});
