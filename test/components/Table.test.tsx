import './forceColor.js';
import React from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {cleanup, render} from 'ink-testing-library';
import {ThemeProvider} from '../../source/theme/ThemeContext.js';
import {createTheme} from '../../source/theme/theme.js';
import {Table, type TableColumn} from '../../source/components/Table.js';
import {hasAnsi, hasColourCodes, renderAt} from './helpers.js';

type Row = {name: string; state: string; cpu: number};

const rows: Row[] = Array.from({length: 200}, (_, i) => ({name: `row-${i}`, state: i % 7 === 0 ? 'exited' : 'running', cpu: i / 10}));

const columns: Array<TableColumn<Row>> = [
	{key: 'name', header: 'NAME', width: 8, render: row => row.name},
	{key: 'state', header: 'STATE', width: 8, render: row => row.state, color: row => (row.state === 'running' ? 'ok' : 'crit')},
	{key: 'cpu', header: 'CPU', width: 6, align: 'right', render: row => row.cpu.toFixed(1)},
];

const table = (props: Partial<React.ComponentProps<typeof Table<Row>>> = {}) => (
	<Table columns={columns} rows={rows} rowKey={row => row.name} height={10} {...props} />
);

afterEach(() => cleanup());

describe('Table', () => {
	it('renders only the rows that fit, with a scroll hint, never taller than its height', () => {
		const {lines} = renderAt(table({selectedIndex: 0}));
		const out = lines();
		expect(out.length).toBeLessThanOrEqual(10);
		expect(out[0]).toMatch(/NAME\s+STATE\s+CPU/);
		expect(out.filter(line => /row-\d+/.test(line))).toHaveLength(8);
		expect(out.join('\n')).not.toContain('row-8 ');
		expect(out.at(-1)?.trim()).toBe('1-8 of 200');
	});

	it('scrolls the window with the selection and keeps it still while the selection stays inside', () => {
		const {lines, rerender} = renderAt(table({selectedIndex: 150}));
		expect(lines().at(-1)?.trim()).toBe('144-151 of 200');
		expect(lines().find(line => line.startsWith('›'))).toContain('row-150');

		rerender(table({selectedIndex: 146}));
		expect(lines().at(-1)?.trim()).toBe('144-151 of 200');
		expect(lines().find(line => line.startsWith('›'))).toContain('row-146');

		rerender(table({selectedIndex: 120}));
		expect(lines().at(-1)?.trim()).toBe('121-128 of 200');
		expect(lines()[1]).toContain('row-120');

		rerender(table({selectedIndex: 199}));
		expect(lines().at(-1)?.trim()).toBe('193-200 of 200');
		expect(lines().length).toBeLessThanOrEqual(10);
	});

	it('uses every line for rows when they fit, with no hint', () => {
		const {lines} = renderAt(table({rows: rows.slice(0, 9)}));
		expect(lines()).toHaveLength(10);
		expect(lines().join('\n')).not.toContain(' of ');
	});

	it('says so when there are no rows', () => {
		const {lines} = renderAt(table({rows: [], emptyText: 'no containers'}));
		expect(lines()[1].trim()).toBe('no containers');
	});

	it('truncates cells with the ellipsis glyph and the ascii fallback', () => {
		const long = [{name: 'rust-core-engine', state: 'running', cpu: 1}];
		expect(renderAt(table({rows: long})).lines()[1]).toContain('rust-co… running');
		expect(renderAt(table({rows: long}), {ascii: true}).lines()[1]).toContain('rust-co~ running');
	});

	it('grows the last column to the width and cuts nothing else', () => {
		const wide: Array<TableColumn<Row>> = [columns[0], {key: 'state', header: 'STATE', width: 5, render: row => `${row.state} since a long time ago`}];
		const out = renderAt(<Table columns={wide} rows={rows.slice(1, 2)} rowKey={row => row.name} height={3} width={40} />).lines();
		expect(out[1]).toBe(' row-1    running since a long time ago');
		const narrow = renderAt(<Table columns={wide} rows={rows.slice(1, 2)} rowKey={row => row.name} height={3} width={20} />).lines();
		expect(narrow[1]).toBe(' row-1    running s…');
	});

	it('colours cells by token, and with no colour emits no escape codes at all', () => {
		const coloured = renderAt(table()).lastFrame() ?? '';
		expect(hasColourCodes(coloured)).toBe(true);

		const plain = renderAt(table(), {noColor: true}).lastFrame() ?? '';
		expect(hasAnsi(plain)).toBe(false);
		expect(plain).toContain('exited');
	});

	it('marks the selection with a pointer and inverse, not colour, when colour is off', () => {
		const frame = renderAt(table({selectedIndex: 2}), {noColor: true, ascii: true}).lastFrame() ?? '';
		expect(hasColourCodes(frame)).toBe(false);
		expect(frame).toContain('\u001b[7m');
		expect(frame).toMatch(/>row-2 /);
	});

	it('re-renders a row only when its rendered strings change', () => {
		// Each row render asks the theme for one colour per cell; the header and hint ask for a fixed few.
		const base = createTheme();
		const color = vi.fn(base.color);
		const theme = {...base, color};
		const page = (data: Row[]) => (
			<ThemeProvider theme={theme}>
				<Table columns={columns} rows={data} rowKey={row => row.name} height={10} />
			</ThemeProvider>
		);
		const copy = () => rows.map(row => ({...row}));
		const {rerender} = render(page(copy()));
		const firstRender = color.mock.calls.length;

		color.mockClear();
		rerender(page(copy()));
		const unchanged = color.mock.calls.length;
		expect(unchanged).toBeLessThan(firstRender / 4);

		color.mockClear();
		const changed = copy();
		changed[3] = {...changed[3], cpu: 99};
		rerender(page(changed));
		const oneRow = color.mock.calls.length - unchanged;
		expect(oneRow).toBeGreaterThan(0);
		expect(oneRow).toBeLessThanOrEqual(firstRender / 8);
	});
});
