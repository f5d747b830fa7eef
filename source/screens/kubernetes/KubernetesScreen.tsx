import {Box} from 'ink';
import React, {useMemo, useState} from 'react';
import {FilterLine} from '../../components/FilterLine.js';
import {Pane} from '../../components/Pane.js';
import {fitColumns, Table} from '../../components/Table.js';
import {useCluster} from '../../hooks/useCluster.js';
import {useKeymap} from '../../hooks/useKeymap.js';
import {filterRows, useListFilter} from '../../hooks/useListFilter.js';
import {useListSelection} from '../../hooks/useListSelection.js';
import type {DeploymentRow} from '../../services/kubernetes/view.js';
import {useResourceStatus} from '../../hooks/useResourceStatus.js';
import type {ScreenProps} from '../registry.js';
import {deploymentColumns, eventColumns, eventFilterFields, hpaColumns, podColumns, podFilterFields} from './columns.js';
import {RolloutPanel} from './RolloutPanel.js';
import {useRolloutPanel} from './useRolloutPanel.js';

const deploymentKey = (row: DeploymentRow) => row.name;

/**
 * The cluster behind the services: deployments with their rollout state, HPAs with each metric against its target,
 * pods with restarts and last termination, and the namespace's events, warnings first. `/` filters pods and events;
 * j/k choose a deployment and enter opens its rollout panel (by name, whatever the rows do meanwhile).
 */
export function KubernetesScreen(props: ScreenProps) {
	const [rolloutOf, setRolloutOf] = useState<string | undefined>(undefined);
	return rolloutOf === undefined ? <ClusterLists {...props} onRollout={setRolloutOf} /> : <Rollout {...props} deploymentName={rolloutOf} onBack={() => setRolloutOf(undefined)} />;
}

function Rollout({width, height, active, deploymentName, onBack}: ScreenProps & {deploymentName: string; onBack: () => void}) {
	const status = useResourceStatus('cluster');
	// The log pane's lines: the bottom half of the panel, less its border.
	const panel = useRolloutPanel(deploymentName, Math.max(1, Math.floor(height / 2)), onBack);
	useKeymap(panel.handlers, {isActive: active});
	return <RolloutPanel deploymentName={deploymentName} data={panel.data} now={panel.now} selected={panel.selected} selectedIndex={panel.selectedIndex} diff={panel.diff} logLines={panel.logLines} status={status} width={width} height={height} />;
}

function ClusterLists({width, height, active, onRollout}: ScreenProps & {onRollout: (deployment: string) => void}) {
	const {view, now} = useCluster();
	const status = useResourceStatus('cluster');
	const filter = useListFilter('kubernetes');
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
	const selection = useListSelection(deployments, deploymentKey, 4, 'kubernetes-deployments');
	useKeymap({...filter.handlers, ...selection.handlers, select: () => selection.selected && onRollout(selection.selected.name)}, {isActive: active});
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
			<Pane title={`Deployments${view ? ` in ${view.namespace}` : ''}`} info={view ? `${deployments.length}${deployments.length > 0 ? '  enter rollout' : ''}` : undefined} status={status} width={width} height={deploymentsHeight}>
				<Table columns={columns.deployments} rows={deployments} rowKey={deploymentKey} selectedIndex={view ? selection.index : undefined} height={deploymentsHeight - 2 - (status.error ? 1 : 0)} width={inner} emptyText={noCluster ?? 'no deployments'} />
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
