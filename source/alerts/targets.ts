/** Prometheus targets per job, the way the Metrics screen and `botops alerts` summarise them: down first. */
import type {PromTarget} from '../services/prometheus.js';

export type JobTargets = {job: string; up: number; down: number; unknown: number; targets: PromTarget[]};

const healthOrder = {down: 0, unknown: 1, up: 2} as const;

export function targetsByJob(targets: readonly PromTarget[]): JobTargets[] {
	const jobs = new Map<string, JobTargets>();
	for (const target of targets) {
		let job = jobs.get(target.job);
		if (!job) {
			job = {job: target.job, up: 0, down: 0, unknown: 0, targets: []};
			jobs.set(target.job, job);
		}
		job[target.health]++;
		job.targets.push(target);
	}
	const list = [...jobs.values()];
	for (const job of list) job.targets.sort((a, b) => healthOrder[a.health] - healthOrder[b.health] || a.instance.localeCompare(b.instance));
	return list.sort((a, b) => b.down - a.down || b.unknown - a.unknown || a.job.localeCompare(b.job));
}
