import React, {createContext, useContext, type ReactNode} from 'react';
import {defaultTheme, type Theme} from './theme.js';

const ThemeContext = createContext<Theme>(defaultTheme);

export function ThemeProvider({theme, children}: {theme: Theme; children: ReactNode}) {
	return <ThemeContext.Provider value={theme}>{children}</ThemeContext.Provider>;
}

/** The current theme; the default (colour, unicode) when no provider is mounted, e.g. in a unit test. */
export function useTheme(): Theme {
	return useContext(ThemeContext);
}
