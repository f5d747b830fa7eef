import './forceColor.js';
import React from 'react';
import {Text} from 'ink';
import {afterEach, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {Pane, paneContentSize} from '../../source/components/Pane.js';
import {Modal} from '../../source/components/Modal.js';
import {hasAnsi, renderAt} from './helpers.js';

afterEach(() => cleanup());

const tall = Array.from({length: 30}, (_, i) => <Text key={i}>{`line ${i}`}</Text>);

describe('Pane', () => {
	it('keeps its exact size when children are taller, clipping them', () => {
		const {lines} = renderAt(
			<Pane title="Containers" info="12 s old" width={40} height={8}>
				{tall}
			</Pane>,
		);
		const out = lines();
		expect(out).toHaveLength(8);
		expect(out[0]).toMatch(/^╭─ Containers ─+ 12 s old ─╮$/);
		expect(out[0]).toHaveLength(40);
		expect(out[1]).toContain('line 0');
		expect(out[6]).toContain('line 5');
		expect(out.join('\n')).not.toContain('line 6');
		expect(out[7]).toMatch(/^╰─+╯$/);
	});

	it('shows the error on the first inner line and still shows content below it', () => {
		const error = 'docker: connect ENOENT /var/run/docker.sock — retrying in 8 s';
		const {lines} = renderAt(
			<Pane title="Containers" error={error} width={80} height={6}>
				{tall}
			</Pane>,
		);
		const out = lines();
		expect(out).toHaveLength(6);
		expect(out[1]).toContain(`✖ ${error}`);
		expect(out[2]).toContain('line 0');
		expect(out[4]).toContain('line 2');
		expect(paneContentSize(80, 6, error)).toEqual({width: 78, height: 3});
	});

	it('truncates a long error to one line', () => {
		const {lines} = renderAt(
			<Pane title="Logs" error={'x'.repeat(200)} width={30} height={4}>
				<Text>body</Text>
			</Pane>,
		);
		expect(lines()).toHaveLength(4);
		expect(lines()[1]).toBe(`│✖ ${'x'.repeat(25)}…│`);
	});

	it('shows its data status: the age after the info, and the error on the first inner line', () => {
		const status = {age: '12 s old', stale: true, error: 'docker: connect ENOENT /var/run/docker.sock — retrying in 8 s'};
		const {lines} = renderAt(
			<Pane title="Services" info="3/4 ok" status={status} width={80} height={6}>
				{tall}
			</Pane>,
		);
		const out = lines();
		expect(out[0]).toMatch(/^╭─ Services ─+ 3\/4 ok  12 s old ─╮$/);
		expect(out[1]).toContain(`✖ ${status.error}`);
		expect(out[2]).toContain('line 0');
	});

	it('adds nothing while the data is fresh', () => {
		const {lines} = renderAt(
			<Pane title="Stats" info="2 containers" status={{stale: false}} width={40} height={4}>
				{tall}
			</Pane>,
		);
		expect(lines()[0]).toMatch(/^╭─ Stats ─+ 2 containers ─╮$/);
		expect(lines()[1]).toContain('line 0');
	});

	it('draws ascii borders and marks focus with brackets when colour is off', () => {
		const {lines, lastFrame} = renderAt(
			<Pane title="Stats" info="paused" width={30} height={3} focused>
				<Text>cpu</Text>
			</Pane>,
			{ascii: true, noColor: true},
		);
		expect(lines()[0]).toBe('+-[Stats]----------- paused -+');
		expect(lines()[2]).toMatch(/^\+-+\+$/);
		expect(hasAnsi(lastFrame() ?? '')).toBe(false);
	});
});

describe('Modal', () => {
	it('centres a titled box with footer hints inside the body area', () => {
		const {lines} = renderAt(
			<Modal title="Restart" width={30} height={6} areaWidth={60} areaHeight={10} hints={[{key: 'y', label: 'confirm'}]}>
				<Text>Restart rust-core-engine?</Text>
			</Modal>,
		);
		const out = lines();
		expect(out).toHaveLength(10);
		const top = out.findIndex(line => line.includes('Restart ─'));
		expect(top).toBe(2);
		expect(out[top].indexOf('╭')).toBe(15);
		expect(out[top + 1]).toContain('Restart rust-core-engine?');
		expect(out[top + 4]).toContain('y confirm');
	});
});
