import type {BackupEntry} from '../../database/backups.js';
import type {DatabaseHistory} from '../../database/history.js';
import {emptyDatabaseView, type DatabaseView} from '../../database/view.js';
import {emptyResource, failedResource, freshResource, type Resource} from '../resource.js';

/** The backup listing and where it came from ("/backup", "aws s3 ls s3://…"). */
export type BackupListing = {source: string; entries: BackupEntry[]; problems: string[]};

/** MongoDB (Database and Trading screens) and the backup listing: state only, committed by their pollers. */
export type DatabaseSlice = {
	/** The resource's error is the whole-server fault (unreachable, auth, timeout); each part carries its own. */
	database: Resource<DatabaseView>;
	databaseHistory: Partial<DatabaseHistory>;
	backups: Resource<BackupListing | undefined>;
};

export function databaseUpdate(view: DatabaseView, history: DatabaseHistory | undefined, at: number, fault?: string, retryAt?: number): Partial<DatabaseSlice> {
	const resource = fault ? {data: view, updatedAt: view.server.updatedAt, error: fault, retryAt} : freshResource(view, at);
	return history ? {database: resource, databaseHistory: history} : {database: resource};
}

export function databaseError(state: Pick<DatabaseSlice, 'database'>, error: string, retryAt?: number): Pick<DatabaseSlice, 'database'> {
	return {database: failedResource(state.database, error, retryAt)};
}

export function backupsUpdate(listing: BackupListing, at: number): Pick<DatabaseSlice, 'backups'> {
	return {backups: freshResource<BackupListing | undefined>(listing, at)};
}

export function backupsError(state: Pick<DatabaseSlice, 'backups'>, error: string, retryAt?: number): Pick<DatabaseSlice, 'backups'> {
	return {backups: failedResource(state.backups, error, retryAt)};
}

export const createDatabaseSlice = (): DatabaseSlice => ({database: emptyResource(emptyDatabaseView()), databaseHistory: {}, backups: emptyResource<BackupListing | undefined>(undefined)});
