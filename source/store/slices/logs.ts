import type {StateCreator} from 'zustand';
import type {TimeWindow} from '../../logs/filter.js';
import type {Level, LogRecord} from '../../logs/record.js';
import {RingBuffer} from '../../logs/ring-buffer.js';
import type {LogSourceStatus} from '../../services/log-source.js';
import type {AppState} from '../store.js';

/** What the Logs screen shows; kept in the store so that it survives switching screens. Patterns are valid regexes. */
export type LogViewState = {
	/** Undefined: every service. */
	services?: readonly string[];
	minLevel?: Level;
	include: string;
	exclude: string;
	search: string;
	window: TimeWindow;
	follow: boolean;
	/** Absolute buffer index of the selected record while paused. */
	cursor?: number;
	/** Buffer end index when following stopped: lines past it are "new". */
	pausedAt?: number;
	wrap: boolean;
	timestamps: boolean;
	pretty: boolean;
};

export type LogsState = {
	/**
	 * The records, mutated in place as batches arrive and never part of a commit by themselves: views read it
	 * when `version` changes, so the screen renders once per commit (≤ 10 a second) whatever the volume.
	 */
	buffer: RingBuffer<LogRecord>;
	version: number;
	/** Records ever received, and those evicted from the full buffer. */
	total: number;
	dropped: number;
	/** Per service, the last status of its stream(s); "*" is the whole subscription. */
	streams: Readonly<Record<string, LogSourceStatus>>;
	/** The services subscribed to (the environment's, or the file's name). */
	services: readonly string[];
	/** Whether a subscription was started (the screen was opened once). */
	started: boolean;
	/** A live source (time windows end now) or a finished one such as a file (they end at its last record). */
	live: boolean;
	view: LogViewState;
};

export type LogsSlice = {
	logs: LogsState;
	/** A new, empty buffer of `capacity` lines (config `logBufferLines`); only before any record arrived. */
	setLogCapacity(capacity: number): void;
	/** Appends to the buffer without a commit; `commitLogs` makes it visible. */
	appendLogRecords(records: readonly LogRecord[]): void;
	/** One commit for everything appended and every status received since the last one. */
	commitLogs(statuses: readonly LogSourceStatus[]): void;
	markLogsStarted(live: boolean, services: readonly string[]): void;
	setLogView(patch: Partial<LogViewState>): void;
	/** Opens the Logs screen on these services (all when undefined), following. */
	showLogs(services?: readonly string[]): void;
};

export const defaultLogView: LogViewState = {
	include: '',
	exclude: '',
	search: '',
	window: 'all',
	follow: true,
	wrap: false,
	timestamps: true,
	pretty: false,
};

export const createLogsSlice: StateCreator<AppState, [], [], LogsSlice> = (set, get) => ({
	logs: {
		buffer: new RingBuffer<LogRecord>(),
		version: 0,
		total: 0,
		dropped: 0,
		streams: {},
		services: [],
		started: false,
		live: true,
		view: defaultLogView,
	},
	setLogCapacity: capacity => {
		const {logs} = get();
		if (logs.buffer.capacity === capacity || logs.buffer.endIndex > 0) return;
		set({logs: {...logs, buffer: new RingBuffer<LogRecord>(capacity)}});
	},
	appendLogRecords: records => {
		const {buffer} = get().logs;
		for (const record of records) buffer.push(record);
	},
	commitLogs: statuses =>
		set(state => {
			const {logs} = state;
			let streams = logs.streams;
			if (statuses.length > 0) {
				const next = {...streams};
				for (const status of statuses) next[status.service] = status;
				streams = next;
			}
			return {logs: {...logs, version: logs.version + 1, total: logs.buffer.endIndex, dropped: logs.buffer.dropped, streams}};
		}),
	markLogsStarted: (live, services) => set(state => ({logs: {...state.logs, started: true, live, services}})),
	setLogView: patch => set(state => ({logs: {...state.logs, view: {...state.logs.view, ...patch}}})),
	showLogs: services =>
		set(state => ({
			screen: 'logs',
			logs: {...state.logs, view: {...state.logs.view, services, follow: true, cursor: undefined, pausedAt: undefined}},
		})),
});
