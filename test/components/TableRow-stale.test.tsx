import './forceColor.js';
import React from 'react';
import {describe, expect, it} from 'vitest';
import {staleMark, TableRow} from '../../source/components/TableRow.js';
import {renderAt, stripAnsi} from './helpers.js';

const cells = [' ', 'engine', ' ', 'running', ' ', '12 s old; container state unknown'];
const tones = [undefined, undefined, undefined, 'ok', undefined, 'crit'] as const;

describe('a stale table row', () => {
	it('is greyed whole in colour: its own tones (ok green, crit red) give way to the muted grey', () => {
		const fresh = renderAt(<TableRow cells={cells} tones={tones} selected={false} />).lastFrame() ?? '';
		const stale = renderAt(<TableRow cells={cells} tones={tones} selected={false} stale />).lastFrame() ?? '';
		expect(fresh).toMatch(/\u001b\[3[12]m/);
		expect(stale).not.toMatch(/\u001b\[3[12]m/);
		expect(stale).toMatch(/\u001b\[90m/);
		expect(stripAnsi(stale)).toBe(stripAnsi(fresh));
	});

	it('shows a mark in the gutter without colour, and leaves the selection pointer alone', () => {
		const plain = renderAt(<TableRow cells={cells} tones={tones} selected={false} stale />, {noColor: true}).lastFrame() ?? '';
		expect(stripAnsi(plain).startsWith(`${staleMark}engine`)).toBe(true);
		const fresh = renderAt(<TableRow cells={cells} tones={tones} selected={false} />, {noColor: true}).lastFrame() ?? '';
		expect(stripAnsi(fresh).startsWith(' engine')).toBe(true);
		const selected = renderAt(<TableRow cells={['>', ...cells.slice(1)]} tones={tones} selected stale />, {noColor: true}).lastFrame() ?? '';
		expect(stripAnsi(selected).startsWith('>engine')).toBe(true);
	});
});
