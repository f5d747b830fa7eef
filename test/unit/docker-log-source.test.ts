import {describe, expect, it, vi} from 'vitest';
import type {LogRecord} from '../../source/logs/record.js';
import {createDockerLogSource, type LogSourceStatus} from '../../source/services/log-source.js';
import type {ContainerDetail, ContainerSummary, DockerService, RawLogLine} from '../../source/services/types.js';

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
	const engine = {inspect: (): Promise<ContainerDetail> => Promise.reject(new Error('connect ENOENT /var/run/docker.sock'))};
	const docker: DockerService = {
		listContainers: async () => containers,
		inspect: () => engine.inspect(),
		restart: async () => undefined,
		stop: async () => undefined,
		start: async () => undefined,
		exec: () => Promise.reject(new Error('not used')),
		streamStats: () => () => undefined,
		sampleStats: () => Promise.reject(new Error('not used')),
		streamLogs(id, _options, onLines, onEnd) {
			streams.set(id, {onLines, onEnd});
			return () => streams.delete(id);
		},
		close: () => undefined,
	};
	const line = (time: number, text: string): RawLogLine => ({stream: 'stdout', time, text});
	return {docker, streams, line, engine};
}

describe('Docker log source', () => {
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

	it('reconnects a lost stream with the one backoff, says "stream lost" once, and resumes after the last line seen', async () => {
		vi.useFakeTimers({toFake: ['setTimeout', 'setInterval', 'Date']});
		try {
			const {docker, streams, line, engine} = fakeDocker(['a']);
			const records: LogRecord[] = [];
			const statuses: LogSourceStatus[] = [];
			const opened: Array<number | undefined> = [];
			const streamLogs = docker.streamLogs.bind(docker);
			docker.streamLogs = (id, options, onLines, onEnd) => {
				opened.push(options.since);
				return streamLogs(id, options, onLines, onEnd);
			};
			const unsubscribe = createDockerLogSource({docker, backoff: {initialMs: 500, maxMs: 30_000}}).subscribe(['a'], {follow: true}, batch => records.push(...batch), s => statuses.push(s));
			await vi.waitFor(() => expect(streams.has('a-id')).toBe(true));
			const t0 = Date.now();
			streams.get('a-id')!.onLines([line(t0, 'first')]);
			streams.get('a-id')!.onEnd(new Error('socket hang up'));
			const retries = () => statuses.filter(s => s.state === 'reconnecting' && s.retryAt !== undefined).map(s => s.retryAt! - s.at);
			await vi.waitFor(() => expect(retries()).toEqual([500]));
			await vi.advanceTimersByTimeAsync(500);
			await vi.waitFor(() => expect(retries()).toEqual([500, 1000]));
			await vi.advanceTimersByTimeAsync(1000);
			await vi.waitFor(() => expect(retries()).toEqual([500, 1000, 2000]));

			// The engine is back and the container runs: after the next delay the stream reopens, from the second of the last line seen.
			engine.inspect = async () => ({state: 'running', startedAt: undefined}) as unknown as ContainerDetail;
			await vi.advanceTimersByTimeAsync(2000);
			await vi.waitFor(() => expect(retries()).toEqual([500, 1000, 2000, 4000]));
			expect(opened).toHaveLength(1);
			await vi.advanceTimersByTimeAsync(4000);
			await vi.waitFor(() => expect(opened).toHaveLength(2));
			expect(opened[1]).toBe(Math.floor(t0 / 1000));
			streams.get('a-id')!.onLines([line(t0, 'first'), line(t0 + 1, 'second')]);
			await vi.advanceTimersByTimeAsync(1000);
			const texts = records.map(r => r.text);
			expect(texts.filter(t => t.includes('stream lost'))).toEqual(['— a stream lost (docker: connect ENOENT /var/run/docker.sock), reconnecting in 500 ms —']);
			expect(texts.filter(t => t === 'first' || t === 'second')).toEqual(['first', 'second']);
			unsubscribe();
		} finally {
			vi.useRealTimers();
		}
	});

	it('follows a replica that a scale-up adds after the subscription started, as the compose platform opens it', async () => {
		vi.useFakeTimers({toFake: ['setTimeout', 'setInterval', 'Date']});
		try {
			const {docker, streams, line} = fakeDocker(['a']);
			const containers = await docker.listContainers();
			const records: LogRecord[] = [];
			const unsubscribe = createDockerLogSource({docker, discoverNew: true, holdMs: 0}).subscribe(['a'], {follow: true}, batch => records.push(...batch), () => undefined);
			await vi.waitFor(() => expect([...streams.keys()]).toEqual(['a-id']));
			// docker compose up --scale a=2: a second container of the service appears.
			containers.push({...containers[0]!, id: 'a2-id', name: 'a-2'});
			await vi.advanceTimersByTimeAsync(2500);
			await vi.waitFor(() => expect([...streams.keys()].sort()).toEqual(['a-id', 'a2-id']));
			streams.get('a2-id')!.onLines([line(Date.now(), 'from the new replica')]);
			await vi.advanceTimersByTimeAsync(500);
			await vi.waitFor(() => expect(records.map(record => record.text)).toContain('from the new replica'));
			unsubscribe();
		} finally {
			vi.useRealTimers();
		}
	});

	it('holds a followed stream while the reader is still writing (follow has backpressure too)', async () => {
		vi.useFakeTimers({toFake: ['setTimeout', 'setInterval', 'Date']});
		try {
			const {docker, streams, line} = fakeDocker(['a']);
			const batches: string[][] = [];
			let release: () => void = () => undefined;
			const onRecords = (batch: LogRecord[]) => {
				batches.push(batch.map(record => record.text));
				return new Promise<void>(resolve => {
					release = resolve;
				});
			};
			const unsubscribe = createDockerLogSource({docker, holdMs: 0}).subscribe(['a'], {follow: true}, onRecords, () => undefined);
			await vi.waitFor(() => expect(streams.has('a-id')).toBe(true));
			const a = streams.get('a-id')!;
			a.onLines([line(Date.now(), 'one')]);
			await vi.advanceTimersByTimeAsync(300);
			expect(batches).toEqual([['one']]);
			// The writer has not drained: the engine stream is told to wait, and nothing more is handed over.
			expect(a.onLines([line(Date.now(), 'two')])).toBeInstanceOf(Promise);
			await vi.advanceTimersByTimeAsync(300);
			expect(batches).toEqual([['one']]);
			release();
			await vi.advanceTimersByTimeAsync(300);
			expect(batches).toEqual([['one'], ['two']]);
			unsubscribe();
		} finally {
			vi.useRealTimers();
		}
	});
});
