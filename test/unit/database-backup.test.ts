import {describe, expect, it} from 'vitest';
import {dumpTime, parseDumpDirectory, parseS3Listing} from '../../source/database/backups.js';
import {backupVerdict} from '../../source/database/verdicts.js';

describe('backup listings', () => {
	it('takes the dump_YYYYMMDD_HHMMSS folders of a directory, newest first, as UTC', () => {
		const entries = parseDumpDirectory(['dump_20251010_020000', 'notes.txt', 'dump_20251011_020000', 'dump_20251341_020000', 'dump_2025101_020000']);
		expect(entries.map(e => e.name)).toEqual(['dump_20251011_020000', 'dump_20251010_020000']);
		expect(entries[0]!.createdMs).toBe(Date.UTC(2025, 9, 11, 2, 0, 0));
		expect(dumpTime('dump_20251011_250000')).toBeUndefined();
	});

	it('parses real `aws s3 ls` output: objects, PRE lines, keys with spaces, --human-readable and --summarize', () => {
		const text = [
			'                           PRE incremental/',
			'                           PRE dump_20251009_020000/',
			'2025-10-10 02:00:41   52428800 dump_20251010_020000.tar.gz',
			'2025-10-11 02:00:13   53477376 dump_20251011_020000.tar.gz',
			'2025-10-11 09:12:00        512 manual copy.tar.gz',
			'2025-10-11 10:00:00   50.0 MiB dump_20251011_100000.tar.gz',
			'',
			'Total Objects: 4',
			'   Total Size: 158334976',
		].join('\n');
		const {entries, errors} = parseS3Listing(text);
		expect(errors).toEqual([]);
		expect(entries.map(e => e.name)).toEqual(['dump_20251011_100000.tar.gz', 'manual copy.tar.gz', 'dump_20251011_020000.tar.gz', 'dump_20251010_020000.tar.gz', 'dump_20251009_020000']);
		// The name's time wins over the upload time; a name without one takes the listed (local) time.
		expect(entries[2]).toEqual({name: 'dump_20251011_020000.tar.gz', createdMs: Date.UTC(2025, 9, 11, 2, 0, 0), bytes: 53477376});
		expect(entries[1]!.createdMs).toBe(Date.UTC(2025, 9, 11, 9, 12, 0));
		expect(entries[0]!.bytes).toBe(50 * 1024 * 1024);
		// The CLI prints local time: a machine at UTC+2 listed 09:12 for 07:12 UTC.
		expect(parseS3Listing('2025-10-11 09:12:00        512 manual copy.tar.gz', 120).entries[0]!.createdMs).toBe(Date.UTC(2025, 9, 11, 7, 12, 0));
	});

	it('reports lines that are not an aws s3 ls listing', () => {
		const {entries, errors} = parseS3Listing('An error occurred (AccessDenied) when calling the ListObjectsV2 operation: Access Denied\n2025-10-11 02:00:13   1 dump_20251011_020000.tar.gz');
		expect(entries).toHaveLength(1);
		expect(errors).toHaveLength(1);
		expect(errors[0]).toMatch(/^line 1: not an "aws s3 ls" line: An error occurred \(AccessDenied\)/);
	});

	it('flags a last backup older than 26 h, and an empty listing', () => {
		const now = Date.UTC(2025, 9, 12, 5, 0, 0);
		const listing = parseDumpDirectory(['dump_20251011_020000']);
		expect(backupVerdict(listing, now)).toMatchObject({status: 'fail', figure: '1d03h old'});
		// Exactly 26 h is still within the bound.
		expect(backupVerdict(listing, now - 3_600_000).status).toBe('pass');
		expect(backupVerdict([], now).status).toBe('fail');
		expect(backupVerdict(undefined, now).status).toBe('unknown');
	});
});

describe('the restore runbook offers the backup listing', () => {
	it('takes its dir from the listing (type backup) and still checks the dump path', async () => {
		const {loadBuiltinRunbooks} = await import('../../source/runbooks/loader.js');
		const {choicesFor} = await import('../../source/screens/runbooks/RunbookInputForm.js');
		const {validateInputs} = await import('../../source/runbooks/inputs.js');
		const runbook = loadBuiltinRunbooks().find(r => r.id === 'db-restore')!;
		const dir = runbook.inputs.find(i => i.name === 'dir')!;
		expect(dir.type).toBe('backup');
		const environment = {name: 'demo', backend: {type: 'compose' as const, project: 'bot-core'}, protected: false, services: [{name: 'mongodb-primary', critical: true}]};
		const listing = ['/backup/dump_20251011_020000', '/backup/dump_20251010_020000'];
		expect(choicesFor(dir, environment, listing)).toEqual(listing);
		expect(validateInputs(runbook, {dir: listing[0]!}, environment).errors).toEqual([]);
		expect(validateInputs(runbook, {dir: '/etc/passwd'}, environment).errors).toEqual(['input dir: expected a backup from the listing, matching /backup/dump_[0-9]{8}_[0-9]{6}, got "/etc/passwd"']);
	});
});
