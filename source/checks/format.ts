/**
 * The outputs of a check run: the table for a person, JSON for cron and chat, JUnit XML for CI, and the Prometheus
 * text format for node_exporter's textfile collector. Pure: each takes the run and returns the text.
 */
import {createTheme} from '../theme/theme.js';
import {wrapLines} from '../components/wrapLines.js';
import {formatLatency} from '../util/format.js';
import {checkExitCode} from './run.js';
import type {CheckResult, CheckRun} from './types.js';
import {statusRank, type CheckStatus} from './verdict.js';

/** Identifies the JSON document's shape; a change that drops or retypes a field changes the version. */
export const checkJsonSchema = 'botops.check/v1';

export type CheckJson = {
	schema: typeof checkJsonSchema;
	environment: string;
	routine: string;
	/** ISO time the run started. */
	at: string;
	durationMs: number;
	/** The worst verdict of the checks that ran (left-out checks do not count). */
	status: CheckStatus;
	exitCode: 0 | 1 | 3;
	counts: Record<CheckStatus | 'leftOut', number>;
	checks: CheckJsonEntry[];
};

export type CheckJsonEntry = {
	id: string;
	title: string;
	routines: string[];
	/** `left-out`: the check cannot be answered on this environment; `reason` says why. */
	status: CheckStatus | 'left-out';
	reason: string;
	figure?: string;
	value?: number;
	durationMs?: number;
};

export function countStatuses(results: readonly CheckResult[]): CheckJson['counts'] {
	const counts = {pass: 0, warn: 0, fail: 0, unknown: 0, leftOut: 0};
	for (const result of results) {
		if (result.leftOut) counts.leftOut++;
		else counts[result.verdict.status]++;
	}
	return counts;
}

export function checkRunJson(run: CheckRun): CheckJson {
	return {
		schema: checkJsonSchema,
		environment: run.environment,
		routine: run.routine,
		at: new Date(run.at).toISOString(),
		durationMs: Math.round(run.durationMs),
		status: run.status,
		exitCode: checkExitCode(run),
		counts: countStatuses(run.results),
		checks: run.results.map(result => {
			const base = {id: result.id, title: result.title, routines: [...result.routines]};
			if (result.leftOut) return {...base, status: 'left-out' as const, reason: result.reason};
			const entry: CheckJsonEntry = {...base, status: result.verdict.status, reason: result.verdict.reason};
			if (result.verdict.figure !== undefined) entry.figure = result.verdict.figure;
			// JSON has no NaN or Infinity (they would print as null): a figure that is not a number is left out.
			if (result.verdict.value !== undefined && Number.isFinite(result.verdict.value)) entry.value = result.verdict.value;
			entry.durationMs = Math.round(result.durationMs);
			return entry;
		}),
	};
}

/** Rows a reason may take in the table. */
const maxReasonRows = 2;

const sgrCodes: Record<CheckStatus, number> = {pass: 32, warn: 33, fail: 31, unknown: 35};

function cut(text: string, width: number, ellipsis: string): string {
	if (text.length <= width) return text;
	return width <= ellipsis.length ? text.slice(0, width) : text.slice(0, width - ellipsis.length) + ellipsis;
}

/** The table: one line per check, fitted to `width` (80 when piped), the left-out ones named under it with why. */
export function checkRunTable(run: CheckRun, options: {width: number; color: boolean; ascii: boolean}): string {
	const theme = createTheme({ascii: options.ascii, noColor: !options.color});
	const glyphs: Record<CheckStatus, string> = {pass: theme.glyph.status.ok, warn: theme.glyph.status.warn, fail: theme.glyph.status.crit, unknown: '?'};
	const text = theme.text;
	const ran = run.results.filter((result): result is Extract<CheckResult, {leftOut: false}> => !result.leftOut);
	const idWidth = Math.max(5, ...ran.map(result => result.id.length));
	const figureWidth = Math.min(20, Math.max(6, ...ran.map(result => text(result.verdict.figure ?? '-').length)));
	const statusWidth = Math.max(6, ...ran.map(result => result.verdict.status.length + 2));
	const width = Math.max(60, options.width);
	const reasonWidth = Math.max(10, width - statusWidth - idWidth - figureWidth - 6);
	const pad = (value: string, w: number) => value + ' '.repeat(Math.max(0, w - value.length));
	const lines = [`${pad('STATUS', statusWidth)}  ${pad('CHECK', idWidth)}  ${pad('FIGURE', figureWidth)}  REASON`];
	for (const result of ran) {
		const {status} = result.verdict;
		const mark = pad(`${glyphs[status]} ${status}`, statusWidth);
		const painted = options.color ? `\u001B[${sgrCodes[status]}m${mark}\u001B[39m` : mark;
		// A long reason goes on under itself (two rows at most): the table stays in its width and the reason readable.
		const rows = wrapLines([text(result.verdict.reason)], reasonWidth);
		const shown = rows.slice(0, maxReasonRows);
		if (rows.length > maxReasonRows) shown[maxReasonRows - 1] = cut(`${shown[maxReasonRows - 1]!} ${rows.slice(maxReasonRows).join(' ')}`, reasonWidth, theme.glyph.ellipsis);
		lines.push(`${painted}  ${pad(result.id, idWidth)}  ${pad(cut(text(result.verdict.figure ?? '-'), figureWidth, theme.glyph.ellipsis), figureWidth)}  ${shown[0] ?? ''}`.trimEnd());
		const reasonColumn = ' '.repeat(statusWidth + idWidth + figureWidth + 6);
		for (const row of shown.slice(1)) lines.push(`${reasonColumn}${row}`);
	}
	// Checks left out for the same reason share a line: "left out: backup-age, trading — …".
	const byReason = new Map<string, string[]>();
	for (const result of run.results) if (result.leftOut) byReason.set(result.reason, [...(byReason.get(result.reason) ?? []), result.id]);
	for (const [reason, ids] of byReason) lines.push(cut(`left out: ${ids.join(', ')}${theme.glyph.dash}${text(reason)}`, width, theme.glyph.ellipsis));
	const counts = countStatuses(run.results);
	const summary = (['pass', 'warn', 'fail', 'unknown'] as const).map(status => `${counts[status]} ${status}`).join(', ');
	lines.push(cut(`${run.routine} on ${run.environment}: ${summary}${counts.leftOut > 0 ? `, ${counts.leftOut} left out` : ''} (${formatLatency(run.durationMs)})`, width, theme.glyph.ellipsis));
	return lines.join('\n') + '\n';
}

// --- JUnit -----------------------------------------------------------------------------------------------

// Characters XML 1.0 does not allow at all (C0 controls but tab, CR, LF; lone surrogates; U+FFFE/U+FFFF).
// eslint-disable-next-line no-control-regex
const invalidXml = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlEscape(text: string): string {
	return text.replace(invalidXml, '\uFFFD').replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;'})[c]!);
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/**
 * JUnit XML as CI servers read it: a fail is a <failure>, an unknown an <error> (the check could not be answered),
 * a left-out check <skipped>; a warning passes, its reason in <system-out>.
 */
export function checkRunJunit(run: CheckRun): string {
	const counts = countStatuses(run.results);
	const name = xmlEscape(`botops check ${run.routine} (${run.environment})`);
	const attributes = `tests="${run.results.length}" failures="${counts.fail}" errors="${counts.unknown}" skipped="${counts.leftOut}" time="${seconds(run.durationMs)}"`;
	const cases = run.results.map(result => {
		const head = `    <testcase classname="${xmlEscape(`botops.check.${run.environment}`)}" name="${xmlEscape(result.id)}"`;
		if (result.leftOut) return `${head} time="0.000">\n      <skipped message="${xmlEscape(`left out: ${result.reason}`)}"/>\n    </testcase>`;
		const {status, reason, figure} = result.verdict;
		const body = `${result.title}: ${reason}${figure ? ` (${figure})` : ''}`;
		const inner =
			status === 'fail'
				? `      <failure message="${xmlEscape(reason)}" type="fail">${xmlEscape(body)}</failure>\n`
				: status === 'unknown'
					? `      <error message="${xmlEscape(reason)}" type="unknown">${xmlEscape(body)}</error>\n`
					: `      <system-out>${xmlEscape(`${status}: ${body}`)}</system-out>\n`;
		return `${head} time="${seconds(result.durationMs)}">\n${inner}    </testcase>`;
	});
	return [
		'<?xml version="1.0" encoding="UTF-8"?>',
		`<testsuites name="botops check" ${attributes}>`,
		`  <testsuite name="${name}" ${attributes} timestamp="${new Date(run.at).toISOString()}">`,
		...cases,
		'  </testsuite>',
		'</testsuites>',
		'',
	].join('\n');
}

// --- Prometheus text format ------------------------------------------------------------------------------

function labelValue(value: string): string {
	return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function promNumber(value: number): string {
	if (Number.isNaN(value)) return 'NaN';
	if (value === Infinity) return '+Inf';
	if (value === -Infinity) return '-Inf';
	return String(value);
}

/**
 * The Prometheus text exposition format for node_exporter's textfile collector (write to a temporary file and rename
 * it into the directory). Statuses are numbers in their rank: 0 pass, 1 warn, 2 unknown, 3 fail. Every series
 * carries the routine, so that one file per routine never repeats another's series.
 */
export function checkRunProm(run: CheckRun): string {
	const base = `environment="${labelValue(run.environment)}",routine="${labelValue(run.routine)}"`;
	const ran = run.results.filter((result): result is Extract<CheckResult, {leftOut: false}> => !result.leftOut);
	const family = (name: string, help: string, samples: string[]) => (samples.length === 0 ? [] : [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, ...samples]);
	const perCheck = (id: string) => `{${base},check="${labelValue(id)}"}`;
	const lines = [
		...family(
			'botops_check_status',
			'Verdict of each daily check: 0 pass, 1 warn, 2 unknown, 3 fail.',
			ran.map(result => `botops_check_status${perCheck(result.id)} ${statusRank[result.verdict.status]}`),
		),
		...family(
			'botops_check_value',
			"The figure each check's verdict rests on (its unit is the check's: see botops check --help).",
			ran.flatMap(result => (result.verdict.value === undefined ? [] : [`botops_check_value${perCheck(result.id)} ${promNumber(result.verdict.value)}`])),
		),
		...family(
			'botops_check_duration_seconds',
			'How long each check took.',
			ran.map(result => `botops_check_duration_seconds${perCheck(result.id)} ${(result.durationMs / 1000).toFixed(3)}`),
		),
		...family(
			'botops_check_left_out',
			'Checks that cannot be answered on this environment (botops check says why).',
			run.results.filter(result => result.leftOut).map(result => `botops_check_left_out${perCheck(result.id)} 1`),
		),
		...family('botops_check_run_status', 'Worst verdict of the run: 0 pass, 1 warn, 2 unknown, 3 fail.', [`botops_check_run_status{${base}} ${statusRank[run.status]}`]),
		...family('botops_check_run_timestamp_seconds', 'When the run started, in Unix seconds.', [`botops_check_run_timestamp_seconds{${base}} ${(run.at / 1000).toFixed(3)}`]),
		...family('botops_check_run_duration_seconds', 'How long the whole run took.', [`botops_check_run_duration_seconds{${base}} ${(run.durationMs / 1000).toFixed(3)}`]),
	];
	return lines.join('\n') + '\n';
}
