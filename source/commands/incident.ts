import {UsageError} from '../cli/command.js';
import {loadConfig, selectEnvironment} from '../config/loader.js';
import {isEmbeddedDemo} from '../environment.js';
import {clockTime, elapsedClock, sortedTimeline, type Incident} from '../incident/model.js';
import {kindLabel, renderPostmortem} from '../incident/postmortem.js';
import {parseSeverity, severities, severityLevels} from '../incident/severity.js';
import {currentUser} from '../services/audit.js';
import {createIncidentLog, problemText, type IncidentLog, type LoadedIncident} from '../services/incident-log.js';

/** What the incident commands need of the environment: its name (incidents are per environment) and state directory. */
export type IncidentEnvironment = {name: string; stateDir?: string};

export type IncidentIo = {stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; env?: NodeJS.ProcessEnv; now?: () => number; user?: string};

/**
 * The environment named by --env (or the default), without starting it: incidents are files in its state
 * directory, and reading or writing them needs no backend. The embedded demo keeps the dashboard's incidents in
 * its own temporary state; from a shell, "demo" names the incidents in the operator's state directory.
 */
export async function incidentEnvironment(flags: {env?: string; config?: string}): Promise<IncidentEnvironment> {
	const {config} = await loadConfig({file: flags.config});
	const name = flags.env ?? config.defaultEnvironment;
	if (isEmbeddedDemo(config, name)) return {name};
	const environment = selectEnvironment(config, name);
	return {name: environment.name, stateDir: environment.stateDir};
}

function logFor(environment: IncidentEnvironment, io: IncidentIo): IncidentLog {
	return createIncidentLog({env: io.env, environment});
}

function warnProblems(loaded: {problems: Array<{file: string; line: number; error: string}>}, io: IncidentIo): void {
	for (const problem of loaded.problems) io.stderr.write(`botops: ${problemText(problem)} (line skipped)\n`);
}

/** The incident --incident names, else the open one of the environment (else, with `newest`, the newest of any state). */
export function pickIncident(log: IncidentLog, environment: string, id: string | undefined, fallback: 'open' | 'newest'): LoadedIncident {
	if (id !== undefined) {
		let loaded: LoadedIncident | undefined;
		try {
			loaded = log.read(id);
		} catch (error) {
			throw new UsageError((error as Error).message);
		}
		if (!loaded) throw new UsageError(`no incident ${id} in ${log.directory}`);
		if (loaded.incident.environment !== environment) throw new UsageError(`${id} is an incident of environment "${loaded.incident.environment}", not "${environment}" (use --env ${loaded.incident.environment})`);
		return loaded;
	}
	const open = log.findOpen(environment);
	if (open) return open;
	if (fallback === 'newest') {
		const newest = log.list().incidents.find(l => l.incident.environment === environment);
		if (newest) return newest;
		throw new UsageError(`no incidents in environment "${environment}" (${log.directory})`);
	}
	throw new UsageError(`no incident is open in environment "${environment}"; name one with --incident ID (botops incident list)`);
}

export function runIncidentDeclare(options: {severity?: string; title?: string}, environment: IncidentEnvironment, io: IncidentIo): number {
	if (options.severity === undefined) throw new UsageError(`--severity is required: one of ${severities.join(', ')}`);
	const severity = parseSeverity(options.severity);
	if (!severity) throw new UsageError(`--severity: expected one of ${severities.join(', ')}, got "${options.severity}"`);
	const title = options.title?.trim() ?? '';
	if (!title) throw new UsageError('--title is required: what is wrong, in a few words');
	const log = logFor(environment, io);
	const open = log.findOpen(environment.name);
	if (open) throw new UsageError(`${open.incident.id} (${open.incident.severity} "${open.incident.title}") is open in "${environment.name}"; close it first (botops incident close)`);
	const loaded = log.declare({environment: environment.name, severity, title, declaredAt: (io.now ?? Date.now)(), declaredBy: io.user ?? currentUser(io.env)});
	const level = severityLevels[severity];
	io.stdout.write(`${loaded.incident.id} declared: ${severity} (${level.name}) "${loaded.incident.title}" in ${environment.name}; respond within ${level.responseTime.toLowerCase()}\n`);
	io.stdout.write(`timeline: ${loaded.file}\n`);
	return 0;
}

function incidentJson(loaded: LoadedIncident, withTimeline: boolean) {
	return {
		...loaded.incident,
		declaredAt: new Date(loaded.incident.declaredAt).toISOString(),
		closedAt: loaded.incident.closedAt === undefined ? null : new Date(loaded.incident.closedAt).toISOString(),
		file: loaded.file,
		...(withTimeline ? {timeline: sortedTimeline(loaded.entries).map(e => ({...e, at: new Date(e.at).toISOString()}))} : {entries: loaded.entries.length}),
	};
}

function stateText(incident: Incident, now: number): string {
	return incident.closedAt === undefined ? `open ${elapsedClock(now - incident.declaredAt)}` : `closed after ${elapsedClock(incident.closedAt - incident.declaredAt)}`;
}

export function runIncidentList(options: {json: boolean}, environment: IncidentEnvironment, io: IncidentIo): number {
	const log = logFor(environment, io);
	const {incidents, problems} = log.list();
	warnProblems({problems}, io);
	const mine = incidents.filter(l => l.incident.environment === environment.name);
	const now = (io.now ?? Date.now)();
	if (options.json) {
		io.stdout.write(`${JSON.stringify({environment: environment.name, directory: log.directory, incidents: mine.map(l => incidentJson(l, false))})}\n`);
		return 0;
	}
	if (mine.length === 0) {
		io.stdout.write(`no incidents in environment "${environment.name}" (${log.directory})\n`);
		return 0;
	}
	const idWidth = Math.max(2, ...mine.map(l => l.incident.id.length));
	io.stdout.write(`${'ID'.padEnd(idWidth)}  SEV  DECLARED (UTC)       STATE              TITLE\n`);
	for (const {incident} of mine) {
		const declared = new Date(incident.declaredAt).toISOString().slice(0, 19).replace('T', ' ');
		io.stdout.write(`${incident.id.padEnd(idWidth)}  ${incident.severity}   ${declared}  ${stateText(incident, now).padEnd(17)}  ${incident.title}\n`);
	}
	return 0;
}

export function runIncidentShow(options: {incident?: string; json: boolean}, environment: IncidentEnvironment, io: IncidentIo): number {
	const loaded = pickIncident(logFor(environment, io), environment.name, options.incident, 'newest');
	warnProblems(loaded, io);
	if (options.json) {
		io.stdout.write(`${JSON.stringify(incidentJson(loaded, true))}\n`);
		return 0;
	}
	const {incident} = loaded;
	const level = severityLevels[incident.severity];
	io.stdout.write(`${incident.id}  ${incident.severity} (${level.name}, respond within ${level.responseTime.toLowerCase()})  ${stateText(incident, (io.now ?? Date.now)())}\n`);
	io.stdout.write(`${incident.title}\n\n`);
	for (const entry of sortedTimeline(loaded.entries)) {
		const audit = entry.refs?.auditRunId ? `  [audit ${entry.refs.auditRunId}]` : '';
		const by = entry.kind === 'note' && entry.by ? ` (${entry.by})` : '';
		io.stdout.write(`${clockTime(entry.at)}  ${kindLabel[entry.kind].padEnd(14)}  ${entry.text}${by}${audit}\n`);
	}
	return 0;
}

export function runIncidentNote(options: {text: string; incident?: string}, environment: IncidentEnvironment, io: IncidentIo): number {
	const text = options.text.trim();
	if (!text) throw new UsageError('the note is empty; usage: botops incident note "what you saw or did"');
	const log = logFor(environment, io);
	const loaded = pickIncident(log, environment.name, options.incident, 'open');
	if (loaded.incident.closedAt !== undefined) throw new UsageError(`${loaded.incident.id} is closed; a note goes on an open incident`);
	log.append(loaded.incident.id, {at: (io.now ?? Date.now)(), kind: 'note', text, by: io.user ?? currentUser(io.env)});
	io.stdout.write(`note added to ${loaded.incident.id}\n`);
	return 0;
}

export function runIncidentClose(options: {incident?: string}, environment: IncidentEnvironment, io: IncidentIo): number {
	const log = logFor(environment, io);
	const loaded = pickIncident(log, environment.name, options.incident, 'open');
	if (loaded.incident.closedAt !== undefined) throw new UsageError(`${loaded.incident.id} is closed already; botops postmortem --incident ${loaded.incident.id} writes its post-mortem again`);
	const now = (io.now ?? Date.now)();
	log.close(loaded.incident.id, now, io.user ?? currentUser(io.env));
	const file = writePostmortemOf(log, loaded.incident.id, now);
	io.stdout.write(`${loaded.incident.id} closed after ${elapsedClock(now - loaded.incident.declaredAt)}; post-mortem written to ${file}\n`);
	return 0;
}

/** Renders the incident's post-mortem from its file as it is now and writes it; returns the path. */
export function writePostmortemOf(log: IncidentLog, id: string, now: number): string {
	const loaded = log.read(id);
	if (!loaded) throw new UsageError(`no incident ${id} in ${log.directory}`);
	return log.writePostmortem(id, renderPostmortem(loaded.incident, loaded.entries, now));
}
