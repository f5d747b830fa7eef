import type {StateCreator} from 'zustand';
import type {RunEvent, RunResult, StepStatus} from '../../runbooks/engine.js';
import type {Plan, PlannedStep} from '../../runbooks/plan.js';
import type {Runbook} from '../../runbooks/schema.js';
import type {RecentRun} from '../../services/audit.js';
import {emptyResource, type Resource} from '../resource.js';
import type {AppState} from '../store.js';

/** Output lines kept per step: enough for the progress view, bounded for a chatty exec. */
const outputLinesKept = 50;

export type RunbookCatalog = {
	runbooks: Runbook[];
	/** Problems with user runbook files (file:line: key: expected …); the others still load. */
	errors: string[];
	/** Runbooks left out because this environment's platform cannot run them: how many, and why in one line. */
	hidden?: {count: number; reason: string};
};

export type StepView = {
	phase: PlannedStep['phase'];
	id: string;
	title: string;
	mutating: boolean;
	status: 'pending' | 'running' | StepStatus;
	startedAt?: number;
	elapsedMs?: number;
	detail?: string;
	output: string[];
};

/** Where the operator is in one runbook's flow; the picker is the absence of a flow. */
export type RunbookFlow =
	| {stage: 'inputs'; runbookId: string; values: Record<string, string>; errors: string[]; planning: boolean}
	| {stage: 'plan'; runbookId: string; values: Record<string, string>; plan: Plan}
	| {stage: 'running'; plan: Plan; steps: StepView[]; prompt?: string; aborting: boolean}
	| {stage: 'done'; plan: Plan; steps: StepView[]; result: RunResult};

export type RunbooksSlice = {
	/** Loaded lazily, the first time a runbook view is opened: start-up stays fast. */
	runbookCatalog: Resource<RunbookCatalog | undefined>;
	/** From the audit log, newest first. */
	recentRuns: Resource<RecentRun[]>;
	runbookFlow?: RunbookFlow;
	setRunbookCatalog(catalog: RunbookCatalog | undefined, error: string | undefined, at: number): void;
	setRecentRuns(runs: RecentRun[] | undefined, error: string | undefined, at: number): void;
	setRunbookFlow(flow: RunbookFlow | undefined): void;
	/** One commit per engine event: a run has a handful of steps, so these are few. */
	applyRunEvent(event: RunEvent, at: number): void;
};

export function stepViews(plan: Plan): StepView[] {
	return [...plan.preconditions, ...plan.steps].map(s => ({phase: s.phase, id: s.id, title: s.title, mutating: s.mutating, status: 'pending', output: []}));
}

function updateStep(steps: StepView[], step: PlannedStep, change: (view: StepView) => StepView): StepView[] {
	return steps.map(view => (view.phase === step.phase && view.id === step.id ? change(view) : view));
}

export function reduceRunEvent(flow: RunbookFlow | undefined, event: RunEvent, at: number): RunbookFlow | undefined {
	if (!flow || (flow.stage !== 'running' && flow.stage !== 'done')) return flow;
	switch (event.type) {
		case 'run-started': {
			return flow;
		}
		case 'step-started': {
			return flow.stage === 'running' ? {...flow, steps: updateStep(flow.steps, event.step, v => ({...v, status: 'running', startedAt: at}))} : flow;
		}
		case 'step-output': {
			return {...flow, steps: updateStep(flow.steps, event.step, v => ({...v, output: [...v.output.slice(-(outputLinesKept - 1)), event.line]}))};
		}
		case 'confirm-requested': {
			return flow.stage === 'running' ? {...flow, prompt: event.prompt} : flow;
		}
		case 'step-finished': {
			const steps = updateStep(flow.steps, event.step, v => ({...v, status: event.status, elapsedMs: event.elapsedMs, detail: event.detail}));
			return flow.stage === 'running' ? {...flow, steps, prompt: undefined} : {...flow, steps};
		}
		case 'run-finished': {
			return {stage: 'done', plan: flow.plan, steps: flow.steps, result: event.result};
		}
	}
}

export const createRunbooksSlice: StateCreator<AppState, [], [], RunbooksSlice> = set => ({
	runbookCatalog: emptyResource<RunbookCatalog | undefined>(undefined),
	recentRuns: emptyResource<RecentRun[]>([]),
	runbookFlow: undefined,
	setRunbookCatalog: (catalog, error, at) =>
		set(state => ({runbookCatalog: {data: catalog ?? state.runbookCatalog.data, error, updatedAt: catalog ? at : state.runbookCatalog.updatedAt}})),
	setRecentRuns: (runs, error, at) =>
		set(state => ({recentRuns: {data: runs ?? state.recentRuns.data, error, updatedAt: runs ? at : state.recentRuns.updatedAt}})),
	setRunbookFlow: flow => set({runbookFlow: flow}),
	applyRunEvent: (event, at) => set(state => ({runbookFlow: reduceRunEvent(state.runbookFlow, event, at)})),
});
