/**
 * Reading the driver's untyped replies. A server may leave a field out or send another numeric type (Int32,
 * Long, Double arrive as numbers or bigints, depending on the driver's options): these read what is there and
 * say undefined otherwise, so one odd field costs one blank cell, never the pane.
 */
export type Doc = Record<string, unknown>;

export function isDoc(value: unknown): value is Doc {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function docAt(value: unknown, ...path: string[]): Doc | undefined {
	let current: unknown = value;
	for (const key of path) current = isDoc(current) ? current[key] : undefined;
	return isDoc(current) ? current : undefined;
}

/** A number, also from a bigint or a BSON Long/Int32/Double (`toNumber()` / `valueOf()`). */
export function num(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value === 'bigint') return Number(value);
	if (isDoc(value)) {
		const toNumber = (value as {toNumber?: () => number}).toNumber;
		if (typeof toNumber === 'function') return num(toNumber.call(value));
		const valueOf = (value as {valueOf?: () => unknown}).valueOf;
		if (typeof valueOf === 'function') {
			const primitive = valueOf.call(value);
			if (primitive !== value) return num(primitive);
		}
	}
	return undefined;
}

export function numAt(value: unknown, ...path: string[]): number | undefined {
	const parent = path.length > 1 ? docAt(value, ...path.slice(0, -1)) : isDoc(value) ? value : undefined;
	return parent ? num(parent[path.at(-1)!]) : undefined;
}

export function str(value: unknown): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

/** Epoch ms from a Date, an ISO string or an epoch number. */
export function epochMs(value: unknown): number | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
	if (typeof value === 'string') {
		const parsed = Date.parse(value);
		return Number.isNaN(parsed) ? undefined : parsed;
	}
	return num(value);
}

/** Seconds of a BSON Timestamp (`{t, i}` in extended JSON, `.high`/`getHighBits()` from bson). */
export function timestampSeconds(value: unknown): number | undefined {
	if (!isDoc(value)) return undefined;
	const high = (value as {getHighBits?: () => number}).getHighBits;
	if (typeof high === 'function') return high.call(value) >>> 0;
	if (typeof value['high'] === 'number') return (value['high'] as number) >>> 0;
	if (typeof value['t'] === 'number') return value['t'] as number;
	return undefined;
}
