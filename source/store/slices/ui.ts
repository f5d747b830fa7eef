import type {StateCreator} from 'zustand';
import type {AppState} from '../store.js';

export type ScreenId = 'dashboard' | 'services' | 'stats' | 'logs' | 'runbooks' | 'help';

/** A dialog the app draws in place of the screen body; it owns the keyboard while open. */
export type ModalState = {type: 'runbooks'; /** Offer only the runbooks for this service (opened from the Services screen). */ service?: string};

export type UiSlice = {
	screen: ScreenId;
	paused: boolean;
	/** A one-line message in the footer (command errors, "saved to …"). */
	flash?: {text: string; level: 'info' | 'error'; at: number};
	setScreen(screen: ScreenId): void;
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
	paused: false,
	setScreen: screen => set({screen}),
	togglePaused: () => set(state => ({paused: !state.paused})),
	setFlash: (text, level = 'info') => set({flash: {text, level, at: Date.now()}}),
	clearFlash: () => set({flash: undefined}),
	setPaused: paused => set({paused}),
	modal: undefined,
	openModal: modal => set({modal}),
	closeModal: () => set({modal: undefined}),
});
