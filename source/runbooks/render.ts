import type {RunResult} from './engine.js';
import type {Plan, PlannedStep} from './plan.js';

/** The plan as plain lines, for `botops runbook show` and the modal alike. Everything here is already masked. */
export function renderPlan(plan: Plan): string[] {
	const lines = [`${plan.runbook.title} (${plan.runbook.id}) on ${plan.environmentLine}`];
	const inputs = Object.entries(plan.inputs);
	if (inputs.length > 0) lines.push(`  inputs: ${inputs.map(([k, v]) => `${k}=${String(v)}`).join(' ')}`);
	if (plan.preconditions.length > 0) {
		lines.push('  preconditions:');
		plan.preconditions.forEach((step, i) => lines.push(...renderStep(step, i)));
	}
	lines.push('  steps:');
	plan.steps.forEach((step, i) => lines.push(...renderStep(step, i)));
	if (plan.affects.length > 0) lines.push(`  affects: ${plan.affects.join(', ')}`);
	for (const note of plan.notes) lines.push(`  note: ${note}`);
	for (const blocker of plan.blockers) lines.push(`  REFUSED: ${blocker}`);
	lines.push(`  confirmation: ${describeConfirmation(plan)}`);
	return lines;
}

function renderStep(step: PlannedStep, i: number): string[] {
	const flags = [step.kind, ...(step.mutating ? ['changes'] : []), ...(step.onFailure === 'continue' ? ['continue on failure'] : [])];
	return [
		`    ${i + 1}. ${step.id}: ${step.title} [${flags.join(', ')}]`,
		`       target: ${step.line.target}`,
		`       call:   ${step.line.call}`,
		// What the step's preview read from the live system (a rollback's template diff, an HPA's bounds).
		...(step.line.details ?? []).map(detail => `       ${detail}`),
	];
}

export function describeConfirmation(plan: Plan): string {
	switch (plan.confirmation.kind) {
		case 'none': {
			return 'none (read-only steps)';
		}
		case 'yes-no': {
			return 'y/N (default: cancel)';
		}
		case 'type-environment': {
			return `type "${plan.confirmation.expected}" (default: cancel)`;
		}
	}
}

/** The closing summary: outcome, each step's status and time, and the state sentence. */
export function renderResult(result: RunResult): string[] {
	const lines = [`${result.runbook} on ${result.environment}: ${result.outcome.toUpperCase()} in ${formatMs(result.elapsedMs)}`];
	for (const step of result.steps) {
		const time = step.elapsedMs === undefined ? '' : ` ${formatMs(step.elapsedMs)}`;
		lines.push(`  ${statusMark(step.status)} ${step.id}${time}${step.detail ? ` — ${step.detail}` : ''}`);
	}
	lines.push(result.state);
	if (result.auditError) lines.push(`warning: ${result.auditError}`);
	return lines;
}

export function statusMark(status: string): string {
	return status === 'ok' ? '[ok]  ' : status === 'failed' ? '[FAIL]' : status === 'aborted' ? '[abrt]' : status === 'running' ? '[..]  ' : '[--]  ';
}

export function formatMs(ms: number): string {
	return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
