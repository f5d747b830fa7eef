import {Box} from 'ink';
import React, {type ReactNode, useMemo} from 'react';
import {useAppContext, useAppState} from '../../hooks/AppContext.js';
import {useServiceRows} from '../../hooks/useServiceRows.js';
import {LiveIncidentBanner} from '../incident/IncidentBanner.js';
import type {ScreenProps} from '../screen.js';
import {warRoomLayout, type DetailPaneId, type PaneBox} from './layout.js';
import {detailPanes, firingAlerts, useAsOf} from './panes.js';
import {StatusTile} from './StatusTile.js';
import {alertsTile, serviceTile} from './tiles.js';
import {useCycle} from './useCycle.js';

/** How long a page of detail panes stays up when they do not all fit (80x24). */
export const cycleMs = 10_000;

export type WarRoomLayoutProps = ScreenProps & {
	/**
	 * Incident mode's banner (severity, running clock, response-time target), one line across the top; the layout
	 * gives it its line only when an incident is open (WarRoomScreen below passes it then).
	 */
	incidentBanner?: ReactNode;
	/** How long a page of detail panes stays up when they do not all fit (default cycleMs). */
	cycleMs?: number;
};

/**
 * The war room on one screen, for a wall or a large terminal: a large tile per service and one for alerts,
 * then services, stats, alerts, metrics, the errors in the logs and (on Kubernetes) the deployments, all at once
 * where they fit. Where they do not (80x24), the detail panes come a page at a time and the pages cycle by
 * themselves. No key is needed: it only shows.
 */
export function WarRoomLayout({width, height, incidentBanner, cycleMs: pageMs = cycleMs}: WarRoomLayoutProps) {
	const {environment} = useAppContext();
	const rows = useServiceRows();
	const alerts = useAppState(s => s.alerts);
	const servicesAsOf = useAsOf('containers', 'health');
	const alertsAsOf = useAsOf('alerts');
	const firing = useMemo(() => (alerts.updatedAt > 0 && alerts.data ? firingAlerts(alerts.data.alerts) : undefined), [alerts]);
	const tiles = useMemo(() => [...rows.map(row => serviceTile(row, servicesAsOf)), alertsTile(firing, alertsAsOf)], [rows, servicesAsOf, firing, alertsAsOf]);
	const panes = useMemo<DetailPaneId[]>(() => ['services', 'alerts', 'metrics', 'stats', 'errors', ...(environment.backend.type === 'kubernetes' ? (['kubernetes'] as const) : [])], [environment]);
	const banner = incidentBanner !== undefined && incidentBanner !== null;
	const pages = warRoomLayout(width, height, {tiles: tiles.length, panes, banner}).pages;
	const page = useCycle(pages, pageMs);
	const layout = warRoomLayout(width, height, {tiles: tiles.length, panes, banner, page});
	const pageText = layout.pages > 1 ? `${layout.page + 1}/${layout.pages}` : undefined;
	// Rows of the grid, by their top line: each row is a horizontal box of its panes.
	const byY = new Map<number, PaneBox[]>();
	for (const pane of layout.panes) byY.set(pane.y, [...(byY.get(pane.y) ?? []), pane]);
	const gridRows = [...byY.entries()].sort((a, b) => a[0] - b[0]).map(([, row]) => row);
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			{banner ? (
				<Box height={layout.bannerHeight} width={width} overflow="hidden">
					{incidentBanner}
				</Box>
			) : null}
			<Box flexDirection="row" width={width} height={layout.tileHeight} flexShrink={0}>
				{tiles.map((tile, i) => (
					<StatusTile key={tile.title} tile={tile} width={layout.tileWidths[i]!} height={layout.tileHeight} />
				))}
			</Box>
			{gridRows.map(row => (
				<Box key={row.map(p => p.id).join('+')} flexDirection="row" width={width} height={row[0]!.height} flexShrink={0}>
					{row.map(pane => {
						const View = detailPanes[pane.id];
						return <View key={pane.id} width={pane.width} height={pane.height} page={pageText} />;
					})}
				</Box>
			))}
		</Box>
	);
}

/** The registered War room screen: the layout, with the open incident's long banner across the top. */
export function WarRoomScreen(props: ScreenProps) {
	const open = useAppState(s => s.incident.open !== undefined);
	return <WarRoomLayout {...props} incidentBanner={open ? <LiveIncidentBanner width={props.width} form="long" /> : undefined} />;
}
