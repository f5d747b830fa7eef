import {afterEach, describe, expect, it, vi} from 'vitest';
import {createCommitBatch, createPoller, type PollerDefinition, type PollerNeed} from '../../source/controllers/poller.js';
import {mongoPoller} from '../../source/controllers/pollers/mongo.js';
import {shareEqual} from '../../source/store/share.js';
import {freshResource} from '../../source/store/resource.js';
import {createAppStore, type AppStore} from '../../source/store/store.js';
import type {ContainerSummary} from '../../source/services/types.js';
import {container} from '../helpers/fake-backends.js';

afterEach(() => {
	vi.useRealTimers();
});

/** A poller committing the containers list it is handed, with a fixed `updatedAt` (what a poll at the same data gives). */
function listPoller(read: () => ContainerSummary[], at = () => 1): PollerDefinition<ContainerSummary[]> {
	return {name: 'list', intervalMs: 60_000, timeoutMs: 1000, poll: async () => read(), commit: (_state, outcome) => (outcome.ok ? {containers: freshResource(outcome.value, at())} : {})};
}

/** Counts the store's commits (each one is a React render of whatever selected what it replaced). */
function commitsOf(store: AppStore): {count: number} {
	const counter = {count: 0};
	store.subscribe(() => void counter.count++);
	return counter;
}

describe('structural sharing of poll commits', () => {
	it('keeps the previous reference for equal data and shares the unchanged parts of changed data', () => {
		const previous = {a: [1, 2, {b: 'x'}], c: {d: 1}, e: undefined};
		expect(shareEqual(previous, {a: [1, 2, {b: 'x'}], c: {d: 1}, e: undefined})).toBe(previous);
		const changed = shareEqual(previous, {a: [1, 2, {b: 'y'}], c: {d: 1}, e: undefined});
		expect(changed).not.toBe(previous);
		expect(changed).toEqual({a: [1, 2, {b: 'y'}], c: {d: 1}, e: undefined});
		expect(changed.c).toBe(previous.c);
		// A key added, removed, or an array grown is a change; a Map is compared by identity.
		expect(shareEqual<Record<string, unknown>>({a: 1}, {a: 1, b: undefined})).toEqual({a: 1, b: undefined});
		expect(shareEqual<Record<string, unknown>>({a: 1, b: 2}, {a: 1})).toEqual({a: 1});
		expect(shareEqual([1], [1, 2])).toEqual([1, 2]);
		const map = new Map();
		expect(shareEqual(map, new Map())).not.toBe(map);
	});

	it('commits nothing when a poll reads what the store holds, and a real change still lands', async () => {
		const store = createAppStore();
		let list = [container('engine'), container('ai')];
		const poller = createPoller(store, listPoller(() => structuredClone(list)), {paused: () => false});
		await poller.pollNow();
		const first = store.getState().containers;
		const commits = commitsOf(store);
		await poller.pollNow();
		await poller.pollNow();
		expect(commits.count).toBe(0);
		expect(store.getState().containers).toBe(first);
		list = [container('engine'), container('ai', {state: 'exited'})];
		await poller.pollNow();
		expect(commits.count).toBe(1);
		expect(store.getState().containers.data[1]!.state).toBe('exited');
		// What did not change keeps its reference: the engine's row is not re-rendered for the ai's change.
		expect(store.getState().containers.data[0]).toBe(first.data[0]);
	});

	it('folds a batch whose updates change nothing into no commit, and one change into one commit', async () => {
		const store = createAppStore();
		let list = [container('engine')];
		const batch = createCommitBatch(store, 5);
		const options = {paused: () => false, commits: batch};
		const pollers = [createPoller(store, {...listPoller(() => structuredClone(list)), name: 'a'}, options), createPoller(store, {...listPoller(() => structuredClone(list)), name: 'b'}, options)];
		await Promise.all(pollers.map(p => p.pollNow()));
		const commits = commitsOf(store);
		await Promise.all(pollers.map(p => p.pollNow()));
		expect(commits.count).toBe(0);
		list = [container('engine', {state: 'exited'})];
		await Promise.all(pollers.map(p => p.pollNow()));
		expect(commits.count).toBe(1);
		expect(store.getState().containers.data[0]!.state).toBe('exited');
	});
});

describe('the mongo poller on a glance', () => {
	/** Polls of the mongo poller in 10 s of fake time while `shown` is what the screen shows. */
	async function pollsIn10s(shown: readonly PollerNeed[]): Promise<number> {
		vi.useFakeTimers();
		const store = createAppStore();
		let polls = 0;
		const definition = mongoPoller({} as never, {} as never, {timeoutMs: 1000, intervalMs: 2000});
		const poller = createPoller(store, {...definition, failed: undefined, poll: async () => void polls++, commit: () => ({})}, {paused: () => false, shows: need => shown.includes(need)});
		poller.start();
		await vi.advanceTimersByTimeAsync(10_000);
		poller.stop();
		return polls;
	}

	it('polls at 1 Hz on the Database screen, at the refresh interval for the Dashboard line, every 10 s elsewhere', async () => {
		expect(await pollsIn10s(['database'])).toBeGreaterThanOrEqual(10);
		const line = await pollsIn10s(['databaseLine']);
		expect(line).toBeGreaterThanOrEqual(5);
		expect(line).toBeLessThanOrEqual(6);
		expect(await pollsIn10s([])).toBeLessThanOrEqual(2);
	});
});
