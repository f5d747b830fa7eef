import React from 'react';
import {App} from './app.js';
import {buildKeymap} from './config/keymap.js';
import type {Config, EnvironmentConfig} from './config/schema.js';
import {AppContext, type AppContextValue} from './hooks/AppContext.js';
import {openBackends, type Backends} from './services/backends.js';
import {describeError} from './services/errors.js';
import {createMonitor, type Monitor} from './store/monitor.js';
import {createAppStore, type AppStore} from './store/store.js';
import {ThemeProvider} from './theme/ThemeContext.js';
import {createTheme, type Theme} from './theme/theme.js';

export type DashboardOptions = {
	config: Config;
	environment: EnvironmentConfig;
	refreshMs: number;
	readOnly: boolean;
	color: boolean;
	ascii: boolean;
};

/** Everything the dashboard runs on, built before the first frame; backends connect after it. */
export type DashboardRuntime = {
	store: AppStore;
	context: AppContextValue;
	theme: Theme;
	/** Opens the backends and starts polling; resolves once polling has started (or failed to, shown in the store). */
	connect(): Promise<void>;
	close(): void;
};

export function createDashboardRuntime(options: DashboardOptions): DashboardRuntime {
	const store = createAppStore();
	const keymap = buildKeymap(options.config.keys);
	if (keymap.unknown.length > 0) store.getState().setFlash(`config keys: unknown actions ${keymap.unknown.join(', ')}`, 'error');
	let monitor: Monitor | undefined;
	let backends: Backends | undefined;
	let closed = false;
	const context: AppContextValue = {
		store,
		environment: options.environment,
		keymap,
		refreshMs: options.refreshMs,
		latencyTargetMs: options.config.latencyTargetMs,
		readOnly: options.readOnly,
		refreshNow: () => monitor?.refreshNow(),
	};
	return {
		store,
		context,
		theme: createTheme({noColor: !options.color, ascii: options.ascii}),
		async connect() {
			try {
				backends = await openBackends(options.environment, options.config);
			} catch (error) {
				store.getState().setContainersError(describeError(error, 'backends'), Date.now());
				return;
			}
			if (closed) return backends.close();
			monitor = createMonitor(store, backends, {refreshMs: options.refreshMs});
			monitor.start();
		},
		close() {
			closed = true;
			monitor?.stop();
			backends?.close();
		},
	};
}

export function DashboardRoot({runtime}: {runtime: DashboardRuntime}) {
	return (
		<ThemeProvider theme={runtime.theme}>
			<AppContext.Provider value={runtime.context}>
				<App />
			</AppContext.Provider>
		</ThemeProvider>
	);
}
