import type {KeyAction} from '../config/keymap.js';
import type {ScreenId} from '../store/slices/ui.js';

/** The screens in tab order, with the keymap action that jumps to each. */
export const screens: ReadonlyArray<{id: ScreenId; title: string; action: KeyAction}> = [
	{id: 'dashboard', title: 'Dashboard', action: 'screenDashboard'},
	{id: 'services', title: 'Services', action: 'screenServices'},
	{id: 'stats', title: 'Stats', action: 'screenStats'},
	{id: 'logs', title: 'Logs', action: 'screenLogs'},
	{id: 'runbooks', title: 'Runbooks', action: 'screenRunbooks'},
];

export function nextScreen(current: ScreenId, step: 1 | -1): ScreenId {
	const index = screens.findIndex(s => s.id === current);
	const next = (Math.max(0, index) + step + screens.length) % screens.length;
	return screens[next]!.id;
}

/** Props every screen gets: its exact box, and whether it owns the keyboard (no modal or input line open). */
export type ScreenProps = {width: number; height: number; active: boolean};
