import {useRef, useState} from 'react';
import {useAppState} from './AppContext.js';
import type {KeyHandlers} from './useKeymap.js';

/**
 * True when every word of `text` occurs (ignoring case) in one of `fields`: "rust err" finds a rust-core-engine
 * row whose problems say "error".
 */
export function matchesFilter(text: string, fields: readonly string[]): boolean {
	const words = text.toLowerCase().split(/\s+/).filter(Boolean);
	if (words.length === 0) return true;
	const haystack = fields.map(field => field.toLowerCase());
	return words.every(word => haystack.some(field => field.includes(word)));
}

export function filterRows<Row>(rows: readonly Row[], text: string, fields: (row: Row) => readonly string[]): Row[] {
	return text.trim() ? rows.filter(row => matchesFilter(text, fields(row))) : [...rows];
}

export type ListFilter = {
	text: string;
	editing: boolean;
	/** Lines the filter takes under its list: the input line while typing, the "filter …" line while one is set. */
	lines: 0 | 1;
	/** `/` opens the line; `esc` clears a set filter (only while one is set, so esc means back otherwise). */
	handlers: KeyHandlers;
	/** For the <FilterLine> the screen draws. */
	input: {value: string; onChange(value: string): void; onSubmit(value: string): void; onCancel(): void};
};

/**
 * The one `/` filter of every list screen. The text lives in the store per list, so it survives switching
 * screens; while the line is open it takes the typed keys (keyPriority.input), so `p` types "p" and does not pause.
 */
export function useListFilter(list: string): ListFilter {
	const text = useAppState(s => s.filters[list] ?? '');
	const setFilter = useAppState(s => s.setFilter);
	const [editing, setEditing] = useState(false);
	// esc while typing puts back what was there before `/`.
	const before = useRef('');
	const set = (value: string) => setFilter(list, value);
	return {
		text,
		editing,
		lines: editing || text ? 1 : 0,
		handlers: {
			filter: () => {
				before.current = text;
				setEditing(true);
			},
			...(text ? {back: () => set('')} : {}),
		},
		input: {
			value: text,
			onChange: set,
			onSubmit: value => {
				set(value.trim());
				setEditing(false);
			},
			onCancel: () => {
				set(before.current);
				setEditing(false);
			},
		},
	};
}
