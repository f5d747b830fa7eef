/**
 * The Dashboard's check context: where the pollers already hold a check's data (instances, stats, health,
 * Prometheus, Alertmanager, the cluster), the check judges the store; what needs a query of its own (the logs'
 * window, the alert journal, git) is asked through the live context at most once a minute.
 */
import type {StatsSample} from '../services/types.js';
import type {Resource} from '../store/resource.js';
import type {AppState, AppStore} from '../store/store.js';
import type {CheckContext} from './types.js';
import {backupsIntervalMs} from '../controllers/pollers/mongo.js';

/** Queries of their own (log windows, git, the journal) run at most this often on the Dashboard. */
export const checkQueryEveryMs = 60_000;
/**
 * The oldest data a check judges as the present (two runs of the checks): a poller slowed down while its screen is
 * hidden still polls well within it, and older data (a poller stopped, a source gone quiet) is waited for instead.
 */
export const freshWithinMs = 30_000;

type Freshness = {now: () => number; withinMs: number};

/**
 * The resource's data once the store has a current answer: at once when it has one, after its next answer when it
 * has none yet or only an old one; rejected with the resource's error (old data under an error is not the present:
 * unknown). Current is younger than `withinMs`, or before the next poll its poller announced (retryAt: a backoff,
 * a hidden cadence), so a source polled slowly on purpose is judged as it stands.
 */
function answeredIn<T>(store: AppStore, select: (state: AppState) => Resource<T>, signal: AbortSignal, what: string, fresh: Freshness): Promise<T> {
	const judge = (resource: Resource<T>): {ok: true; data: T} | {error: string} | undefined => {
		if (resource.error) return {error: resource.error};
		if (resource.updatedAt === 0) return undefined;
		const now = fresh.now();
		if (now - resource.updatedAt <= fresh.withinMs || (resource.retryAt ?? 0) >= now) return {ok: true, data: resource.data};
		return undefined;
	};
	return new Promise<T>((resolve, reject) => {
		const settle = (outcome: ReturnType<typeof judge>): boolean => {
			if (!outcome) return false;
			if ('ok' in outcome) resolve(outcome.data);
			else reject(new Error(outcome.error));
			return true;
		};
		if (settle(judge(select(store.getState())))) return;
		const stop = store.subscribe(state => {
			if (settle(judge(select(state)))) done();
		});
		const onAbort = () => {
			done();
			reject(new Error(`no ${what} yet`));
		};
		const done = () => {
			stop();
			signal.removeEventListener('abort', onAbort);
		};
		signal.addEventListener('abort', onAbort, {once: true});
	});
}

/** One answer per key for `everyMs`; a failed one is asked again at the next run. */
function cached<K, T>(everyMs: number, now: () => number, ask: (key: K) => Promise<T>): (key: K) => Promise<T> {
	const answers = new Map<K, {at: number; answer: Promise<T>}>();
	return key => {
		const known = answers.get(key);
		if (known && now() - known.at < everyMs) return known.answer;
		const answer = ask(key);
		answers.set(key, {at: now(), answer});
		answer.catch(() => answers.delete(key));
		return answer;
	};
}

/**
 * `live` answers the queries. A query is cached by its window's length ("the last 12 h"), not its start, which moves
 * with the clock: the runs within a minute, and the checks of one run, share one read of the logs.
 */
export function createStoreCheckContext(store: AppStore, live: CheckContext, options: {queryEveryMs?: number; freshWithinMs?: number} = {}): CheckContext {
	const everyMs = options.queryEveryMs ?? checkQueryEveryMs;
	const now = live.now;
	const fresh: Freshness = {now, withinMs: options.freshWithinMs ?? freshWithinMs};
	const answered = <T>(select: (state: AppState) => Resource<T>, signal: AbortSignal, what: string, withinMs = fresh.withinMs) => answeredIn(store, select, signal, what, {now, withinMs});
	const queryAbort = new AbortController();
	// A query shared by later runs must not die with the first run's deadline; the live context bounds its own reads.
	const logTally = cached(everyMs, now, (windowSeconds: number) => live.logTally(now() - windowSeconds * 1000, queryAbort.signal));
	const pending = cached(everyMs, now, (_: 'pending') => live.pendingDeploys(queryAbort.signal));
	const fired = cached(everyMs, now, (windowSeconds: number) => live.firedSince(now() - windowSeconds * 1000));
	const windowOf = (since: number) => Math.round((now() - since) / 1000);
	return {
		environment: live.environment,
		settings: live.settings,
		now,
		instances: signal => answered(state => state.containers, signal, 'instance list'),
		async stats(signal) {
			await answered(state => state.containers, signal, 'instance list');
			// The stats resource is fresh before its first samples arrive (a tick with none): wait for some.
			const history = await answered(state => (Object.keys(state.stats.data).length > 0 || state.stats.error ? state.stats : {...state.stats, updatedAt: 0}), signal, 'stats');
			return new Map<string, StatsSample>(Object.entries(history).map(([id, entry]) => [id, entry.latest]));
		},
		async health(signal) {
			const probed = live.environment.services.filter(service => service.healthUrl);
			return Promise.all(
				probed.map(async service => {
					const health = await answered(state => state.health[service.name] ?? {data: undefined, updatedAt: 0}, signal, `probe of ${service.name}`);
					if (!health) throw new Error(`no probe of ${service.name} yet`);
					return health.last;
				}),
			);
		},
		async prometheus(signal) {
			const data = await answered(state => state.prometheus, signal, 'answer from Prometheus');
			if (!data) throw new Error('no answer from Prometheus yet');
			return data;
		},
		async alertmanager(signal) {
			const data = await answered(state => state.alerts, signal, 'answer from Alertmanager');
			if (!data) throw new Error('no answer from Alertmanager yet');
			return data.alerts;
		},
		firedSince: since => fired(windowOf(since)),
		logTally: since => logTally(windowOf(since)),
		pendingDeploys: () => pending('pending'),
		async cluster(signal) {
			const view = await answered(state => state.cluster, signal, 'cluster view');
			if (!view) throw new Error('no cluster view yet');
			return view;
		},
		// The Database poller reads MongoDB every second and the backups every minute: judge what it holds.
		database: signal => answered(state => state.database, signal, 'MongoDB reading'),
		async backups(signal) {
			// Listed once a minute: within two listings.
			const listing = await answered(state => state.backups, signal, 'backup listing', Math.max(fresh.withinMs, 2 * backupsIntervalMs));
			if (!listing) throw new Error('no backup listing yet');
			return listing;
		},
	};
}
