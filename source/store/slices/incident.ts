import type {Incident, TimelineEntry} from '../../incident/model.js';
import {emptyResource, failedResource, freshResource, type Resource} from '../resource.js';

/** The open incident as the header, the Incident screen and the war room show it; written by the incident recorder. */
export type IncidentView = {
	/** Undefined: none open in this environment. */
	open?: Incident;
	/** The open incident's timeline, in the order recorded (sortedTimeline orders it by time). */
	entries: TimelineEntry[];
	/** The last incident closed from this botops, and where its post-mortem was written. */
	closed?: {incident: Incident; postmortem: string};
	/** Lines of the incident files that could not be read ("FILE:LINE: what"), and write failures. */
	problems: string[];
};

export type IncidentSlice = {
	incident: IncidentView;
	/** The environment's audit records of the last hours, as timeline entries: "what changed" reads them. */
	auditChanges: Resource<TimelineEntry[]>;
};

export const createIncidentSlice = (): IncidentSlice => ({incident: {entries: [], problems: []}, auditChanges: emptyResource([])});

/** Pure updates, one commit each (controllers/incident-recorder.ts). */
export const incidentUpdate = {
	opened: (incident: Incident, entries: TimelineEntry[], problems: string[], closed?: IncidentView['closed']): Pick<IncidentSlice, 'incident'> => ({incident: {open: incident, entries, problems, closed}}),
	recorded: (state: Pick<IncidentSlice, 'incident'>, entries: readonly TimelineEntry[]): Pick<IncidentSlice, 'incident'> => ({incident: {...state.incident, entries: [...state.incident.entries, ...entries]}}),
	closed: (state: Pick<IncidentSlice, 'incident'>, incident: Incident, postmortem: string): Pick<IncidentSlice, 'incident'> => ({incident: {entries: [], problems: state.incident.problems, closed: {incident, postmortem}}}),
	problem: (state: Pick<IncidentSlice, 'incident'>, problem: string): Pick<IncidentSlice, 'incident'> => ({incident: {...state.incident, problems: [...state.incident.problems.slice(-19), problem]}}),
	audit: (entries: TimelineEntry[], at: number): Pick<IncidentSlice, 'auditChanges'> => ({auditChanges: freshResource(entries, at)}),
	auditError: (state: Pick<IncidentSlice, 'auditChanges'>, error: string): Pick<IncidentSlice, 'auditChanges'> => ({auditChanges: failedResource(state.auditChanges, error)}),
};
