import {Box} from 'ink';
import React, {useMemo} from 'react';
import {FilterLine} from '../../components/FilterLine.js';
import {Pane} from '../../components/Pane.js';
import {fitColumns, Table} from '../../components/Table.js';
import {useCluster} from '../../hooks/useCluster.js';
import {useKeymap} from '../../hooks/useKeymap.js';
import {filterRows, useListFilter} from '../../hooks/useListFilter.js';
import {useResourceStatus} from '../../hooks/useResourceStatus.js';
import type {ScreenProps} from '../registry.js';
import {deploymentColumns, eventColumns, eventFilterFields, hpaColumns, podColumns, podFilterFields} from './columns.js';

/**
 * The cluster behind the services: deployments with their rollout state, HPAs with each metric against its target,
 * pods with restarts and last termination, and the namespace's events, warnings first. `/` filters pods and events.
 */
export function KubernetesScreen({width, height, active}: ScreenProps) {
	const {view, now} = useCluster();
	const status = useResourceStatus('cluster');
	const filter = useListFilter('kubernetes');
	useKeymap(filter.handlers, {isActive: active});
	const pods = useMemo(() => filterRows(view?.pods ?? [], filter.text, podFilterFields), [view, filter.text]);
	const events = useMemo(() => filterRows(view?.events ?? [], filter.text, eventFilterFields), [view, filter.text]);
	const inner = width - 2;
	const columns = useMemo(
		() => ({deployments: fitColumns(deploymentColumns, inner), hpas: fitColumns(hpaColumns, inner), pods: fitColumns(podColumns(now), inner), events: fitColumns(eventColumns(now), inner)}),
		[inner, now],
	);
	const listsHeight = height - filter.lines;
	const deployments = view?.deployments ?? [];
	const hpas = view?.hpas ?? [];
	// Deployments and HPAs are few and always shown whole when they fit; pods and events share the rest.
	const deploymentsHeight = Math.min(deployments.length + 3, Math.max(4, Math.floor(listsHeight / 4)));
	const hpasHeight = Math.min(Math.max(hpas.length, 1) + 3, Math.max(5, Math.floor(listsHeight / 5)));
	const rest = listsHeight - deploymentsHeight - hpasHeight;
	const podsHeight = Math.ceil(rest / 2);
	const eventsHeight = rest - podsHeight;
	const noCluster = status.error ? 'no data' : view ? undefined : 'waiting for the cluster (this environment may have none)';
	const warnings = (view?.events ?? []).filter(e => e.type === 'Warning').length;
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Pane title={`Deployments${view ? ` in ${view.namespace}` : ''}`} info={view ? `${deployments.length}` : undefined} status={status} width={width} height={deploymentsHeight}>
				<Table columns={columns.deployments} rows={deployments} rowKey={row => row.name} height={deploymentsHeight - 2 - (status.error ? 1 : 0)} width={inner} emptyText={noCluster ?? 'no deployments'} />
			</Pane>
			<Pane title="Autoscalers" info={view ? `${hpas.length}` : undefined} width={width} height={hpasHeight}>
				<Table columns={columns.hpas} rows={hpas} rowKey={row => row.name} height={hpasHeight - 2} width={inner} emptyText={noCluster ?? 'no autoscalers'} />
			</Pane>
			<Pane title="Pods" info={view ? `${pods.length}${filter.text ? ` of ${view.pods.length}` : ''}` : undefined} width={width} height={podsHeight}>
				<Table columns={columns.pods} rows={pods} rowKey={row => row.name} height={podsHeight - 2} width={inner} emptyText={filter.text ? `no pod matches "${filter.text}"` : (noCluster ?? 'no pods')} />
			</Pane>
			<Pane title="Events" info={view ? `${events.length}${warnings > 0 ? `, ${warnings} warnings` : ''}` : undefined} infoTone={warnings > 0 ? 'warn' : 'muted'} width={width} height={eventsHeight}>
				<Table columns={columns.events} rows={events} rowKey={row => `${row.object} ${row.reason} ${row.at} ${row.message}`} height={eventsHeight - 2} width={inner} emptyText={filter.text ? `no event matches "${filter.text}"` : (noCluster ?? 'no events')} />
			</Pane>
			<FilterLine filter={filter} width={width} active={active} />
		</Box>
	);
}
