import './forceColor.js';
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {Sparkline, sparkline} from '../../source/components/Sparkline.js';
import {createTheme} from '../../source/theme/theme.js';
import {renderAt} from './helpers.js';

const blocks = createTheme().glyph.spark;
const ascii = createTheme({ascii: true}).glyph.spark;

afterEach(() => cleanup());

describe('sparkline', () => {
	it('scales to the largest value and left-pads to the width', () => {
		expect(sparkline([0, 7, 14], 5, undefined, blocks)).toBe('  ▁▅█');
		expect(sparkline([0, 7, 14], 5, undefined, ascii)).toBe('  _+@');
	});

	it('keeps only the last width values', () => {
		expect(sparkline([100, 0, 50, 100], 3, 100, blocks)).toBe('▁▅█');
	});

	it('clamps to max, blanks missing values, and draws all-zero as the baseline', () => {
		expect(sparkline([200, Number.NaN, 50], 3, 100, blocks)).toBe('█ ▅');
		expect(sparkline([0, 0], 2, undefined, blocks)).toBe('▁▁');
		expect(sparkline([], 3, undefined, blocks)).toBe('   ');
		expect(sparkline([1], 0, undefined, blocks)).toBe('');
	});

	it('renders a fixed-width line', () => {
		const {lines} = renderAt(<Sparkline values={[0, 1, 2, 3, 4, 5, 6, 7]} width={10} />);
		expect(lines()[0]).toBe('  ▁▂▃▄▅▆▇█');
	});
});
