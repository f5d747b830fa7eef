import {mkdtempSync, readFileSync, rmSync, appendFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {createAlertJournal, firedSince, journalTransitions, openFirings, readJournal} from '../../source/services/alert-journal.js';

const t0 = Date.parse('2026-12-01T02:00:00.000Z');
const down = {labels: {alertname: 'ServiceDown', service: 'rust-core-engine'}, startsAt: '2026-12-01T01:59:30.000Z', annotations: {summary: 'rust-core-engine is down'}};
const slow = {labels: {alertname: 'HighLatencyP95', service: 'python-ai-service'}, startsAt: '2026-12-01T02:00:00.000Z'};

describe('journal transitions from successive snapshots', () => {
	it('logs a firing once, keeps quiet while it stays, and logs its resolution with how long it fired', () => {
		const first = journalTransitions(new Map(), [down], t0, 'prod');
		expect(first.records).toEqual([{type: 'firing', time: '2026-12-01T02:00:00.000Z', environment: 'prod', key: expect.any(String), labels: down.labels, startsAt: down.startsAt, summary: 'rust-core-engine is down'}]);
		const same = journalTransitions(first.open, [{...down, labels: {service: 'rust-core-engine', alertname: 'ServiceDown'}}], t0 + 1000, 'prod');
		expect(same.records).toEqual([]);
		const next = journalTransitions(same.open, [slow], t0 + 60_000, 'prod');
		expect(next.records.map(r => [r.type, r.labels['alertname']])).toEqual([
			['firing', 'HighLatencyP95'],
			['resolved', 'ServiceDown'],
		]);
		expect(next.records[1]).toMatchObject({type: 'resolved', firingMs: 90_000});
	});

	it('reads the open firings back from records, per environment', () => {
		const {records} = journalTransitions(new Map(), [down, slow], t0, 'prod');
		const resolved = journalTransitions(new Map([...openFirings(records, 'prod')]), [slow], t0 + 5000, 'prod').records;
		const open = openFirings([...records, ...resolved], 'prod');
		expect([...open.values()].map(o => o.labels['alertname'])).toEqual(['HighLatencyP95']);
		expect(openFirings(records, 'staging').size).toBe(0);
	});
});

describe('the journal file', () => {
	let dir: string | undefined;
	afterEach(() => {
		if (dir) rmSync(dir, {recursive: true, force: true});
		dir = undefined;
	});

	it('survives a restart without logging again what is still firing, and answers "what fired since"', () => {
		dir = mkdtempSync(join(tmpdir(), 'botops-journal-'));
		const file = join(dir, 'state', 'alerts.jsonl');
		const first = createAlertJournal({environment: 'prod', file});
		expect(first.observe([down], t0)).toHaveLength(1);
		expect(first.observe([down, slow], t0 + 1000)).toHaveLength(1);
		// A new process: it reads the tail and sees both already open.
		const restarted = createAlertJournal({environment: 'prod', file});
		expect(restarted.observe([down, slow], t0 + 2000)).toEqual([]);
		expect(restarted.observe([slow], t0 + 3_600_000).map(r => r.type)).toEqual(['resolved']);
		expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(3);
		const overnight = restarted.firedSince(t0 - 12 * 3_600_000);
		expect(overnight.map(e => [e.labels['alertname'], e.resolvedAt !== undefined])).toEqual([
			['ServiceDown', true],
			['HighLatencyP95', false],
		]);
		expect(overnight[0].firingMs).toBe(Date.parse('2026-12-01T03:00:00.000Z') - Date.parse(down.startsAt));
	});

	it('skips a torn last line and foreign lines instead of failing', () => {
		dir = mkdtempSync(join(tmpdir(), 'botops-journal-'));
		const file = join(dir, 'alerts.jsonl');
		createAlertJournal({environment: 'prod', file}).observe([down], t0);
		appendFileSync(file, '{"some":"other"}\n{"type":"firing","ti');
		expect(readJournal(file)).toHaveLength(1);
		expect(readJournal(join(dir, 'missing.jsonl'))).toEqual([]);
	});

	it('"since" keeps firings that began before the window but were still firing in it', () => {
		const old = journalTransitions(new Map(), [down], t0 - 20 * 3_600_000, 'prod');
		const resolvedLongAgo = journalTransitions(old.open, [], t0 - 19 * 3_600_000, 'prod');
		const again = journalTransitions(resolvedLongAgo.open, [slow], t0 - 13 * 3_600_000, 'prod');
		const records = [...old.records, ...resolvedLongAgo.records, ...again.records];
		expect(firedSince(records, 'prod', t0 - 12 * 3_600_000).map(e => e.labels['alertname'])).toEqual(['HighLatencyP95']);
	});
});
