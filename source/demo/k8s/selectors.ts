/** Label and field selectors as the API server parses them (`app=x,tier!=db`, `env in (a,b)`, `!canary`). */
import type {KubeObject} from './store.js';

export class SelectorError extends Error {}

type Requirement = (labels: Record<string, string>) => boolean;

export function parseLabelSelector(text: string | null | undefined): (object: KubeObject) => boolean {
	if (!text) return () => true;
	const requirements: Requirement[] = [];
	// Commas inside "in (a,b)" belong to the set, not to the list of requirements.
	for (const raw of text.match(/[^,(]+(\([^)]*\))?[^,]*/g) ?? []) {
		const part = raw.trim();
		if (!part) continue;
		let match: RegExpExecArray | null;
		if ((match = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part))) {
			const [, key, op, list] = match;
			const values = list.split(',').map(v => v.trim());
			requirements.push(op === 'in' ? labels => key in labels && values.includes(labels[key]) : labels => !(key in labels) || !values.includes(labels[key]));
		} else if ((match = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(part))) {
			const [, key, op, value] = match;
			requirements.push(op === '!=' ? labels => labels[key] !== value : labels => labels[key] === value);
		} else if ((match = /^!([\w./-]+)$/.exec(part))) {
			const key = match[1];
			requirements.push(labels => !(key in labels));
		} else if (/^[\w./-]+$/.test(part)) {
			requirements.push(labels => part in labels);
		} else {
			throw new SelectorError(`unable to parse requirement: ${part}`);
		}
	}
	return object => requirements.every(requirement => requirement(object.metadata.labels ?? {}));
}

/** The fields each resource may be selected by, as the API server's field label conversion allows. */
const fieldsByResource: Record<string, string[]> = {
	pods: ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
	events: ['metadata.name', 'metadata.namespace', 'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
};

export function parseFieldSelector(resource: string, text: string | null | undefined): (object: KubeObject) => boolean {
	if (!text) return () => true;
	const allowed = fieldsByResource[resource] ?? ['metadata.name', 'metadata.namespace'];
	const tests = text.split(',').map(part => {
		const match = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(part.trim());
		if (!match) throw new SelectorError(`invalid selector: '${text}'; can't understand '${part}'`);
		const [, field, op, value] = match;
		if (!allowed.includes(field)) throw new SelectorError(`field label not supported: ${field}`);
		return (object: KubeObject) => {
			const actual = fieldValue(object, field);
			return op === '!=' ? actual !== value : actual === value;
		};
	});
	return object => tests.every(test => test(object));
}

function fieldValue(object: KubeObject, field: string): string {
	if (field === 'source') return String((object.source as {component?: string})?.component ?? '');
	let node: unknown = object;
	for (const part of field.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
	return node === undefined || node === null ? '' : String(node);
}
