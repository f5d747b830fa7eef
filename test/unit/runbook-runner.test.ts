import {describe, expect, it} from 'vitest';
import {createRunbookRunner} from '../../source/controllers/runbook-runner.js';
import type {AuditLog, AuditRecord} from '../../source/services/audit.js';
import {createAppStore, type AppState, type AppStore} from '../../source/store/store.js';
import {FakeDocker, FakeHealth, testEnvironment} from '../fixtures/runbooks/fakes.js';

/** An audit log in memory that says when a record lands, so the test waits for the write, not for a time. */
function memoryAuditLog() {
	const records: AuditRecord[] = [];
	const waiters: Array<{count: number; resolve: () => void}> = [];
	const log: AuditLog = {
		file: '/memory/audit.jsonl',
		append(record) {
			records.push(structuredClone(record));
			for (const waiter of waiters.filter(w => records.length >= w.count)) waiter.resolve();
		},
		readRecentRuns: () => [],
	};
	const until = (count: number) => new Promise<void>(resolve => (records.length >= count ? resolve() : waiters.push({count, resolve})));
	return {log, records, until};
}

function storeUntil(store: AppStore, check: (state: AppState) => boolean): Promise<void> {
	return new Promise(resolve => {
		if (check(store.getState())) return resolve();
		const unsubscribe = store.subscribe(state => {
			if (!check(state)) return;
			unsubscribe();
			resolve();
		});
	});
}

describe('runbook runner', () => {
	it('audits the dialog refusal in read-only mode like the CLI does: a run-start and a refused run-end, nothing run', async () => {
		const store = createAppStore();
		const docker = new FakeDocker(['rust-core-engine', 'python-ai-service', 'nextjs-ui-dashboard', 'mongodb-primary']);
		const audit = memoryAuditLog();
		const environment = testEnvironment();
		const runner = createRunbookRunner(store, {environment, readOnly: true, audit: audit.log, backends: async () => ({docker, health: new FakeHealth()})});
		runner.load();
		await storeUntil(store, s => s.runbookCatalog.data !== undefined);
		runner.choose('restart-all');
		await storeUntil(store, s => s.runbookFlow?.stage === 'plan');
		const flow = store.getState().runbookFlow;
		expect(flow?.stage === 'plan' && flow.plan.blockers[0]).toMatch(/^read-only mode: refusing/);
		await audit.until(2);
		expect(audit.records.map(r => r.type)).toEqual(['run-start', 'run-end']);
		expect(audit.records[0]).toMatchObject({runbook: 'restart-all', environment: 'local', readOnly: true});
		expect(audit.records[1]).toMatchObject({runbook: 'restart-all', outcome: 'refused', ran: []});
		expect(audit.records[1]!.type === 'run-end' && audit.records[1]!.state).toMatch(/^Refused: read-only mode/);
		expect(docker.mutations()).toEqual([]);
	});

	it('refuses and audits in the dialog, at plan time, a runbook whose admin token variable is unset', async () => {
		const store = createAppStore();
		const docker = new FakeDocker(['rust-core-engine', 'python-ai-service', 'nextjs-ui-dashboard', 'mongodb-primary']);
		const audit = memoryAuditLog();
		const runner = createRunbookRunner(store, {environment: testEnvironment(), readOnly: false, env: {}, audit: audit.log, backends: async () => ({docker, health: new FakeHealth()})});
		runner.load();
		await storeUntil(store, s => s.runbookCatalog.data !== undefined);
		runner.choose('disable-trading');
		await storeUntil(store, s => s.runbookFlow?.stage === 'plan');
		const flow = store.getState().runbookFlow;
		expect(flow?.stage === 'plan' && flow.plan.blockers).toEqual(['environment variable ADMIN_TOKEN is not set (needed by step disable)']);
		await audit.until(2);
		expect(audit.records[1]).toMatchObject({type: 'run-end', runbook: 'disable-trading', outcome: 'refused', refusal: 'blocked', ran: []});
	});

	it('audits nothing for a plan that is only looked at and cancelled', async () => {
		const store = createAppStore();
		const docker = new FakeDocker(['rust-core-engine', 'python-ai-service', 'nextjs-ui-dashboard', 'mongodb-primary']);
		const audit = memoryAuditLog();
		const runner = createRunbookRunner(store, {environment: testEnvironment(), readOnly: false, audit: audit.log, backends: async () => ({docker, health: new FakeHealth()})});
		runner.load();
		await storeUntil(store, s => s.runbookCatalog.data !== undefined);
		runner.choose('restart-all');
		await storeUntil(store, s => s.runbookFlow?.stage === 'plan');
		runner.dismiss();
		expect(store.getState().runbookFlow).toBeUndefined();
		expect(audit.records).toEqual([]);
	});
});
