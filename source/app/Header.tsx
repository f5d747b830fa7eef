import {Box, Text} from 'ink';
import React, {memo} from 'react';
import {useShallow} from 'zustand/react/shallow';
import {useAppContext, useAppState} from '../hooks/AppContext.js';
import {useStatusText} from '../hooks/useResourceStatus.js';
import {useServiceRows} from '../hooks/useServiceRows.js';
import {selectResourceStatus, selectTrading, type ResourceKey} from '../store/selectors.js';
import {useTheme} from '../theme/ThemeContext.js';
import {incidentBannerWidth, LiveIncidentBanner} from '../screens/incident/IncidentBanner.js';
import {displayWidth, fitCell, truncateStart} from '../util/format.js';

const offlineSuffix = ': no live backend';


/** Every polled source: the header shows the worst of them. */
const polledSources: ResourceKey[] = ['containers', 'stats', 'health'];

/**
 * One line: environment (loud when protected), backend, service summary, trading (loud when off), then the worst
 * data state of all sources (an error, or the age once stale) and paused / read-only.
 */
export const Header = memo(function Header({width}: {width: number}) {
	const theme = useTheme();
	const {environment, readOnly, refreshMs} = useAppContext();
	const paused = useAppState(s => s.paused);
	const offline = useAppState(s => s.offline);
	const trading = useAppState(s => selectTrading(s)?.enabled);
	const worst = useStatusText(useAppState(useShallow(s => selectResourceStatus(s, polledSources, refreshMs))));
	const incident = useAppState(s => s.incident.open);
	// The open incident right after the environment: it must survive 80 columns, before the backend and the data state.
	const incidentWidth = incidentBannerWidth(incident, Date.now());
	const incidentGap = incident ? 1 : 0;
	const rows = useServiceRows();
	const healthy = rows.filter(r => r.ok).length;
	const allOk = healthy === rows.length;
	const envLabel = environment.protected ? ` ${environment.name.toUpperCase()} ` : environment.name;
	// On a file there is nothing to judge: no count of services that are ok, which would read as all down. A long
	// path gives way from its start (the file name matters) before "no live backend" or the environment do.
	const offlineRoom = Math.max(0, width - displayWidth(`botops ${envLabel} ${offlineSuffix}`) - 1);
	const summary = offline ? `${truncateStart(offline, offlineRoom, theme.glyph.ellipsis)}${offlineSuffix}` : `${allOk ? theme.glyph.status.ok : theme.glyph.status.crit} ${healthy}/${rows.length} ok`;
	const backend = useAppState(s => s.platformScope);
	const tradingText = trading === undefined ? '' : trading ? 'trading on' : ' TRADING OFF ';
	// The worst source, age first (an error may be cut): "12 s old — docker: connect ECONNREFUSED …".
	const state = offline ? '' : worst.error ? (worst.age ? `${worst.age}${theme.glyph.dash}${worst.error}` : worst.error) : (worst.age ?? `live, every ${refreshMs / 1000} s`);
	const flags = [paused ? 'PAUSED' : '', environment.warRoom ? 'WAR ROOM' : '', readOnly ? 'READ-ONLY' : ''].filter(Boolean).join(' ');
	// The backend gives way first: environment, health and trading must survive 80 columns.
	const fixed = displayWidth(`botops ${envLabel} ${summary}${tradingText ? `  ${tradingText}` : ''} `) + incidentWidth + incidentGap;
	const backendText = backend && width - fixed - displayWidth(backend) - 3 >= 20 ? ` (${backend})` : '';
	const restWidth = Math.max(0, width - fixed - displayWidth(backendText) - 1);
	const rest = fitCell(`${flags ? `${flags}  ` : ''}${state}`, restWidth, 'right', theme.glyph.ellipsis);
	const restTone = worst.error ? 'crit' : paused || worst.stale ? 'warn' : 'muted';
	return (
		<Box width={width} height={1}>
			<Text bold color={theme.color('accent')}>botops </Text>
			<Text bold inverse={environment.protected} color={theme.color(environment.protected ? 'prod' : 'accent')}>
				{envLabel}
			</Text>
			{incident ? <Text> </Text> : null}
			{incident ? <LiveIncidentBanner width={incidentWidth} /> : null}
			<Text color={theme.color('muted')}>{backendText} </Text>
			<Text color={theme.color(offline ? 'muted' : allOk ? 'ok' : 'crit')}>{summary}</Text>
			{tradingText ? <Text color={theme.color('muted')}>  </Text> : null}
			{tradingText ? (
				<Text bold={!trading} inverse={!trading && !theme.noColor} color={theme.color(trading ? 'ok' : 'crit')}>
					{tradingText}
				</Text>
			) : null}
			<Text color={theme.color(restTone)}> {rest}</Text>
		</Box>
	);
});
