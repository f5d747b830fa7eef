import {useState} from 'react';
import type {KeyHandlers} from './useKeymap.js';

/** Selection in a list of `count` rows: the navigation key handlers, clamped as the list shrinks. */
export function useListSelection(count: number, pageSize: number): {index: number; handlers: KeyHandlers; setIndex(index: number): void} {
	const [rawIndex, setIndex] = useState(0);
	const last = Math.max(0, count - 1);
	const index = Math.min(rawIndex, last);
	const move = (to: number) => setIndex(Math.max(0, Math.min(last, to)));
	const page = Math.max(1, pageSize);
	return {
		index,
		setIndex: move,
		handlers: {
			up: () => move(index - 1),
			down: () => move(index + 1),
			top: () => move(0),
			bottom: () => move(last),
			pageUp: () => move(index - page),
			pageDown: () => move(index + page),
		},
	};
}
