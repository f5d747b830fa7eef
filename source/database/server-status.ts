import {docAt, epochMs, num, numAt, type Doc} from './values.js';

/** `serverStatus().connections`, as the manual's §4.3 reads it. */
export type Connections = {current: number; available: number; totalCreated?: number; active?: number};

/** The fields of one serverStatus that the pane shows or turns into rates. */
export type ServerSample = {
	/** When the server took the sample (its `localTime`), else when botops got it. */
	at: number;
	uptimeSeconds?: number;
	host?: string;
	version?: string;
	connections?: Connections;
	opcounters: OpCounters;
	opcountersRepl: OpCounters;
	network: {bytesIn?: number; bytesOut?: number; numRequests?: number};
	residentMb?: number;
	cache?: {usedBytes: number; dirtyBytes: number; maxBytes: number};
};

export const opNames = ['insert', 'query', 'update', 'delete', 'getmore', 'command'] as const;
export type OpName = (typeof opNames)[number];
export type OpCounters = Partial<Record<OpName, number>>;

/** Per-second rates between two samples, as mongostat prints them: local ops and replicated ops apart, net in/out. */
export type ServerRates = {
	seconds: number;
	ops: Partial<Record<OpName, number>>;
	repl: Partial<Record<OpName, number>>;
	netInBytes?: number;
	netOutBytes?: number;
	requests?: number;
};

export function readServerStatus(status: Doc, receivedAt: number): ServerSample {
	const connections = docAt(status, 'connections');
	const current = numAt(connections, 'current');
	const available = numAt(connections, 'available');
	const cache = docAt(status, 'wiredTiger', 'cache');
	const used = numAt(cache, 'bytes currently in the cache');
	const dirty = numAt(cache, 'tracked dirty bytes in the cache');
	const max = numAt(cache, 'maximum bytes configured');
	return {
		at: epochMs(status['localTime']) ?? receivedAt,
		uptimeSeconds: num(status['uptime']),
		host: typeof status['host'] === 'string' ? status['host'] : undefined,
		version: typeof status['version'] === 'string' ? status['version'] : undefined,
		connections:
			current !== undefined && available !== undefined
				? {current, available, totalCreated: numAt(connections, 'totalCreated'), active: numAt(connections, 'active')}
				: undefined,
		opcounters: readCounters(docAt(status, 'opcounters')),
		opcountersRepl: readCounters(docAt(status, 'opcountersRepl')),
		network: {bytesIn: numAt(status, 'network', 'bytesIn'), bytesOut: numAt(status, 'network', 'bytesOut'), numRequests: numAt(status, 'network', 'numRequests')},
		residentMb: numAt(status, 'mem', 'resident'),
		cache: used !== undefined && dirty !== undefined && max !== undefined && max > 0 ? {usedBytes: used, dirtyBytes: dirty, maxBytes: max} : undefined,
	};
}

function readCounters(doc: Doc | undefined): OpCounters {
	const counters: OpCounters = {};
	for (const name of opNames) {
		const value = numAt(doc, name);
		if (value !== undefined) counters[name] = value;
	}
	return counters;
}

/** Used and dirty share of the WiredTiger cache (0–1), as mongostat's `used` and `dirty` columns. */
export function cacheFractions(sample: ServerSample): {used: number; dirty: number} | undefined {
	if (!sample.cache) return undefined;
	return {used: sample.cache.usedBytes / sample.cache.maxBytes, dirty: sample.cache.dirtyBytes / sample.cache.maxBytes};
}

/**
 * Rates from two successive samples: (counter now − counter before) / seconds between the server's own
 * times. A counter that went down means the server restarted (or the counter wrapped): that rate is left out
 * rather than shown negative; so is every rate when the samples are not in time order.
 */
export function serverRates(previous: ServerSample, current: ServerSample): ServerRates | undefined {
	const seconds = (current.at - previous.at) / 1000;
	if (!(seconds > 0)) return undefined;
	if (current.uptimeSeconds !== undefined && previous.uptimeSeconds !== undefined && current.uptimeSeconds < previous.uptimeSeconds) return undefined;
	const rate = (before: number | undefined, now: number | undefined) => (before === undefined || now === undefined || now < before ? undefined : (now - before) / seconds);
	const ops: ServerRates['ops'] = {};
	const repl: ServerRates['repl'] = {};
	for (const name of opNames) {
		const local = rate(previous.opcounters[name], current.opcounters[name]);
		if (local !== undefined) ops[name] = local;
		const replicated = rate(previous.opcountersRepl[name], current.opcountersRepl[name]);
		if (replicated !== undefined) repl[name] = replicated;
	}
	return {
		seconds,
		ops,
		repl,
		netInBytes: rate(previous.network.bytesIn, current.network.bytesIn),
		netOutBytes: rate(previous.network.bytesOut, current.network.bytesOut),
		requests: rate(previous.network.numRequests, current.network.numRequests),
	};
}
