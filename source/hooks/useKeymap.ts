import type {KeyAction} from '../config/keymap.js';
import {useAppContext} from './AppContext.js';
import {keyPriority, useKeypress} from './KeypressContext.js';

export type KeyHandlers = Partial<Record<KeyAction, () => void>>;

/**
 * Calls the handler of the action bound to each key press. A key bound to no handled action goes to `onOther`
 * (a screen's own letters), and otherwise on to lower-priority listeners (the shell's global keys).
 */
export function useKeymap(
	handlers: KeyHandlers,
	options: {isActive?: boolean; priority?: number; onOther?: (name: string) => boolean | void} = {},
): void {
	const {keymap} = useAppContext();
	useKeypress(
		name => {
			const action = (keymap.byKey.get(name) ?? []).find(a => handlers[a]);
			if (action) {
				handlers[action]!();
				return true;
			}
			return options.onOther?.(name) === true;
		},
		{isActive: options.isActive ?? true, priority: options.priority ?? keyPriority.screen},
	);
}
