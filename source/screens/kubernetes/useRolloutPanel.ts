import {useEffect, useMemo, useState} from 'react';
import type {LogRecord} from '../../logs/record.js';
import {useAppContext, useAppState} from '../../hooks/AppContext.js';
import {useCluster} from '../../hooks/useCluster.js';
import type {KeyHandlers} from '../../hooks/useKeymap.js';
import {useRunbookCatalog} from '../../hooks/useRunbooks.js';
import {dedentDiff, previousRevision, revisionDiff, rolloutPanelData, type RolloutPanelData} from '../../services/kubernetes/rollout-view.js';
import type {ReplicaSetRow} from '../../services/kubernetes/view.js';

/** The built-in runbook the panel's undo keys plan (source/runbooks/builtin/rollback.yaml). */
export const rollbackRunbookId = 'rollback';

/** Records looked at, newest first, for the new pods' lines: a bound on work per commit, whatever the buffer holds. */
const logScanLimit = 20_000;

export type RolloutPanelState = {
	data: RolloutPanelData | undefined;
	now: number;
	/** The revision whose template is diffed (by number): the previous one until another is chosen. */
	selected: ReplicaSetRow | undefined;
	selectedIndex: number;
	/** Dedented for the pane (the plan shows the same diff whole). */
	diff: string[] | 'identical' | undefined;
	/** The newest lines of the new replica set's pods, oldest first. */
	logLines: LogRecord[];
	handlers: KeyHandlers;
};

/**
 * The rollout panel of one deployment (by name): the panel's data from the cluster view, the chosen revision (by
 * number, so a rollout that adds revisions keeps it), the new pods' log lines from the shared log buffer, and the
 * undo keys, which plan the `rollback` runbook (the modal shows the plan, its diff and its confirmation).
 */
export function useRolloutPanel(deploymentName: string, logLimit: number, onBack: () => void): RolloutPanelState {
	const {view, now} = useCluster();
	const {environment, runbooks, startLogs} = useAppContext();
	const catalog = useRunbookCatalog();
	const openModal = useAppState(s => s.openModal);
	const setFlash = useAppState(s => s.setFlash);
	const buffer = useAppState(s => s.logs.buffer);
	const logVersion = useAppState(s => s.logs.version);
	useEffect(() => startLogs(), [startLogs]);
	const data = useMemo(() => (view ? rolloutPanelData(view, deploymentName) : undefined), [view, deploymentName]);
	const revisions = data?.revisions ?? [];
	const [chosen, setChosen] = useState<number | undefined>(undefined);
	const selected = revisions.find(r => r.revision === chosen) ?? previousRevision(revisions) ?? revisions[0];
	const selectedIndex = selected ? revisions.indexOf(selected) : 0;
	const diff = useMemo(() => {
		const lines = data && selected ? revisionDiff(data.deployment, selected) : undefined;
		return Array.isArray(lines) ? dedentDiff(lines) : lines;
	}, [data?.deployment.template, selected?.template]);
	const podsKey = (data?.newPods ?? []).join(' ');
	const logLines = useMemo(() => {
		const pods = new Set(data?.newPods ?? []);
		const found: LogRecord[] = [];
		if (pods.size === 0 || logLimit <= 0) return found;
		const oldest = Math.max(0, buffer.size - logScanLimit);
		for (let i = buffer.size - 1; i >= oldest && found.length < logLimit; i--) {
			const record = buffer.at(i)!;
			if (record.instance !== undefined && pods.has(record.instance)) found.push(record);
		}
		return found.reverse();
	}, [buffer, logVersion, podsKey, logLimit]);

	const move = (to: number) => {
		const row = revisions[Math.max(0, Math.min(revisions.length - 1, to))];
		if (row) setChosen(row.revision);
	};
	const undo = (toRevision: number) => {
		if (!data) return;
		const service = environment.services.find(s => (s.deployment ?? s.name) === deploymentName);
		if (!service) return setFlash(`deployment ${deploymentName} is not one of ${environment.name}'s services: roll it back with kubectl`, 'error');
		if (catalog.error) return setFlash(`runbooks: ${catalog.error}`, 'error');
		// The catalogue loads when the panel opens; an undo pressed before it arrived is planned once it has.
		if (!catalog.data) return setPendingUndo(toRevision);
		if (!catalog.data.runbooks.some(r => r.id === rollbackRunbookId)) return setFlash(`no ${rollbackRunbookId} runbook in the catalogue`, 'error');
		if (runbooks.isRunning()) return openModal({type: 'runbooks'});
		runbooks.dismiss();
		openModal({type: 'runbooks', service: service.name});
		// Straight to the plan: the inputs are known, and the plan (diff, refusal or skip) is what the operator checks.
		void runbooks.submitInputs(rollbackRunbookId, {service: service.name, toRevision: String(toRevision)});
	};
	const [pendingUndo, setPendingUndo] = useState<number | undefined>(undefined);
	useEffect(() => {
		if (pendingUndo === undefined || (!catalog.data && !catalog.error)) return;
		setPendingUndo(undefined);
		undo(pendingUndo);
	}, [catalog, pendingUndo]);
	const handlers: KeyHandlers = {
		back: onBack,
		up: () => move(selectedIndex - 1),
		down: () => move(selectedIndex + 1),
		top: () => move(0),
		bottom: () => move(revisions.length - 1),
		rolloutUndo: () => undo(0),
		rolloutUndoTo: () => selected && undo(selected.revision),
	};
	return {data, now, selected, selectedIndex, diff, logLines, handlers};
}
