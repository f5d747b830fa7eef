/**
 * Platform-neutral lifecycle actions. Each names the backend action it stands for in the environment at hand, and
 * the plan holds that concrete call (see Action.resolve), so the same built-in runbook runs on compose and on
 * Kubernetes. A backend that cannot do one says so in the plan, before anything runs.
 */
import {z} from 'zod';
import type {EnvironmentConfig} from '../../config/schema.js';
import {replicaBounds} from '../../services/kubernetes-ops.js';
import {execParams} from './k8s.js';
import {serviceSelector} from './targets.js';
import type {Action} from './types.js';

type Backend = EnvironmentConfig['backend']['type'];

/** Neutral actions are never run themselves: the plan replaces them before the engine sees them. */
function unresolved(name: string): Action['run'] {
	return async () => ({ok: false, output: '', detail: `${name} was not resolved to a backend action when the plan was built`});
}

function neutral<P>(name: string, params: z.ZodType<P>, mutating: boolean, to: Record<Backend, (p: P, environment: EnvironmentConfig) => {action: string; params: unknown}>): Action<P> {
	return {
		name,
		params,
		mutating,
		resolve: (p, ctx) => to[ctx.environment.backend.type](p, ctx.environment),
		describe: (_p, ctx) => ({target: name, call: `${name} (resolved per backend)`, environment: ctx.environment.name}),
		run: unresolved(name),
	};
}

const lifecycleParams = z.strictObject({
	service: serviceSelector,
	/** Seconds a container gets to stop gracefully (compose); Kubernetes uses each pod's terminationGracePeriodSeconds. */
	timeout: z.number().int().min(0).max(600).default(10),
});

export const serviceRestart = neutral('service.restart', lifecycleParams, true, {
	compose: p => ({action: 'docker.restart', params: {service: p.service, timeout: p.timeout}}),
	// docker restart returns once the new container runs; the rollout is waited for so the step means the same.
	kubernetes: p => ({action: 'k8s.rolloutRestart', params: {service: p.service, waitSeconds: 600}}),
});

export const serviceStop = neutral('service.stop', lifecycleParams, true, {
	compose: p => ({action: 'docker.stop', params: {service: p.service, timeout: p.timeout}}),
	kubernetes: p => ({action: 'k8s.scale', params: {service: p.service, replicas: 0}}),
});

export const serviceStart = neutral('service.start', z.strictObject({service: serviceSelector}), true, {
	compose: p => ({action: 'docker.start', params: {service: p.service}}),
	kubernetes: p => ({action: 'k8s.scale', params: {service: p.service, replicas: 'restore'}}),
});

const scaleParams = z.strictObject({
	service: serviceSelector,
	replicas: z.number().int().min(replicaBounds.min).max(replicaBounds.max),
	patchHpa: z.boolean().default(false),
});

export const serviceScale = neutral('service.scale', scaleParams, true, {
	compose: (_p, environment) => {
		throw new Error(`compose cannot scale: ${environment.name} runs one container per service (docker compose up --scale is a deploy, not a runtime action); scaling needs a Kubernetes environment`);
	},
	kubernetes: p => ({action: 'k8s.scale', params: {service: p.service, replicas: p.replicas, patchHpa: p.patchHpa}}),
});

const checkParams = z.strictObject({
	service: serviceSelector,
	/** running: up and serving; exited: stopped (compose: container exited; Kubernetes: scaled to 0, no pods left). */
	state: z.enum(['running', 'exited']).optional(),
});

export const serviceCheck = neutral('service.check', checkParams, false, {
	compose: p => ({action: 'docker.check', params: {service: p.service, ...(p.state ? {state: p.state} : {})}}),
	kubernetes: p => ({action: 'k8s.check', params: {service: p.service, ...(p.state ? {state: p.state} : {})}}),
});


const readyParams = z.strictObject({
	service: serviceSelector,
	/** Seconds to wait (Kubernetes: for the rollout to finish). */
	timeout: z.number().int().min(1).max(3600).default(300),
});

/** After a restart: compose's restart has returned once the container runs again; a rollout has to be waited for. */
export const serviceWaitReady = neutral('service.waitReady', readyParams, false, {
	compose: p => ({action: 'docker.check', params: {service: p.service, state: 'running'}}),
	kubernetes: p => ({action: 'k8s.waitRollout', params: {service: p.service, timeout: p.timeout}}),
});

/** A command inside the service: `docker exec` in its container, or `kubectl exec` in its deployment's first ready pod. */
export const serviceExec: Action<z.infer<typeof execParams>> = {
	...neutral('service.exec', execParams, true, {
		compose: p => ({action: 'docker.exec', params: p}),
		kubernetes: p => ({action: 'k8s.exec', params: p}),
	}),
	declaredReadOnly: p => !p.mutating,
};

export const neutralActions: Action[] = [serviceRestart, serviceStop, serviceStart, serviceScale, serviceCheck, serviceWaitReady, serviceExec];
