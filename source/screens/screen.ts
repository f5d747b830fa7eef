import type {ReactNode} from 'react';
import type {KeyAction, KeyBinding} from '../config/keymap.js';
import type {PollerNeed} from '../controllers/poller.js';

/** Props every screen gets: its exact box, and whether it owns the keyboard (no modal or input line open). */
export type ScreenProps = {width: number; height: number; active: boolean};

/** What a `:` command may ask of the shell. */
export type CommandContext = {
	setScreen(screen: string): void;
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
	aliases?: readonly string[];
	usage: string;
	description: string;
	/** Returns a message for the footer, or throws an Error whose message is shown as an error. */
	run(args: string[], context: CommandContext): string | void;
};

/**
 * One screen, declared once in the registry: everything else (the screen type, its number key, tab order,
 * its `:` command, its help section) is derived from this entry.
 */
export type ScreenEntry<Id extends string = string> = {
	id: Id;
	title: string;
	/** What the screen shows, in a few words: the palette's and the help's description. */
	description: string;
	/** More names for its `:` command. */
	aliases?: readonly string[];
	/** The screen's own keys (actions), listed under its title in help. */
	keys?: readonly KeyAction[];
	/** Its `:` command when it takes arguments (default: `:ID` opens the screen). */
	command?: Pick<PaletteCommand, 'usage' | 'run'>;
	/** False for a screen outside the tab order, with no number key (Help is reached with `?`). */
	inTabs?: boolean;
	/** The polled data it shows that no other screen needs at full rate: while it is up, those pollers run at their refresh. */
	needs?: readonly PollerNeed[];
	view: (props: ScreenProps) => ReactNode;
};

/** Keeps the id's literal type (for the ScreenId union) while checking the rest of the entry. */
export const defineScreen = <const Id extends string>(entry: ScreenEntry<Id>): ScreenEntry<Id> => entry;

/** The screens `tab` cycles through, in registry order. */
export function tabOrder<E extends ScreenEntry>(entries: readonly E[]): E[] {
	return entries.filter(entry => entry.inTabs !== false);
}

/** The keymap action that jumps to a screen: `screen<Title>` (screenStats), the names user configs already use. */
export function screenAction(entry: Pick<ScreenEntry, 'title'>): KeyAction {
	return `screen${entry.title.replace(/[^A-Za-z0-9]/g, '')}`;
}

/** Number keys 1–9 go to the first nine screens in tab order; later screens are reached with `tab` and `:`. */
export const numberKeys = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/** A jump binding per tab screen (the config's `keys:` may rebind each action); the number key when one is left. */
export function screenBindings(entries: readonly ScreenEntry[]): KeyBinding[] {
	return tabOrder(entries).map((entry, index) => ({
		action: screenAction(entry),
		keys: index < numberKeys.length ? [numberKeys[index]!] : [],
		label: `${entry.title} screen`,
		group: 'global',
	}));
}

/** `:ID` (and its aliases) opens the screen, or runs the entry's own command. */
export function screenCommands(entries: readonly ScreenEntry[]): PaletteCommand[] {
	return entries.map(entry => ({
		name: entry.id,
		aliases: entry.aliases ?? [],
		description: entry.description,
		usage: entry.command?.usage ?? entry.id,
		run:
			entry.command?.run ??
			((_args, context) => {
				context.setScreen(entry.id);
			}),
	}));
}

export function nextScreen<Id extends string>(entries: ReadonlyArray<ScreenEntry<Id>>, current: Id, step: 1 | -1): Id {
	const order = tabOrder(entries);
	const index = order.findIndex(s => s.id === current);
	const next = (Math.max(0, index) + step + order.length) % order.length;
	return order[next]!.id;
}

/** A screen's section of the help: its title, how to reach it, what it shows and its own keys. */
export type ScreenHelp = {id: string; title: string; description: string; action?: KeyAction; keys: readonly KeyAction[]};

export function screenHelp(entries: readonly ScreenEntry[]): ScreenHelp[] {
	const tabs = new Set(tabOrder(entries));
	return entries.map(entry => ({
		id: entry.id,
		title: entry.title,
		description: entry.description,
		action: tabs.has(entry) ? screenAction(entry) : undefined,
		keys: entry.keys ?? [],
	}));
}
