import {closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, writeSync} from 'node:fs';
import {hostname, userInfo} from 'node:os';
import path from 'node:path';
import {stateDirectory} from '../config/paths.js';
import {maskInputs, scrub} from '../util/secrets.js';

/** What every record of a run carries. */
type RunRef = {runId: string; time: string; environment: string; runbook: string};
/** Who ran it, on the run's first and last records. */
type RunBy = {user: string; host: string};

export type AuditRunStart = RunRef &
	RunBy & {
		type: 'run-start';
		/** Secrets already masked. */
		inputs: Record<string, unknown>;
		readOnly: boolean;
		/** Each step's planned call, as the operator confirmed it (empty for a run refused before it had a plan). */
		plan: Array<{id: string; call: string}>;
		/** The process that runs it: a run without a run-end is "running" while it lives, "interrupted" once it is gone. */
		pid?: number;
	};

/**
 * Written (and fsynced) just before a mutating call starts, so that a run killed mid-change shows what was in
 * flight: a step-start with no `step` record after it.
 */
export type AuditStepStart = RunRef & {
	type: 'step-start';
	phase: 'precondition' | 'step';
	step: string;
	title: string;
	/** The planned call, masked. */
	call: string;
};

export type AuditStep = RunRef & {
	type: 'step';
	phase: 'precondition' | 'step';
	step: string;
	title: string;
	status: string;
	durationMs: number;
	detail: string;
};

export type AuditRunEnd = RunRef &
	RunBy & {
		type: 'run-end';
		outcome: string;
		durationMs: number;
		/** The sentence about the state things are in. */
		state: string;
		ran: string[];
		notRun: string[];
		/** With outcome "refused": why nothing was run. Every refusal is one run-start and one refused run-end. */
		refusal?: RefusalKind;
	};

/**
 * Why botops refused a run: read-only mode; a blocker such as an unset environment variable; no confirmation
 * (or the wrong environment name); inputs that do not validate; a failed precondition; an unwritable audit log.
 */
export type RefusalKind = 'read-only' | 'blocked' | 'not-confirmed' | 'invalid-inputs' | 'precondition' | 'audit';

export type AuditRecord = AuditRunStart | AuditStepStart | AuditStep | AuditRunEnd;

/** What the engine writes to; tests and the demo may pass their own. */
export interface AuditSink {
	append(record: AuditRecord): void;
}

export type RecentRun = RunRef &
	RunBy & {
		inputs: Record<string, unknown>;
		/** Without a run-end record: "running" while its process lives (same host), else "interrupted". */
		outcome: string;
		durationMs?: number;
		state?: string;
		refusal?: RefusalKind;
		steps: Array<{step: string; status: string; durationMs: number; detail: string}>;
		/** A mutating step that started and has no result: under way, or (interrupted) its effect is unknown. */
		inFlight?: {step: string; title: string; since: string; call: string};
	};

export type AuditLog = AuditSink & {
	file: string;
	readRecentRuns(count: number): RecentRun[];
};

/** `audit.jsonl` in the environment's state directory: `$XDG_STATE_HOME/botops`, defaulting to ~/.local/state as the XDG spec says. */
export function auditFilePath(env: NodeJS.ProcessEnv = process.env, environment?: {stateDir?: string}): string {
	return path.join(stateDirectory(env, environment), 'audit.jsonl');
}

export function createAuditLog(options: {file?: string; env?: NodeJS.ProcessEnv; environment?: {stateDir?: string}} = {}): AuditLog {
	const file = options.file ?? auditFilePath(options.env, options.environment);
	return {
		file,
		append(record) {
			appendDurably(file, `${JSON.stringify(sanitize(record))}\n`);
		},
		readRecentRuns: count => readRecentRuns(file, count),
	};
}

/**
 * One open/append/fsync/close per record: a kill -9 right after a step returns must not lose it, and
 * an O_APPEND write of one line cannot interleave with another botops writing the same file. A line torn by a
 * crash (no newline at the end of the file) is ended first: otherwise this record would be glued to it and lost
 * with it. The audit log, the alert journal and the incident timelines all append through here.
 */
export function appendDurably(file: string, line: string): void {
	mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
	const fd = openSync(file, 'a+', 0o600);
	try {
		const size = fstatSync(fd).size;
		const last = Buffer.alloc(1);
		const torn = size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
		writeSync(fd, torn ? `\n${line}` : line);
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}

/** The engine masks already; this is the last line of defence for anything written to disk. */
function sanitize(record: AuditRecord): AuditRecord {
	switch (record.type) {
		case 'run-start': {
			return {...record, inputs: maskInputs(record.inputs, []), plan: record.plan.map(p => ({...p, call: scrub(p.call)}))};
		}
		case 'step-start': {
			return {...record, call: scrub(record.call)};
		}
		case 'step': {
			return {...record, detail: scrub(record.detail)};
		}
		case 'run-end': {
			return {...record, state: scrub(record.state)};
		}
	}
}

/** Whether a run without a run-end is still going: its process is alive on this host. */
export type RunLiveness = {host: string; isAlive(pid: number): boolean};

const localLiveness: RunLiveness = {
	host: hostname(),
	isAlive(pid) {
		try {
			process.kill(pid, 0);
			return true;
		} catch (error) {
			// EPERM: it exists, owned by someone else.
			return (error as NodeJS.ErrnoException).code === 'EPERM';
		}
	},
};

/**
 * A silence created, acknowledged or expired (the alerts screen or `botops silence`), refusals included. It shares
 * the run records' file and durability; readers of runs skip it (it has no runId).
 */
export type AuditSilence = RunBy & {
	type: 'silence';
	time: string;
	environment: string;
	action: 'create' | 'ack' | 'expire';
	outcome: 'done' | 'failed' | 'refused';
	silenceId?: string;
	/** amtool's form, `{alertname="X", service=~"rust.*"}`. */
	matchers: string;
	comment: string;
	endsAt?: string;
	/** Alerts the preview caught (create, ack) or that start firing again (expire). */
	alerts: number;
	detail: string;
};

export function appendSilenceRecord(file: string, record: AuditSilence): void {
	const clean: AuditSilence = {...record, matchers: scrub(record.matchers), comment: scrub(record.comment), detail: scrub(record.detail)};
	appendDurably(file, `${JSON.stringify(clean)}\n`);
}

/** Newest first. Reads only the file's tail, and skips torn or foreign lines instead of failing the screen. */
export function readRecentRuns(file: string, count: number, tailBytes = 2 * 1024 * 1024, liveness: RunLiveness = localLiveness): RecentRun[] {
	let text: string;
	try {
		text = readTail(file, tailBytes);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
		throw error;
	}
	const runs = new Map<string, RecentRun>();
	const ended = new Set<string>();
	const pids = new Map<string, number>();
	for (const line of text.split('\n')) {
		if (!line.trim()) continue;
		let record: AuditRecord;
		try {
			record = JSON.parse(line) as AuditRecord;
		} catch {
			continue;
		}
		if (!record || typeof record !== 'object' || typeof record.runId !== 'string') continue;
		if (record.type === 'run-start') {
			runs.set(record.runId, {
				runId: record.runId,
				time: record.time,
				user: record.user,
				host: record.host,
				environment: record.environment,
				runbook: record.runbook,
				inputs: record.inputs ?? {},
				outcome: 'interrupted',
				steps: [],
			});
			if (typeof record.pid === 'number') pids.set(record.runId, record.pid);
			continue;
		}
		const run = runs.get(record.runId);
		if (!run) continue;
		if (record.type === 'step-start') {
			run.inFlight = {step: record.step, title: record.title, since: record.time, call: record.call};
		} else if (record.type === 'step') {
			run.steps.push({step: record.step, status: record.status, durationMs: record.durationMs, detail: record.detail});
			if (run.inFlight?.step === record.step) run.inFlight = undefined;
		} else if (record.type === 'run-end') {
			ended.add(record.runId);
			run.outcome = record.outcome;
			run.durationMs = record.durationMs;
			run.state = record.state;
			if (record.refusal) run.refusal = record.refusal;
		}
	}
	for (const run of runs.values()) {
		const pid = pids.get(run.runId);
		if (!ended.has(run.runId) && pid !== undefined && run.host === liveness.host && liveness.isAlive(pid)) run.outcome = 'running';
	}
	return [...runs.values()].reverse().slice(0, Math.max(0, count));
}

export function readTail(file: string, bytes: number): string {
	const fd = openSync(file, 'r');
	try {
		const size = fstatSync(fd).size;
		const start = Math.max(0, size - bytes);
		const buffer = Buffer.alloc(size - start);
		let read = 0;
		while (read < buffer.length) {
			const n = readSync(fd, buffer, read, buffer.length - read, start + read);
			if (n === 0) break;
			read += n;
		}
		const text = buffer.subarray(0, read).toString('utf8');
		// A tail that starts mid-file starts mid-line: drop the partial first line.
		return start > 0 ? text.slice(text.indexOf('\n') + 1) : text;
	} finally {
		closeSync(fd);
	}
}

export function currentUser(env: NodeJS.ProcessEnv = process.env): string {
	try {
		return userInfo().username;
	} catch {
		return env.USER || env.LOGNAME || 'unknown';
	}
}

export function currentHost(): string {
	return hostname();
}
