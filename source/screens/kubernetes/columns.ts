import type {TableColumn} from '../../components/Table.js';
import type {DeploymentRow, EventRow, HpaRow, PodRow, ReplicaSetRow} from '../../services/kubernetes/view.js';
import type {ThemeToken} from '../../theme/theme.js';
import {formatDuration} from '../../util/format.js';

const age = (at: number, now: number) => (at > 0 ? formatDuration(Math.max(0, now - at)) : '-');

const deploymentTone = (row: DeploymentRow): ThemeToken | undefined => {
	if (row.stalled) return 'crit';
	if (row.paused || row.ready < row.desired || row.updated < row.desired) return 'warn';
	return 'ok';
};

/** `kubectl get deploy` plus what a rollout needs at a glance: revision, paused, a stalled rollout in words. */
export const deploymentColumns: ReadonlyArray<TableColumn<DeploymentRow>> = [
	{key: 'name', header: 'DEPLOYMENT', width: 20, priority: 0, render: row => row.name, color: deploymentTone},
	{key: 'ready', header: 'READY', width: 6, priority: 0, align: 'right', render: row => `${row.ready}/${row.desired}`, color: deploymentTone},
	{key: 'updated', header: 'UP-TO-DATE', width: 10, priority: 1, align: 'right', render: row => String(row.updated)},
	{key: 'available', header: 'AVAILABLE', width: 9, priority: 1, align: 'right', render: row => String(row.available)},
	{key: 'revision', header: 'REV', width: 4, priority: 2, align: 'right', render: row => String(row.revision)},
	{key: 'image', header: 'IMAGE', width: 30, priority: 1, render: row => row.image},
	{
		key: 'state',
		header: 'ROLLOUT',
		width: 24,
		priority: 0,
		render: row => (row.stalled ? 'stalled: ProgressDeadlineExceeded' : row.paused ? 'paused' : row.updated < row.desired || row.ready < row.desired ? 'rolling out' : 'complete'),
		color: deploymentTone,
	},
];

const podTone = (row: PodRow): ThemeToken | undefined => {
	if (row.status === 'Running' && !row.ready.startsWith('0/')) return row.ready.split('/')[0] === row.ready.split('/')[1] ? undefined : 'warn';
	if (row.status === 'Completed' || row.status === 'Terminating') return 'muted';
	if (row.status === 'Pending' || row.status === 'ContainerCreating' || row.status === 'Running') return 'warn';
	return 'crit';
};

/** `kubectl get pods -o wide` with the last termination reason (OOMKilled, Error) and its exit code. */
export function podColumns(now: number): Array<TableColumn<PodRow>> {
	return [
		{key: 'name', header: 'POD', width: 34, priority: 0, render: row => row.name, color: podTone},
		{key: 'ready', header: 'READY', width: 5, priority: 0, render: row => row.ready, color: podTone},
		{key: 'status', header: 'STATUS', width: 17, priority: 0, render: row => row.status, color: podTone},
		{key: 'restarts', header: 'RESTARTS', width: 8, priority: 1, align: 'right', render: row => String(row.restarts), color: row => (row.restarts > 0 ? 'warn' : undefined)},
		{key: 'age', header: 'AGE', width: 6, priority: 1, align: 'right', render: row => age(row.createdAt, now)},
		{key: 'node', header: 'NODE', width: 14, priority: 3, render: row => row.node ?? '-'},
		{key: 'last', header: 'LAST TERMINATION', width: 18, priority: 2, render: row => row.lastTermination ?? '-', color: row => (row.lastTermination ? 'crit' : 'muted')},
	];
}

/** `kubectl get hpa`: each metric's current against its target. */
export const hpaColumns: ReadonlyArray<TableColumn<HpaRow>> = [
	{key: 'name', header: 'HPA', width: 24, priority: 0, render: row => row.name},
	{key: 'target', header: 'REFERENCE', width: 30, priority: 2, render: row => row.target},
	{key: 'metrics', header: 'TARGETS', width: 16, priority: 0, render: row => row.metrics.join(', ') || '-'},
	{key: 'min', header: 'MIN', width: 4, priority: 1, align: 'right', render: row => String(row.min)},
	{key: 'max', header: 'MAX', width: 4, priority: 0, align: 'right', render: row => String(row.max)},
	{key: 'replicas', header: 'REPLICAS', width: 8, priority: 0, align: 'right', render: row => (row.desired !== row.current ? `${row.current}→${row.desired}` : String(row.current)), color: row => (row.current >= row.max ? 'warn' : undefined)},
];

/** Namespace events, warnings first. */
export function eventColumns(now: number): Array<TableColumn<EventRow>> {
	return [
		{key: 'age', header: 'AGE', width: 6, priority: 1, align: 'right', render: row => age(row.at, now)},
		{key: 'type', header: 'TYPE', width: 7, priority: 0, render: row => row.type, color: row => (row.type === 'Warning' ? 'warn' : 'muted')},
		{key: 'reason', header: 'REASON', width: 18, priority: 0, render: row => row.reason},
		{key: 'object', header: 'OBJECT', width: 34, priority: 1, render: row => row.object},
		{key: 'count', header: '#', width: 3, priority: 2, align: 'right', render: row => String(row.count)},
		{key: 'message', header: 'MESSAGE', width: 30, priority: 0, render: row => row.message},
	];
}

export const podFilterFields = (row: PodRow): string[] => [row.name, row.deployment, row.status, row.lastTermination ?? ''];
export const eventFilterFields = (row: EventRow): string[] => [row.type, row.reason, row.object, row.message];

/** An image without its registry path: the tag is what tells revisions apart, and must survive a narrow column. */
const shortImage = (image: string) => image.slice(image.lastIndexOf('/') + 1);

/** `kubectl rollout history` with what it leaves out: each revision's image, age and pods, and which one is live. */
export function revisionColumns(now: number, liveMark: string): Array<TableColumn<ReplicaSetRow>> {
	return [
		{key: 'revision', header: 'REV', width: 5, priority: 0, render: row => `${String(row.revision).padStart(3)} ${row.current ? liveMark : ''}`, color: row => (row.current ? 'accent' : undefined)},
		{key: 'age', header: 'AGE', width: 6, priority: 2, align: 'right', render: row => age(row.createdAt, now)},
		{key: 'pods', header: 'PODS', width: 5, priority: 3, align: 'right', render: row => `${row.ready}/${row.replicas}`, color: row => (row.ready < row.replicas ? 'warn' : row.replicas === 0 ? 'muted' : undefined)},
		{key: 'image', header: 'IMAGE', width: 22, priority: 0, render: row => shortImage(row.image)},
		{key: 'cause', header: 'CHANGE-CAUSE', width: 12, priority: 1, render: row => row.changeCause ?? '<none>', color: row => (row.changeCause ? undefined : 'muted')},
	];
}
