import {Box, Text} from 'ink';
import React, {memo, useMemo} from 'react';
import type {CheckResult, CheckRun} from '../../checks/types.js';
import {statusRank, type CheckStatus} from '../../checks/verdict.js';
import {Pane, type PaneStatus} from '../../components/Pane.js';
import {useAppState} from '../../hooks/AppContext.js';
import {useDataAge} from '../../hooks/useDataAge.js';
import {useErrorText} from '../../hooks/useErrorText.js';
import {checksMinIntervalMs} from '../../controllers/pollers/checks.js';
import {useTheme} from '../../theme/ThemeContext.js';
import type {Glyphs, ThemeToken} from '../../theme/theme.js';
import {formatAge, truncate} from '../../util/format.js';

type Ran = Extract<CheckResult, {leftOut: false}>;

const tone: Record<CheckStatus, ThemeToken> = {pass: 'ok', warn: 'warn', fail: 'crit', unknown: 'muted'};
const mark = (status: CheckStatus, glyphs: Glyphs) => (status === 'pass' ? glyphs.status.ok : status === 'warn' ? glyphs.status.warn : status === 'fail' ? glyphs.status.crit : '?');

/** The checks that ran, worst first (then in catalog order), each as "● services-up", laid out in lines of `width`. */
export function checkChipLines(run: CheckRun | undefined, width: number): Ran[][] {
	if (!run) return [];
	const ran = run.results.filter((result): result is Ran => !result.leftOut);
	const sorted = ran.map((result, index) => ({result, index})).sort((a, b) => statusRank[b.result.verdict.status] - statusRank[a.result.verdict.status] || a.index - b.index);
	const lines: Ran[][] = [];
	let line: Ran[] = [];
	let used = 0;
	for (const {result} of sorted) {
		const size = result.id.length + 2 + (line.length > 0 ? 2 : 0);
		if (line.length > 0 && used + size > width) {
			lines.push(line);
			line = [];
			used = 0;
		}
		used += size;
		line.push(result);
	}
	if (line.length > 0) lines.push(line);
	return lines;
}

/** Lines the pane wants at this width: its border, the chips (two lines at most) and the worst check's reason. */
export function checksPaneHeight(run: CheckRun | undefined, width: number): number {
	if (!run) return 3;
	const chips = Math.min(2, checkChipLines(run, width - 2).length);
	const worst = run.results.some(result => !result.leftOut && result.verdict.status !== 'pass');
	return 2 + Math.max(1, chips) + (worst ? 1 : 0);
}

/**
 * The daily checks (`botops check all`) as the Dashboard runs them: each check's status, the worst one's reason,
 * and how old the run is once it is stale. Pure view of the `checks` slice.
 */
export const ChecksPane = memo(function ChecksPane({width, height}: {width: number; height: number}) {
	const theme = useTheme();
	const resource = useAppState(state => state.checks);
	const run = resource.data;
	const error = useErrorText(resource);
	// The run's age only once it is stale (then useDataAge re-renders each second): a fresh run's age would tick
	// the pane's edge at every render for nothing.
	const {stale, ageMs} = useDataAge(resource.updatedAt, checksMinIntervalMs * 2.5);
	const lines = useMemo(() => checkChipLines(run, width - 2), [run, width]);
	const room = Math.max(0, height - 2 - (error ? 1 : 0));
	const worst = lines[0]?.[0];
	const showReason = worst !== undefined && worst.verdict.status !== 'pass' && room > 1;
	const chipRows = lines.slice(0, Math.max(0, room - (showReason ? 1 : 0)));
	const counts = run ? run.results.reduce((c, r) => (r.leftOut ? {...c, leftOut: c.leftOut + 1} : {...c, [r.verdict.status]: c[r.verdict.status] + 1}), {pass: 0, warn: 0, fail: 0, unknown: 0, leftOut: 0}) : undefined;
	const info = counts ? `${counts.pass}/${counts.pass + counts.warn + counts.fail + counts.unknown} pass${counts.leftOut > 0 ? `, ${counts.leftOut} left out` : ''}` : undefined;
	const old = resource.updatedAt > 0 && (stale || error !== undefined);
	const status: PaneStatus = {stale: old, age: resource.updatedAt === 0 && !error ? 'running the checks' : old ? formatAge(Math.max(1000, ageMs)) : undefined, error};
	return (
		<Pane title="Checks" info={info} infoTone={run?.status ? tone[run.status] : 'muted'} status={status} width={width} height={height}>
			{chipRows.map((line, i) => (
				<Text key={i} wrap="truncate">
					{line.map((result, j) => (
						<Text key={result.id}>
							{j > 0 ? '  ' : ''}
							<Text color={theme.color(tone[result.verdict.status])}>{mark(result.verdict.status, theme.glyph)}</Text> {result.id}
						</Text>
					))}
				</Text>
			))}
			{showReason ? (
				<Box>
					<Text wrap="truncate" color={theme.color(tone[worst.verdict.status])}>
						{truncate(theme.text(`${worst.id}: ${worst.verdict.reason}`), width - 2, theme.glyph.ellipsis)}
					</Text>
				</Box>
			) : null}
		</Pane>
	);
});
