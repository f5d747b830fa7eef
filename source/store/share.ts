import type {AppState} from './store.js';

/**
 * `next` with every part equal to the matching part of `previous` replaced by that part (structural sharing): a
 * poll that read the same data keeps the store's references, so selectors return what they returned and the panes
 * that show it do not re-render. Plain objects and arrays are compared by content, anything else by identity.
 */
export function shareEqual<T>(previous: T, next: T): T {
	if (Object.is(previous, next)) return previous;
	if (Array.isArray(previous) && Array.isArray(next)) {
		let same = previous.length === next.length;
		const shared = next.map((item: unknown, i) => {
			const part = i < previous.length ? shareEqual(previous[i], item) : item;
			if (part !== previous[i]) same = false;
			return part;
		});
		return (same ? previous : shared) as T;
	}
	if (isPlainObject(previous) && isPlainObject(next)) {
		const keys = Object.keys(next);
		let same = keys.length === Object.keys(previous).length;
		const shared: Record<string, unknown> = {};
		for (const key of keys) {
			const part = Object.hasOwn(previous, key) ? shareEqual(previous[key], next[key]) : next[key];
			if (part !== previous[key] || !Object.hasOwn(previous, key)) same = false;
			shared[key] = part;
		}
		return (same ? previous : shared) as T;
	}
	return next;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (typeof value !== 'object' || value === null) return false;
	const prototype = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}

/** The part of a poller's patch that changes something, its equal parts shared with `state` ({}: nothing changed). */
export function sharedPatch(state: AppState, patch: Partial<AppState>): Partial<AppState> {
	const changed: Partial<AppState> = {};
	for (const key of Object.keys(patch) as Array<keyof AppState>) {
		const value = shareEqual(state[key], patch[key]);
		if (value !== state[key]) (changed as Record<string, unknown>)[key] = value;
	}
	return changed;
}
