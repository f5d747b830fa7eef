import {Box, Text} from 'ink';
import React, {useState} from 'react';
import {Confirm} from '../../components/Confirm.js';
import type {KeyHint} from '../../components/KeyHints.js';
import {Modal} from '../../components/Modal.js';
import {paneContentSize} from '../../components/Pane.js';
import {TextInput} from '../../components/TextInput.js';
import {useAppContext, useAppState} from '../../hooks/AppContext.js';
import {keyPriority, useKeypress} from '../../hooks/KeypressContext.js';
import {elapsedClock} from '../../incident/model.js';
import {severities, severityLevels, type Severity} from '../../incident/severity.js';
import {describeError} from '../../services/errors.js';
import {useTheme} from '../../theme/ThemeContext.js';
import {truncate} from '../../util/format.js';

/** Key names from the theme: --ascii has no arrows. */
const declareHints = (leftRight: string): KeyHint[] => [
	{key: `0-3 ${leftRight}`, label: 'severity'},
	{key: 'enter', label: 'declare'},
	{key: 'esc', label: 'cancel'},
];
const noteHints: KeyHint[] = [
	{key: 'enter', label: 'add to the timeline'},
	{key: 'esc', label: 'cancel'},
];

/** The incident dialog: declare (severity and title), a note, or close (y/N, then where the post-mortem went). */
export function IncidentModal({width, height}: {width: number; height: number}) {
	const modal = useAppState(s => s.modal);
	if (modal?.type !== 'incident') return null;
	const frame = {width: Math.min(width, 90), height: Math.min(height, 12), areaWidth: width, areaHeight: height};
	if (modal.mode === 'declare') return <DeclareIncident frame={frame} />;
	if (modal.mode === 'note') return <IncidentNote frame={frame} />;
	return <CloseIncident frame={frame} />;
}

type Frame = {width: number; height: number; areaWidth: number; areaHeight: number};

function useIncidentActions() {
	const {incidents, environment} = useAppContext();
	const closeModal = useAppState(s => s.closeModal);
	const setFlash = useAppState(s => s.setFlash);
	/** Runs an action; its error stays in the dialog, its message goes to the footer once the dialog closes. */
	const attempt = (action: () => string, setError: (error: string) => void) => {
		if (!incidents) return setError(`incident mode is not available for ${environment.name}`);
		try {
			const message = action();
			closeModal();
			setFlash(message);
		} catch (error) {
			setError(describeError(error));
		}
	};
	return {incidents, environment, closeModal, attempt};
}

function DeclareIncident({frame}: {frame: Frame}) {
	const theme = useTheme();
	const {incidents, environment, closeModal, attempt} = useIncidentActions();
	const [severity, setSeverity] = useState<Severity>('P1');
	const [title, setTitle] = useState('');
	const [error, setError] = useState<string>();
	const content = paneContentSize(frame.width, frame.height);
	const fit = (text: string) => truncate(theme.text(text), content.width, theme.glyph.ellipsis);
	const submit = (value: string) =>
		attempt(() => {
			const incident = incidents!.declare(severity, value);
			return `${incident.id} declared: ${incident.severity} "${incident.title}"; A adds a note, I closes it`;
		}, setError);
	// Before the title is begun a digit picks the severity (0 for P0 ... 3 for P3); after, digits are the title's.
	// Arrows and tab step through the severities at any time.
	useKeypress(
		name => {
			const index = severities.indexOf(severity);
			if (/^[0-3]$/.test(name) && title === '') setSeverity(`P${name}` as Severity);
			else if (name === 'left' || name === 'up') setSeverity(severities[Math.max(0, index - 1)]!);
			else if (name === 'right' || name === 'down' || name === 'tab') setSeverity(severities[(index + 1) % severities.length]!);
			else return false;
			return true;
		},
		{priority: keyPriority.input + 1},
	);
	const level = severityLevels[severity];
	return (
		<Modal title="Declare an incident" info={environment.name} infoTone={environment.protected ? 'prod' : 'accent'} hints={declareHints(theme.glyph.leftRight)} {...frame}>
			<Box>
				<Text>Severity </Text>
				{severities.map(s => (
					<Text key={s} inverse={s === severity} bold={s === severity} color={theme.color(s === severity ? 'crit' : 'muted')}>
						{theme.noColor && s === severity ? `[${s}]` : ` ${s} `}
					</Text>
				))}
			</Box>
			<Text color={theme.color('muted')}>{fit(`${level.name}: ${level.description} (${level.examples}); respond within ${level.responseTime.toLowerCase()}`)}</Text>
			<Text> </Text>
			<TextInput value={title} onChange={setTitle} onSubmit={submit} onCancel={closeModal} prompt="Title: " placeholder="what is wrong, e.g. engine crash-looping" width={content.width} />
			{error ? <Text color={theme.color('crit')}>{fit(error)}</Text> : null}
		</Modal>
	);
}

function IncidentNote({frame}: {frame: Frame}) {
	const theme = useTheme();
	const {incidents, closeModal, attempt} = useIncidentActions();
	const open = useAppState(s => s.incident.open);
	const [text, setText] = useState('');
	const [error, setError] = useState<string>();
	const content = paneContentSize(frame.width, frame.height);
	const fit = (line: string) => truncate(theme.text(line), content.width, theme.glyph.ellipsis);
	const submit = (value: string) =>
		attempt(() => {
			incidents!.note(value);
			return `note added to ${open?.id ?? 'the incident'}`;
		}, setError);
	return (
		<Modal title="Note on the timeline" info={open?.id} hints={noteHints} {...frame}>
			<Text color={theme.color('muted')}>{fit(open ? `${open.severity} ${open.title}` : 'no incident is open: I declares one')}</Text>
			<Text> </Text>
			<TextInput value={text} onChange={setText} onSubmit={submit} onCancel={closeModal} prompt="Note: " placeholder="what you saw or did" width={content.width} />
			{error ? <Text color={theme.color('crit')}>{fit(error)}</Text> : null}
		</Modal>
	);
}

function CloseIncident({frame}: {frame: Frame}) {
	const theme = useTheme();
	const {incidents, closeModal, attempt} = useIncidentActions();
	const open = useAppState(s => s.incident.open);
	const entries = useAppState(s => s.incident.entries.length);
	const [error, setError] = useState<string>();
	const content = paneContentSize(frame.width, frame.height);
	const fit = (line: string) => truncate(theme.text(line), content.width, theme.glyph.ellipsis);
	const close = () =>
		attempt(() => {
			const file = incidents!.close();
			return `${open?.id ?? 'incident'} closed; post-mortem written to ${file}`;
		}, setError);
	// The open incident may have been closed from a shell meanwhile: then there is nothing to ask.
	useKeypress(name => (name === 'escape' && !open ? (closeModal(), true) : false), {priority: keyPriority.modal});
	return (
		<Modal title="Close the incident" info={open?.id} {...frame}>
			{open ? (
				<>
					<Text>{fit(`${open.severity} "${open.title}", open ${elapsedClock(Date.now() - open.declaredAt)}, ${entries} timeline entries`)}</Text>
					<Text color={theme.color('muted')}>{fit('Closing writes the post-mortem (manual 8.4) from the timeline.')}</Text>
					<Text> </Text>
					<Confirm message="Close it and write the post-mortem?" onConfirm={close} onCancel={closeModal} width={content.width} />
				</>
			) : (
				<Text>{fit('No incident is open (esc closes this).')}</Text>
			)}
			{error ? <Text color={theme.color('crit')}>{fit(error)}</Text> : null}
		</Modal>
	);
}
