import {describe, expect, it} from 'vitest';
import {fitColumns} from '../../source/components/Table.js';
import {wrapLines} from '../../source/components/wrapLines.js';
import {filterRows, matchesFilter} from '../../source/hooks/useListFilter.js';
import {selectedIndex} from '../../source/hooks/useListSelection.js';

describe('selectedIndex', () => {
	const key = (row: {id: string}) => row.id;
	const rows = [{id: 'a'}, {id: 'b'}, {id: 'c'}];

	it('finds the selected row wherever it moved to', () => {
		expect(selectedIndex(rows, key, {key: 'c', index: 0})).toBe(2);
		expect(selectedIndex([...rows].reverse(), key, {key: 'c', index: 2})).toBe(0);
	});

	it('stays at the old position once the row is gone, within the list', () => {
		expect(selectedIndex(rows, key, {key: 'gone', index: 1})).toBe(1);
		expect(selectedIndex(rows, key, {key: 'gone', index: 9})).toBe(2);
		expect(selectedIndex([], key, {key: 'a', index: 1})).toBe(0);
		expect(selectedIndex(rows, key, undefined)).toBe(0);
	});
});

describe('matchesFilter', () => {
	it('needs every word in some field, ignoring case', () => {
		expect(matchesFilter('RUST', ['rust-core-engine'])).toBe(true);
		expect(matchesFilter('rust timeout', ['rust-core-engine', 'health: timeout after 3000 ms'])).toBe(true);
		expect(matchesFilter('rust mongo', ['rust-core-engine', 'up'])).toBe(false);
		expect(matchesFilter('  ', ['anything'])).toBe(true);
	});

	it('filters rows, keeping their order', () => {
		expect(filterRows(['rust-core-engine', 'python-ai-service', 'rust-bot'], 'rust', name => [name])).toEqual(['rust-core-engine', 'rust-bot']);
	});
});

describe('wrapLines', () => {
	it('breaks at a space, indents the continuation and keeps every word', () => {
		const text = 'Manual §7.1. First add the symbol to market_data.symbols; this runbook then restarts the engine';
		const lines = wrapLines([text], 40);
		expect(lines.every(line => Array.from(line).length <= 40)).toBe(true);
		expect(lines.slice(1).every(line => line.startsWith('  '))).toBe(true);
		expect(lines.map(line => line.trim()).join(' ')).toBe(text);
	});

	it('cuts a word longer than the row', () => {
		expect(wrapLines(['x'.repeat(20)], 8)).toEqual(['x'.repeat(8), `  ${'x'.repeat(6)}`, `  ${'x'.repeat(6)}`]);
	});
});

describe('fitColumns', () => {
	const columns = [
		{key: 'name', width: 20, priority: 0},
		{key: 'p95', width: 7, priority: 1},
		{key: 'uptime', width: 7, priority: 4},
		{key: 'problems', width: 40, priority: 0},
	];

	it('drops the least important columns first', () => {
		expect(fitColumns(columns, 70).map(c => c.key)).toEqual(['name', 'p95', 'problems']);
		expect(fitColumns(columns, 64).map(c => c.key)).toEqual(['name', 'problems']);
	});

	it('never drops a column below droppableFrom: the last one is cut instead', () => {
		expect(fitColumns(columns, 30, 1).map(c => c.key)).toEqual(['name', 'problems']);
		expect(fitColumns(columns, 30).map(c => c.key)).toEqual(['name']);
	});
});
