import './forceColor.js';
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {Badge} from '../../source/components/Badge.js';
import {badgeText, stateTone} from '../../source/components/badgeState.js';
import {KeyHints} from '../../source/components/KeyHints.js';
import {TooSmall, isTooSmall} from '../../source/components/TooSmall.js';
import {createTheme, resolveThemeOptions} from '../../source/theme/theme.js';
import {hasAnsi, hasColourCodes, renderAt} from './helpers.js';

afterEach(() => cleanup());

describe('theme', () => {
	it('honours a non-empty NO_COLOR and --no-color, and --ascii', () => {
		expect(resolveThemeOptions({NO_COLOR: '1'})).toEqual({noColor: true, ascii: false});
		expect(resolveThemeOptions({NO_COLOR: ''})).toEqual({noColor: false, ascii: false});
		expect(resolveThemeOptions({}, {color: false, ascii: true})).toEqual({noColor: true, ascii: true});
		expect(createTheme({noColor: true}).color('crit')).toBeUndefined();
		expect(createTheme().color('crit')).toBe('red');
		expect(createTheme({ascii: true}).glyph.border).toBe('classic');
	});
});

describe('Badge', () => {
	it('maps state words to tones', () => {
		expect(stateTone('running')).toBe('ok');
		expect(stateTone('Restarting')).toBe('warn');
		expect(stateTone('unhealthy')).toBe('crit');
		expect(stateTone('something-new')).toBe('muted');
	});

	it('reads without colour through distinct glyphs', () => {
		const ascii = createTheme({ascii: true, noColor: true});
		expect(badgeText('running', ascii)).toBe('* running');
		expect(badgeText('exited', ascii)).toBe('X exited');
		const {lines, lastFrame} = renderAt(<Badge state="restarting" width={14} />, {ascii: true, noColor: true});
		expect(lines()[0]).toBe('! restarting');
		expect(hasAnsi(lastFrame() ?? '')).toBe(false);
		expect(hasColourCodes(renderAt(<Badge state="down" />).lastFrame() ?? '')).toBe(true);
	});
});

describe('KeyHints', () => {
	const hints = [
		{key: '?', label: 'help'},
		{key: ':', label: 'command'},
		{key: '/', label: 'filter'},
		{key: 'q', label: 'quit'},
	];

	it('shows whole hints on one line', () => {
		expect(renderAt(<KeyHints hints={hints} width={80} />).lines()).toEqual(['? help  : command  / filter  q quit']);
	});

	it('drops hints that do not fit and says so with the ellipsis', () => {
		const out = renderAt(<KeyHints hints={hints} width={20} />, {ascii: true}).lines();
		expect(out).toEqual(['? help  : command  ~']);
	});
});

describe('TooSmall', () => {
	it('states the need and the size', () => {
		expect(renderAt(<TooSmall columns={70} rows={20} />).lines()[0]).toBe('terminal too small (need 80x24, have 70x20)');
		expect(isTooSmall(80, 24)).toBe(false);
		expect(isTooSmall(79, 24)).toBe(true);
	});
});
