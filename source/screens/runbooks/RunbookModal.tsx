import {useApp} from 'ink';
import React, {useEffect, useMemo, useState} from 'react';
import {Confirm} from '../../components/Confirm.js';
import type {KeyHint} from '../../components/KeyHints.js';
import {Modal} from '../../components/Modal.js';
import {paneContentSize} from '../../components/Pane.js';
import {useAppContext, useAppState} from '../../hooks/AppContext.js';
import {keyPriority, useKeypress} from '../../hooks/KeypressContext.js';
import {useListSelection} from '../../hooks/useListSelection.js';
import {useNow} from '../../hooks/useNow.js';
import {useRunbookCatalog} from '../../hooks/useRunbooks.js';
import {useTheme} from '../../theme/ThemeContext.js';
import {runbookId, runbooksFor} from './catalog.js';
import {RunbookInputForm} from './RunbookInputForm.js';
import {RunbookPicker} from './RunbookPicker.js';
import {RunbookPlanView} from './RunbookPlanView.js';
import {RunbookProgress} from './RunbookProgress.js';

const hintsByStage: Record<string, KeyHint[]> = {
	pick: [
		{key: 'key/enter', label: 'choose'},
		{key: 'j/k', label: 'move'},
		{key: 'esc', label: 'close'},
	],
	inputs: [
		{key: 'enter', label: 'plan'},
		{key: 'tab', label: 'next field'},
		{key: '←/→', label: 'choose value'},
		{key: 'esc', label: 'back'},
	],
	plan: [
		{key: 'y', label: 'run'},
		{key: 'enter/esc', label: 'cancel'},
		{key: '↑/↓', label: 'scroll'},
	],
	blocked: [{key: 'esc', label: 'close'}],
	running: [
		{key: 'esc/ctrl-c', label: 'abort between steps'},
		{key: 'q', label: 'quit (asks)'},
	],
	done: [{key: 'esc', label: 'close'}],
};

/**
 * The runbook dialog, drawn in place of the screen body: pick -> inputs -> plan and confirm -> live run ->
 * summary. It owns the keyboard while open (every key stops here), so screen and global keys are inactive.
 */
export function RunbookModal({width, height}: {width: number; height: number}) {
	const {exit} = useApp();
	const theme = useTheme();
	const {environment, keymap, runbooks: runner} = useAppContext();
	const modal = useAppState(s => s.modal);
	const runbookService = modal?.type === 'runbooks' ? modal.service : undefined;
	const closeModal = useAppState(s => s.closeModal);
	const setFlash = useAppState(s => s.setFlash);
	const flow = useAppState(s => s.runbookFlow);
	const catalog = useRunbookCatalog();
	const list = useMemo(() => runbooksFor(catalog.data?.runbooks ?? [], runbookService), [catalog.data, runbookService]);
	const [quitAsked, setQuitAsked] = useState(false);
	const [quitting, setQuitting] = useState(false);
	const running = flow?.stage === 'running';
	const now = useNow(running ? 1000 : 0);

	// Quitting mid-run waits for the run to stop, so the engine writes its audit record and the summary exists.
	useEffect(() => {
		if (quitting && !running) exit();
	}, [quitting, running, exit]);

	const close = () => {
		runner.dismiss();
		closeModal();
	};
	const choose = (id: string) => runner.choose(id, {service: runbookService});
	const page = Math.max(1, height - 8);
	// By id, so a catalogue reload (a user runbook file fixed meanwhile) keeps the cursor on its runbook.
	const selection = useListSelection(list, runbookId, page);
	const index = selection.index;

	useKeypress(
		name => {
			// ctrl-c leaves the dialog wherever it is, except mid-run, where it aborts (below).
			if (name === 'ctrl-c' && flow?.stage !== 'running') {
				if (flow?.stage === 'plan') setFlash(`${flow.plan.runbook.id}: cancelled, nothing was run`);
				close();
				return true;
			}
			if (!flow) {
				const byKey = name.length === 1 ? list.find(r => r.key === name) : undefined;
				if (byKey) choose(byKey.id);
				else if (name === 'enter' && list[index]) choose(list[index].id);
				else if (name === 'escape') close();
				else {
					// The list keys as the keymap binds them (the config may rebind them).
					const move = (keymap.byKey.get(name) ?? []).map(action => selection.handlers[action]).find(Boolean);
					move?.();
				}
			} else if (flow.stage === 'plan' && flow.plan.blockers.length > 0) {
				if (name === 'escape' || name === 'enter') close();
			} else if (flow.stage === 'running') {
				// A pending question (a confirm step, or "quit?") answers its own keys; only ctrl-c still aborts.
				if (name === 'ctrl-c') runner.abort();
				else if (quitAsked || flow.prompt !== undefined) return true;
				else if (name === 'escape') runner.abort();
				else if (name === 'q') setQuitAsked(true);
			} else if (flow.stage === 'done') {
				if (name === 'escape' || name === 'enter' || name === 'q') close();
			}
			return true;
		},
		{priority: keyPriority.modal},
	);

	const area = {width, height};
	const boxWidth = Math.min(width, 120);
	const content = paneContentSize(boxWidth, height);
	const bodyHeight = Math.max(1, content.height - 1);
	const runbook = flow && 'runbookId' in flow ? catalog.data?.runbooks.find(r => r.id === flow.runbookId) : undefined;
	const info = `${environment.protected ? environment.name.toUpperCase() : environment.name}${runbookService ? `${theme.glyph.separator}${runbookService}` : ''}`;
	const common = {width: boxWidth, height, areaWidth: area.width, areaHeight: area.height, info, infoTone: environment.protected ? ('prod' as const) : undefined};

	if (!flow) {
		return (
			<Modal title={runbookService ? `Runbooks for ${runbookService}` : 'Runbooks'} hints={hintsByStage.pick} {...common}>
				<RunbookPicker
					runbooks={list}
					errors={[...(catalog.error ? [catalog.error] : []), ...(catalog.data?.errors ?? [])]}
					selectedIndex={index}
					loading={!catalog.data && !catalog.error}
					width={content.width}
					height={bodyHeight}
				/>
			</Modal>
		);
	}
	if (flow.stage === 'inputs') {
		return (
			<Modal title={`Runbook ${flow.runbookId}: inputs`} hints={hintsByStage.inputs} {...common}>
				{runbook ? (
					<RunbookInputForm
						key={flow.runbookId}
						runbook={runbook}
						environment={environment}
						values={flow.values}
						errors={flow.errors}
						planning={flow.planning}
						width={content.width}
						height={bodyHeight}
						onSubmit={values => void runner.submitInputs(flow.runbookId, values)}
						onCancel={() => runner.dismiss()}
					/>
				) : null}
			</Modal>
		);
	}
	if (flow.stage === 'plan') {
		const blocked = flow.plan.blockers.length > 0;
		return (
			<Modal title={`Plan: ${flow.plan.runbook.title}`} hints={blocked ? hintsByStage.blocked : hintsByStage.plan} {...common}>
				<RunbookPlanView
					plan={flow.plan}
					width={content.width}
					height={bodyHeight}
					onConfirm={answer => runner.run(answer)}
					onCancel={() => {
						close();
						setFlash(`${flow.plan.runbook.id}: cancelled, nothing was run`);
					}}
				/>
			</Modal>
		);
	}
	const question = flow.stage === 'running' ? (quitAsked ? 'quit' : flow.prompt !== undefined ? 'prompt' : undefined) : undefined;
	const questionHeight = question ? 3 : 0;
	return (
		<Modal
			title={`${flow.stage === 'running' ? 'Running' : 'Finished'}: ${flow.plan.runbook.title}`}
			hints={flow.stage === 'running' ? hintsByStage.running : hintsByStage.done}
			{...common}
		>
			<RunbookProgress
				title={flow.plan.runbook.id}
				steps={flow.steps}
				result={flow.stage === 'done' ? flow.result : undefined}
				aborting={flow.stage === 'running' && (flow.aborting || quitting)}
				now={now}
				width={content.width}
				height={bodyHeight - questionHeight}
			/>
			{question === 'quit' ? (
				<Confirm
					key="quit"
					message="A runbook is running. Quit botops? It is aborted after the current step first."
					onConfirm={() => {
						setQuitAsked(false);
						setQuitting(true);
						runner.abort();
					}}
					onCancel={() => setQuitAsked(false)}
					width={content.width}
				/>
			) : question === 'prompt' && flow.stage === 'running' ? (
				<Confirm key={`prompt-${flow.prompt}`} message={flow.prompt!} onConfirm={() => runner.answerPrompt(true)} onCancel={() => runner.answerPrompt(false)} width={content.width} />
			) : null}
		</Modal>
	);
}
