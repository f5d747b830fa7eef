import type {Severity} from './severity.js';

/** One incident of one environment, from its declaration to its close. */
export type Incident = {
	/** `INC-20261202-003120`: its declaration time (UTC), which also names its files. */
	id: string;
	environment: string;
	severity: Severity;
	title: string;
	/** Epoch ms. */
	declaredAt: number;
	declaredBy: string;
	/** Epoch ms; undefined while open. */
	closedAt?: number;
};

/** What a timeline entry records. Each has its own wording in the post-mortem and its own tone on screen. */
export const timelineKinds = [
	'declared',
	'note',
	'alert-firing',
	'alert-resolved',
	'runbook',
	'rollback',
	'kill-op',
	'silence',
	'service-down',
	'service-up',
	'deploy',
	'audit',
	'closed',
] as const;

export type TimelineKind = (typeof timelineKinds)[number];

export function isTimelineKind(value: string): value is TimelineKind {
	return (timelineKinds as readonly string[]).includes(value);
}

/** What an entry points at, so that it can be looked up: the audit run, the alert, the silence, the service. */
export type TimelineRefs = {
	/** The runbook run's id in the audit log (`botops runbook history`). */
	auditRunId?: string;
	runbook?: string;
	outcome?: string;
	/** Alertmanager's fingerprint of the alert. */
	alert?: string;
	alertname?: string;
	silenceId?: string;
	service?: string;
};

export type TimelineEntry = {
	/** Epoch ms of what happened (an alert's start, a run's end), which may precede the moment it was recorded. */
	at: number;
	kind: TimelineKind;
	text: string;
	refs?: TimelineRefs;
	/** Who wrote a note. */
	by?: string;
};

/** Entries in the order things happened; entries of the same moment keep the order they were recorded in. */
export function sortedTimeline(entries: readonly TimelineEntry[]): TimelineEntry[] {
	return entries
		.map((entry, index) => ({entry, index}))
		.sort((a, b) => a.entry.at - b.entry.at || a.index - b.index)
		.map(({entry}) => entry);
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The incident id for a declaration at `at`: its UTC date and time to the second. */
export function incidentId(at: number): string {
	const d = new Date(at);
	return `INC-${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}-${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}`;
}

/** Ids botops wrote: also what a file name must look like to be read as an incident (never a path). */
export const incidentIdPattern = /^INC-\d{8}-\d{6}(?:-\d+)?$/;

/** HH:MM:SS in UTC, as the post-mortem and the screen show times. */
export function clockTime(at: number): string {
	return new Date(at).toISOString().slice(11, 19);
}

/** The running clock of an open incident (or the duration of a closed one): "0:04:12", "26:00:05". */
export function elapsedClock(ms: number): string {
	const total = Math.floor(Math.max(0, ms) / 1000);
	const hours = Math.floor(total / 3600);
	return `${hours}:${pad2(Math.floor((total % 3600) / 60))}:${pad2(total % 60)}`;
}

/** The services an incident touched: those its entries name, in the order they first appear. */
export function servicesAffected(entries: readonly TimelineEntry[]): string[] {
	const seen = new Set<string>();
	for (const entry of sortedTimeline(entries)) {
		const service = entry.refs?.service;
		if (service && entry.kind !== 'note' && entry.kind !== 'declared') seen.add(service);
	}
	return [...seen];
}
