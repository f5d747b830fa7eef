import React from 'react';
import {App} from './app.js';
import {buildKeymap} from './config/keymap.js';
import type {Config, EnvironmentConfig} from './config/schema.js';
import {AppContext, type AppContextValue} from './hooks/AppContext.js';
import {KeypressProvider} from './hooks/KeypressContext.js';
import type {LogRecord} from './logs/record.js';
import {registryBindings, screenById} from './screens/registry.js';
import {openBackends, type Backends} from './services/backends.js';
import {describeError} from './services/errors.js';
import type {LogSource} from './services/log-source.js';
import {createLogStream} from './controllers/log-stream.js';
import type {Monitor} from './controllers/monitor.js';
import {createRunbookRunner} from './controllers/runbook-runner.js';
import {createIncidentRecorder} from './controllers/incident-recorder.js';
import {containersUpdate} from './store/slices/containers.js';
import type {LogViewState} from './store/slices/logs.js';
import type {ScreenId} from './store/slices/ui.js';
import {createAppStore, type AppState, type AppStore} from './store/store.js';
import {ThemeProvider} from './theme/ThemeContext.js';
import {isWarRoom} from './screens/warroom/mode.js';
import type {DrillControl} from './demo/scenarios.js';
import {createTheme, type Theme} from './theme/theme.js';

export type DashboardOptions = {
	config: Config;
	environment: EnvironmentConfig;
	refreshMs: number;
	readOnly: boolean;
	color: boolean;
	ascii: boolean;
	/** The screen shown first (default the dashboard). */
	initialScreen?: ScreenId;
	/** How the Logs screen starts (services, level, include filter), e.g. from `botops logs --tui` flags. */
	logView?: Partial<LogViewState>;
	/** A log source other than the environment's containers (a file): no backends are opened then. */
	logSource?: {source: LogSource; services: string[]; /** What the header says it runs on ("file app.log"). */ label?: string};
	/** Where `s` on the Logs screen writes (default the current directory, like `> rust-logs-$(date +%Y%m%d).log`). */
	exportDir?: string;
	/** The config file's directory: user runbooks load from its `runbooks/` (none when undefined). */
	configDir?: string;
	/** The embedded demo's drills: the drill key starts one (none on any other environment). */
	drills?: DrillControl;
	/** Opens the environment's backends; tests pass fakes. */
	openBackends?: typeof openBackends;
};

/** Everything the dashboard runs on, built before the first frame; backends connect after it. */
export type DashboardRuntime = {
	store: AppStore;
	context: AppContextValue;
	theme: Theme;
	/** Opens the backends and starts polling; resolves once polling has started (or failed to, shown in the store). */
	connect(): Promise<void>;
	/** Resolves once the first list of instances (or its error) is in the store, or after `timeoutMs`: at once with no backends. */
	firstData(timeoutMs: number): Promise<void>;
	close(): void;
};

export function createDashboardRuntime(options: DashboardOptions): DashboardRuntime {
	const store = createAppStore();
	const keymap = buildKeymap(options.config.keys, registryBindings);
	if (keymap.unknown.length > 0) store.getState().setFlash(`config keys: unknown actions ${keymap.unknown.join(', ')}`, 'error');
	let monitor: Monitor | undefined;
	let backends: Backends | undefined;
	let closed = false;
	let backendsReady: (value: Backends | undefined) => void;
	const backendsOpened = new Promise<Backends | undefined>(resolve => (backendsReady = resolve));
	// War-room mode (the flag or the environment's config, carried on the environment): read-only, War room first.
	const warRoom = isWarRoom(options.environment);
	const readOnly = options.readOnly || warRoom;
	const firstScreen = options.initialScreen ?? (warRoom ? 'warroom' : undefined);
	if (firstScreen) store.getState().setScreen(firstScreen);
	if (options.logView) store.getState().setLogView(options.logView);
	if (options.logSource) store.setState({offline: options.logSource.label ?? `file ${options.logSource.services.join(', ')}`});
	store.getState().setLogCapacity(options.config.logBufferLines);
	// Logs stream only once the Logs screen was opened: start-up cost matters more than history.
	const logStream = createLogStream(
		store,
		async () => {
			if (options.logSource) return options.logSource.source;
			const opened = await backendsOpened;
			if (!opened) throw new Error(`logs: environment "${options.environment.name}" has no live backend`);
			return opened.platform.logs();
		},
		{
			services: options.logSource?.services ?? options.environment.services.map(s => s.name),
			follow: !options.logSource,
			tail: 500,
		},
	);
	// Before the first frame: an incident left open by an earlier botops is in the header at once.
	const incidents = createIncidentRecorder(store, {environment: options.environment, latencyTargetMs: options.config.latencyTargetMs, pollMs: options.refreshMs});
	incidents.start();
	const context: AppContextValue = {
		store,
		environment: options.environment,
		keymap,
		refreshMs: options.refreshMs,
		latencyTargetMs: options.config.latencyTargetMs,
		readOnly,
		drills: options.drills,
		refreshNow: () => void monitor?.refreshNow(),
		startLogs: () => logStream.start(),
		saveLogs: async (records: readonly LogRecord[], services: readonly string[]) => {
			const {exportRecords} = await import('./logs/export.js');
			return exportRecords(records, {directory: options.exportDir ?? process.cwd(), services});
		},
		runbooks: createRunbookRunner(store, {
			environment: options.environment,
			readOnly,
			configDir: options.configDir,
			backends: () => backendsOpened,
			afterRun: () => void monitor?.refreshNow(),
		}),
		incidents,
	};
	return {
		store,
		context,
		theme: createTheme({noColor: !options.color, ascii: options.ascii}),
		async connect() {
			if (options.logSource) return backendsReady(undefined);
			try {
				backends = await (options.openBackends ?? openBackends)(options.environment, {timeoutMs: options.config.timeoutMs, refreshMs: options.refreshMs});
			} catch (error) {
				store.setState(state => containersUpdate.error(state, describeError(error, 'backends')));
				backendsReady(undefined);
				return;
			}
			if (closed) return backends.close();
			backendsReady(backends);
			// The monitor's modules (the pollers and their clients: Alertmanager's, Prometheus', the checks) load here,
			// not before the first frame.
			const {createMonitor} = await import('./controllers/monitor.js');
			if (closed) return;
			monitor = createMonitor(store, backends, {refreshMs: options.refreshMs, timeoutMs: options.config.timeoutMs, latencyTargetMs: options.config.latencyTargetMs, dailyChecks: {thresholds: options.config.checks}, needs: screen => screenById.get(screen)?.needs ?? []});
			monitor.start();
		},
		firstData(timeoutMs) {
			if (options.logSource) return Promise.resolve();
			return new Promise<void>(resolve => {
				const landed = ({containers}: AppState) => containers.updatedAt > 0 || containers.error !== undefined;
				if (landed(store.getState())) return resolve();
				const done = () => {
					clearTimeout(timer);
					unsubscribe();
					resolve();
				};
				const timer = setTimeout(done, timeoutMs);
				const unsubscribe = store.subscribe(state => {
					if (landed(state)) done();
				});
			});
		},
		close() {
			closed = true;
			incidents.stop();
			logStream.stop();
			monitor?.stop();
			backends?.close();
		},
	};
}

export function DashboardRoot({runtime}: {runtime: DashboardRuntime}) {
	return (
		<ThemeProvider theme={runtime.theme}>
			<AppContext.Provider value={runtime.context}>
				<KeypressProvider>
					<App />
				</KeypressProvider>
			</AppContext.Provider>
		</ThemeProvider>
	);
}
