import {groupAlerts, type AlertGroup} from '../../alerts/grouping.js';
import type {MergedAlert, Silence} from '../../alerts/types.js';
import {emptyResource, failedResource, freshResource, type Resource} from '../resource.js';

/** What the Alertmanagers said in one poll: their merged alerts, those grouped, their silences, and any peer that failed. */
export type AlertsData = {
	alerts: MergedAlert[];
	groups: AlertGroup[];
	silences: Silence[];
	/** Peers of an HA set that did not answer this poll (the others did: the data is still theirs). */
	peerErrors: Array<{source: string; error: string}>;
};

export type AlertsSlice = {
	/** Alertmanager's view, fed by the alertmanager poller; undefined data before the first answer. */
	alerts: Resource<AlertsData | undefined>;
};

/** Pure update: one poll's answer, grouped as the environment's route groups them. */
export function alertsUpdate(answer: Omit<AlertsData, 'groups'>, groupBy: readonly string[] | undefined, at: number): Pick<AlertsSlice, 'alerts'> {
	return {alerts: freshResource<AlertsData | undefined>({...answer, groups: groupAlerts(answer.alerts, groupBy)}, at)};
}

export function alertsError(state: Pick<AlertsSlice, 'alerts'>, error: string, retryAt?: number): Pick<AlertsSlice, 'alerts'> {
	return {alerts: failedResource(state.alerts, error, retryAt)};
}

export const createAlertsSlice = (): AlertsSlice => ({alerts: emptyResource<AlertsData | undefined>(undefined)});
