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

describe('the commit batch', () => {
	it('waits for the polls still in flight: a quick poll and a slower one on the same tick land in one commit', async () => {
		vi.useFakeTimers();
		const store = createAppStore();
		const batch = createCommitBatch(store, 5);
		let answer: (() => void) | undefined;
		const slow = new Promise<void>(resolve => (answer = resolve));
		const quick = createPoller(store, {...listPoller(() => [container('engine')]), name: 'quick'}, {paused: () => false, commits: batch});
		const late: PollerDefinition<number> = {name: 'late', intervalMs: 60_000, timeoutMs: 10_000, poll: async () => (await slow, 3), commit: (_s, outcome) => (outcome.ok ? {platformScope: `compose ${outcome.value}`} : {})};
		const waiting = createPoller(store, late, {paused: () => false, commits: batch});
		const commits = commitsOf(store);
		const polls = [waiting.pollNow(), quick.pollNow()];
		// The quick one is in, the late one not: past the quiet window (5 ms), before the bound (30 ms), nothing is committed.
		await vi.advanceTimersByTimeAsync(20);
		expect(commits.count).toBe(0);
		answer!();
		await vi.advanceTimersByTimeAsync(10);
		await Promise.all(polls);
		expect(commits.count).toBe(1);
		expect(store.getState().containers.data.map(c => c.name)).toEqual(['engine']);
		expect(store.getState().platformScope).toBe('compose 3');
	});

	it('commits at its bound what is in when a poll hangs', async () => {
		vi.useFakeTimers();
		const store = createAppStore();
		const batch = createCommitBatch(store, 5);
		const hanging = createPoller(store, {name: 'hanging', intervalMs: 60_000, timeoutMs: 10_000, poll: () => new Promise<never>(() => {}), commit: () => ({})}, {paused: () => false, commits: batch});
		const quick = createPoller(store, listPoller(() => [container('engine')]), {paused: () => false, commits: batch});
		void hanging.pollNow();
		const commits = commitsOf(store);
		void quick.pollNow();
		await vi.advanceTimersByTimeAsync(31);
		expect(commits.count).toBe(1);
		expect(store.getState().containers.data.map(c => c.name)).toEqual(['engine']);
		hanging.stop();
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
