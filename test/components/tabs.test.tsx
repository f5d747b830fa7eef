import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {Pane} from '../../source/components/Pane.js';
import {Table, type TableColumn} from '../../source/components/Table.js';
import {wrapLines} from '../../source/components/wrapLines.js';
import {recordLines, type LineLayout} from '../../source/screens/logs/lines.js';
import {displayWidth, expandTabs, fitCell} from '../../source/util/format.js';
import {renderAt} from './helpers.js';

afterEach(() => cleanup());

// mongodump's own line format: timestamp, tab, message.
const dumpLine = '2026-12-01T10:00:00.000+0000\twriting trading_bot.trades to /backup/dump';

describe('tab expansion', () => {
	it('runs each tab to the next stop of 8, counting display columns from the start of each line', () => {
		expect(expandTabs('a\tb')).toBe('a       b');
		expect(expandTabs('12345678\tx')).toBe('12345678        x');
		expect(expandTabs('\t\tx')).toBe(' '.repeat(16) + 'x');
		// A wide character takes two columns, so the stop comes two earlier in characters.
		expect(expandTabs('日本\tx')).toBe('日本    x');
		expect(expandTabs('ab\tc\nd\te')).toBe('ab      c\nd       e');
		expect(expandTabs('no tabs')).toBe('no tabs');
		expect(expandTabs(dumpLine)).toBe('2026-12-01T10:00:00.000+0000    writing trading_bot.trades to /backup/dump');
	});

	it('leaves no tab in a table cell, a wrapped line, a log line or a pane error', () => {
		expect(fitCell('a\tb', 12)).toBe('a       b   ');
		expect(wrapLines([dumpLine], 40).join('\n')).not.toContain('\t');
		const layout: LineLayout = {width: 100, serviceWidth: 8, timestamps: false, wrap: false, pretty: false, ellipsis: '…', serviceColour: () => undefined};
		const lines = recordLines({seq: 1, time: 0, service: 'mongodb', stream: 'stderr', level: 'info', text: dumpLine, instance: undefined}, layout, 5);
		const text = lines[0]!.spans.map(s => s.text).join('');
		expect(text).toContain('2026-12-01T10:00:00.000+0000    writing');
		expect(displayWidth(text)).toBe(100);
	});

	it('keeps a pane border whole around a tab-bearing error and table cell', () => {
		const columns: ReadonlyArray<TableColumn<{id: string; line: string}>> = [
			{key: 'id', header: 'ID', width: 4, render: r => r.id},
			{key: 'line', header: 'LINE', width: 20, render: r => r.line},
		];
		const {lines} = renderAt(
			<Pane title="Output" error={`mongodump failed:\t${dumpLine}`} width={60} height={6}>
				<Table columns={columns} rows={[{id: 'a', line: dumpLine}]} rowKey={r => r.id} height={3} width={58} />
			</Pane>,
			{width: 60},
		);
		const out = lines();
		expect(out).toHaveLength(6);
		expect(out.join('\n')).not.toContain('\t');
		// The stop counts from the line's start, mark included: "✖ mongodump failed:" ends at 19, the tab runs to 24.
		expect(out[1]).toContain('✖ mongodump failed:     2026-12-01');
		expect(out[3]).toContain('2026-12-01T10:00:00.000+0000    writing'.slice(0, 20));
		for (const line of out) expect(displayWidth(line)).toBe(60);
		for (const line of out.slice(1, -1)) expect(line).toMatch(/^│.*│$/);
	});
});
