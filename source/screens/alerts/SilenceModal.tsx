import {Box, Text} from 'ink';
import React, {useMemo, useState} from 'react';
import {parseDuration, formatPromDuration} from '../../alerts/duration.js';
import {formatMatchers, parseMatchers} from '../../alerts/matchers.js';
import {guardSilence, previewExpire, previewSilence, type GuardVerdict, type SilencePolicy, type SilencePreview} from '../../alerts/silence-guard.js';
import type {MergedAlert} from '../../alerts/types.js';
import {Confirm} from '../../components/Confirm.js';
import type {KeyHint} from '../../components/KeyHints.js';
import {Modal} from '../../components/Modal.js';
import {paneContentSize} from '../../components/Pane.js';
import {TextInput} from '../../components/TextInput.js';
import {useAppContext, useAppState} from '../../hooks/AppContext.js';
import {keyPriority, useKeypress} from '../../hooks/KeypressContext.js';
import {currentUser} from '../../services/audit.js';
import {describeError} from '../../services/errors.js';
import {useTheme} from '../../theme/ThemeContext.js';
import {truncate} from '../../util/format.js';
import {alertStateText, severityTone} from './rows.js';
import {useSilenceActions} from './useSilenceActions.js';

const fields = ['matchers', 'comment', 'author', 'duration'] as const;
type Field = (typeof fields)[number];
const fieldLabels: Record<Field, string> = {matchers: 'Matchers', comment: 'Comment ', author: 'Author  ', duration: 'Duration'};

type Stage = {kind: 'edit'; problem?: string} | {kind: 'confirm'; verdict: Exclude<GuardVerdict, {kind: 'refused'}>} | {kind: 'working'} | {kind: 'done'; text: string; ok: boolean};

const hints: Record<Stage['kind'], KeyHint[]> = {
	edit: [
		{key: 'tab', label: 'next field'},
		{key: 'enter', label: 'preview and create'},
		{key: 'esc', label: 'close'},
	],
	confirm: [],
	working: [],
	done: [{key: 'esc/enter', label: 'close'}],
};

/** What the form says, as a request and its verdict on the alerts in the store (re-checked on create). */
function evaluate(values: Record<Field, string>, alerts: readonly MergedAlert[], environment: string, policy: SilencePolicy): {verdict?: GuardVerdict; preview?: SilencePreview; error?: string} {
	let preview: SilencePreview | undefined;
	try {
		const matchers = parseMatchers(values.matchers);
		// The preview stands on the matchers alone: it shows while the comment is still being typed.
		preview = previewSilence(matchers, alerts, policy.serviceLabel);
		const durationMs = parseDuration(values.duration);
		return {verdict: guardSilence({matchers, durationMs, comment: values.comment, createdBy: values.author}, alerts, environment, policy), preview};
	} catch (error) {
		return {error: describeError(error), preview};
	}
}

/** The silence dialog: create (edit -> preview -> confirm, typed when the guard asks) or expire (what fires again -> confirm). */
export function SilenceModal({width, height}: {width: number; height: number}) {
	const modal = useAppState(s => s.modal);
	if (modal?.type !== 'silence') return null;
	return modal.mode === 'create' ? <CreateSilence key={`c${modal.matchers}`} width={width} height={height} matchers={modal.matchers} from={modal.from} /> : <ExpireSilence key={`x${modal.silenceId}`} width={width} height={height} silenceId={modal.silenceId} />;
}

function useModalFrame(width: number, height: number) {
	const boxWidth = Math.min(width, 100);
	const boxHeight = height;
	const content = paneContentSize(boxWidth, boxHeight);
	return {common: {width: boxWidth, height: boxHeight, areaWidth: width, areaHeight: height}, content};
}

function CreateSilence({width, height, matchers, from}: {width: number; height: number; matchers: string; from?: string}) {
	const theme = useTheme();
	const {environment, refreshNow} = useAppContext();
	const closeModal = useAppState(s => s.closeModal);
	const setFlash = useAppState(s => s.setFlash);
	const alerts = useAppState(s => s.alerts.data?.alerts);
	const actions = useSilenceActions();
	const [values, setValues] = useState<Record<Field, string>>({matchers, comment: '', author: currentUser(), duration: formatPromDuration(Math.min(actions.policy.maxDurationMs, 3_600_000))});
	const [focus, setFocus] = useState<Field>(matchers ? 'comment' : 'matchers');
	const [stage, setStage] = useState<Stage>({kind: 'edit'});
	const {common, content} = useModalFrame(width, height);
	// Cut here, with the theme's ellipsis: ink's own truncation would draw a non-ASCII one.
	const fit = (text: string, room = content.width) => truncate(theme.text(text), room, theme.glyph.ellipsis);
	const evaluation = useMemo(() => evaluate(values, alerts ?? [], environment.name, actions.policy), [values, alerts, environment.name, actions.policy]);

	const finish = (text: string, ok: boolean) => {
		setStage({kind: 'done', text, ok});
		if (ok) {
			setFlash(text);
			refreshNow();
		}
	};
	const create = async (confirmEnvironment?: string) => {
		setStage({kind: 'working'});
		try {
			const outcome = await actions.create({matchers: parseMatchers(values.matchers), durationMs: parseDuration(values.duration), comment: values.comment, createdBy: values.author, confirmEnvironment});
			if (outcome.kind === 'created') finish(`silence ${outcome.id} created: ${outcome.verdict.preview.caught.length} alert(s) silenced for ${values.duration}`, true);
			else if (outcome.kind === 'failed') finish(`not created: ${outcome.error}`, false);
			else finish(`not created: ${outcome.verdict.reason}`, false);
		} catch (error) {
			finish(`not created: ${describeError(error)}`, false);
		}
	};
	const submit = () => {
		if (actions.unavailable) return setStage({kind: 'edit', problem: actions.unavailable});
		if (evaluation.error) return setStage({kind: 'edit', problem: evaluation.error});
		const verdict = evaluation.verdict!;
		// A refusal is audited too: the service re-evaluates and writes it.
		if (verdict.kind === 'refused') return void create();
		setStage({kind: 'confirm', verdict});
	};

	useKeypress(
		name => {
			if (stage.kind === 'done') {
				if (name === 'escape' || name === 'enter') closeModal();
				return true;
			}
			if (stage.kind !== 'edit') return true;
			if (name === 'tab' || name === 'shift-tab') {
				const at = fields.indexOf(focus);
				setFocus(fields[(at + (name === 'tab' ? 1 : fields.length - 1)) % fields.length]!);
				return true;
			}
			if (name === 'escape') closeModal();
			return true;
		},
		{priority: keyPriority.modal},
	);

	const verdict = evaluation.verdict;
	const caught = evaluation.preview?.caught ?? [];
	const verdictLine =
		stage.kind === 'edit' && stage.problem
			? {tone: 'crit' as const, text: `${theme.glyph.status.crit} ${stage.problem}`}
			: evaluation.error
				? {tone: 'crit' as const, text: `${theme.glyph.status.crit} ${evaluation.error}`}
				: verdict?.kind === 'refused'
					? {tone: 'crit' as const, text: `${theme.glyph.status.crit} refused: ${verdict.reason}`}
					: verdict?.kind === 'needs-typed-confirmation'
						? {tone: 'warn' as const, text: `${theme.glyph.status.warn} ${verdict.reason}`}
						: {tone: 'ok' as const, text: `${theme.glyph.status.ok} the guard passes: enter to create`};
	const services = evaluation.preview?.services ?? [];
	const listRoom = Math.max(0, content.height - 1 - fields.length - 3 - (stage.kind === 'confirm' ? 4 : 0) - (stage.kind === 'done' ? 1 : 0));
	return (
		<Modal title={from ? `Silence ${from}` : 'New silence'} info={environment.name} infoTone={environment.protected ? 'prod' : undefined} hints={hints[stage.kind]} {...common}>
			{fields.map(field => (
				<Box key={field} width={content.width}>
					<Box width={9} flexShrink={0}>
						<Text color={focus === field && stage.kind === 'edit' ? theme.color('accent') : undefined}>{fieldLabels[field].trim()}</Text>
					</Box>
					{focus === field && stage.kind === 'edit' ? (
						<TextInput value={values[field]} onChange={value => setValues(v => ({...v, [field]: value}))} onSubmit={submit} onCancel={closeModal} width={content.width - 9} placeholder={field === 'matchers' ? 'e.g. alertname="ServiceDown" service=~"mongo.*"' : field === 'comment' ? 'why (required)' : ''} />
					) : (
						<Text wrap="truncate">{fit(values[field], content.width - 9)}</Text>
					)}
				</Box>
			))}
			<Text wrap="truncate" color={theme.color(verdictLine.tone)}>
				{fit(verdictLine.text)}
			</Text>
			<Text wrap="truncate" color={theme.color('muted')}>{fit(`Preview (Alertmanager's matching): catches ${caught.length} alert(s)${services.length > 0 ? ` of ${services.map(name => name || '(no service)').join(', ')}` : ''}`)}</Text>
			{caught.slice(0, listRoom).map(alert => (
				<Text key={alert.fingerprint} wrap="truncate" color={theme.color(severityTone(alert.labels['severity']))}>
					{fit(`  ${alert.labels['alertname'] ?? ''} ${alert.labels['service'] ?? ''} ${alert.labels['severity'] ?? ''} (${alertStateText(alert)})`)}
				</Text>
			))}
			{caught.length > listRoom ? <Text color={theme.color('muted')}>{fit(`  and ${caught.length - listRoom} more`)}</Text> : null}
			{stage.kind === 'confirm' ? (
				<Confirm
					message={`Create silence ${formatMatchers(parseMatchers(values.matchers))} for ${values.duration} on ${environment.name}? It silences ${caught.length} alert(s).`}
					typeToConfirm={stage.verdict.kind === 'needs-typed-confirmation' ? stage.verdict.environment : undefined}
					onConfirm={() => void create(stage.verdict.kind === 'needs-typed-confirmation' ? stage.verdict.environment : undefined)}
					onCancel={() => setStage({kind: 'edit', problem: 'cancelled, nothing was created'})}
					width={content.width}
				/>
			) : null}
			{stage.kind === 'working' ? <Text>creating...</Text> : null}
			{stage.kind === 'done' ? (
				<Text wrap="truncate" color={theme.color(stage.ok ? 'ok' : 'crit')}>
					{fit(stage.text)}
				</Text>
			) : null}
		</Modal>
	);
}

function ExpireSilence({width, height, silenceId}: {width: number; height: number; silenceId: string}) {
	const theme = useTheme();
	const {environment, refreshNow} = useAppContext();
	const closeModal = useAppState(s => s.closeModal);
	const setFlash = useAppState(s => s.setFlash);
	const data = useAppState(s => s.alerts.data);
	const actions = useSilenceActions();
	const [stage, setStage] = useState<{kind: 'confirm'} | {kind: 'working'} | {kind: 'done'; text: string; ok: boolean}>({kind: 'confirm'});
	const {common, content} = useModalFrame(width, height);
	const fit = (text: string, room = content.width) => truncate(theme.text(text), room, theme.glyph.ellipsis);
	const silence = data?.silences.find(s => s.id === silenceId);
	const preview = useMemo(() => (silence ? previewExpire(silence, data?.alerts ?? [], data?.silences ?? []) : undefined), [silence, data]);
	const expire = async () => {
		setStage({kind: 'working'});
		try {
			const outcome = await actions.expire(silenceId);
			const text = outcome.kind === 'expired' ? `silence ${silenceId} expired: ${outcome.willFire.length} alert(s) fire again` : outcome.kind === 'refused' ? `not expired: ${outcome.reason}` : `not expired: ${outcome.error}`;
			setStage({kind: 'done', text, ok: outcome.kind === 'expired'});
			if (outcome.kind === 'expired') {
				setFlash(text);
				refreshNow();
			}
		} catch (error) {
			setStage({kind: 'done', text: `not expired: ${describeError(error)}`, ok: false});
		}
	};
	useKeypress(
		name => {
			if (stage.kind === 'done' && (name === 'escape' || name === 'enter')) closeModal();
			return true;
		},
		{priority: keyPriority.modal},
	);
	const willFire = preview?.willFire ?? [];
	const listRoom = Math.max(0, content.height - 1 - 4 - 4);
	return (
		<Modal title={`Expire silence ${silenceId.slice(0, 8)}`} info={environment.name} infoTone={environment.protected ? 'prod' : undefined} hints={stage.kind === 'done' ? hints.done : []} {...common}>
			<Text wrap="truncate">{fit(silence ? `Matchers ${formatMatchers(silence.matchers)}` : `silence ${silenceId} is not among the Alertmanagers' silences`)}</Text>
			<Text wrap="truncate">{fit(silence ? `By ${silence.createdBy}: ${silence.comment}  (ends ${silence.endsAt})` : '')}</Text>
			<Text wrap="truncate" color={theme.color(willFire.length > 0 ? 'warn' : 'muted')}>{fit(`Starts firing again: ${willFire.length} alert(s)${preview && preview.staySuppressed.length > 0 ? `; ${preview.staySuppressed.length} stay suppressed by other silences or inhibitions` : ''}`)}</Text>
			{willFire.slice(0, listRoom).map(alert => (
				<Text key={alert.fingerprint} wrap="truncate" color={theme.color(severityTone(alert.labels['severity']))}>
					{fit(`  ${alert.labels['alertname'] ?? ''} ${alert.labels['service'] ?? ''} ${alert.labels['severity'] ?? ''}`)}
				</Text>
			))}
			{stage.kind === 'confirm' ? (
				actions.unavailable ? (
					<Text color={theme.color('crit')}>{fit(`${theme.glyph.status.crit} ${actions.unavailable}`)}</Text>
				) : (
					<Confirm message={`Expire silence ${silenceId} on ${environment.name}?`} onConfirm={() => void expire()} onCancel={closeModal} width={content.width} />
				)
			) : null}
			{stage.kind === 'working' ? <Text>expiring...</Text> : null}
			{stage.kind === 'done' ? (
				<Text wrap="truncate" color={theme.color(stage.ok ? 'ok' : 'crit')}>
					{fit(stage.text)}
				</Text>
			) : null}
		</Modal>
	);
}
