import {Box, Text} from 'ink';
import React, {useMemo, useState} from 'react';
import {Pane} from '../../components/Pane.js';
import {fitColumns, Table} from '../../components/Table.js';
import type {DatabaseSection} from '../../database/view.js';
import {databaseSettings} from '../../database/settings.js';
import {backupVerdict, connectionsVerdict, longestOpVerdict, replicationVerdict} from '../../database/verdicts.js';
import {useAppContext, useAppState} from '../../hooks/AppContext.js';
import {useKeymap} from '../../hooks/useKeymap.js';
import {useListSelection} from '../../hooks/useListSelection.js';
import {useNow} from '../../hooks/useNow.js';
import {useResourceStatus} from '../../hooks/useResourceStatus.js';
import {useTheme} from '../../theme/ThemeContext.js';
import {formatBytes, formatDuration, truncate} from '../../util/format.js';
import type {ScreenProps} from '../screen.js';
import {backupColumns, collectionColumns, formatLag, gauge, hotColumns, indexColumns, memberColumns, opColumns, poolLine, rateColumns, rateRows} from './columns.js';
import {databaseSections, faultAge, faultText, sectionTitles, verdictTone, type DatabaseSectionId} from './sections.js';

/** Lines a section pane needs at least (border, header, a few rows). */
const sectionMinHeight = 7;

/**
 * MongoDB at 1 Hz: the server line (connections gauge, cache, pool), op rates with their hour, then as many of
 * the parts (operations, replication, hot collections, collections, indexes, backups) as fit, `v` stepping
 * through them. Each part shows its own fault with its data's age; `K` kills the selected operation.
 */
export function DatabaseScreen({width, height, active}: ScreenProps) {
	const theme = useTheme();
	const {environment} = useAppContext();
	const database = useAppState(s => s.database);
	const backups = useAppState(s => s.backups);
	const openModal = useAppState(s => s.openModal);
	const setFlash = useAppState(s => s.setFlash);
	const status = useResourceStatus('database');
	const backupsStatus = useResourceStatus('backups');
	// Ages and the backups' age move in seconds; the data itself re-renders the screen each refresh anyway.
	const now = useNow(active ? 5000 : 0);
	const [first, setFirst] = useState(0);
	const settings = useMemo(() => databaseSettings(environment), [environment]);
	const view = database.data;
	const inner = width - 2;
	const columns = useMemo(
		() => ({
			ops: fitColumns(opColumns(), inner),
			members: fitColumns(memberColumns(theme.glyph.status.crit), inner),
			hot: fitColumns(hotColumns, inner),
			collections: fitColumns(collectionColumns, inner),
		}),
		[inner, theme],
	);
	const ops = useMemo(() => view.ops.value ?? [], [view.ops.value]);

	const serverHeight = 5 + (status.error ? 1 : 0);
	const rest = height - serverHeight;
	const ratesHeight = Math.max(0, Math.min(11, rest - sectionMinHeight));
	const sectionsRoom = rest - ratesHeight;
	const shown = Math.max(1, Math.min(databaseSections.length, Math.floor(sectionsRoom / 9) || 1));
	const visible = Array.from({length: shown}, (_, i) => databaseSections[(first + i) % databaseSections.length]!);
	const sectionHeight = (i: number) => Math.floor(sectionsRoom / shown) + (i === shown - 1 ? sectionsRoom % shown : 0);
	const opsVisible = visible.includes('ops');
	const opsIndex = visible.indexOf('ops');
	const selection = useListSelection(ops, op => String(op.opid), Math.max(1, (opsIndex >= 0 ? sectionHeight(opsIndex) : 5) - 4), 'database-ops');
	useKeymap(
		{
			...(opsVisible ? selection.handlers : {}),
			dbSection: () => setFirst(f => (f + 1) % databaseSections.length),
			dbKillOp: () => {
				if (!opsVisible) return setFlash('kill: show the current operations first (v)', 'error');
				if (!selection.selected) return setFlash('kill: no operation selected', 'error');
				openModal({type: 'killOp', opid: selection.selected.opid});
			},
		},
		{isActive: active && environment.mongo !== undefined},
	);

	if (!environment.mongo) {
		return (
			<Pane title="Database" width={width} height={height} focused={active}>
				<Text>{truncate(theme.text(`no MongoDB configured for ${environment.name} (mongo.uriEnv in its config)`), width - 2, theme.glyph.ellipsis)}</Text>
			</Pane>
		);
	}

	const server = view.server.value;
	const connections = connectionsVerdict(server?.sample.connections, settings.limits);
	const c = server?.sample.connections;
	const gaugeWidth = Math.max(5, Math.min(30, inner - 60));
	const connectionText = c
		? `connections ${gauge(c.current, c.current + c.available, gaugeWidth, {full: theme.glyph.spark.at(-1)!, empty: theme.glyph.spark[0]!})} ${connections.figure}${c.active === undefined ? '' : `  active ${c.active}`}${c.totalCreated === undefined ? '' : `  created ${c.totalCreated}`}`
		: 'connections -';
	const cache = server?.cache;
	const detailText = server
		? [
				cache ? `cache used ${(cache.used * 100).toFixed(1)}% dirty ${(cache.dirty * 100).toFixed(1)}%` : 'cache -',
				server.sample.residentMb === undefined ? undefined : `res ${formatBytes(server.sample.residentMb * 1024 * 1024)}`,
				server.sample.uptimeSeconds === undefined ? undefined : `up ${formatDuration(server.sample.uptimeSeconds * 1000)}`,
				[server.sample.version, server.sample.host].filter(Boolean).join(' '),
			]
				.filter(Boolean)
				.join('  ')
		: 'waiting for serverStatus';
	const serverFault = view.server.fault && !status.error ? faultText(view.server.fault, 'serverStatus') : undefined;
	const fit = (text: string) => truncate(theme.text(text), inner, theme.glyph.ellipsis);

	return (
		<Box flexDirection="column" width={width} height={height}>
			<Pane title="MongoDB" info={settings.database} status={status} width={width} height={serverHeight} focused={active}>
				<Text wrap="truncate" color={theme.color(verdictTone[connections.status])}>
					{fit(connectionText)}
				</Text>
				<Text wrap="truncate" color={serverFault ? theme.color('crit') : undefined}>
					{fit(serverFault ?? detailText)}
				</Text>
				<Text wrap="truncate" color={theme.color('muted')}>
					{fit(poolLine(view.pools))}
				</Text>
			</Pane>
			{ratesHeight >= 4 ? <RatesPane width={width} height={ratesHeight} /> : null}
			{visible.map((section, i) => (
				<React.Fragment key={section}>{sectionPane(section, width, sectionHeight(i), section === 'ops' ? selection.index : undefined)}</React.Fragment>
			))}
		</Box>
	);

	// A plain function, not a component: the panes keep their identity (and their lines) across refreshes.
	function sectionPane(section: DatabaseSectionId, paneWidth: number, paneHeight: number, selectedIndex?: number) {
		const title = sectionTitles[section];
		const frame = (part: DatabaseSection<unknown>, what: string, info: string) => {
			const error = faultText(part.fault, what);
			return {error, info: error ? `${info}  ${faultAge(part.updatedAt, now)}` : info};
		};
		const tableHeight = (error?: string) => paneHeight - 2 - (error ? 1 : 0);
		switch (section) {
			case 'ops': {
				const verdict = longestOpVerdict(view.ops.value, settings.limits);
				const {error, info} = frame(view.ops, 'currentOp', `${ops.length} active${ops[0] ? `, longest ${verdict.figure}` : ''}  K kills`);
				return (
					<Pane title={title} info={info} infoTone={verdictTone[verdict.status]} error={error} width={paneWidth} height={paneHeight}>
						<Table columns={columns.ops} rows={ops} rowKey={op => String(op.opid)} selectedIndex={selectedIndex} height={tableHeight(error)} width={inner} emptyText={view.ops.updatedAt === 0 ? 'waiting for $currentOp' : 'no active operations'} />
					</Pane>
				);
			}
			case 'replication': {
				const replication = view.replication.value;
				const verdict = replicationVerdict(replication?.set, {notReplicaSet: replication?.notReplicaSet});
				const windowText = replication?.oplogWindowSeconds === undefined ? '' : `  oplog window ${formatDuration(replication.oplogWindowSeconds * 1000)}`;
				const worst = replication?.set?.worst;
				const {error, info} = frame(view.replication, 'replSetGetStatus', `${replication?.set?.set ?? ''}${worst ? `  worst lag ${formatLag(worst.lagSeconds)}` : ''}${windowText}`);
				const members = replication?.set?.members ?? [];
				return (
					<Pane title={title} info={info} infoTone={verdictTone[verdict.status]} error={error ?? (verdict.status === 'fail' ? verdict.reason : undefined)} width={paneWidth} height={paneHeight}>
						<Table
							columns={columns.members}
							rows={members}
							rowKey={m => m.name}
							height={tableHeight(error ?? (verdict.status === 'fail' ? verdict.reason : undefined))}
							width={inner}
							emptyText={replication?.notReplicaSet ? 'standalone server: not a replica set' : 'waiting for replSetGetStatus'}
						/>
					</Pane>
				);
			}
			case 'hot': {
				const hot = view.hot.value ?? [];
				const {error, info} = frame(view.hot, 'top', `${hot.length} busy`);
				return (
					<Pane title={title} info={info} error={error} width={paneWidth} height={paneHeight}>
						<Table columns={columns.hot} rows={hot} rowKey={h => h.ns} height={tableHeight(error)} width={inner} emptyText={view.hot.updatedAt === 0 ? 'waiting for top' : 'no collection busy in the last second'} />
					</Pane>
				);
			}
			case 'collections': {
				const collections = view.collections.value;
				const problem = collections?.problems[0];
				const {error, info} = frame(view.collections, 'collStats', `${collections?.stats.length ?? 0} in ${settings.database}`);
				return (
					<Pane title={title} info={info} error={error ?? problem} width={paneWidth} height={paneHeight}>
						<Table columns={columns.collections} rows={collections?.stats ?? []} rowKey={c => c.name} height={tableHeight(error ?? problem)} width={inner} emptyText={view.collections.updatedAt === 0 ? 'waiting for $collStats' : 'no collections'} />
					</Pane>
				);
			}
			case 'indexes': {
				const indexes = view.collections.value?.indexes ?? [];
				const unused = indexes.filter(i => i.ops === 0 && i.name !== '_id_').length;
				const {error, info} = frame(view.collections, '$indexStats', `${indexes.length} indexes${unused > 0 ? `, ${unused} unused` : ''}`);
				return (
					<Pane title={title} info={info} error={error} width={paneWidth} height={paneHeight}>
						<Table columns={fitColumns(indexColumns(now), inner)} rows={indexes} rowKey={i => `${i.collection}.${i.name}`} height={tableHeight(error)} width={inner} emptyText={view.collections.updatedAt === 0 ? 'waiting for $indexStats' : 'no indexes'} />
					</Pane>
				);
			}
			case 'backups': {
				const listing = backups.data;
				const configured = environment.backups !== undefined;
				const verdict = backupVerdict(listing?.entries, now, settings.limits);
				const error = backupsStatus.error ?? listing?.problems[0];
				const info = configured ? `${listing?.source ?? ''}  ${verdict.status === 'unknown' ? '' : verdict.reason}` : 'no listing configured (backups: in the config)';
				return (
					<Pane title={title} info={info} infoTone={verdictTone[verdict.status]} status={{...backupsStatus, error}} width={paneWidth} height={paneHeight}>
						<Table columns={fitColumns(backupColumns(now, settings.limits.backupMaxAgeMs), inner)} rows={listing?.entries ?? []} rowKey={b => b.name} height={tableHeight(error)} width={inner} emptyText={!configured ? 'configure backups.dir or backups.command' : backups.updatedAt === 0 ? 'waiting for the listing' : 'no backups in the listing'} />
					</Pane>
				);
			}
		}
	}
}

/** Op rates per second, local and replicated, with the last hour of each; network in and out. */
function RatesPane({width, height}: {width: number; height: number}) {
	const theme = useTheme();
	const rates = useAppState(s => s.database.data.server.value?.rates);
	const history = useAppState(s => s.databaseHistory);
	const trendWidth = Math.max(8, Math.min(60, width - 2 - 8 - 10 - 7 - 4));
	const rows = useMemo(() => rateRows(rates, history), [rates, history]);
	const columns = useMemo(() => fitColumns(rateColumns(theme.glyph.spark, trendWidth), width - 2), [theme, trendWidth, width]);
	const points = history.insert?.length ?? 0;
	return (
		<Pane title="Op rates" info={points > 0 ? `last ${formatDuration(points * 1000)}, as mongostat` : 'as mongostat'} width={width} height={height}>
			<Table columns={columns} rows={rows} rowKey={r => r.key} height={height - 2} width={width - 2} emptyText="waiting for two serverStatus samples" />
		</Pane>
	);
}
