/**
 * Kubernetes objects in the neutral model's terms: a pod is an instance of its deployment. Pure functions; the
 * arithmetic follows kubectl's (`get pods` READY/STATUS/RESTARTS, `top pods` CPU and memory).
 */
import type {V1Pod} from '@kubernetes/client-node';
import type {Instance, InstanceDetail} from '../platform.js';
import type {ContainerHealth, ContainerState, StatsSample} from '../types.js';

/** The last time a container of the pod terminated, and why: what `kubectl describe pod` shows as Last State. */
export type LastTermination = {reason: string; exitCode: number; at?: number};

/** The deployment a pod belongs to: its ReplicaSet owner without the pod-template-hash, else its `app` label. */
export function podService(pod: V1Pod): string {
	const name = pod.metadata?.name ?? '';
	const owner = pod.metadata?.ownerReferences?.find(o => o.kind === 'ReplicaSet');
	const hash = pod.metadata?.labels?.['pod-template-hash'];
	if (owner && hash && owner.name.endsWith(`-${hash}`)) return owner.name.slice(0, -hash.length - 1);
	return pod.metadata?.labels?.['app.kubernetes.io/name'] ?? pod.metadata?.labels?.['app'] ?? name;
}

/** The reason `kubectl get pods` shows in STATUS: a waiting or terminated container's reason wins over the phase. */
export function podStatusText(pod: V1Pod): string {
	if (pod.metadata?.deletionTimestamp) return 'Terminating';
	let reason = pod.status?.reason ?? pod.status?.phase ?? 'Unknown';
	for (const status of pod.status?.containerStatuses ?? []) {
		const waiting = status.state?.waiting?.reason;
		const terminated = status.state?.terminated;
		if (waiting && waiting !== 'ContainerCreating') reason = waiting;
		else if (waiting) reason = waiting;
		else if (terminated) reason = terminated.reason ?? (terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`);
	}
	return reason;
}

export function podReady(pod: V1Pod): {ready: number; total: number} {
	const total = pod.spec?.containers.length ?? 0;
	const ready = (pod.status?.containerStatuses ?? []).filter(s => s.ready).length;
	return {ready, total};
}

export function podRestarts(pod: V1Pod): number {
	return (pod.status?.containerStatuses ?? []).reduce((sum, s) => sum + (s.restartCount ?? 0), 0);
}

export function lastTermination(pod: V1Pod): LastTermination | undefined {
	let found: LastTermination | undefined;
	for (const status of pod.status?.containerStatuses ?? []) {
		const terminated = status.lastState?.terminated ?? status.state?.terminated;
		if (!terminated) continue;
		const at = time(terminated.finishedAt);
		if (found && (found.at ?? 0) >= (at ?? 0)) continue;
		found = {reason: terminated.reason ?? 'Error', exitCode: terminated.exitCode, at};
	}
	return found;
}

function podState(pod: V1Pod, status: string): ContainerState {
	if (pod.metadata?.deletionTimestamp) return 'removing';
	if (status === 'CrashLoopBackOff') return 'restarting';
	switch (pod.status?.phase) {
		case 'Running': {
			const waiting = (pod.status.containerStatuses ?? []).some(s => s.state?.waiting);
			return waiting ? 'restarting' : 'running';
		}
		case 'Pending': {
			return 'created';
		}
		case 'Succeeded':
		case 'Failed': {
			return 'exited';
		}
		default: {
			return 'dead';
		}
	}
}

function podHealth(pod: V1Pod, state: ContainerState): ContainerHealth {
	if (state !== 'running') return 'none';
	const {ready, total} = podReady(pod);
	if (ready === total) return 'healthy';
	// Running but not ready: still starting until a container has failed since, then its probe is failing.
	return podRestarts(pod) > 0 ? 'unhealthy' : 'starting';
}

export function podInstance(pod: V1Pod): Instance {
	const status = podStatusText(pod);
	const state = podState(pod, status);
	const {ready, total} = podReady(pod);
	const name = pod.metadata?.name ?? '';
	return {
		id: name,
		name,
		service: podService(pod),
		project: pod.metadata?.namespace,
		image: pod.spec?.containers[0]?.image ?? '',
		state,
		status: `${status} ${ready}/${total}`,
		health: podHealth(pod, state),
		createdAt: time(pod.metadata?.creationTimestamp) ?? 0,
	};
}

export function podDetail(pod: V1Pod): InstanceDetail {
	const instance = podInstance(pod);
	const containers = pod.spec?.containers ?? [];
	const last = lastTermination(pod);
	const running = (pod.status?.containerStatuses ?? []).map(s => time(s.state?.running?.startedAt)).filter((t): t is number => t !== undefined);
	return {
		...instance,
		startedAt: running.length > 0 ? Math.max(...running) : time(pod.status?.startTime),
		finishedAt: last?.at,
		restartCount: podRestarts(pod),
		exitCode: last?.exitCode,
		oomKilled: last?.reason === 'OOMKilled',
		command: [...(containers[0]?.command ?? []), ...(containers[0]?.args ?? [])],
		ports: containers.flatMap(c => (c.ports ?? []).map(p => `${p.containerPort}/${(p.protocol ?? 'TCP').toLowerCase()}`)),
		envNames: containers.flatMap(c => (c.env ?? []).map(e => e.name)),
		mounts: containers.flatMap(c => (c.volumeMounts ?? []).map(m => m.mountPath)),
		networks: pod.status?.podIP ? [pod.status.podIP] : [],
		labels: pod.metadata?.labels ?? {},
		restartPolicy: pod.spec?.restartPolicy,
		healthLog: [],
		node: pod.spec?.nodeName,
		lastTermination: last,
	};
}

/** `kubectl top`'s units: CPU "250m", "1", "12345678n"; memory "64Mi", "1Gi", "123456k", bytes. */
export function parseCpuCores(quantity: string | undefined): number {
	if (!quantity) return 0;
	const match = /^([0-9.]+)([numkMG]?)$/.exec(quantity.trim());
	if (!match) return 0;
	const value = Number(match[1]);
	const scale: Record<string, number> = {n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9};
	return value * (scale[match[2]!] ?? 1);
}

export function parseBytes(quantity: string | undefined): number {
	if (!quantity) return 0;
	const match = /^([0-9.]+)(Ki|Mi|Gi|Ti|k|K|M|G|T|m)?$/.exec(quantity.trim());
	if (!match) return 0;
	const scale: Record<string, number> = {Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, m: 1e-3};
	return Number(match[1]) * (match[2] ? scale[match[2]]! : 1);
}

/**
 * A metrics.k8s.io sample as a stats sample: CPU in percent of one core (as `docker stats` counts, so 250m is 25%),
 * memory the working set against the pod's memory limits (0 when it has none).
 */
export function podMetricsSample(usage: Array<{cpu?: string; memory?: string}>, pod: V1Pod | undefined, at: number): StatsSample {
	const cores = usage.reduce((sum, u) => sum + parseCpuCores(u.cpu), 0);
	const memUsage = usage.reduce((sum, u) => sum + parseBytes(u.memory), 0);
	const memLimit = (pod?.spec?.containers ?? []).reduce((sum, c) => sum + parseBytes(c.resources?.limits?.['memory']), 0);
	return {at, cpuPercent: cores * 100, memUsage, memLimit, memPercent: memLimit > 0 ? (memUsage / memLimit) * 100 : 0, netRx: 0, netTx: 0, blockRead: 0, blockWrite: 0, pids: 0};
}

export function time(value: Date | string | undefined): number | undefined {
	if (value === undefined) return undefined;
	const at = value instanceof Date ? value.getTime() : Date.parse(value);
	return Number.isFinite(at) ? at : undefined;
}
