import {useInput, useStdin} from 'ink';
import React, {createContext, useContext, useEffect, useLayoutEffect, useRef, useState, type ReactNode} from 'react';
import {keyNames} from './key-name.js';

/** A key listener: returns true when it handled the key, which stops lower-priority listeners from seeing it. */
export type KeyListener = {priority: number; handle(name: string): boolean};

type KeypressDispatcher = {subscribe(listener: KeyListener): () => void};

const KeypressContext = createContext<KeypressDispatcher | undefined>(undefined);

/** Listener priorities: a focused text line first (it takes typed letters), then an open modal, the screen, the shell's global keys. */
export const keyPriority = {global: 0, screen: 10, modal: 100, input: 200} as const;

/**
 * The one place that reads the keyboard. Keys that arrive together (fast typing, a slow SSH link batching
 * "2" and Enter into one read, a paste) are dispatched one at a time, with a React commit in between, so the
 * second key reaches the screen (the input line, the toggled checklist) that the first one produced.
 */
export function KeypressProvider({children}: {children: ReactNode}) {
	const {isRawModeSupported} = useStdin();
	const listeners = useRef(new Set<KeyListener>());
	const queue = useRef<string[]>([]);
	const draining = useRef(false);
	const dispatcher = useRef<KeypressDispatcher>({
		subscribe(listener) {
			listeners.current.add(listener);
			return () => listeners.current.delete(listener);
		},
	});

	// Each dispatched key bumps `turn`; that update commits together with whatever the key's handler changed,
	// and the effect below runs only after that commit (after the new listeners subscribed in layout effects),
	// so the next key sees the UI the previous one produced. A timer could fire before a scheduled render.
	const [turn, setTurn] = useState(0);
	const dispatchOne = () => {
		const name = queue.current.shift();
		if (name === undefined) {
			draining.current = false;
			return;
		}
		const ordered = [...listeners.current].sort((a, b) => b.priority - a.priority);
		for (const listener of ordered) if (listener.handle(name)) break;
		setTurn(t => t + 1);
	};
	useEffect(() => {
		if (draining.current) dispatchOne();
	}, [turn]);

	useInput(
		(input, key) => {
			queue.current.push(...keyNames(input, key));
			if (!draining.current) {
				draining.current = true;
				dispatchOne();
			}
		},
		{isActive: Boolean(isRawModeSupported)},
	);

	return <KeypressContext.Provider value={dispatcher.current}>{children}</KeypressContext.Provider>;
}

/** Subscribes a listener while active; the latest `handle` is always the one called. */
export function useKeypress(handle: (name: string) => boolean, {isActive = true, priority = keyPriority.screen}: {isActive?: boolean; priority?: number} = {}): void {
	const dispatcher = useContext(KeypressContext);
	if (!dispatcher) throw new Error('useKeypress outside <KeypressProvider>');
	const latest = useRef(handle);
	latest.current = handle;
	// A layout effect subscribes during the commit, before the next queued key is dispatched.
	useLayoutEffect(() => {
		if (!isActive) return;
		return dispatcher.subscribe({priority, handle: name => latest.current(name)});
	}, [dispatcher, isActive, priority]);
}
