import type {AlertmanagerSet} from '../../services/alertmanager.js';
import type {AlertJournal, FiringAlert} from '../../services/alert-journal.js';
import {describeError} from '../../services/errors.js';
import {alertsError, alertsUpdate, type AlertsData} from '../../store/slices/alerts.js';
import type {PollerDefinition} from '../poller.js';

type AlertmanagerPoll = Omit<AlertsData, 'groups'>;

/**
 * The environment's Alertmanagers (one, or an HA set): alerts and silences in one poll. Each successful poll is
 * also a journal snapshot: the alerts that appeared fire, the ones gone resolve. A failed poll writes nothing
 * to the journal (an unreachable Alertmanager is not "everything resolved").
 */
export function alertmanagerPoller(set: AlertmanagerSet, journal: AlertJournal | undefined, timing: {intervalMs: number; timeoutMs: number; groupBy?: readonly string[]; now?: () => number}): PollerDefinition<AlertmanagerPoll> {
	const now = timing.now ?? Date.now;
	return {
		name: 'alertmanager',
		intervalMs: timing.intervalMs,
		// The set's clients keep the call deadline; this catches a fan-out that never settles.
		timeoutMs: timing.timeoutMs + 1000,
		async poll() {
			const [alerts, silences] = await Promise.all([set.alerts(), set.silences()]);
			const peerErrors = [...alerts.errors, ...silences.errors.filter(e => !alerts.errors.some(a => a.source === e.source))];
			if (journal) {
				// Pending alerts never reach Alertmanager; unprocessed ones are not yet routed. Firing = active or suppressed.
				const firing: FiringAlert[] = alerts.alerts.filter(a => a.state !== 'unprocessed').map(a => ({labels: a.labels, startsAt: a.startsAt, annotations: a.annotations}));
				try {
					journal.observe(firing, now());
				} catch (error) {
					peerErrors.push({source: 'alert journal', error: describeError(error, `alert journal ${journal.file}`)});
				}
			}
			return {alerts: alerts.alerts, silences: silences.silences, peerErrors};
		},
		commit(state, outcome, retry) {
			if (outcome.ok) return alertsUpdate(outcome.value, timing.groupBy, outcome.at);
			return alertsError(state, describeError(outcome.error, 'alertmanager'), retry.retryAt);
		},
	};
}
