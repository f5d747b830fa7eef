/** The kubeconfig a client of the demo cluster uses: one cluster, one bearer-token user, one context. */
import {writeFileSync} from 'node:fs';
import {stringify} from 'yaml';
import {demoClusterName, demoContext, demoNamespace} from './objects.js';

export const demoUser = 'demo-operator';

export function kubeconfigText(server: string, token: string): string {
	return stringify({
		apiVersion: 'v1',
		kind: 'Config',
		clusters: [{name: demoClusterName, cluster: {server}}],
		users: [{name: demoUser, user: {token}}],
		contexts: [{name: demoContext, context: {cluster: demoClusterName, user: demoUser, namespace: demoNamespace}}],
		'current-context': demoContext,
		preferences: {},
	});
}

export function writeKubeconfig(path: string, server: string, token: string): void {
	writeFileSync(path, kubeconfigText(server, token), {mode: 0o600});
}
