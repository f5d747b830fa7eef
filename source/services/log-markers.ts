import {clockTime} from '../logs/time.js';

/**
 * The lines botops writes into a container's log when its stream breaks. Each kind is written once per
 * episode: a dead engine says "stream lost" once, not at every retry.
 */
export type MarkerKind = 'lost' | 'stopped' | 'removed';

export function framed(text: string): string {
	return `— ${text} —`;
}

export function lostMarker(service: string, retryMs: number, reason?: string): string {
	return `${service} stream lost${reason ? ` (${reason})` : ''}, reconnecting in ${seconds(retryMs)}`;
}

export function restartedMarker(service: string, startedAt: number): string {
	return `${service} restarted ${clockTime(startedAt)}`;
}

/** `state` is the container's state (exited, restarting, paused); a paused container has no exit code. */
export function stoppedMarker(service: string, state: string, exitCode: number | undefined, at: number): string {
	const exit = exitCode !== undefined && state !== 'paused' ? ` (exit ${exitCode})` : '';
	return `${service} ${state}${exit} ${clockTime(at)}`;
}

export function recreatedMarker(service: string, successorName: string): string {
	return `${service} container recreated (${successorName})`;
}

export function removedMarker(service: string): string {
	return `${service} container removed, waiting for it to come back`;
}

export function errorMarker(service: string, message: string): string {
	return `${service}: ${message}`;
}

function seconds(ms: number): string {
	return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
