import './forceColor.js';
import React, {useState} from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {TextInput} from '../../source/components/TextInput.js';
import {idle, press as pressKeys, renderAt} from './helpers.js';

afterEach(() => cleanup());

function Harness({onSubmit, onCancel, onChange}: {onSubmit: (v: string) => void; onCancel: () => void; onChange: (v: string) => void}) {
	const [value, setValue] = useState('');
	return (
		<TextInput
			prompt=":"
			value={value}
			onChange={next => {
				onChange(next);
				setValue(next);
			}}
			onSubmit={onSubmit}
			onCancel={onCancel}
			width={20}
		/>
	);
}

async function setup() {
	const onSubmit = vi.fn();
	const onCancel = vi.fn();
	const onChange = vi.fn();
	const app = renderAt(<Harness onSubmit={onSubmit} onCancel={onCancel} onChange={onChange} />);
	await idle(app);
	const press = (...keys: string[]) => pressKeys(app, ...keys);
	return {...app, onSubmit, onCancel, onChange, press};
}

describe('TextInput', () => {
	it('appends typed text, deletes with backspace, submits on enter', async () => {
		const {press, lines, onSubmit} = await setup();
		await press('l', 'o', 'g', 's', ' ', 'r', 'x', '\u007f', 'u', 's', 't');
		expect(lines()[0]).toBe(':logs rust█');
		await press('\r');
		expect(onSubmit).toHaveBeenCalledWith('logs rust');
	});

	it('clears with ctrl-u and ignores arrows and control characters', async () => {
		const {press, lines, onChange} = await setup();
		await press('abc', '\u001b[A', '\t');
		expect(lines()[0]).toBe(':abc█');
		// Pasted text arrives in one read and is typed key by key; the arrow and tab changed nothing.
		expect(onChange).toHaveBeenCalledTimes(3);
		expect(onChange).toHaveBeenLastCalledWith('abc');
		await press('\u0015');
		expect(lines()[0]).toBe(':█');
	});

	it('cancels on esc without submitting', async () => {
		const {press, onSubmit, onCancel} = await setup();
		await press('x', '\u001b');
		expect(onCancel).toHaveBeenCalledTimes(1);
		expect(onSubmit).not.toHaveBeenCalled();
	});

	it('shows the end of a value longer than its width', async () => {
		const {press, lines} = await setup();
		await press('scale rust-core-engine 5');
		expect(lines()[0]).toBe(':…ust-core-engine 5█');
	});
});
