import type {ScreenId} from '../store/slices/ui.js';

export type PaletteContext = {
	setScreen(screen: ScreenId): void;
	setPaused(paused: boolean): void;
	refreshNow(): void;
	quit(): void;
	/** Opens the Logs screen on these services (all when undefined). */
	showLogs(services?: readonly string[]): void;
	/** The environment's service names, to check `:logs NAME`. */
	services: readonly string[];
};

export type PaletteCommand = {
	name: string;
	aliases?: string[];
	usage: string;
	description: string;
	/** Returns a message for the footer, or throws an Error whose message is shown as an error. */
	run(args: string[], context: PaletteContext): string | void;
};

const screenCommand = (screen: ScreenId, description: string, aliases: string[] = []): PaletteCommand => ({
	name: screen,
	aliases,
	usage: screen,
	description,
	run: (_args, context) => context.setScreen(screen),
});

export const paletteCommands: readonly PaletteCommand[] = [
	screenCommand('dashboard', 'services and busiest containers', ['dash', 'home']),
	screenCommand('services', 'one row per service with health and latency', ['svc']),
	screenCommand('stats', 'container CPU, memory, network and block I/O', ['top']),
	{
		name: 'logs',
		aliases: ['log'],
		usage: 'logs [service]...',
		description: 'merged logs of all services, or of the ones named',
		run: (args, context) => {
			const unknown = args.filter(name => !context.services.includes(name));
			if (unknown.length > 0) throw new Error(`unknown service ${unknown.join(', ')}; known services: ${context.services.join(', ')}`);
			context.showLogs(args.length > 0 ? args : undefined);
		},
	},
	screenCommand('runbooks', 'runbooks with their keys, and recent runs from the audit log', ['rb']),
	screenCommand('help', 'keys and commands', ['h']),
	{name: 'pause', usage: 'pause', description: 'stop polling (p toggles)', run: (_a, c) => (c.setPaused(true), 'polling paused')},
	{name: 'resume', usage: 'resume', description: 'resume polling', run: (_a, c) => (c.setPaused(false), 'polling resumed')},
	{name: 'refresh', usage: 'refresh', description: 'poll everything now', run: (_a, c) => (c.refreshNow(), 'refreshing')},
	{name: 'quit', aliases: ['q', 'exit'], usage: 'quit', description: 'leave botops', run: (_a, c) => c.quit()},
];

/** Runs one palette line; unknown commands list the known ones. */
export function runPaletteLine(line: string, context: PaletteContext): {message?: string; error?: string} {
	const [name, ...args] = line.trim().split(/\s+/);
	if (!name) return {};
	const command = paletteCommands.find(c => c.name === name || c.aliases?.includes(name));
	if (!command) return {error: `unknown command "${name}"; try ${paletteCommands.map(c => c.name).join(', ')}`};
	try {
		const message = command.run(args, context);
		return message ? {message} : {};
	} catch (error) {
		return {error: error instanceof Error ? error.message : String(error)};
	}
}
