/**
 * A command in a pod, as `kubectl exec` runs it: through the official client's Exec (a WebSocket on
 * pods/{name}/exec), collecting stdout and stderr, with the exit code from the Status the kubelet sends on the
 * error channel. A process that could not start (no such executable) is an error, not an exit code: Kubernetes
 * reports it as an InternalError Status, and kubectl shows it the same way.
 */
import {Writable} from 'node:stream';
import {AppsV1Api, CoreV1Api, Exec, type V1Pod, type V1Status} from '@kubernetes/client-node';
import {ServiceError} from '../errors.js';
import type {ExecResult} from '../types.js';
import {kubeError} from './errors.js';
import type {KubeContext} from './kubeconfig.js';

export type PodExecOptions = {
	/** The whole command's limit (a dump may take an hour): the socket is closed and the call fails when it passes. */
	timeoutMs: number;
	signal?: AbortSignal;
	/** The container; the pod's first when absent (kubectl's default without the default-container annotation). */
	container?: string;
};

export class ExecTimeoutError extends ServiceError {
	override name = 'ExecTimeoutError';
}

/** Whether a pod can take an exec now: running and every container ready. */
export function podReady(pod: V1Pod): boolean {
	return pod.status?.phase === 'Running' && pod.metadata?.deletionTimestamp === undefined && (pod.status.conditions ?? []).some(c => c.type === 'Ready' && c.status === 'True');
}

/**
 * The pod an exec on a deployment runs in: the first ready one, oldest first (then by name), so the plan built a
 * moment ago names the pod the run uses unless the pods changed in between.
 */
export function firstReadyPod(pods: readonly V1Pod[]): V1Pod | undefined {
	const created = (pod: V1Pod) => (pod.metadata?.creationTimestamp ? new Date(pod.metadata.creationTimestamp).getTime() : 0);
	return pods
		.filter(podReady)
		.sort((a, b) => created(a) - created(b) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))[0];
}

/** The pods of a deployment, by its label selector, as `kubectl exec deploy/NAME` finds them. */
export async function deploymentPods(target: KubeContext, deployment: string): Promise<V1Pod[]> {
	const apps = target.kubeConfig.makeApiClient(AppsV1Api);
	const core = target.kubeConfig.makeApiClient(CoreV1Api);
	let labels: Record<string, string>;
	try {
		const found = await apps.readNamespacedDeployment({name: deployment, namespace: target.namespace});
		labels = found.spec?.selector?.matchLabels ?? {};
	} catch (error) {
		throw kubeError(error, 'get', `deployment ${deployment}`, target.namespace);
	}
	const labelSelector = Object.entries(labels).map(([key, value]) => `${key}=${value}`).join(',');
	if (!labelSelector) throw new ServiceError(`kubernetes: deployment ${deployment} has no matchLabels selector to find its pods by`, 422);
	try {
		return (await core.listNamespacedPod({namespace: target.namespace, labelSelector})).items;
	} catch (error) {
		throw kubeError(error, 'list', 'pods', target.namespace);
	}
}

/** The exit code a Status carries: 0 for Success, the ExitCode cause for NonZeroExitCode; undefined when it has none. */
export function exitCodeOf(status: V1Status): number | undefined {
	if (status.status === 'Success') return 0;
	const cause = status.details?.causes?.find(c => c.reason === 'ExitCode');
	if (status.reason === 'NonZeroExitCode' && cause?.message !== undefined && /^\d+$/.test(cause.message)) return Number(cause.message);
	return undefined;
}

/** Runs `argv` in the pod and resolves once the process ended and its Status arrived. */
export async function execInPod(target: KubeContext, pod: string, argv: readonly string[], options: PodExecOptions): Promise<ExecResult> {
	if (argv.length === 0) throw new ServiceError('kubernetes: exec needs a command', 400);
	const stdout: Buffer[] = [];
	const stderr: Buffer[] = [];
	const sink = (into: Buffer[]) =>
		new Writable({
			write(chunk: Buffer, _encoding, callback) {
				into.push(Buffer.from(chunk));
				callback();
			},
		});
	const where = `pod ${pod} in namespace ${target.namespace}`;
	const exec = new Exec(target.kubeConfig);
	return new Promise<ExecResult>((resolve, reject) => {
		let socket: {close(): void; on(event: 'close', listener: () => void): unknown} | undefined;
		let settled = false;
		const settle = (finish: () => void) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			options.signal?.removeEventListener('abort', onAbort);
			socket?.close();
			finish();
		};
		const timer = setTimeout(() => settle(() => reject(new ExecTimeoutError(`kubernetes: ${argv[0]} in ${where} did not finish within ${Math.round(options.timeoutMs / 1000)} s; the exec was closed`, 504))), options.timeoutMs);
		const onAbort = () => settle(() => reject(options.signal!.reason ?? new DOMException('exec aborted', 'AbortError')));
		if (options.signal?.aborted) return onAbort();
		options.signal?.addEventListener('abort', onAbort, {once: true});
		const onStatus = (status: V1Status) => {
			const exitCode = exitCodeOf(status);
			const text = () => ({stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8')});
			if (exitCode !== undefined) return settle(() => resolve({exitCode, ...text()}));
			settle(() => reject(new ServiceError(`kubernetes: ${argv[0]} could not run in ${where}: ${status.message ?? status.reason ?? 'the kubelet gave no reason'}`, status.code ?? 500)));
		};
		exec
			.exec(target.namespace, pod, options.container ?? '', [...argv], sink(stdout), sink(stderr), null, false, onStatus)
			.then(
				ws => {
					socket = ws;
					if (settled) return void ws.close();
					// A connection that ends without a Status (the server went away) is not a success.
					ws.on('close', () => settle(() => reject(new ServiceError(`kubernetes: the exec of ${argv[0]} in ${where} closed before the command's status arrived`, 502))));
				},
				(error: unknown) => settle(() => reject(handshakeError(error, pod, target.namespace))),
			);
	});
}

/**
 * The client drops the body of a refused upgrade and keeps "Unexpected server response: 404": the code is all
 * there is to go on, and it is what kubectl's own errors turn on too.
 */
function handshakeError(error: unknown, pod: string, namespace: string): ServiceError {
	const text = (error as {message?: string})?.message ?? (error as {error?: Error})?.error?.message ?? String(error);
	const code = Number(/Unexpected server response: (\d{3})/.exec(text)?.[1]);
	if (code === 404) return new ServiceError(`kubernetes: pod ${pod} not found in namespace ${namespace} (exec)`, 404);
	if (code === 401 || code === 403) return kubeError({code}, 'create', `pods/exec ${pod}`, namespace);
	return new ServiceError(`kubernetes: exec into pod ${pod} in namespace ${namespace} failed: ${text}`, Number.isFinite(code) ? code : undefined);
}
