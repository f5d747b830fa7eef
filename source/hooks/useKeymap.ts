import {useInput, useStdin} from 'ink';
import {useRef} from 'react';
import type {KeyAction} from '../config/keymap.js';
import {useAppContext} from './AppContext.js';
import {keyName} from './key-name.js';

export type KeyHandlers = Partial<Record<KeyAction, () => void>>;

/**
 * Calls the handler of the action bound to each key press. Inactive when stdin is not a terminal (useInput throws
 * there) or when `isActive` is false (a modal or an input line owns the keyboard).
 * `onOther` sees keys bound to no handled action (a screen's own letters).
 */
export function useKeymap(handlers: KeyHandlers, options: {isActive?: boolean; onOther?: (name: string) => void} = {}): void {
	const {keymap} = useAppContext();
	const {isRawModeSupported} = useStdin();
	const latest = useRef({handlers, onOther: options.onOther});
	latest.current = {handlers, onOther: options.onOther};
	useInput(
		(input, key) => {
			const name = keyName(input, key);
			const actions = keymap.byKey.get(name) ?? [];
			const action = actions.find(a => latest.current.handlers[a]);
			if (action) latest.current.handlers[action]!();
			else latest.current.onOther?.(name);
		},
		{isActive: Boolean(isRawModeSupported) && (options.isActive ?? true)},
	);
}
