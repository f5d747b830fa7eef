import {Box, useApp} from 'ink';
import React, {useCallback, useState} from 'react';
import {Footer} from './app/Footer.js';
import {Header} from './app/Header.js';
import {paletteCommands, runPaletteLine} from './app/palette.js';
import {isTooSmall, TooSmall} from './components/TooSmall.js';
import {useAppContext, useAppState} from './hooks/AppContext.js';
import {keyPriority} from './hooks/KeypressContext.js';
import {useKeymap, type KeyHandlers} from './hooks/useKeymap.js';
import {useOpenRunbooks} from './hooks/useRunbooks.js';
import {useTerminalSize} from './hooks/useTerminalSize.js';
import {HelpContext, type HelpSources} from './hooks/HelpContext.js';
import {isScreenId, nextScreen, registryHelp, screenById, screenRegistry, type ScreenId} from './screens/registry.js';
import {RunbookModal} from './screens/runbooks/RunbookModal.js';
import {SilenceModal} from './screens/alerts/SilenceModal.js';
import {IncidentModal} from './screens/incident/IncidentModal.js';
import {DrillModal} from './screens/warroom/DrillModal.js';
import {KillOpModal} from './screens/database/KillOpModal.js';
import {screenAction, tabOrder} from './screens/screen.js';

const helpSources: HelpSources = {screens: registryHelp, commands: paletteCommands};

/** The shell: header, the current screen, footer; global keys. Never taller than rows - 1 (ink repaints everything otherwise). */
export function App() {
	const {exit} = useApp();
	const {keymap, refreshNow, environment, runbooks, drills} = useAppContext();
	const {columns, rows} = useTerminalSize();
	const screen = useAppState(s => s.screen);
	const setScreen = useAppState(s => s.setScreen);
	const togglePaused = useAppState(s => s.togglePaused);
	const setPaused = useAppState(s => s.setPaused);
	const setFlash = useAppState(s => s.setFlash);
	const showLogs = useAppState(s => s.showLogs);
	const openModal = useAppState(s => s.openModal);
	// The runbook dialog replaces the body and owns the keyboard: screen and global keys wait.
	const modal = useAppState(s => s.modal);
	const openRunbooks = useOpenRunbooks();
	const incidentOpen = useAppState(s => s.incident.open !== undefined);
	const [paletteOpen, setPaletteOpen] = useState(false);
	const [previousScreen, setPreviousScreen] = useState<ScreenId>('dashboard');

	const goTo = useCallback(
		(next: ScreenId) => {
			if (next === 'help') setPreviousScreen(screen === 'help' ? previousScreen : screen);
			setScreen(next);
		},
		[screen, previousScreen, setScreen],
	);

	const global: KeyHandlers = {
		// DESIGN: q asks while a runbook runs; the run's dialog asks (and aborts before quitting).
		quit: () => (runbooks.isRunning() ? openRunbooks() : exit()),
		runbooks: () => openRunbooks(),
		incident: () => openModal({type: 'incident', mode: incidentOpen ? 'close' : 'declare'}),
		incidentNote: () => (incidentOpen ? openModal({type: 'incident', mode: 'note'}) : setFlash('no incident is open: I declares one', 'error')),
		help: () => goTo(screen === 'help' ? previousScreen : 'help'),
		palette: () => setPaletteOpen(true),
		pause: togglePaused,
		refresh: refreshNow,
		nextScreen: () => goTo(nextScreen(screen === 'help' ? previousScreen : screen, 1)),
		prevScreen: () => goTo(nextScreen(screen === 'help' ? previousScreen : screen, -1)),
		...(screen === 'help' ? {back: () => setScreen(previousScreen)} : {}),
		// The embedded demo's drill picker (screens/warroom/DrillModal.tsx); the key does nothing elsewhere.
		...(drills ? {drill: () => openModal({type: 'drill'})} : {}),
	};
	for (const entry of tabOrder(screenRegistry)) global[screenAction(entry)] = () => goTo(entry.id);
	useKeymap(global, {isActive: !paletteOpen && !modal, priority: keyPriority.global});

	const onPaletteSubmit = useCallback(
		(line: string) => {
			setPaletteOpen(false);
			const setScreenById = (id: string) => {
				if (isScreenId(id)) goTo(id);
			};
			const result = runPaletteLine(line, {setScreen: setScreenById, setPaused, refreshNow, quit: exit, showLogs, services: environment.services.map(s => s.name)});
			if (result.error) setFlash(result.error, 'error');
			else if (result.message) setFlash(result.message);
		},
		[goTo, setPaused, refreshNow, exit, setFlash, showLogs, environment],
	);
	const onPaletteCancel = useCallback(() => setPaletteOpen(false), []);

	if (isTooSmall(columns, rows)) return <TooSmall columns={columns} rows={rows} />;
	const bodyHeight = rows - 3;
	const Screen = screenById.get(screen)!.view;
	return (
		<Box flexDirection="column" width={columns} height={rows - 1}>
			<Header width={columns} />
			{/* The screen stays mounted (hidden) under a modal, so its selection is still there when the modal closes. */}
			<Box height={bodyHeight} width={columns} display={modal ? 'none' : 'flex'}>
				<HelpContext.Provider value={helpSources}>
					<Screen width={columns} height={bodyHeight} active={!paletteOpen && !modal} />
				</HelpContext.Provider>
			</Box>
			{modal?.type === 'silence' ? <SilenceModal width={columns} height={bodyHeight} /> : modal?.type === 'incident' ? <IncidentModal width={columns} height={bodyHeight} /> : modal?.type === 'drill' ? <DrillModal width={columns} height={bodyHeight} /> : modal?.type === 'killOp' ? <KillOpModal width={columns} height={bodyHeight} /> : modal ? <RunbookModal width={columns} height={bodyHeight} /> : null}
			<Footer width={columns} bindings={keymap.bindings} paletteOpen={paletteOpen} onPaletteSubmit={onPaletteSubmit} onPaletteCancel={onPaletteCancel} />
		</Box>
	);
}
