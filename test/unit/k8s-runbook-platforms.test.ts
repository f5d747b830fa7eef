import {tmpdir} from 'node:os';
import path from 'node:path';
import {Writable} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {runRunbookList} from '../../source/commands/runbook.js';
import {loadRunbooks} from '../../source/runbooks/loader.js';
import {runbookPlatform, runbooksForPlatform} from '../../source/runbooks/platforms.js';

const builtins = loadRunbooks().runbooks;
const ids = (list: ReadonlyArray<{id: string}>) => list.map(r => r.id).sort();

function sink() {
	let text = '';
	return {stream: new Writable({write: (chunk: Buffer, _e, callback) => ((text += chunk.toString()), callback())}), text: () => text};
}

describe('runbooks a platform cannot run', () => {
	it('Kubernetes actions (and scaling) need Kubernetes; Docker actions and the .env rotation need compose; neutral ones run on both', () => {
		const byId = new Map(builtins.map(r => [r.id, r]));
		expect(runbookPlatform(byId.get('rollback')!)).toBe('kubernetes');
		expect(runbookPlatform(byId.get('scale-service')!)).toBe('kubernetes');
		// service.exec: docker exec on compose, kubectl exec in the first ready pod on Kubernetes.
		expect(runbookPlatform(byId.get('db-backup')!)).toBeUndefined();
		expect(runbookPlatform(byId.get('db-restore')!)).toBeUndefined();
		expect(runbookPlatform(byId.get('rotate-secrets')!)).toBe('compose');
		expect(runbookPlatform(byId.get('restart-service')!)).toBeUndefined();
		expect(runbookPlatform(byId.get('stop-all')!)).toBeUndefined();
	});

	it('each platform keeps the others and says how many it hid and why', () => {
		const compose = runbooksForPlatform(builtins, 'compose', 'local');
		const kubernetes = runbooksForPlatform(builtins, 'kubernetes', 'production');
		expect(compose.hidden).toEqual({count: 6, reason: '6 Kubernetes-only (adjust-hpa, rollback, rollout-restart, rotate-binance-keys, rotate-secrets-k8s, scale-service) hidden: local runs on compose'});
		expect(kubernetes.hidden).toEqual({count: 1, reason: '1 compose-only (rotate-secrets) hidden: production runs on Kubernetes'});
		expect(compose.runbooks.length + 6).toBe(builtins.length);
		expect(ids(compose.runbooks)).toContain('restart-service');
		expect(ids(kubernetes.runbooks)).toEqual(expect.arrayContaining(['restart-service', 'rollback', 'scale-service', 'db-backup', 'db-restore']));
		expect(ids(kubernetes.runbooks)).not.toContain('rotate-secrets');
		// Nothing to hide: no note.
		expect(runbooksForPlatform(compose.runbooks, 'compose', 'local').hidden).toBeUndefined();
	});

	it('botops runbook list leaves them out of the table and says so under it', () => {
		const out = sink();
		const err = sink();
		expect(runRunbookList({configDir: path.join(tmpdir(), 'botops-test-no-config-dir'), stdout: out.stream, stderr: err.stream, platform: {kind: 'kubernetes', environment: 'demo-k8s'}})).toBe(0);
		expect(out.text()).toMatch(/^U\s+rollback\s+Roll back a deployment$/m);
		expect(out.text()).toMatch(/^b\s+db-backup/m);
		expect(out.text()).not.toMatch(/rotate-secrets\s/m);
		expect(out.text().endsWith("\n\n1 compose-only (rotate-secrets) hidden: demo-k8s runs on Kubernetes (--env NAME lists another environment's)\n")).toBe(true);
		expect(err.text()).toBe('');
	});
});
