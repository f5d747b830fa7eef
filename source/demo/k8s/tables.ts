/**
 * Server-side printing: `kubectl get` asks for meta.k8s.io/v1 Tables and prints their cells, so the columns here
 * are the API server's printers' (pkg/printers/internalversion) for the kinds the demo serves.
 */
import type {KubeObject} from './store.js';

type Column = {name: string; type: string; format: string; description: string; priority: number};
type Row = {cells: unknown[]; object: unknown};

const column = (name: string, type = 'string', priority = 0, format = ''): Column => ({name, type, format, description: `${name} column`, priority});

/** apimachinery's duration.HumanDuration: the short ages kubectl prints ("45s", "3m12s", "2d4h"). */
export function kubeAge(ms: number): string {
	const seconds = Math.floor(ms / 1000);
	if (seconds < -1) return '<invalid>';
	if (seconds < 0) return '0s';
	if (seconds < 120) return `${seconds}s`;
	const minutes = Math.floor(seconds / 60);
	if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
	if (minutes < 180) return `${minutes}m`;
	const hours = Math.floor(minutes / 60);
	if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
	if (hours < 48) return `${hours}h`;
	if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
	if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
	if (hours < 24 * 365 * 8) {
		const days = Math.floor(hours / 24) % 365;
		return days === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${days}d`;
	}
	return `${Math.floor(hours / 24 / 365)}y`;
}

const since = (timestamp: unknown, now: number) => (typeof timestamp === 'string' ? kubeAge(now - Date.parse(timestamp)) : '<unknown>');

type Printer = {columns: Column[]; cells(object: KubeObject, now: number): unknown[]};

const containersOf = (template: unknown) => ((template as {spec?: {containers?: Array<{name: string; image: string}>}})?.spec?.containers ?? []);
const selectorText = (selector: unknown) =>
	Object.entries((selector as {matchLabels?: Record<string, string>})?.matchLabels ?? {})
		.map(([key, value]) => `${key}=${value}`)
		.join(',');

type ContainerStatus = {ready?: boolean; restartCount?: number; state?: {waiting?: {reason?: string}; terminated?: {reason?: string; exitCode?: number; signal?: number}; running?: object}; lastState?: {terminated?: {finishedAt?: string}}};

const printers: Record<string, Printer> = {
	deployments: {
		columns: [column('Name', 'string', 0, 'name'), column('Ready'), column('Up-to-date', 'integer'), column('Available', 'integer'), column('Age'), column('Containers', 'string', 1), column('Images', 'string', 1), column('Selector', 'string', 1)],
		cells(object, now) {
			const spec = object.spec as {replicas?: number; template: unknown; selector: unknown};
			const status = object.status as {readyReplicas?: number; updatedReplicas?: number; availableReplicas?: number};
			const containers = containersOf(spec.template);
			return [object.metadata.name, `${status.readyReplicas ?? 0}/${spec.replicas ?? 0}`, status.updatedReplicas ?? 0, status.availableReplicas ?? 0, since(object.metadata.creationTimestamp, now), containers.map(c => c.name).join(','), containers.map(c => c.image).join(','), selectorText(spec.selector)];
		},
	},
	replicasets: {
		columns: [column('Name', 'string', 0, 'name'), column('Desired', 'integer'), column('Current', 'integer'), column('Ready', 'integer'), column('Age'), column('Containers', 'string', 1), column('Images', 'string', 1), column('Selector', 'string', 1)],
		cells(object, now) {
			const spec = object.spec as {replicas?: number; template: unknown; selector: unknown};
			const status = object.status as {replicas?: number; readyReplicas?: number};
			const containers = containersOf(spec.template);
			return [object.metadata.name, spec.replicas ?? 0, status.replicas ?? 0, status.readyReplicas ?? 0, since(object.metadata.creationTimestamp, now), containers.map(c => c.name).join(','), containers.map(c => c.image).join(','), selectorText(spec.selector)];
		},
	},
	pods: {
		columns: [column('Name', 'string', 0, 'name'), column('Ready'), column('Status'), column('Restarts', 'string'), column('Age'), column('IP', 'string', 1), column('Node', 'string', 1), column('Nominated Node', 'string', 1), column('Readiness Gates', 'string', 1)],
		cells(object, now) {
			const status = object.status as {phase?: string; reason?: string; podIP?: string; containerStatuses?: ContainerStatus[]};
			const spec = object.spec as {containers: unknown[]; nodeName?: string};
			const statuses = status.containerStatuses ?? [];
			let reason = status.reason ?? status.phase ?? 'Unknown';
			let ready = 0;
			let restarts = 0;
			let lastRestart = 0;
			for (let i = statuses.length - 1; i >= 0; i--) {
				const container = statuses[i];
				restarts += container.restartCount ?? 0;
				const finished = container.lastState?.terminated?.finishedAt;
				if (finished) lastRestart = Math.max(lastRestart, Date.parse(finished));
				if (container.state?.waiting?.reason) reason = container.state.waiting.reason;
				else if (container.state?.terminated?.reason) reason = container.state.terminated.reason;
				else if (container.state?.terminated) reason = container.state.terminated.signal ? `Signal:${container.state.terminated.signal}` : `ExitCode:${container.state.terminated.exitCode}`;
				else if (container.ready && container.state?.running) ready++;
			}
			if (object.metadata.deletionTimestamp) reason = 'Terminating';
			const restartText = lastRestart > 0 ? `${restarts} (${kubeAge(now - lastRestart)} ago)` : String(restarts);
			return [object.metadata.name, `${ready}/${spec.containers.length}`, reason, restartText, since(object.metadata.creationTimestamp, now), status.podIP ?? '<none>', spec.nodeName ?? '<none>', '<none>', '<none>'];
		},
	},
	horizontalpodautoscalers: {
		columns: [column('Name', 'string', 0, 'name'), column('Reference'), column('Targets'), column('MinPods', 'string'), column('MaxPods', 'integer'), column('Replicas', 'integer'), column('Age')],
		cells(object, now) {
			const spec = object.spec as {scaleTargetRef: {kind: string; name: string}; minReplicas?: number; maxReplicas: number; metrics?: Array<{type: string; resource?: {name: string; target: {averageUtilization?: number; averageValue?: string}}}>};
			const status = object.status as {currentReplicas?: number; currentMetrics?: Array<{resource?: {name: string; current: {averageUtilization?: number}}}>};
			const targets = (spec.metrics ?? [])
				.map(metric => {
					if (metric.type !== 'Resource' || !metric.resource) return `<unknown>/${metric.type}`;
					const current = status.currentMetrics?.find(m => m.resource?.name === metric.resource!.name)?.resource?.current.averageUtilization;
					return `${metric.resource.name}: ${current === undefined ? '<unknown>' : `${current}%`}/${metric.resource.target.averageUtilization ?? metric.resource.target.averageValue}%`;
				})
				.join(', ');
			return [object.metadata.name, `${spec.scaleTargetRef.kind}/${spec.scaleTargetRef.name}`, targets || '<none>', String(spec.minReplicas ?? 1), spec.maxReplicas, status.currentReplicas ?? 0, since(object.metadata.creationTimestamp, now)];
		},
	},
	events: {
		columns: [column('Last Seen'), column('Type'), column('Reason'), column('Object'), column('Subobject', 'string', 1), column('Source', 'string', 1), column('Message'), column('First Seen', 'string', 1), column('Count', 'string', 1), column('Name', 'string', 1, 'name')],
		cells(object, now) {
			const event = object as KubeObject & {involvedObject: {kind: string; name: string; fieldPath?: string}; source?: {component?: string; host?: string}; lastTimestamp?: string; firstTimestamp?: string; count?: number; type?: string; reason?: string; message?: string};
			const source = [event.source?.component, event.source?.host].filter(Boolean).join(', ');
			return [since(event.lastTimestamp, now), event.type ?? '', event.reason ?? '', `${event.involvedObject.kind.toLowerCase()}/${event.involvedObject.name}`, event.involvedObject.fieldPath ?? '', source, event.message ?? '', since(event.firstTimestamp, now), String(event.count ?? 1), event.metadata.name];
		},
	},
	secrets: {
		columns: [column('Name', 'string', 0, 'name'), column('Type'), column('Data', 'integer'), column('Age')],
		cells: (object, now) => [object.metadata.name, object.type ?? 'Opaque', Object.keys((object.data as object) ?? {}).length, since(object.metadata.creationTimestamp, now)],
	},
	namespaces: {
		columns: [column('Name', 'string', 0, 'name'), column('Status'), column('Age')],
		cells: (object, now) => [object.metadata.name, (object.status as {phase?: string})?.phase ?? 'Active', since(object.metadata.creationTimestamp, now)],
	},
};

/** The default printer of resources without one of their own: name and age. */
const fallback: Printer = {
	columns: [column('Name', 'string', 0, 'name'), column('Age')],
	cells: (object, now) => [object.metadata.name, since(object.metadata.creationTimestamp, now)],
};

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function toTable(resource: string, objects: KubeObject[], now: number, options: {includeObject: IncludeObject; resourceVersion?: string; withHeaders?: boolean}): Record<string, unknown> {
	const printer = printers[resource] ?? fallback;
	const rows: Row[] = objects.map(object => ({cells: printer.cells(object, now), object: embedded(object, options.includeObject)}));
	return {
		kind: 'Table',
		apiVersion: 'meta.k8s.io/v1',
		metadata: options.resourceVersion ? {resourceVersion: options.resourceVersion} : {},
		...(options.withHeaders === false ? {} : {columnDefinitions: printer.columns}),
		rows,
	};
}

function embedded(object: KubeObject, include: IncludeObject): unknown {
	if (include === 'None') return null;
	if (include === 'Object') return object;
	return {kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata};
}
