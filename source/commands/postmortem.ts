import {createIncidentLog, problemText} from '../services/incident-log.js';
import {pickIncident, writePostmortemOf, type IncidentEnvironment, type IncidentIo} from './incident.js';

/**
 * Writes the post-mortem of an incident again from its timeline (after notes were added, or the file was edited
 * away): --incident ID, else the open incident, else the newest. An open incident's says so in its duration.
 */
export function runPostmortem(options: {incident?: string}, environment: IncidentEnvironment, io: IncidentIo): number {
	const log = createIncidentLog({env: io.env, environment});
	const loaded = pickIncident(log, environment.name, options.incident, 'newest');
	for (const problem of loaded.problems) io.stderr.write(`botops: ${problemText(problem)} (line skipped)\n`);
	const file = writePostmortemOf(log, loaded.incident.id, (io.now ?? Date.now)());
	io.stdout.write(`${loaded.incident.id}${loaded.incident.closedAt === undefined ? ' (still open)' : ''}: post-mortem written to ${file}\n`);
	return 0;
}
