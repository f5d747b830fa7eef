import {createContext, useContext} from 'react';
import type {PaletteCommand, ScreenHelp} from '../screens/screen.js';

/**
 * What the Help screen lists besides the keymap: each screen's section and the `:` commands. The shell provides
 * them (it owns the registry and the palette), so the Help screen depends on neither.
 */
export type HelpSources = {screens: readonly ScreenHelp[]; commands: ReadonlyArray<Pick<PaletteCommand, 'usage' | 'description'>>};

export const HelpContext = createContext<HelpSources>({screens: [], commands: []});

export const useHelpSources = (): HelpSources => useContext(HelpContext);
