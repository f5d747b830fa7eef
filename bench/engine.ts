// The real Docker engine as the benches watch it: six busy labelled containers with botops' config for them, the
// engine's own processes, and CPU seconds read from /proc (of processes or of single threads).
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {createComposeContainer, dockerAvailable, ensureBusyboxImage, uniqueProject} from '../test/helpers/docker.js';

export const engineServices = ['rust-core-engine', 'python-ai-service', 'nextjs-ui-dashboard', 'mongodb-primary', 'redis', 'prometheus'];

/** CPU seconds (user + system) in /proc stat files (`/proc/PID/stat` or `/proc/PID/task/TID/stat`); gone ones count 0. */
export function cpuSecondsOfStats(statFiles: string[]): number {
	let ticks = 0;
	for (const file of statFiles) {
		try {
			const stat = readFileSync(file, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			ticks += Number(fields[11]) + Number(fields[12]);
		} catch {
			// Gone.
		}
	}
	return ticks / 100;
}

export const cpuSecondsOf = (pids: number[]) => cpuSecondsOfStats(pids.map(pid => `/proc/${pid}/stat`));

/** The engine's own processes (dockerd, containerd), not the containers under them. */
export function engineProcesses(): number[] {
	return readdirSync('/proc')
		.filter(entry => /^\d+$/.test(entry))
		.filter(pid => {
			try {
				return ['dockerd', 'containerd'].includes(readFileSync(`/proc/${pid}/comm`, 'utf8').trim());
			} catch {
				return false;
			}
		})
		.map(Number);
}

/**
 * Six labelled containers, each busy a little every second so that their stats move, and botops' config for them
 * in `directory`; the reason instead when no engine answers. The caller removes the project (removeProject).
 */
export async function busyEngine(directory: string, prefix: string): Promise<{configFile: string; project: string} | {unavailable: string}> {
	const availability = await dockerAvailable();
	if (!availability.available) return {unavailable: availability.reason};
	await ensureBusyboxImage();
	const project = uniqueProject(prefix);
	const busy = 'while true; do i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; sleep 1; done';
	await Promise.all(engineServices.map(service => createComposeContainer({project, service, cmd: ['sh', '-c', busy]})));
	const configFile = path.join(directory, 'config.yaml');
	const environment = {backend: {type: 'compose', project}, services: engineServices.map(name => ({name, container: name, critical: false}))};
	writeFileSync(configFile, JSON.stringify({defaultEnvironment: prefix, environments: {[prefix]: environment}}));
	return {configFile, project};
}
