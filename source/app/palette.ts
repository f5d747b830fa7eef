import {registryCommands} from '../screens/registry.js';
import type {CommandContext, PaletteCommand} from '../screens/screen.js';

export type {CommandContext as PaletteContext, PaletteCommand};

/** The shell's own commands; each screen's command comes from the screen registry. */
const shellCommands: readonly PaletteCommand[] = [
	{name: 'pause', usage: 'pause', description: 'stop polling (p toggles)', run: (_a, c) => (c.setPaused(true), 'polling paused')},
	{name: 'resume', usage: 'resume', description: 'resume polling', run: (_a, c) => (c.setPaused(false), 'polling resumed')},
	{name: 'refresh', usage: 'refresh', description: 'poll everything now', run: (_a, c) => (c.refreshNow(), 'refreshing')},
	{name: 'quit', aliases: ['q', 'exit'], usage: 'quit', description: 'leave botops', run: (_a, c) => c.quit()},
];

export const paletteCommands: readonly PaletteCommand[] = [...registryCommands, ...shellCommands];

/** Runs one palette line; unknown commands list the known ones. */
export function runPaletteLine(line: string, context: CommandContext, commands: readonly PaletteCommand[] = paletteCommands): {message?: string; error?: string} {
	const [name, ...args] = line.trim().split(/\s+/);
	if (!name) return {};
	const command = commands.find(c => c.name === name || c.aliases?.includes(name));
	if (!command) return {error: `unknown command "${name}"; try ${commands.map(c => c.name).join(', ')}`};
	try {
		const message = command.run(args, context);
		return message ? {message} : {};
	} catch (error) {
		return {error: error instanceof Error ? error.message : String(error)};
	}
}
