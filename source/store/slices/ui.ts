import type {StateCreator} from 'zustand';
// Type-only: the ids are declared once, with their views, in the screen registry; the store holds no React.
import type {ScreenId} from '../../screens/registry.js';
import type {AppState} from '../store.js';

export type {ScreenId};

/** A list's selection by identity: the selected row's key, and its last position for when that row goes away. */
export type ListSelection = {key: string; index: number};

/** A dialog the app draws in place of the screen body; it owns the keyboard while open. */
export type ModalState =
	| {type: 'runbooks'; /** Offer only the runbooks for this service (opened from the Services screen). */ service?: string}
	/** Create a silence from these matchers (amtool syntax; from a selected alert or group, or empty to type them). */
	| {type: 'silence'; mode: 'create'; matchers: string; from?: string}
	/** Expire this silence, showing what fires again. */
	| {type: 'silence'; mode: 'expire'; silenceId: string}
	/** Declare an incident, add a note to its timeline, or close it (incident mode). */
	| {type: 'incident'; mode: 'declare' | 'note' | 'close'}
	/** Start one of the embedded demo's drills. */
	| {type: 'drill'}
	/** Kill this MongoDB operation (from the Database screen's current operations), after showing what it is. */
	| {type: 'killOp'; opid: number | string};

export type UiSlice = {
	screen: ScreenId;
	/**
	 * Set when the dashboard has no live backend, to what it shows instead ("file app.log"): the header and panes
	 * say so rather than report every service as down.
	 */
	offline?: string;
	paused: boolean;
	/** A one-line message in the footer (command errors, "saved to …"). */
	flash?: {text: string; level: 'info' | 'error'; at: number};
	setScreen(screen: ScreenId): void;
	/** Per list (named "stats", "services", …): kept here so that it survives leaving and re-entering a screen. */
	selections: Record<string, ListSelection>;
	setSelection(list: string, selection: ListSelection): void;
	/** Per list: the `/` filter text. */
	filters: Record<string, string>;
	setFilter(list: string, text: string): void;
	togglePaused(): void;
	setFlash(text: string, level?: 'info' | 'error'): void;
	clearFlash(): void;
	setPaused(paused: boolean): void;
	modal?: ModalState;
	openModal(modal: ModalState): void;
	closeModal(): void;
};

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = set => ({
	screen: 'dashboard',
	offline: undefined,
	paused: false,
	setScreen: screen => set({screen}),
	selections: {},
	setSelection: (list, selection) =>
		set(state => {
			const old = state.selections[list];
			return old?.key === selection.key && old.index === selection.index ? state : {selections: {...state.selections, [list]: selection}};
		}),
	filters: {},
	setFilter: (list, text) => set(state => (state.filters[list] === text ? state : {filters: {...state.filters, [list]: text}})),
	togglePaused: () => set(state => ({paused: !state.paused})),
	setFlash: (text, level = 'info') => set({flash: {text, level, at: Date.now()}}),
	clearFlash: () => set({flash: undefined}),
	setPaused: paused => set({paused}),
	modal: undefined,
	openModal: modal => set({modal}),
	closeModal: () => set({modal: undefined}),
});
