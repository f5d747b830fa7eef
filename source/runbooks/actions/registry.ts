import {confirmAction} from './confirm.js';
import {dockerActions} from './docker.js';
import {httpAction} from './http.js';
import {k8sActions} from './k8s.js';
import {mongoAction} from './mongo.js';
import {neutralActions} from './neutral.js';
import {secretsRotateAction} from './secrets-rotate.js';
import {shellAction} from './shell.js';
import type {Action, ActionRegistry} from './types.js';
import {verifyAction} from './verify.js';
import {waitAction} from './wait.js';

export function createRegistry(actions: Action[] = []): ActionRegistry {
	const byName = new Map<string, Action>();
	const registry: ActionRegistry = {
		get: name => byName.get(name),
		names: () => [...byName.keys()].sort(),
		register(action) {
			if (byName.has(action.name)) throw new Error(`action ${action.name} is already registered`);
			byName.set(action.name, action);
		},
	};
	for (const action of actions) registry.register(action);
	return registry;
}

export const builtinActions: Action[] = [
	...dockerActions,
	...k8sActions,
	...neutralActions,
	httpAction,
	mongoAction,
	shellAction,
	waitAction,
	verifyAction,
	confirmAction,
	secretsRotateAction,
];

/** A fresh registry with the Docker, Kubernetes and neutral actions; Alertmanager actions register onto it. */
export function defaultRegistry(): ActionRegistry {
	return createRegistry(builtinActions);
}
