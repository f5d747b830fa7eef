import type {MongoPartFault} from '../../services/mongo/reading.js';
import {mongoFaultLabels} from '../../services/mongo/errors.js';
import type {CheckStatus} from '../../checks/verdict.js';
import type {ThemeToken} from '../../theme/theme.js';
import {formatAge} from '../../util/format.js';

/** A verdict's colour wherever the Database work shows one. */
export const verdictTone: Record<CheckStatus, ThemeToken> = {pass: 'ok', warn: 'warn', fail: 'crit', unknown: 'muted'};

/** The parts of the Database screen below the server line and the rates, in the order `v` steps through them. */
export const databaseSections = ['ops', 'replication', 'hot', 'collections', 'indexes', 'backups'] as const;
export type DatabaseSectionId = (typeof databaseSections)[number];

export const sectionTitles: Record<DatabaseSectionId, string> = {
	ops: 'Current operations',
	replication: 'Replication',
	hot: 'Hot collections (ms/s, as mongotop)',
	collections: 'Collections',
	indexes: 'Indexes ($indexStats)',
	backups: 'Backups',
};


/** "currentOp no privilege: not authorized on admin to execute command … (Unauthorized); retrying": one line in its part. */
export function faultText(fault: MongoPartFault | undefined, what: string): string | undefined {
	if (!fault) return undefined;
	return `${what} ${mongoFaultLabels[fault.kind]}: ${fault.message}; retrying`;
}

/** The age a part's data has under a fault ("12 s old"), or "no data" when it never had any. */
export function faultAge(updatedAt: number, now: number): string {
	return updatedAt === 0 ? 'no data' : formatAge(Math.max(1000, now - updatedAt));
}
