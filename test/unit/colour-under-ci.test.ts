import {describe, expect, it} from 'vitest';
import {forceColourUnderCi} from '../../source/cli/session.js';

describe('forceColourUnderCi', () => {
	it('gives a terminal under CI the colour depth its TERM and COLORTERM say', () => {
		const cases: Array<[NodeJS.ProcessEnv, string | undefined]> = [
			[{CI: 'true', TERM: 'tmux-256color'}, '2'],
			[{CI: 'true', TERM: 'xterm', COLORTERM: 'truecolor'}, '3'],
			[{CI: 'true', TERM: 'screen'}, '1'],
			// Not under CI: chalk's own detection stands.
			[{TERM: 'xterm-256color'}, undefined],
			// An explicit choice wins, including FORCE_COLOR=0.
			[{CI: 'true', TERM: 'xterm-256color', FORCE_COLOR: '0'}, '0'],
		];
		for (const [env, expected] of cases) {
			forceColourUnderCi(env);
			expect(env.FORCE_COLOR, JSON.stringify(env)).toBe(expected);
		}
	});
});
