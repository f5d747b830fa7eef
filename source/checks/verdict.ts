/**
 * What one check of the daily routines (manual §2.1) concludes. Shared by the checks (`source/checks/`), the
 * Database work that judges MongoDB, backups and trading, and every view of them (`botops check`, `botops db`,
 * the Dashboard), so that each bound is judged in one place.
 */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unknown';

export type CheckVerdict = {
	status: CheckStatus;
	/** One line a person reads: "replication lag 2.4 s on mongodb-secondary-1 (limit 1 s)". */
	reason: string;
	/** The figure the verdict rests on, as shown: "2.4 s", "97.1 %". */
	figure?: string;
	/** The same figure as a number, for `--format prom` and JSON consumers. */
	value?: number;
};

/** Worst first: fail > unknown > warn > pass (an unknown is never reported as fine). */
export const statusRank: Readonly<Record<CheckStatus, number>> = {pass: 0, warn: 1, unknown: 2, fail: 3};

export function worstStatus(statuses: Iterable<CheckStatus>): CheckStatus {
	let worst: CheckStatus = 'pass';
	for (const status of statuses) if (statusRank[status] > statusRank[worst]) worst = status;
	return worst;
}
