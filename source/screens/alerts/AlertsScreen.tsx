import {Text} from 'ink';
import React, {useMemo, useState} from 'react';
import {ackComment, ackDurationMs, acknowledgement, groupMatchers} from '../../alerts/silence-guard.js';
import {formatMatchers} from '../../alerts/matchers.js';
import {FilterLine} from '../../components/FilterLine.js';
import {Pane} from '../../components/Pane.js';
import {fitColumns, Table} from '../../components/Table.js';
import {useAppContext, useAppState} from '../../hooks/AppContext.js';
import {useKeymap} from '../../hooks/useKeymap.js';
import {matchesFilter, useListFilter} from '../../hooks/useListFilter.js';
import {useListSelection} from '../../hooks/useListSelection.js';
import {useNow} from '../../hooks/useNow.js';
import {useResourceStatus} from '../../hooks/useResourceStatus.js';
import {useOpenRunbooks} from '../../hooks/useRunbooks.js';
import {alertmanagerUrls} from '../../services/alertmanager.js';
import {currentUser} from '../../services/audit.js';
import {describeError} from '../../services/errors.js';
import {useTheme} from '../../theme/ThemeContext.js';
import {truncate} from '../../util/format.js';
import type {ScreenProps} from '../screen.js';
import {AlertDetail} from './AlertDetail.js';
import {alertColumns, alertFilterFields, alertRowKey, alertRows, currentSilences, filterAlertRows, rowService, silenceColumns, type AlertRow} from './rows.js';
import type {Silence} from '../../alerts/types.js';
import {useSilenceActions} from './useSilenceActions.js';

/** `runbook://restart-service` (the demo's and our rules' runbook_url) names a botops runbook. */
const runbookScheme = 'runbook://';

/**
 * Alertmanager's alerts as it groups them: each group's heading, then its alerts (severity, age, silenced or
 * inhibited). enter shows an alert's labels and annotations; s/m/a/x silence, acknowledge and expire through the
 * guarded, audited actions; l/t/r jump to the service's logs, stats and runbooks.
 */
export function AlertsScreen({width, height, active}: ScreenProps) {
	const theme = useTheme();
	const {environment} = useAppContext();
	const configured = alertmanagerUrls(environment).length > 0;
	const resource = useAppState(s => s.alerts);
	const status = useResourceStatus('alerts');
	const filter = useListFilter('alerts');
	const now = useNow(active ? 5000 : 0);
	const allRows = useMemo(() => alertRows(resource.data?.groups ?? []), [resource.data]);
	const rows = useMemo(() => (filter.text.trim() ? filterAlertRows(allRows, row => matchesFilter(filter.text, alertFilterFields(row))) : allRows), [allRows, filter.text]);
	const peerErrors = resource.data?.peerErrors ?? [];
	const tableHeight = height - 2 - (status.error ? 1 : 0) - filter.lines - (peerErrors.length > 0 ? 1 : 0);
	const selection = useListSelection(rows, alertRowKey, tableHeight - 1, 'alerts');
	const [detailOf, setDetailOf] = useState<string | undefined>(undefined);
	const [showSilences, setShowSilences] = useState(false);
	const silences = useMemo(() => currentSilences(resource.data?.silences ?? []), [resource.data]);
	const silenceSelection = useListSelection<Silence>(silences, silence => silence.id, tableHeight - 1, 'silences');
	const sColumns = useMemo(() => fitColumns(silenceColumns(now), width - 2), [now, width]);
	const detail = detailOf === undefined ? undefined : allRows.find(row => row.key === detailOf);
	const target: AlertRow | undefined = detail ?? selection.selected;
	const columns = useMemo(() => fitColumns(alertColumns(now, '  '), width - 2), [now, width]);
	const showLogs = useAppState(s => s.showLogs);
	const setScreen = useAppState(s => s.setScreen);
	const setFilter = useAppState(s => s.setFilter);
	const openModal = useAppState(s => s.openModal);
	const setFlash = useAppState(s => s.setFlash);
	const openRunbooks = useOpenRunbooks();
	const actions = useSilenceActions();
	const {refreshNow} = useAppContext();

	const service = target ? rowService(target) : undefined;
	const silenceSelected = () => {
		if (!target) return;
		const matchers = target.kind === 'alert' ? acknowledgement(target.alert, '').matchers : groupMatchers(target.group);
		openModal({type: 'silence', mode: 'create', matchers: formatMatchers(matchers), from: target.kind === 'alert' ? (target.alert.labels['alertname'] ?? 'alert') : 'group'});
	};
	const acknowledge = () => {
		if (!target) return;
		if (actions.unavailable) return setFlash(`not acknowledged: ${actions.unavailable}`, 'error');
		const request = target.kind === 'alert' ? acknowledgement(target.alert, currentUser()) : {matchers: groupMatchers(target.group), durationMs: ackDurationMs, comment: ackComment, createdBy: currentUser()};
		actions.create(request, 'ack').then(
			outcome => {
				if (outcome.kind === 'created') {
					setFlash(`acknowledged: silence ${outcome.id} for 15m`);
					refreshNow();
				} else if (outcome.kind === 'failed') setFlash(`not acknowledged: ${outcome.error}`, 'error');
				else if (outcome.verdict.kind === 'needs-typed-confirmation') openModal({type: 'silence', mode: 'create', matchers: formatMatchers(request.matchers), from: 'acknowledgement'});
				else setFlash(`not acknowledged: ${outcome.verdict.reason}`, 'error');
			},
			error => setFlash(`not acknowledged: ${describeError(error)}`, 'error'),
		);
	};
	const expire = () => {
		const silenced = target?.kind === 'alert' ? target.alert.silencedBy : (target?.group.alerts.flatMap(a => a.silencedBy) ?? []);
		if (silenced.length === 0) return setFlash('no silence holds the selected alert', 'error');
		openModal({type: 'silence', mode: 'expire', silenceId: silenced[0]!});
	};
	const jumps = {
		serviceLogs: () => (service ? showLogs([service]) : setFlash('the selection names no single service', 'error')),
		serviceStats: () => {
			if (!service) return setFlash('the selection names no single service', 'error');
			setFilter('stats', service);
			setScreen('stats');
		},
		runbooks: () => {
			const url = target?.kind === 'alert' ? target.alert.annotations['runbook_url'] : undefined;
			openRunbooks({service, runbookId: url?.startsWith(runbookScheme) ? url.slice(runbookScheme.length) : undefined});
		},
		alertSilence: silenceSelected,
		alertSilenceTyped: () => openModal({type: 'silence', mode: 'create', matchers: ''}),
		alertAck: acknowledge,
		alertExpire: expire,
	};
	const toggleSilences = () => setShowSilences(shown => !shown);
	useKeymap(
		showSilences
			? {
					...silenceSelection.handlers,
					alertSilences: toggleSilences,
					back: toggleSilences,
					alertExpire: () => (silenceSelection.selected ? openModal({type: 'silence', mode: 'expire', silenceId: silenceSelection.selected.id}) : setFlash('no silence selected', 'error')),
					alertSilenceTyped: jumps.alertSilenceTyped,
				}
			: detail
			? {back: () => setDetailOf(undefined), ...jumps}
			: {...selection.handlers, ...filter.handlers, select: () => selection.selected?.kind === 'alert' && setDetailOf(selection.selected.key), ...jumps, alertSilences: toggleSilences},
		{isActive: active && configured},
	);

	if (!configured) {
		return (
			<Pane title="Alerts" width={width} height={height} focused={active}>
				<Text>{truncate(theme.text(`no Alertmanager configured for ${environment.name} (alertmanagerUrl or alertmanagerUrls in its config)`), width - 2, theme.glyph.ellipsis)}</Text>
			</Pane>
		);
	}
	if (detail?.kind === 'alert') {
		return (
			<Pane title={`Alert ${detail.alert.labels['alertname'] ?? ''}`} info="esc back  s silence  a ack  l logs  r runbooks" status={status} width={width} height={height} focused>
				<AlertDetail alert={detail.alert} now={now} width={width - 2} height={height - 2 - (status.error ? 1 : 0)} />
			</Pane>
		);
	}
	if (showSilences) {
		return (
			<Pane title="Silences" info={`${silences.length} active or pending  x expire  v alerts`} status={status} width={width} height={height} focused={active}>
				<Table columns={sColumns} rows={silences} rowKey={silence => silence.id} selectedIndex={silenceSelection.index} height={height - 2 - (status.error ? 1 : 0)} width={width - 2} emptyText="no active silences" />
			</Pane>
		);
	}
	const alerts = resource.data?.alerts ?? [];
	const firing = alerts.filter(a => a.state === 'active').length;
	return (
		<Pane title="Alerts" info={`${firing} firing, ${alerts.length - firing} suppressed${filter.text ? `, ${rows.filter(r => r.kind === 'alert').length} shown` : ''}`} status={status} width={width} height={height} focused={active}>
			{peerErrors.length > 0 ? (
				<Text wrap="truncate" color={theme.color('warn')}>
					{truncate(theme.text(`${theme.glyph.status.warn} ${peerErrors.map(e => `${e.source}: ${e.error}`).join('; ')}`), width - 2, theme.glyph.ellipsis)}
				</Text>
			) : null}
			<Table
				columns={columns}
				rows={rows}
				rowKey={alertRowKey}
				selectedIndex={selection.index}
				height={tableHeight}
				width={width - 2}
				emptyText={filter.text ? `no alert matches "${filter.text}"` : resource.updatedAt === 0 ? 'waiting for Alertmanager' : 'no alerts firing'}
			/>
			<FilterLine filter={filter} width={width - 2} active={active} />
		</Pane>
	);
}
