/**
 * The alert journal: every alert's firing and resolved transitions, appended to `alerts.jsonl` in the environment's
 * state directory (append + fsync, as the audit log), so "review overnight alerts" (manual §2.1) has an answer
 * after the fact. Transitions come from successive snapshots (a pure function); the open firings are read back from
 * the journal's tail at start, so a restarted botops does not log again what it already logged as firing.
 */
import path from 'node:path';
import {labelSetKey, type Labels} from '../alerts/matchers.js';
import {stateDirectory} from '../config/paths.js';
import {appendDurably, readTail} from './audit.js';

export type JournalFiring = {type: 'firing'; time: string; environment: string; key: string; labels: Labels; startsAt: string; summary?: string};
export type JournalResolved = {type: 'resolved'; time: string; environment: string; key: string; labels: Labels; startsAt: string; firingMs: number};
export type JournalRecord = JournalFiring | JournalResolved;

/** What a snapshot says about one firing alert (Alertmanager active or suppressed; Prometheus state firing). */
export type FiringAlert = {labels: Labels; startsAt?: string; annotations?: Labels};

/** Alerts known to be firing, by label-set key. */
export type OpenFirings = Map<string, {labels: Labels; startsAt: string}>;

/**
 * The records between two snapshots: alerts new in `current` fire, alerts gone from it resolve. Only successful
 * snapshots may be passed in: a failed fetch is not "everything resolved".
 */
export function journalTransitions(open: OpenFirings, current: readonly FiringAlert[], now: number, environment: string): {records: JournalRecord[]; open: OpenFirings} {
	const time = new Date(now).toISOString();
	const next: OpenFirings = new Map();
	const records: JournalRecord[] = [];
	for (const alert of current) {
		const key = labelSetKey(alert.labels);
		if (next.has(key)) continue;
		const known = open.get(key);
		if (known) {
			next.set(key, known);
			continue;
		}
		const startsAt = alert.startsAt ?? time;
		next.set(key, {labels: alert.labels, startsAt});
		const record: JournalFiring = {type: 'firing', time, environment, key, labels: alert.labels, startsAt};
		const summary = alert.annotations?.['summary'];
		if (summary) record.summary = summary;
		records.push(record);
	}
	for (const [key, known] of open) {
		if (next.has(key)) continue;
		records.push({type: 'resolved', time, environment, key, labels: known.labels, startsAt: known.startsAt, firingMs: Math.max(0, now - Date.parse(known.startsAt))});
	}
	return {records, open: next};
}

/** The firings a journal leaves open (fired, not yet resolved), for one environment. */
export function openFirings(records: readonly JournalRecord[], environment: string): OpenFirings {
	const open: OpenFirings = new Map();
	for (const record of records) {
		if (record.environment !== environment) continue;
		if (record.type === 'firing') open.set(record.key, {labels: record.labels, startsAt: record.startsAt});
		else open.delete(record.key);
	}
	return open;
}

export function alertJournalPath(env: NodeJS.ProcessEnv = process.env, environment?: {stateDir?: string}): string {
	return path.join(stateDirectory(env, environment), 'alerts.jsonl');
}

/** Parses the journal's tail; torn or foreign lines are skipped, as the audit reader does. */
export function readJournal(file: string, tailBytes = 8 * 1024 * 1024): JournalRecord[] {
	let text: string;
	try {
		text = readTail(file, tailBytes);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
		throw error;
	}
	const records: JournalRecord[] = [];
	for (const line of text.split('\n')) {
		if (!line.trim()) continue;
		try {
			const record = JSON.parse(line) as JournalRecord;
			if ((record?.type === 'firing' || record?.type === 'resolved') && typeof record.key === 'string' && typeof record.time === 'string' && record.labels) records.push(record);
		} catch {
			// A torn last line (a kill mid-write) is skipped.
		}
	}
	return records;
}

/** One alert's history in a window: when it fired and, if it did, when it resolved. */
export type FiredEntry = {labels: Labels; startsAt: string; firedAt: string; resolvedAt?: string; firingMs?: number; summary?: string};

/** "What fired since 12h": every firing recorded at or after `since`, plus firings still open from before it. */
export function firedSince(records: readonly JournalRecord[], environment: string, since: number): FiredEntry[] {
	const entries: FiredEntry[] = [];
	const openByKey = new Map<string, FiredEntry>();
	for (const record of records) {
		if (record.environment !== environment) continue;
		if (record.type === 'firing') {
			const entry: FiredEntry = {labels: record.labels, startsAt: record.startsAt, firedAt: record.time};
			if (record.summary) entry.summary = record.summary;
			openByKey.set(record.key, entry);
			entries.push(entry);
		} else {
			const entry = openByKey.get(record.key);
			if (!entry) continue;
			entry.resolvedAt = record.time;
			entry.firingMs = record.firingMs;
			openByKey.delete(record.key);
		}
	}
	return entries.filter(e => Date.parse(e.firedAt) >= since || (e.resolvedAt === undefined ? true : Date.parse(e.resolvedAt) >= since));
}

export type AlertJournal = {
	file: string;
	/** Appends the transitions from the last snapshot (or the journal's open firings) to this one. */
	observe(current: readonly FiringAlert[], now?: number): JournalRecord[];
	firedSince(since: number): FiredEntry[];
};

export function createAlertJournal(options: {environment: string; file?: string; env?: NodeJS.ProcessEnv; stateDir?: string}): AlertJournal {
	const file = options.file ?? alertJournalPath(options.env, {stateDir: options.stateDir});
	let open: OpenFirings | undefined;
	return {
		file,
		observe(current, now = Date.now()) {
			open ??= openFirings(readJournal(file), options.environment);
			const step = journalTransitions(open, current, now, options.environment);
			// Written before the in-memory state moves on: a failed write is retried by the next snapshot.
			for (const record of step.records) appendDurably(file, `${JSON.stringify(record)}\n`);
			open = step.open;
			return step.records;
		},
		firedSince: since => firedSince(readJournal(file), options.environment, since),
	};
}
