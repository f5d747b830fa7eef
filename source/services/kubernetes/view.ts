/**
 * The Kubernetes screen's rows, from the watched objects: what `kubectl get deploy,rs,pods,hpa,events` shows, in
 * plain data. Pure; only types come from the client, so the store and screens can hold these without loading it.
 */
import type {CoreV1Event, V1Deployment, V1Pod, V1PodTemplateSpec, V1ReplicaSet, V2HorizontalPodAutoscaler} from '@kubernetes/client-node';
import {lastTermination, podReady, podRestarts, podService, podStatusText, time} from './mapping.js';

export type ReplicaSetRow = {
	name: string;
	revision: number;
	changeCause?: string;
	image: string;
	replicas: number;
	ready: number;
	createdAt: number;
	/** The replica set's pod template (the watched object's own, not a copy): what the rollout panel diffs. */
	template?: V1PodTemplateSpec;
	/**
	 * The deployment's new replica set: its revision is the deployment's, which the deployment controller sets to
	 * the replica set whose template matches the live one (so no template comparison per refresh).
	 */
	current: boolean;
};

export type DeploymentRow = {
	name: string;
	desired: number;
	ready: number;
	updated: number;
	available: number;
	image: string;
	revision: number;
	paused: boolean;
	/** "Available=True", "Progressing=False ProgressDeadlineExceeded". */
	conditions: string[];
	/** Progressing=False with ProgressDeadlineExceeded: the rollout has stalled. */
	stalled: boolean;
	/** The Progressing condition's message when stalled ("ReplicaSet \"x\" has timed out progressing."). */
	stalledMessage?: string;
	/** Pods of every revision (status.replicas): above desired while old pods are still being replaced. */
	total: number;
	/** The controller has seen the latest spec (observedGeneration >= generation), as kubectl rollout status asks. */
	observed: boolean;
	/** The live pod template (the watched object's own). */
	template?: V1PodTemplateSpec;
	/** Newest revision first. */
	replicaSets: ReplicaSetRow[];
};

export type PodRow = {
	name: string;
	deployment: string;
	/** The owning replica set's name: which revision the pod runs. */
	replicaSet?: string;
	status: string;
	ready: string;
	restarts: number;
	createdAt: number;
	node?: string;
	/** "OOMKilled (137)", "Error (1)". */
	lastTermination?: string;
};

export type HpaRow = {name: string; target: string; min: number; max: number; current: number; desired: number; metrics: string[]};

export type EventRow = {type: string; reason: string; object: string; message: string; count: number; at: number};

export type ClusterView = {namespace: string; deployments: DeploymentRow[]; pods: PodRow[]; hpas: HpaRow[]; events: EventRow[]};

export type ClusterObjects = {
	namespace: string;
	pods: ReadonlyMap<string, V1Pod>;
	deployments: ReadonlyMap<string, V1Deployment>;
	replicaSets: ReadonlyMap<string, V1ReplicaSet>;
	hpas: ReadonlyMap<string, V2HorizontalPodAutoscaler>;
	events: ReadonlyMap<string, CoreV1Event>;
};

const revisionOf = (object: {metadata?: {annotations?: Record<string, string>}}) => Number(object.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0) || 0;

export function clusterView(objects: ClusterObjects): ClusterView {
	const setsByOwner = new Map<string, ReplicaSetRow[]>();
	for (const rs of objects.replicaSets.values()) {
		const owner = rs.metadata?.ownerReferences?.find(o => o.kind === 'Deployment')?.name;
		if (!owner) continue;
		const row: ReplicaSetRow = {
			name: rs.metadata?.name ?? '',
			revision: revisionOf(rs),
			changeCause: rs.metadata?.annotations?.['kubernetes.io/change-cause'],
			image: rs.spec?.template?.spec?.containers[0]?.image ?? '',
			replicas: rs.status?.replicas ?? 0,
			ready: rs.status?.readyReplicas ?? 0,
			createdAt: time(rs.metadata?.creationTimestamp) ?? 0,
			template: rs.spec?.template,
			current: false,
		};
		setsByOwner.set(owner, [...(setsByOwner.get(owner) ?? []), row]);
	}
	const deployments = [...objects.deployments.values()]
		.map((d): DeploymentRow => {
			const name = d.metadata?.name ?? '';
			const conditions = d.status?.conditions ?? [];
			const revision = revisionOf(d);
			const progressing = conditions.find(c => c.type === 'Progressing');
			const stalled = progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded';
			const replicaSets = (setsByOwner.get(name) ?? []).sort((a, b) => b.revision - a.revision);
			for (const rs of replicaSets) rs.current = revision > 0 && rs.revision === revision;
			return {
				name,
				desired: d.spec?.replicas ?? 1,
				ready: d.status?.readyReplicas ?? 0,
				updated: d.status?.updatedReplicas ?? 0,
				available: d.status?.availableReplicas ?? 0,
				image: d.spec?.template.spec?.containers[0]?.image ?? '',
				revision,
				paused: d.spec?.paused === true,
				conditions: conditions.map(c => `${c.type}=${c.status}${c.reason && c.status !== 'True' ? ` ${c.reason}` : ''}`),
				stalled,
				stalledMessage: stalled ? progressing?.message : undefined,
				total: d.status?.replicas ?? 0,
				observed: (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0),
				template: d.spec?.template,
				replicaSets,
			};
		})
		.sort((a, b) => a.name.localeCompare(b.name));
	const pods = [...objects.pods.values()]
		.map((pod): PodRow => {
			const {ready, total} = podReady(pod);
			const last = lastTermination(pod);
			return {
				name: pod.metadata?.name ?? '',
				deployment: podService(pod),
				replicaSet: pod.metadata?.ownerReferences?.find(o => o.kind === 'ReplicaSet')?.name,
				status: podStatusText(pod),
				ready: `${ready}/${total}`,
				restarts: podRestarts(pod),
				createdAt: time(pod.metadata?.creationTimestamp) ?? 0,
				node: pod.spec?.nodeName,
				lastTermination: last ? `${last.reason} (${last.exitCode})` : undefined,
			};
		})
		.sort((a, b) => a.deployment.localeCompare(b.deployment) || a.name.localeCompare(b.name));
	const hpas = [...objects.hpas.values()]
		.map((hpa): HpaRow => {
			const current = hpa.status?.currentMetrics ?? [];
			return {
				name: hpa.metadata?.name ?? '',
				target: `${hpa.spec?.scaleTargetRef.kind ?? 'Deployment'}/${hpa.spec?.scaleTargetRef.name ?? '?'}`,
				min: hpa.spec?.minReplicas ?? 1,
				max: hpa.spec?.maxReplicas ?? 0,
				current: hpa.status?.currentReplicas ?? 0,
				desired: hpa.status?.desiredReplicas ?? 0,
				metrics: (hpa.spec?.metrics ?? []).map(metric => {
					const resource = metric.resource?.name ?? metric.type;
					const now = current.find(c => c.resource?.name === metric.resource?.name)?.resource?.current;
					const target = metric.resource?.target;
					if (target?.averageUtilization !== undefined) return `${resource} ${now?.averageUtilization === undefined ? '<unknown>' : `${now.averageUtilization}%`}/${target.averageUtilization}%`;
					return `${resource} ${now?.averageValue ?? '<unknown>'}/${target?.averageValue ?? target?.value ?? '?'}`;
				}),
			};
		})
		.sort((a, b) => a.name.localeCompare(b.name));
	const events = [...objects.events.values()]
		.map((event): EventRow => ({
			type: event.type ?? 'Normal',
			reason: event.reason ?? '',
			object: `${event.involvedObject.kind ?? ''}/${event.involvedObject.name ?? ''}`,
			message: event.message ?? '',
			count: event.count ?? 1,
			at: time(event.lastTimestamp) ?? time(event.eventTime) ?? time(event.metadata?.creationTimestamp) ?? 0,
		}))
		// Warnings first, newest first within each kind: what `kubectl get events` buries at the bottom.
		.sort((a, b) => Number(b.type === 'Warning') - Number(a.type === 'Warning') || b.at - a.at);
	return {namespace: objects.namespace, deployments, pods, hpas, events};
}

/** One object's events (`kubectl describe`'s Events section): by "Kind/name". */
export function eventsOf(view: ClusterView, object: string): EventRow[] {
	return view.events.filter(e => e.object === object);
}
