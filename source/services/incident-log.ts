import {closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, statSync, writeSync} from 'node:fs';
import path from 'node:path';
import {stateDirectory} from '../config/paths.js';
import {incidentId, incidentIdPattern, isTimelineKind, type Incident, type TimelineEntry} from '../incident/model.js';
import {isSeverity} from '../incident/severity.js';
import {scrub} from '../util/secrets.js';
import {appendDurably} from './audit.js';

/**
 * One incident is one JSONL file, `<state dir>/incidents/<ID>.jsonl`: its declaration, then one line per timeline
 * entry, then its close. Every line is appended and fsynced on its own (as the audit log is), so a crash loses
 * nothing already recorded, and a botops started later finds the open incident where it was left.
 */
export type IncidentFileRecord = {type: 'declared'; incident: Incident} | {type: 'entry'; entry: TimelineEntry} | {type: 'closed'; at: number; by: string};

/** A line that could not be read: reported, skipped, never fatal. */
export type IncidentProblem = {file: string; line: number; error: string};

export type LoadedIncident = {
	incident: Incident;
	/** The declaration and the close are entries too. In file order. */
	entries: TimelineEntry[];
	file: string;
	/** Bytes read: a file that grew (another botops wrote to it) is read again. */
	size: number;
	problems: IncidentProblem[];
};

export type IncidentLog = {
	directory: string;
	fileOf(id: string): string;
	postmortemFileOf(id: string): string;
	/** Creates the incident's file with its declaration; the id is its declaration time, made unique. */
	declare(input: Omit<Incident, 'id' | 'closedAt'>): LoadedIncident;
	append(id: string, entry: TimelineEntry): void;
	close(id: string, at: number, by: string): void;
	/** Undefined when there is no such incident. */
	read(id: string): LoadedIncident | undefined;
	/** Every incident, newest first, with the problems of every file read. */
	list(): {incidents: LoadedIncident[]; problems: IncidentProblem[]};
	/** The newest incident of the environment that is not closed. */
	findOpen(environment: string): LoadedIncident | undefined;
	/** Writes (replaces) the post-mortem file; returns its path. */
	writePostmortem(id: string, markdown: string): string;
	/** Size of the incident's file, 0 when absent: the recorder's cheap check for lines another process wrote. */
	sizeOf(id: string): number;
};

/** `incidents/` in the environment's state directory (its stateDir, else $XDG_STATE_HOME/botops), beside the audit log. */
export function incidentDirectory(env: NodeJS.ProcessEnv = process.env, environment?: {stateDir?: string}): string {
	return path.join(stateDirectory(env, environment), 'incidents');
}

export function createIncidentLog(options: {directory?: string; env?: NodeJS.ProcessEnv; environment?: {stateDir?: string}} = {}): IncidentLog {
	const directory = options.directory ?? incidentDirectory(options.env, options.environment);
	const fileOf = (id: string) => {
		// An id from the command line names a file: only ids botops writes are accepted, never a path.
		if (!incidentIdPattern.test(id)) throw new Error(`"${id}" is not an incident id (expected INC-YYYYMMDD-HHMMSS)`);
		return path.join(directory, `${id}.jsonl`);
	};
	const log: IncidentLog = {
		directory,
		fileOf,
		postmortemFileOf: id => path.join(directory, `${id}-postmortem.md`),
		declare(input) {
			mkdirSync(directory, {recursive: true, mode: 0o700});
			const base = incidentId(input.declaredAt);
			const incident = {...input, title: scrub(input.title)};
			// `wx`: two declarations in the same second get two files, never one shared.
			for (let n = 1; ; n++) {
				const id = n === 1 ? base : `${base}-${n}`;
				const file = fileOf(id);
				let fd: number;
				try {
					fd = openSync(file, 'wx', 0o600);
				} catch (error) {
					if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
					throw error;
				}
				const record: IncidentFileRecord = {type: 'declared', incident: {...incident, id}};
				const line = `${JSON.stringify(record)}\n`;
				try {
					writeSync(fd, line);
					fsyncSync(fd);
				} finally {
					closeSync(fd);
				}
				return {incident: record.incident, entries: [declaredEntry(record.incident)], file, size: Buffer.byteLength(line), problems: []};
			}
		},
		append(id, entry) {
			const clean: TimelineEntry = {...entry, text: scrub(entry.text)};
			appendRecord(fileOf(id), {type: 'entry', entry: clean});
		},
		close(id, at, by) {
			appendRecord(fileOf(id), {type: 'closed', at, by});
		},
		read: id => readIncidentFile(fileOf(id)),
		list() {
			let names: string[];
			try {
				names = readdirSync(directory);
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {incidents: [], problems: []};
				throw error;
			}
			const incidents: LoadedIncident[] = [];
			const problems: IncidentProblem[] = [];
			for (const name of names.sort().reverse()) {
				if (!name.endsWith('.jsonl') || !incidentIdPattern.test(name.slice(0, -'.jsonl'.length))) continue;
				const file = path.join(directory, name);
				const loaded = readIncidentFile(file);
				if (loaded) {
					incidents.push(loaded);
					problems.push(...loaded.problems);
				} else {
					problems.push({file, line: 1, error: 'no declaration: not an incident file'});
				}
			}
			return {incidents, problems};
		},
		findOpen: environment => log.list().incidents.find(l => l.incident.environment === environment && l.incident.closedAt === undefined),
		writePostmortem(id, markdown) {
			const file = log.postmortemFileOf(id);
			mkdirSync(directory, {recursive: true, mode: 0o700});
			writeDurably(file, markdown);
			return file;
		},
		sizeOf(id) {
			try {
				return statSync(fileOf(id)).size;
			} catch {
				return 0;
			}
		},
	};
	return log;
}

/** Appends one line and fsyncs it, through the audit log's one durable append (which also ends a torn line). */
function appendRecord(file: string, record: IncidentFileRecord): void {
	// The file exists from its declaration: appending to a missing one would start an incident with no declaration.
	if (!existsSync(file)) throw new Error(`${file}: no such incident`);
	appendDurably(file, `${JSON.stringify(record)}\n`);
}

/** Written beside and renamed over: a reader never sees half a post-mortem. */
function writeDurably(file: string, text: string): void {
	const temporary = `${file}.${process.pid}.tmp`;
	const fd = openSync(temporary, 'w', 0o600);
	try {
		writeSync(fd, text);
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
	renameSync(temporary, file);
}

export function declaredEntry(incident: Incident): TimelineEntry {
	return {at: incident.declaredAt, kind: 'declared', text: `${incident.severity} declared: ${incident.title}`, by: incident.declaredBy};
}

export function closedEntry(at: number, by: string): TimelineEntry {
	return {at, kind: 'closed', text: `closed by ${by}`, by};
}

/**
 * Reads one incident file. A line that is not JSON or not a record (a torn write, an edit by hand) is reported
 * with its file and line number and skipped; undefined when the file is missing or has no declaration.
 */
export function readIncidentFile(file: string): LoadedIncident | undefined {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
	}
	const problems: IncidentProblem[] = [];
	let incident: Incident | undefined;
	const entries: TimelineEntry[] = [];
	const lines = text.split('\n');
	for (const [index, line] of lines.entries()) {
		if (!line.trim()) continue;
		const problem = (error: string) => problems.push({file, line: index + 1, error});
		let record: unknown;
		try {
			record = JSON.parse(line);
		} catch (error) {
			problem(`not JSON (${(error as Error).message})`);
			continue;
		}
		const kind = (record as {type?: unknown} | null)?.type;
		if (kind === 'declared') {
			const declared = (record as {incident?: unknown}).incident;
			if (!isIncident(declared)) {
				problem('a declaration without id, environment, severity P0-P3, title and time');
				continue;
			}
			if (incident) {
				problem('a second declaration');
				continue;
			}
			incident = {...declared, closedAt: undefined};
			entries.push(declaredEntry(incident));
		} else if (kind === 'entry') {
			const entry = (record as {entry?: unknown}).entry;
			if (!isEntry(entry)) {
				problem('an entry without time, a known kind and text');
				continue;
			}
			entries.push(entry);
		} else if (kind === 'closed') {
			const {at, by} = record as {at?: unknown; by?: unknown};
			if (typeof at !== 'number' || !incident) {
				problem(incident ? 'a close without time' : 'a close before the declaration');
				continue;
			}
			incident.closedAt = at;
			entries.push(closedEntry(at, typeof by === 'string' ? by : 'unknown'));
		} else {
			problem(`unknown record type ${JSON.stringify(kind)}`);
		}
	}
	if (!incident) return undefined;
	return {incident, entries, file, size: Buffer.byteLength(text), problems};
}

function isIncident(value: unknown): value is Incident {
	const v = value as Partial<Incident> | null;
	return (
		typeof v === 'object' &&
		v !== null &&
		typeof v.id === 'string' &&
		incidentIdPattern.test(v.id) &&
		typeof v.environment === 'string' &&
		typeof v.severity === 'string' &&
		isSeverity(v.severity) &&
		typeof v.title === 'string' &&
		typeof v.declaredAt === 'number' &&
		typeof v.declaredBy === 'string'
	);
}

function isEntry(value: unknown): value is TimelineEntry {
	const v = value as Partial<TimelineEntry> | null;
	return typeof v === 'object' && v !== null && typeof v.at === 'number' && Number.isFinite(v.at) && typeof v.kind === 'string' && isTimelineKind(v.kind) && typeof v.text === 'string';
}

/** Problems as the CLI and the screen say them: "FILE:LINE: what". */
export function problemText(problem: IncidentProblem): string {
	return `${problem.file}:${problem.line}: ${problem.error}`;
}

/**
 * The audit log's records appended since byte `offset` (whole lines only: a line still being written is read
 * next time), and the offset to read from next. A file shorter than the offset was replaced: read from its start.
 * Lines that are not JSON are skipped, as every reader of the audit log does.
 */
export function readAuditSince(file: string, offset: number): {records: Array<Record<string, unknown>>; offset: number} {
	let fd: number;
	try {
		fd = openSync(file, 'r');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {records: [], offset: 0};
		throw error;
	}
	try {
		const size = fstatSync(fd).size;
		const start = size < offset ? 0 : offset;
		if (size === start) return {records: [], offset: start};
		const buffer = Buffer.alloc(size - start);
		let read = 0;
		while (read < buffer.length) {
			const n = readSync(fd, buffer, read, buffer.length - read, start + read);
			if (n === 0) break;
			read += n;
		}
		const complete = buffer.subarray(0, read).lastIndexOf(0x0a) + 1;
		const records: Array<Record<string, unknown>> = [];
		for (const line of buffer.subarray(0, complete).toString('utf8').split('\n')) {
			if (!line.trim()) continue;
			try {
				const record: unknown = JSON.parse(line);
				if (record && typeof record === 'object') records.push(record as Record<string, unknown>);
			} catch {
				// A torn line of a crashed writer: the audit readers skip it too.
			}
		}
		return {records, offset: start + complete};
	} finally {
		closeSync(fd);
	}
}

/** Modification time of the incidents directory (0 when absent): a new file there is an incident declared elsewhere. */
export function directoryStamp(directory: string): number {
	try {
		return statSync(directory).mtimeMs;
	} catch {
		return 0;
	}
}

/** Where to start reading the audit log to see its last `bytes` (a first partial line is skipped as torn). */
export function auditTailOffset(file: string, bytes: number): number {
	try {
		return Math.max(0, statSync(file).size - bytes);
	} catch {
		return 0;
	}
}
