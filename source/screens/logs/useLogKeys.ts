import {useRef, useState} from 'react';
import {compileSearch, type Direction, nextError, nextMatch, type RecordList, timeWindows, tryCompileFilter} from '../../logs/filter.js';
import type {Level, LogRecord} from '../../logs/record.js';
import type {FilteredView} from '../../logs/ring-buffer.js';
import {useAppContext, useAppState} from '../../hooks/AppContext.js';
import {keyPriority, useKeypress} from '../../hooks/KeypressContext.js';
import type {KeyHandlers} from '../../hooks/useKeymap.js';
import type {LogViewState} from '../../store/slices/logs.js';
import type {ThemeToken} from '../../theme/theme.js';
import {editLine} from '../../components/textEditing.js';

export type InputKind = 'search' | 'include' | 'exclude';

export type Notice = {text: string; tone: ThemeToken};

const levelCycle: ReadonlyArray<Level | undefined> = [undefined, 'debug', 'info', 'warn', 'error'];

export type LogKeysOptions = {
	view: LogViewState;
	/** The records on screen (time window applied), and the filtered view they come from. */
	shown: RecordList;
	list: FilteredView<LogRecord>;
	first: number;
	/** Position of the selected record in `shown`; undefined while following. */
	cursor: number | undefined;
	pageSize: number;
	services: readonly string[];
	openChooser(): void;
	/** The screen owns the keyboard (no palette or modal open). */
	active: boolean;
};

/** The Logs screen's keys: follow/pause, moving, search and error jumps, filters, toggles, save. */
export function useLogKeys({view, shown, list, first, cursor, pageSize, services, openChooser, active}: LogKeysOptions) {
	const {saveLogs} = useAppContext();
	const setLogView = useAppState(s => s.setLogView);
	const setFlash = useAppState(s => s.setFlash);
	const [input, setInputState] = useState<{kind: InputKind; value: string} | undefined>();
	// Also kept in a ref, set at once: keys that arrive in the same read as the `/` that opens the input are typed into it.
	const inputRef = useRef(input);
	const setInput = (next: {kind: InputKind; value: string} | undefined) => {
		inputRef.current = next;
		setInputState(next);
	};
	const [notice, setNotice] = useState<Notice | undefined>();

	const last = shown.length - 1;
	const here = cursor ?? last;
	const absolute = (position: number) => list.absoluteIndex(first + position);

	/** Selects a position and stops following; the lines that arrive meanwhile count as new. */
	const moveTo = (position: number) => {
		if (shown.length === 0) return;
		const target = Math.max(0, Math.min(last, position));
		setLogView({follow: false, cursor: absolute(target), pausedAt: view.follow ? list.length > 0 ? list.absoluteIndex(list.length - 1) + 1 : 0 : view.pausedAt});
	};

	const jump = (found: {index: number; wrapped: boolean}, what: string, direction: Direction) => {
		if (found.index < 0) {
			setNotice({text: `no ${what}`, tone: 'warn'});
			return;
		}
		moveTo(found.index);
		if (found.wrapped) setNotice({text: direction === 1 ? `${what}: passed the newest line, continued at the oldest` : `${what}: passed the oldest line, continued at the newest`, tone: 'muted'});
	};

	const findMatch = (pattern: string, direction: Direction, from = here) => {
		if (!pattern) {
			setNotice({text: 'no search: / to search', tone: 'muted'});
			return;
		}
		jump(nextMatch(shown, from, direction, compileSearch(pattern)), `match for /${pattern}/`, direction);
	};

	const save = () => {
		const records: LogRecord[] = new Array(shown.length);
		for (let i = 0; i < shown.length; i++) records[i] = shown.at(i)!;
		saveLogs(records, view.services ?? services).then(
			path => setFlash(`saved ${records.length.toLocaleString('en-US')} lines to ${path}`),
			(error: unknown) => setFlash(`save failed: ${error instanceof Error ? error.message : String(error)}`, 'error'),
		);
	};

	const cycle = <T,>(values: readonly T[], current: T): T => values[(values.indexOf(current) + 1) % values.length]!;

	const handlers: KeyHandlers = {
		logFollow: () => (view.follow ? moveTo(last) : setLogView({follow: true, cursor: undefined, pausedAt: undefined})),
		up: () => moveTo(here - 1),
		down: () => moveTo(here + 1),
		pageUp: () => moveTo(here - pageSize),
		pageDown: () => moveTo(here + pageSize),
		top: () => moveTo(0),
		bottom: () => moveTo(last),
		filter: () => setInput({kind: 'search', value: ''}),
		back: () => (view.search ? setLogView({search: ''}) : undefined),
		logNextMatch: () => findMatch(view.search, 1),
		logPrevMatch: () => findMatch(view.search, -1),
		logNextError: () => jump(nextError(shown, here, 1), 'error', 1),
		logPrevError: () => jump(nextError(shown, here, -1), 'error', -1),
		logLevel: () => setLogView({minLevel: cycle(levelCycle, view.minLevel)}),
		logInclude: () => setInput({kind: 'include', value: view.include}),
		logExclude: () => setInput({kind: 'exclude', value: view.exclude}),
		logServices: openChooser,
		logWindow: () => setLogView({window: cycle(timeWindows, view.window)}),
		logWrap: () => setLogView({wrap: !view.wrap}),
		logTimestamps: () => setLogView({timestamps: !view.timestamps}),
		logPretty: () => setLogView({pretty: !view.pretty}),
		logSave: save,
	};
	// Any key clears the last notice before doing its own thing.
	for (const [action, handler] of Object.entries(handlers) as Array<[keyof KeyHandlers, () => void]>) {
		handlers[action] = () => {
			setNotice(undefined);
			handler();
		};
	}

	const submitInput = (kind: InputKind, value: string) => {
		setInput(undefined);
		if (kind === 'search') {
			if (value === '') return setLogView({search: ''});
			const compiled = tryCompileFilter({include: [value]});
			if (!compiled.ok) {
				setNotice({text: `invalid search regex ${JSON.stringify(value)}: ${compiled.error.reason}${view.search ? ` — still /${view.search}/` : ''}`, tone: 'crit'});
				return;
			}
			setLogView({search: value});
			// The newest match at or above the selection: a tail is read from the bottom up.
			findMatch(value, -1, here + 1);
			return;
		}
		const compiled = tryCompileFilter({[kind]: [value]});
		if (!compiled.ok) {
			const previous = view[kind];
			setNotice({text: `invalid ${kind} regex ${JSON.stringify(value)}: ${compiled.error.reason}${previous ? ` — still /${previous}/` : ''}`, tone: 'crit'});
			return;
		}
		setLogView({[kind]: value});
	};

	// The input line reads keys before anything else does (modal priority): q, ? and digits are letters there.
	useKeypress(
		name => {
			const current = inputRef.current;
			if (!current) return false;
			if (name === 'enter') submitInput(current.kind, current.value);
			else if (name === 'escape') setInput(undefined);
			else {
				const value = editLine(current.value, name);
				if (value !== undefined) setInput({...current, value});
			}
			return true;
		},
		{priority: keyPriority.modal, isActive: active},
	);

	return {
		handlers,
		input,
		notice,
		setServices: (chosen: readonly string[] | undefined) => setLogView({services: chosen}),
	};
}
