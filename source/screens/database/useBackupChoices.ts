import {useMemo} from 'react';
import {useAppContext, useAppState} from '../../hooks/AppContext.js';

/**
 * The backup listing as the restore runbook's choices, newest first: paths inside the MongoDB container
 * (`/backup/dump_…`, the manual's §4.2), where `mongorestore --dir` looks for them.
 */
export function useBackupChoices(): string[] {
	const {environment} = useAppContext();
	const entries = useAppState(s => s.backups.data?.entries);
	const directory = environment.backups?.service && environment.backups.dir ? environment.backups.dir.replace(/\/+$/, '') : '/backup';
	return useMemo(() => (entries ?? []).map(entry => `${directory}/${entry.name.replace(/\/$/, '')}`), [entries, directory]);
}
