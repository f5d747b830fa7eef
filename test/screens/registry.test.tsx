import {Text} from 'ink';
import React from 'react';
import {describe, expect, it} from 'vitest';
import {paletteCommands, runPaletteLine, type PaletteContext} from '../../source/app/palette.js';
import {buildKeymap} from '../../source/config/keymap.js';
import {helpLines} from '../../source/screens/HelpScreen.js';
import {registryBindings, registryCommands, registryHelp, screenRegistry} from '../../source/screens/registry.js';
import {defineScreen, nextScreen, screenBindings, screenCommands, screenHelp, tabOrder, type ScreenEntry} from '../../source/screens/screen.js';

const extra = (n: number) =>
	defineScreen({id: `extra${n}`, title: `Extra ${n}`, description: `extra screen ${n}`, aliases: [`x${n}`], keys: ['sort'], view: () => <Text>extra {n}</Text>});

function contextFor(opened: string[]): PaletteContext {
	return {setScreen: id => void opened.push(id), setPaused() {}, refreshNow() {}, quit() {}, showLogs() {}, services: []};
}

describe('screen registry', () => {
	it('derives the number keys, tab order, palette commands and help of the real screens', () => {
		const {bindings} = buildKeymap({}, registryBindings);
		const jumps = bindings.filter(b => b.action.startsWith('screen'));
		expect(jumps.map(b => [b.action, b.keys])).toEqual([
			['screenDashboard', ['1']],
			['screenServices', ['2']],
			['screenStats', ['3']],
			['screenLogs', ['4']],
			['screenRunbooks', ['5']],
			['screenAlerts', ['6']],
			['screenMetrics', ['7']],
			['screenKubernetes', ['8']],
			['screenDatabase', ['9']],
			['screenTrading', []],
			['screenIncident', []],
		]);
		// Help is reached with ?, not by tab or a number.
		expect(tabOrder(screenRegistry).map(s => s.id)).toEqual(['dashboard', 'services', 'stats', 'logs', 'runbooks', 'alerts', 'metrics', 'kubernetes', 'database', 'trading', 'incident']);
		expect(registryCommands.map(c => c.name)).toEqual(screenRegistry.map(s => s.id));
		expect(paletteCommands.find(c => c.name === 'logs')?.usage).toBe('logs [service]...');
		const help = helpLines(bindings, {screens: registryHelp, commands: paletteCommands});
		expect(help).toContainEqual({key: '3 :stats', text: 'Stats: container CPU, memory, network and block I/O'});
		expect(help).toContainEqual({key: '? :help', text: 'Help: keys and commands'});
	});

	it('keeps the action names user configs rebind (keys: screenStats: [s])', () => {
		const {bindings, byKey, unknown} = buildKeymap({screenStats: ['F3']}, registryBindings);
		expect(unknown).toEqual([]);
		expect(bindings.find(b => b.action === 'screenStats')?.keys).toEqual(['F3']);
		expect(byKey.get('F3')).toEqual(['screenStats']);
		expect(byKey.get('3')).toBeUndefined();
		expect(buildKeymap({screenNope: ['x']}, registryBindings).unknown).toEqual(['screenNope']);
	});

	it('puts a screen added to the registry in the number keys, tab, the palette and help with no other change', () => {
		// The first eight screens, so that the added one is the ninth and gets the last number key.
		const entries: ScreenEntry[] = [...screenRegistry.slice(0, 8), extra(1)];
		const {bindings} = buildKeymap({}, screenBindings(entries));
		expect(bindings.find(b => b.action === 'screenExtra1')).toEqual({action: 'screenExtra1', keys: ['9'], label: 'Extra 1 screen', group: 'global'});
		expect(nextScreen(entries, 'kubernetes', 1)).toBe('extra1');
		expect(nextScreen(entries, 'extra1', 1)).toBe('dashboard');
		const opened: string[] = [];
		expect(runPaletteLine('x1', contextFor(opened), screenCommands(entries))).toEqual({});
		expect(opened).toEqual(['extra1']);
		const help = helpLines(bindings, {screens: screenHelp(entries), commands: screenCommands(entries)});
		expect(help).toContainEqual({key: '9 :extra1', text: 'Extra 1: extra screen 1'});
		expect(help).toContainEqual({key: ':extra1', text: 'extra screen 1'});
		// Its own keys get a section under its title.
		const section = help.findIndex(line => line.heading && line.text === 'Extra 1');
		expect(help[section + 1]).toEqual({key: 's', text: 'sort column'});
	});

	it('keeps screens beyond the ninth reachable by tab and :', () => {
		const entries: ScreenEntry[] = [...screenRegistry, ...[1, 2, 3, 4, 5].map(extra)];
		const jumps = screenBindings(entries);
		expect(jumps.map(b => b.keys[0])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', ...Array.from({length: jumps.length - 9}, () => undefined)]);
		expect(jumps.length).toBeGreaterThan(9);
		expect(jumps.at(-1)).toMatchObject({action: 'screenExtra5', keys: []});
		expect(nextScreen(entries, 'extra4', 1)).toBe('extra5');
		expect(nextScreen(entries, 'dashboard', -1)).toBe('extra5');
		const opened: string[] = [];
		runPaletteLine('extra4', contextFor(opened), screenCommands(entries));
		expect(opened).toEqual(['extra4']);
		const help = helpLines(buildKeymap({}, jumps).bindings, {screens: screenHelp(entries), commands: []});
		expect(help).toContainEqual({key: ':extra4', text: 'Extra 4: extra screen 4'});
	});
});
