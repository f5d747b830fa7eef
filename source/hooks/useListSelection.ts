import {useState} from 'react';
import type {ListSelection} from '../store/slices/ui.js';
import {useAppState} from './AppContext.js';
import type {KeyHandlers} from './useKeymap.js';

/** The list keys (j/k, g/G, page up/down) as moves to a position, clamped to 0..last. */
function navigation(index: number, last: number, pageSize: number, move: (to: number) => void): KeyHandlers {
	const page = Math.max(1, pageSize);
	const to = (target: number) => () => move(Math.max(0, Math.min(last, target)));
	return {up: to(index - 1), down: to(index + 1), top: to(0), bottom: to(last), pageUp: to(index - page), pageDown: to(index + page)};
}

/** Where the selection is in `rows`: on its row wherever that row moved to; at its old position once the row is gone. */
export function selectedIndex<Row>(rows: readonly Row[], rowKey: (row: Row) => string, selection: ListSelection | undefined): number {
	if (!selection || rows.length === 0) return 0;
	const found = rows.findIndex(row => rowKey(row) === selection.key);
	return found >= 0 ? found : Math.min(selection.index, rows.length - 1);
}

export type ListSelectionState<Row> = {
	index: number;
	selected: Row | undefined;
	handlers: KeyHandlers;
	/** Selects the row with this key (no change when no row has it). */
	selectKey(key: string): void;
};

/**
 * Selection in a list by identity: the cursor stays on its row (by `rowKey`) when the rows re-sort, shrink or
 * grow. With a `list` name the selection lives in the store, so it survives leaving and re-entering the screen.
 */
export function useListSelection<Row>(rows: readonly Row[], rowKey: (row: Row) => string, pageSize: number, list?: string): ListSelectionState<Row> {
	const [local, setLocal] = useState<ListSelection | undefined>(undefined);
	const stored = useAppState(s => (list ? s.selections[list] : undefined));
	const setSelection = useAppState(s => s.setSelection);
	const selection = list ? stored : local;
	const save = (next: ListSelection) => (list ? setSelection(list, next) : setLocal(next));
	const index = selectedIndex(rows, rowKey, selection);
	const move = (to: number) => {
		const row = rows[to];
		if (row !== undefined) save({key: rowKey(row), index: to});
	};
	return {
		index,
		selected: rows[index],
		handlers: navigation(index, Math.max(0, rows.length - 1), pageSize, move),
		selectKey: key => {
			const to = rows.findIndex(row => rowKey(row) === key);
			if (to >= 0) move(to);
		},
	};
}

/** A scroll offset into text of `count` scroll positions (the Help screen): the same keys, no rows to follow. */
export function useScroll(count: number, pageSize: number): {offset: number; handlers: KeyHandlers; reset(): void} {
	const [raw, setOffset] = useState(0);
	const last = Math.max(0, count - 1);
	const offset = Math.min(raw, last);
	return {offset, handlers: navigation(offset, last, pageSize, setOffset), reset: () => setOffset(0)};
}
