import {docAt, epochMs, isDoc, num, str, timestampSeconds, type Doc} from './values.js';

/** One member of the replica set, with its lag computed as below. */
export type ReplicaMember = {
	name: string;
	state: string;
	health: boolean;
	self: boolean;
	/** Epoch ms of the member's last applied op, as the answering member knows it. */
	optimeMs?: number;
	/** How old that knowledge is: `date − lastHeartbeatRecv` (0 for the member that answered). */
	heartbeatAgeMs?: number;
	/** Seconds behind the primary, clamped at 0 and corrected for heartbeat age; undefined when it cannot be known. */
	lagSeconds?: number;
	/** Why the lag is unknown, or what the member's last heartbeat said when it is down. */
	note?: string;
	pingMs?: number;
};

export type ReplicaSetView = {
	set: string;
	/** The answering member's clock when it answered. */
	dateMs: number;
	primary?: string;
	members: ReplicaMember[];
	/** The secondary furthest behind, among those whose lag is known. */
	worst?: {name: string; lagSeconds: number};
};

/** A heartbeat older than this says nothing current about the member: its lag is reported unknown, not alerted on. */
export const staleHeartbeatMs = 10_000;

const secondaryStates = new Set(['SECONDARY', 'RECOVERING', 'STARTUP2', 'ROLLBACK']);

/**
 * Lag from a `replSetGetStatus` reply. mongodb_exporter's `abs(secondary − primary)` alerts when a stale
 * heartbeat makes a member look behind (percona/mongodb_exporter#1362), and also when it makes one look ahead.
 * Here: each member's optime is as old as the heartbeat that carried it (`date − lastHeartbeatRecv`; the
 * answering member's own is current), so the lag is the optime difference minus how much older the
 * member's information is than the primary's, clamped at zero (a member cannot be ahead of its primary; a
 * negative figure is a sampling artefact). With no primary there is nothing to be behind; with a heartbeat
 * older than `staleHeartbeatMs` the lag is unknown and says so.
 */
export function readReplicaSet(status: Doc): ReplicaSetView {
	const dateMs = epochMs(status['date']) ?? Number.NaN;
	const members = (Array.isArray(status['members']) ? status['members'] : []).filter(isDoc).map(member => readMember(member, dateMs));
	const primaryMember = members.find(m => m.state === 'PRIMARY' && m.health);
	for (const member of members) {
		if (member === primaryMember || member.state === 'ARBITER') continue;
		member.lagSeconds = undefined;
		if (!member.health) {
			member.note ??= 'unreachable';
			continue;
		}
		if (!primaryMember) {
			member.note = 'no primary';
			continue;
		}
		if (member.optimeMs === undefined || primaryMember.optimeMs === undefined) {
			member.note = 'no optime';
			continue;
		}
		const stale = [member, primaryMember].find(m => (m.heartbeatAgeMs ?? 0) > staleHeartbeatMs);
		if (stale) {
			member.note = `heartbeat from ${stale.name} ${Math.round((stale.heartbeatAgeMs ?? 0) / 1000)} s old`;
			continue;
		}
		const behindMs = primaryMember.optimeMs - member.optimeMs - ((member.heartbeatAgeMs ?? 0) - (primaryMember.heartbeatAgeMs ?? 0));
		member.lagSeconds = Math.max(0, behindMs) / 1000;
	}
	let worst: ReplicaSetView['worst'];
	for (const member of members) {
		if (member.lagSeconds !== undefined && (!worst || member.lagSeconds > worst.lagSeconds)) worst = {name: member.name, lagSeconds: member.lagSeconds};
	}
	return {set: str(status['set']) ?? '', dateMs, primary: primaryMember?.name, members, worst};
}

function readMember(member: Doc, dateMs: number): ReplicaMember {
	const self = member['self'] === true;
	const heartbeatRecv = epochMs(member['lastHeartbeatRecv']);
	// A member that never heard from this one has lastHeartbeatRecv at the epoch: unknown, not 56 years old.
	const heartbeatAgeMs = self ? 0 : heartbeatRecv !== undefined && heartbeatRecv > 0 && Number.isFinite(dateMs) ? Math.max(0, dateMs - heartbeatRecv) : undefined;
	const optimeDate = epochMs(member['optimeDate']);
	const optimeSeconds = timestampSeconds(docAt(member, 'optime')?.['ts']);
	const optimeMs = optimeDate !== undefined && optimeDate > 0 ? optimeDate : optimeSeconds !== undefined && optimeSeconds > 0 ? optimeSeconds * 1000 : undefined;
	const health = num(member['health']) === 1;
	const message = str(member['lastHeartbeatMessage']);
	return {
		name: str(member['name']) ?? `member ${String(member['_id'] ?? '?')}`,
		state: str(member['stateStr']) ?? 'UNKNOWN',
		health,
		self,
		optimeMs,
		heartbeatAgeMs: self ? 0 : heartbeatAgeMs,
		note: !health && message ? message : undefined,
		pingMs: num(member['pingMs']),
	};
}

export function isSecondaryLike(member: ReplicaMember): boolean {
	return secondaryStates.has(member.state);
}

/** The oplog's first and last entries' times (seconds of their `ts`): the window a secondary may fall behind by and still catch up. */
export function oplogWindowSeconds(first: Doc | undefined, last: Doc | undefined): number | undefined {
	const from = timestampSeconds(first?.['ts']);
	const to = timestampSeconds(last?.['ts']);
	return from === undefined || to === undefined ? undefined : Math.max(0, to - from);
}
