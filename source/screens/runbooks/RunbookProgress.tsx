import {Box, Text} from 'ink';
import React, {memo} from 'react';
import type {RunResult} from '../../runbooks/engine.js';
import {formatMs, statusMark} from '../../runbooks/render.js';
import type {StepView} from '../../store/slices/runbooks.js';
import {useTheme} from '../../theme/ThemeContext.js';
import type {ThemeToken} from '../../theme/theme.js';
import {fitCell} from '../../util/format.js';
import {wrapLines} from '../../components/wrapLines.js';

export type RunbookProgressProps = {
	title: string;
	steps: readonly StepView[];
	/** Set once the run is over: the outcome and the state sentence are shown. */
	result?: RunResult;
	aborting: boolean;
	now: number;
	width: number;
	height: number;
};

const tone: Record<StepView['status'], ThemeToken | undefined> = {
	pending: 'muted',
	running: 'info',
	ok: 'ok',
	failed: 'crit',
	aborted: 'warn',
	'not-run': 'muted',
};

const outcomeTone: Record<RunResult['outcome'], ThemeToken> = {ok: 'ok', failed: 'crit', aborted: 'warn', refused: 'crit'};

function elapsed(step: StepView, now: number): string {
	if (step.elapsedMs !== undefined) return formatMs(step.elapsedMs);
	if (step.status === 'running' && step.startedAt !== undefined) return formatMs(Math.max(0, Math.floor((now - step.startedAt) / 1000) * 1000));
	return '';
}

/** One line per step (status, elapsed, what happened), the newest output lines, and at the end the summary. */
export const RunbookProgress = memo(function RunbookProgress({title, steps, result, aborting, now, width, height}: RunbookProgressProps) {
	const theme = useTheme();
	const running = steps.find(s => s.status === 'running');
	const idWidth = Math.min(24, Math.max(0, ...steps.map(s => s.id.length)));
	const withOutput = running ?? [...steps].reverse().find(s => s.output.length > 0);
	const summary = result
		? wrapLines(
				[
					`${result.outcome.toUpperCase()} in ${formatMs(result.elapsedMs)}${result.notRun.length > 0 ? `${theme.glyph.separator}not run: ${result.notRun.join(', ')}` : ''}`,
					result.state,
					...(result.auditError ? [`warning: ${result.auditError}`] : []),
				],
				width,
			)
		: [];
	const status = result ? [] : [aborting ? `aborting after the current step${theme.glyph.pending}` : `running ${theme.text(title)}${theme.glyph.pending}`];
	const outputRoom = Math.max(0, height - 1 - steps.length - summary.length - status.length - 1);
	const output = withOutput && outputRoom > 0 ? wrapLines(withOutput.output, width - 4).slice(-outputRoom) : [];
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			{steps.map(step => (
				<Text key={`${step.phase}-${step.id}`} wrap="truncate" color={theme.color(tone[step.status])}>
					{fitCell(
						`${step.status === 'running' ? '[..]  ' : step.status === 'pending' ? '[  ]  ' : statusMark(step.status)} ${step.id.padEnd(idWidth)} ${elapsed(step, now).padStart(8)}  ${theme.text(step.detail ?? step.title)}`,
						width,
						'left',
						theme.glyph.ellipsis,
					)}
				</Text>
			))}
			{output.length > 0 ? (
				<>
					<Text color={theme.color('muted')}>{fitCell(`output of ${withOutput!.id}:`, width, 'left', theme.glyph.ellipsis)}</Text>
					{output.map((line, i) => (
						<Text key={`out-${i}`} wrap="truncate" color={theme.color('muted')}>
							{`    ${theme.text(line)}`}
						</Text>
					))}
				</>
			) : null}
			{status.map(line => (
				<Text key={line} wrap="truncate" color={theme.color(aborting ? 'warn' : 'info')}>
					{line}
				</Text>
			))}
			{summary.map((line, i) => (
				<Text key={`sum-${i}`} wrap="truncate" bold={i === 0 && !theme.noColor} color={i === 0 && result ? theme.color(outcomeTone[result.outcome]) : undefined}>
					{theme.text(line)}
				</Text>
			))}
		</Box>
	);
});
