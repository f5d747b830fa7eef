import type Docker from 'dockerode';
import {humanDuration} from '../util/human-duration.js';
import type {ContainerDetail, ContainerHealth, ContainerState, ContainerSummary} from './types.js';

/** Engine API JSON (list and inspect answers) to the domain types of ./types.ts. Pure: no I/O here. */

export const projectLabel = 'com.docker.compose.project';
const serviceLabel = 'com.docker.compose.service';

export function toSummary(info: Docker.ContainerInfo): ContainerSummary {
	const labels = info.Labels ?? {};
	const name = (info.Names?.[0] ?? info.Id.slice(0, 12)).replace(/^\//, '');
	return {
		id: info.Id,
		name,
		service: labels[serviceLabel] ?? name,
		project: labels[projectLabel],
		image: info.Image,
		state: toState(info.State),
		status: info.Status ?? '',
		health: healthFromStatus(info.Status ?? ''),
		createdAt: (info.Created ?? 0) * 1000,
	};
}

const states = new Set<ContainerState>(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']);

function toState(state: unknown): ContainerState {
	const lower = typeof state === 'string' ? state.toLowerCase() : '';
	return states.has(lower as ContainerState) ? (lower as ContainerState) : 'dead';
}

/** The list endpoint only reports health inside the status text: "Up 3 minutes (healthy)", "(health: starting)". */
export function healthFromStatus(status: string): ContainerHealth {
	if (/\(unhealthy\)/.test(status)) return 'unhealthy';
	if (/\(healthy\)/.test(status)) return 'healthy';
	if (/\(health: starting\)/.test(status)) return 'starting';
	return 'none';
}

function toHealth(status: unknown): ContainerHealth {
	return status === 'healthy' || status === 'unhealthy' || status === 'starting' ? status : 'none';
}

export function toDetail(info: Docker.ContainerInspectInfo): ContainerDetail {
	const labels = info.Config?.Labels ?? {};
	const name = (info.Name ?? '').replace(/^\//, '') || info.Id.slice(0, 12);
	const state = toState(info.State?.Status);
	const health = toHealth(info.State?.Health?.Status);
	const startedAt = goTime(info.State?.StartedAt);
	const finishedAt = goTime(info.State?.FinishedAt);
	const policy = info.HostConfig?.RestartPolicy;
	return {
		id: info.Id,
		name,
		service: labels[serviceLabel] ?? name,
		project: labels[projectLabel],
		image: info.Config?.Image ?? info.Image,
		state,
		status: statusText({state, health, startedAt, finishedAt, exitCode: info.State?.ExitCode ?? 0}, Date.now()),
		health,
		createdAt: goTime(info.Created) ?? 0,
		startedAt,
		finishedAt,
		restartCount: info.RestartCount ?? 0,
		exitCode: state === 'exited' || state === 'dead' || state === 'restarting' ? (info.State?.ExitCode ?? 0) : undefined,
		oomKilled: Boolean(info.State?.OOMKilled),
		command: [info.Path, ...(info.Args ?? [])].filter((part): part is string => typeof part === 'string' && part !== ''),
		ports: portList(info.NetworkSettings?.Ports),
		envNames: (info.Config?.Env ?? []).map(entry => entry.split('=', 1)[0]).filter(Boolean),
		mounts: (info.Mounts ?? []).map(m => `${m.Name ?? m.Source}:${m.Destination}${m.RW === false ? ':ro' : ''}`),
		networks: Object.keys(info.NetworkSettings?.Networks ?? {}),
		labels,
		restartPolicy: policy?.Name ? (policy.Name === 'on-failure' && policy.MaximumRetryCount ? `on-failure:${policy.MaximumRetryCount}` : policy.Name) : undefined,
		healthLog: (info.State?.Health?.Log ?? []).map(entry => ({
			start: Date.parse(entry.Start) || 0,
			exitCode: entry.ExitCode,
			output: entry.Output.trim().slice(0, 500),
		})),
	};
}

/** Go's zero time ("0001-01-01T00:00:00Z") means "never". */
function goTime(text: string | undefined): number | undefined {
	if (!text) return undefined;
	const ms = Date.parse(text);
	return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

function portList(ports: Record<string, Array<{HostIp: string; HostPort: string}> | null> | undefined): string[] {
	const out: string[] = [];
	for (const [containerPort, bindings] of Object.entries(ports ?? {})) {
		if (!bindings || bindings.length === 0) out.push(containerPort);
		else for (const b of bindings) out.push(`${b.HostIp || '0.0.0.0'}:${b.HostPort}->${containerPort}`);
	}
	return out;
}

/** The status text `docker ps` shows (moby container/state.go), rebuilt for inspect, which has no such field. */
export function statusText(
	s: {state: ContainerState; health: ContainerHealth; startedAt?: number; finishedAt?: number; exitCode: number},
	now: number,
): string {
	const since = (at: number | undefined) => humanDuration(now - (at ?? now));
	switch (s.state) {
		case 'running':
			return `Up ${since(s.startedAt)}${s.health === 'none' ? '' : s.health === 'starting' ? ' (health: starting)' : ` (${s.health})`}`;
		case 'paused':
			return `Up ${since(s.startedAt)} (Paused)`;
		case 'restarting':
			return `Restarting (${s.exitCode}) ${since(s.finishedAt)} ago`;
		case 'removing':
			return 'Removal In Progress';
		case 'dead':
			return 'Dead';
		case 'created':
			return 'Created';
		case 'exited':
			return s.startedAt === undefined ? 'Created' : s.finishedAt === undefined ? '' : `Exited (${s.exitCode}) ${since(s.finishedAt)} ago`;
	}
}

