import {Box, Text} from 'ink';
import React, {useMemo, useState} from 'react';
import {Confirm} from '../../components/Confirm.js';
import {keyPriority, useKeypress} from '../../hooks/KeypressContext.js';
import type {Plan} from '../../runbooks/plan.js';
import {renderPlan} from '../../runbooks/render.js';
import {useTheme} from '../../theme/ThemeContext.js';
import {wrapLines} from '../../components/wrapLines.js';

export type RunbookPlanViewProps = {
	plan: Plan;
	width: number;
	height: number;
	/** The answer the engine checks: true for y, or the environment name as typed. */
	onConfirm(answer: true | string): void;
	onCancel(): void;
};

/** The question under the plan; the prompt's own "[y/N]" is left to Confirm, which draws it. */
function question(plan: Plan): string {
	const target = `${plan.runbook.title} on ${plan.environment}`;
	switch (plan.confirmation.kind) {
		case 'none': {
			return `Run ${target}? (it changes nothing)`;
		}
		case 'yes-no': {
			return `Run ${target}?`;
		}
		case 'type-environment': {
			return plan.protected ? `Run ${target}? ${plan.environment} is a protected environment.` : `Run ${target}? It overwrites data.`;
		}
	}
}

/**
 * Every step with its exact target, call and environment, what it affects, notes and blockers; then the
 * confirmation, whose default is Cancel. A plan with blockers (read-only mode) shows why and offers no way to run.
 */
export function RunbookPlanView({plan, width, height, onConfirm, onCancel}: RunbookPlanViewProps) {
	const theme = useTheme();
	const lines = useMemo(() => wrapLines(renderPlan(plan), width), [plan, width]);
	const blocked = plan.blockers.length > 0;
	const typed = plan.confirmation.kind === 'type-environment';
	const refusal = `Refused: ${plan.blockers.join('; ')}. Nothing will run; esc closes.`;
	const rows = (text: string) => Math.max(1, Math.ceil(Array.from(text).length / Math.max(1, width)));
	// The scroll line, then the refusal or the question with Confirm's own lines (answer hint; typed: input, mismatch).
	const footer = 1 + (blocked ? rows(`x ${refusal}`) : rows(question(plan)) + (typed ? 3 : 1));
	const room = Math.max(1, height - footer);
	const [offset, setOffset] = useState(0);
	const maxOffset = Math.max(0, lines.length - room);
	const top = Math.min(offset, maxOffset);

	// Arrows and pages scroll a long plan; letters belong to the confirmation (the environment name is typed).
	useKeypress(
		name => {
			const step = name === 'up' ? -1 : name === 'down' ? 1 : name === 'pageup' ? -room : name === 'pagedown' ? room : 0;
			if (step === 0) return false;
			setOffset(Math.max(0, Math.min(maxOffset, top + step)));
			return true;
		},
		{priority: keyPriority.modal + 1},
	);

	const shown = lines.slice(top, top + room);
	const more = lines.length > room ? ` (lines ${top + 1}-${top + shown.length} of ${lines.length}, ${theme.glyph.upDown} scroll)` : '';
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Box flexDirection="column" height={room} overflow="hidden">
				{shown.map((line, i) => (
					<Text key={`${top + i}`} wrap="truncate" color={theme.color(/^\s+REFUSED:/.test(line) || /^ {7}- /.test(line) ? 'crit' : /^\s+note:/.test(line) ? 'warn' : /^ {7}\+ /.test(line) ? 'ok' : undefined)}>
						{theme.text(line)}
					</Text>
				))}
			</Box>
			<Text wrap="truncate" color={theme.color('muted')}>
				{more}
			</Text>
			{blocked ? (
				<Text color={theme.color('crit')}>{`${theme.glyph.status.crit} ${refusal}`}</Text>
			) : (
				<Confirm
					key={plan.createdAt}
					message={question(plan)}
					typeToConfirm={typed && plan.confirmation.kind === 'type-environment' ? plan.confirmation.expected : undefined}
					onConfirm={() => onConfirm(plan.confirmation.kind === 'type-environment' ? plan.confirmation.expected : true)}
					onCancel={onCancel}
					width={width}
				/>
			)}
		</Box>
	);
}
