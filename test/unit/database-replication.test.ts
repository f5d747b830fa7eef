import {describe, expect, it} from 'vitest';
import {readReplicaSet, oplogWindowSeconds, staleHeartbeatMs} from '../../source/database/replication.js';
import {replicationVerdict} from '../../source/database/verdicts.js';
import {Timestamp} from 'bson';

const date = Date.UTC(2026, 11, 2, 12, 0, 0);
const at = (offsetMs: number) => new Date(date + offsetMs);

/** A replSetGetStatus reply as a primary answers it: its own optime current, the others' as of their heartbeats. */
function status(members: Array<Record<string, unknown>>, answeredAt = date) {
	return {set: 'rs0', date: new Date(answeredAt), ok: 1, members};
}
const primary = (optimeOffsetMs = 0, extra: Record<string, unknown> = {}) => ({_id: 0, name: 'mongodb-primary:27017', health: 1, stateStr: 'PRIMARY', self: true, optimeDate: at(optimeOffsetMs), ...extra});
const secondary = (name: string, optimeOffsetMs: number, heartbeatOffsetMs: number, extra: Record<string, unknown> = {}) => ({
	_id: name,
	name,
	health: 1,
	stateStr: 'SECONDARY',
	optimeDate: at(optimeOffsetMs),
	lastHeartbeatRecv: at(heartbeatOffsetMs),
	pingMs: 1,
	...extra,
});

describe('replication lag from replSetGetStatus', () => {
	it('is the primary optime minus the member optime, minus how much older the member information is', () => {
		// Heartbeat 2 s ago carried an optime 2.5 s behind the primary's current one: 0.5 s behind at that time.
		const view = readReplicaSet(status([primary(), secondary('s1:27017', -2500, -2000)]));
		expect(view.primary).toBe('mongodb-primary:27017');
		expect(view.members[1]!.heartbeatAgeMs).toBe(2000);
		expect(view.members[1]!.lagSeconds).toBeCloseTo(0.5, 6);
		expect(replicationVerdict(view).status).toBe('pass');
	});

	it('does not raise the false alert mongodb_exporter raises from a heartbeat that is merely late', () => {
		// abs(secondary − primary) would say 3 s; the member was up to date when its heartbeat (3 s ago) left.
		const view = readReplicaSet(status([primary(), secondary('s1:27017', -3000, -3000)]));
		expect(view.members[1]!.lagSeconds).toBe(0);
		expect(replicationVerdict(view).status).toBe('pass');
	});

	it('clamps a negative lag (the member looks ahead of the primary) at zero instead of taking its absolute value', () => {
		// Answered by a secondary; the primary's last write was 4 s ago and its heartbeat 1 s ago, so it looks
		// 3.8 s behind this member. abs() would report a 3.8 s lag; the member cannot be ahead: 0.
		const view = readReplicaSet(
			status([
				{_id: 0, name: 'p:27017', health: 1, stateStr: 'PRIMARY', optimeDate: at(-4000), lastHeartbeatRecv: at(-1000)},
				{_id: 1, name: 'me:27017', health: 1, stateStr: 'SECONDARY', self: true, optimeDate: at(-200)},
			]),
		);
		const me = view.members.find(m => m.name === 'me:27017')!;
		expect(me.lagSeconds).toBe(0);
		expect(view.worst).toEqual({name: 'me:27017', lagSeconds: 0});
	});

	it('flags a real lag above 1 s with the member named', () => {
		const view = readReplicaSet(status([primary(), secondary('s1:27017', -500, -100), secondary('s2:27017', -4200, -200)]));
		expect(view.members[2]!.lagSeconds).toBeCloseTo(4.0, 6);
		expect(view.worst?.name).toBe('s2:27017');
		const verdict = replicationVerdict(view);
		expect(verdict.status).toBe('fail');
		expect(verdict.reason).toContain('s2:27017');
		expect(verdict.value).toBeCloseTo(4.0, 6);
	});

	it('says the lag is unknown when a heartbeat is stale, rather than alerting on it', () => {
		const staleBy = staleHeartbeatMs + 5000;
		const view = readReplicaSet(status([primary(), secondary('s1:27017', -staleBy - 30_000, -staleBy)]));
		expect(view.members[1]!.lagSeconds).toBeUndefined();
		expect(view.members[1]!.note).toMatch(/heartbeat from s1:27017 15 s old/);
		const verdict = replicationVerdict(view);
		expect(verdict.status).toBe('unknown');
		expect(verdict.reason).toContain('s1:27017');
	});

	it('reports a member that went away with its last heartbeat message, and fails', () => {
		const view = readReplicaSet(
			status([primary(), secondary('s1:27017', -100, -100), secondary('s2:27017', -60_000, -60_000, {health: 0, stateStr: '(not reachable/healthy)', lastHeartbeatMessage: 'Couldn\'t get a connection within the time limit'})]),
		);
		const gone = view.members[2]!;
		expect(gone.health).toBe(false);
		expect(gone.lagSeconds).toBeUndefined();
		expect(gone.note).toContain("Couldn't get a connection");
		const verdict = replicationVerdict(view);
		expect(verdict.status).toBe('fail');
		expect(verdict.reason).toContain('s2:27017 unreachable');
	});

	it('has nothing to measure against without a primary', () => {
		const view = readReplicaSet(status([secondary('s1:27017', 0, 0), secondary('s2:27017', 0, 0)]));
		expect(view.primary).toBeUndefined();
		expect(view.members.every(m => m.lagSeconds === undefined && m.note === 'no primary')).toBe(true);
		expect(replicationVerdict(view).status).toBe('fail');
	});

	it('reads optimes from the BSON timestamp when optimeDate is missing, and ignores a never-received heartbeat', () => {
		const seconds = date / 1000;
		const view = readReplicaSet(
			status([
				{_id: 0, name: 'p', health: 1, stateStr: 'PRIMARY', self: true, optime: {ts: new Timestamp({t: seconds, i: 1}), t: 3}},
				{_id: 1, name: 's', health: 1, stateStr: 'SECONDARY', optime: {ts: new Timestamp({t: seconds - 2, i: 1}), t: 3}, lastHeartbeatRecv: new Date(0)},
			]),
		);
		expect(view.members[0]!.optimeMs).toBe(date);
		expect(view.members[1]!.heartbeatAgeMs).toBeUndefined();
		expect(view.members[1]!.lagSeconds).toBeCloseTo(2, 6);
	});

	it('passes a standalone server and computes the oplog window from the first and last entries', () => {
		expect(replicationVerdict(undefined, {notReplicaSet: true}).status).toBe('pass');
		expect(replicationVerdict(undefined).status).toBe('unknown');
		expect(oplogWindowSeconds({ts: new Timestamp({t: 1000, i: 1})}, {ts: new Timestamp({t: 1000 + 86_400, i: 7})})).toBe(86_400);
		expect(oplogWindowSeconds(undefined, {ts: new Timestamp({t: 1, i: 1})})).toBeUndefined();
	});
});
