import './forceColor.js';
import React from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {Confirm} from '../../source/components/Confirm.js';
import {idle, press as pressKeys, renderAt} from './helpers.js';

afterEach(() => cleanup());

const ENTER = '\r';
const ESC = '\u001b';
const BACKSPACE = '\u007f';

async function setup(typeToConfirm?: string) {
	const onConfirm = vi.fn();
	const onCancel = vi.fn();
	const app = renderAt(<Confirm message="Restart rust-core-engine?" typeToConfirm={typeToConfirm} onConfirm={onConfirm} onCancel={onCancel} width={60} />);
	await idle(app);
	const press = (...keys: string[]) => pressKeys(app, ...keys);
	return {...app, onConfirm, onCancel, press};
}

describe('Confirm', () => {
	it('cancels on enter: Cancel is the default', async () => {
		const {press, onConfirm, onCancel, lines} = await setup();
		expect(lines().join('\n')).toContain('[y/N]');
		await press(ENTER);
		expect(onCancel).toHaveBeenCalledTimes(1);
		expect(onConfirm).not.toHaveBeenCalled();
	});

	it('confirms on y, once, even if y arrives twice', async () => {
		const {press, onConfirm, onCancel} = await setup();
		await press('y', 'y', ENTER);
		expect(onConfirm).toHaveBeenCalledTimes(1);
		expect(onCancel).not.toHaveBeenCalled();
	});

	it('ignores other keys and cancels on n or esc', async () => {
		const first = await setup();
		await first.press('x', 'n');
		expect(first.onConfirm).not.toHaveBeenCalled();
		expect(first.onCancel).toHaveBeenCalledTimes(1);
		cleanup();
		const second = await setup();
		await second.press(ESC);
		expect(second.onCancel).toHaveBeenCalledTimes(1);
	});

	it('with typeToConfirm, y alone does nothing and only the exact text confirms', async () => {
		const {press, onConfirm, onCancel, lines} = await setup('production');
		expect(lines().join('\n')).toContain('Type production and press enter');
		await press('y', ENTER);
		expect(onConfirm).not.toHaveBeenCalled();
		expect(onCancel).not.toHaveBeenCalled();
		expect(lines().join('\n')).toContain('does not match');

		await press(BACKSPACE, 'Production', ENTER);
		expect(onConfirm).not.toHaveBeenCalled();

		await press('\u0015', 'production');
		expect(lines().join('\n')).toContain('> production');
		await press(ENTER);
		expect(onConfirm).toHaveBeenCalledTimes(1);
		expect(onCancel).not.toHaveBeenCalled();
	});

	it('with typeToConfirm, enter on an empty answer cancels', async () => {
		const {press, onConfirm, onCancel} = await setup('production');
		await press(ENTER);
		expect(onCancel).toHaveBeenCalledTimes(1);
		expect(onConfirm).not.toHaveBeenCalled();
	});
});
