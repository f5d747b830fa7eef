import {clockTime, servicesAffected, sortedTimeline, type Incident, type TimelineEntry} from './model.js';
import {severityLevels} from './severity.js';

/**
 * The post-mortem Markdown, in the manual's §8.4 template: what botops knows is filled in from the incident and
 * its timeline (summary, duration, timeline, services affected, runbooks run); what only people know (root cause,
 * impact, action items, lessons) is left as the template's prompts. Pure: the same incident gives the same file.
 */
export function renderPostmortem(incident: Incident, entries: readonly TimelineEntry[], now: number): string {
	const timeline = sortedTimeline(entries);
	const end = incident.closedAt ?? now;
	const affected = servicesAffected(timeline);
	const level = severityLevels[incident.severity];
	const lines: string[] = [
		`# Incident Post-Mortem: ${oneLine(incident.title)}`,
		'',
		'## Incident Summary',
		`- Incident: ${incident.id} (${incident.environment}), declared by ${incident.declaredBy}`,
		`- Date: ${new Date(incident.declaredAt).toISOString().slice(0, 10)}`,
		`- Time: ${clockTime(incident.declaredAt).slice(0, 5)} UTC`,
		`- Duration: ${durationText(end - incident.declaredAt)}${incident.closedAt === undefined ? ' so far (still open)' : ''}`,
		`- Severity: ${incident.severity} (${level.name}: ${level.description}; response time ${level.responseTime.toLowerCase()})`,
		`- Services Affected: ${affected.length > 0 ? affected.join(', ') : 'none recorded'}`,
		'',
		'## Timeline',
		...milestones(incident, timeline).map(m => `- ${m.at === undefined ? 'HH:MM' : clockTime(m.at)} - ${m.text}`),
		'',
		'Everything recorded, in order (UTC):',
		'',
		...timeline.map(entry => `- ${clockTime(entry.at)} - ${entryLine(entry)}`),
		'',
		'## Root Cause',
		'Detailed explanation of what caused the incident.',
		'',
		'## Impact',
		'- Users affected: X',
		'- Requests failed: X',
		'- Revenue impact: $X',
		'',
		'## Resolution',
		...resolution(timeline),
		'',
		'Steps taken to resolve the incident.',
		'',
		'## Action Items',
		'1. [ ] Action item 1 - Owner - Due date',
		'2. [ ] Action item 2 - Owner - Due date',
		'3. [ ] Action item 3 - Owner - Due date',
		'',
		'## Lessons Learned',
		'What went well:',
		'- Item 1',
		'- Item 2',
		'',
		'What could be improved:',
		'- Item 1',
		'- Item 2',
		'',
	];
	return lines.join('\n');
}

/** "2 hours 5 minutes", "14 minutes 3 seconds", "40 seconds": the template's "X hours", readable at any length. */
export function durationText(ms: number): string {
	const total = Math.floor(Math.max(0, ms) / 1000);
	const parts: Array<[number, string]> = [
		[Math.floor(total / 3600), 'hour'],
		[Math.floor((total % 3600) / 60), 'minute'],
		[total % 60, 'second'],
	];
	const first = parts.findIndex(([n]) => n > 0);
	if (first === -1) return '0 seconds';
	return parts
		.slice(first, first + 2)
		.filter(([n]) => n > 0)
		.map(([n, unit]) => `${n} ${unit}${n === 1 ? '' : 's'}`)
		.join(' ');
}

/** A milestone botops could not place stays the template's prompt ("HH:MM - Root cause identified"). */
type Milestone = {at?: number; text: string};

/**
 * The template's six milestones, each from what the timeline shows: detected (the first alert or service down,
 * else the declaration), acknowledged (declared), fix applied (the first runbook that succeeded), service
 * restored (the last service back up or alert resolved), resolved (closed). Root cause is for people to say.
 */
function milestones(incident: Incident, timeline: readonly TimelineEntry[]): Milestone[] {
	const detected = timeline.find(e => e.kind === 'alert-firing' || e.kind === 'service-down');
	const fix = timeline.find(e => (e.kind === 'runbook' || e.kind === 'rollback' || e.kind === 'kill-op') && e.refs?.outcome === 'ok');
	const restored = timeline.filter(e => e.kind === 'service-up' || e.kind === 'alert-resolved').at(-1);
	return [
		{at: Math.min(detected?.at ?? incident.declaredAt, incident.declaredAt), text: `Incident detected${detected ? `: ${entryLine(detected)}` : ''}`},
		{at: incident.declaredAt, text: `On-call acknowledged: ${incident.declaredBy} declared ${incident.severity} "${oneLine(incident.title)}"`},
		{text: 'Root cause identified'},
		fix ? {at: fix.at, text: `Fix applied: ${entryLine(fix)}`} : {text: 'Fix applied'},
		restored ? {at: restored.at, text: `Service restored: ${entryLine(restored)}`} : {text: 'Service restored'},
		incident.closedAt === undefined ? {text: 'Incident resolved'} : {at: incident.closedAt, text: 'Incident resolved (closed)'},
	];
}

function resolution(timeline: readonly TimelineEntry[]): string[] {
	const runs = timeline.filter(e => e.kind === 'runbook' || e.kind === 'rollback' || e.kind === 'kill-op');
	if (runs.length === 0) return ['Runbooks run: none recorded.'];
	return ['Runbooks run:', ...runs.map(e => `- ${clockTime(e.at)} ${entryLine(e)}`)];
}

/** An entry as one Markdown-safe line, with its audit reference. */
function entryLine(entry: TimelineEntry): string {
	const by = entry.kind === 'note' && entry.by ? ` (${entry.by})` : '';
	const audit = entry.refs?.auditRunId ? ` [audit ${entry.refs.auditRunId}]` : '';
	const silence = entry.kind === 'silence' && entry.refs?.silenceId ? ` [silence ${entry.refs.silenceId}]` : '';
	return `${kindLabel[entry.kind]}: ${oneLine(entry.text)}${by}${audit}${silence}`;
}

export const kindLabel: Readonly<Record<TimelineEntry['kind'], string>> = {
	declared: 'Declared',
	note: 'Note',
	'alert-firing': 'Alert firing',
	'alert-resolved': 'Alert resolved',
	runbook: 'Runbook',
	rollback: 'Rollback',
	'kill-op': 'Kill-op',
	silence: 'Silence',
	'service-down': 'Service down',
	'service-up': 'Service up',
	deploy: 'Deployment',
	audit: 'Audit',
	closed: 'Closed',
};

/** Text from operators and systems on one line: a newline in a title must not start a Markdown heading. */
function oneLine(text: string): string {
	return text.replaceAll(/\s*[\r\n]+\s*/g, ' ').trim();
}
