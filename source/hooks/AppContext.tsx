import {createContext, useContext} from 'react';
import {useStore as useZustandStore} from 'zustand';
import type {KeyBinding, Keymap} from '../config/keymap.js';
import type {EnvironmentConfig} from '../config/schema.js';
import type {LogRecord} from '../logs/record.js';
import type {RunbookRunner} from '../controllers/runbook-runner.js';
import type {IncidentRecorder} from '../controllers/incident-recorder.js';
import type {AppState, AppStore} from '../store/store.js';
import type {DrillControl} from '../demo/scenarios.js';

export type AppContextValue = {
	store: AppStore;
	environment: EnvironmentConfig;
	keymap: {bindings: readonly KeyBinding[]; byKey: Keymap};
	refreshMs: number;
	latencyTargetMs: number;
	readOnly: boolean;
	/** The embedded demo's drills (the drill key); undefined on every other environment. */
	drills?: DrillControl;
	/** ctrl-r and :refresh: every poller polls once now, even while paused (polling stays paused). */
	refreshNow(): void;
	/** Starts streaming logs into the store (once; the Logs screen asks when first opened). */
	startLogs(): void;
	/** Writes records to a log file named after the services; resolves to its path. */
	saveLogs(records: readonly LogRecord[], services: readonly string[]): Promise<string>;
	/** Loads, plans and runs runbooks against this environment (its flow lives in the store). */
	runbooks: RunbookRunner;
	/** Declares, notes and closes this environment's incident (its timeline lives in the store); absent in views tested alone. */
	incidents?: IncidentRecorder;
};

export const AppContext = createContext<AppContextValue | undefined>(undefined);

export function useAppContext(): AppContextValue {
	const value = useContext(AppContext);
	if (!value) throw new Error('useAppContext outside <AppContext.Provider>');
	return value;
}

/** Selects from the one store; components re-render only when the selected value changes. */
export function useAppState<T>(selector: (state: AppState) => T): T {
	return useZustandStore(useAppContext().store, selector);
}
