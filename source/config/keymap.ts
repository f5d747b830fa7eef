/** Every key binding, as data: the help screen, the footer hints and the dispatcher all read this one table. */
export type KeyAction =
	| 'quit'
	| 'help'
	| 'palette'
	| 'filter'
	| 'back'
	| 'pause'
	| 'refresh'
	| 'nextScreen'
	| 'prevScreen'
	| 'screenDashboard'
	| 'screenServices'
	| 'screenStats'
	| 'up'
	| 'down'
	| 'top'
	| 'bottom'
	| 'pageUp'
	| 'pageDown'
	| 'select'
	| 'sort'
	| 'reverseSort';

export type KeyBinding = {action: KeyAction; keys: string[]; label: string; group: 'global' | 'navigation' | 'screen'};

export const defaultKeymap: readonly KeyBinding[] = [
	{action: 'quit', keys: ['q', 'ctrl-c'], label: 'quit', group: 'global'},
	{action: 'help', keys: ['?'], label: 'help', group: 'global'},
	{action: 'palette', keys: [':'], label: 'command', group: 'global'},
	{action: 'filter', keys: ['/'], label: 'filter', group: 'global'},
	{action: 'back', keys: ['escape'], label: 'back', group: 'global'},
	{action: 'pause', keys: ['p'], label: 'pause', group: 'global'},
	{action: 'refresh', keys: ['ctrl-r'], label: 'refresh now', group: 'global'},
	{action: 'nextScreen', keys: ['tab'], label: 'next screen', group: 'global'},
	{action: 'prevScreen', keys: ['shift-tab'], label: 'previous screen', group: 'global'},
	{action: 'screenDashboard', keys: ['1'], label: 'dashboard', group: 'global'},
	{action: 'screenServices', keys: ['2'], label: 'services', group: 'global'},
	{action: 'screenStats', keys: ['3'], label: 'stats', group: 'global'},
	{action: 'up', keys: ['k', 'up'], label: 'up', group: 'navigation'},
	{action: 'down', keys: ['j', 'down'], label: 'down', group: 'navigation'},
	{action: 'top', keys: ['g', 'home'], label: 'top', group: 'navigation'},
	{action: 'bottom', keys: ['G', 'end'], label: 'bottom', group: 'navigation'},
	{action: 'pageUp', keys: ['pageup', 'ctrl-b'], label: 'page up', group: 'navigation'},
	{action: 'pageDown', keys: ['pagedown', 'ctrl-f'], label: 'page down', group: 'navigation'},
	{action: 'select', keys: ['enter'], label: 'details', group: 'screen'},
	{action: 'sort', keys: ['s'], label: 'sort column', group: 'screen'},
	{action: 'reverseSort', keys: ['S'], label: 'reverse sort', group: 'screen'},
];

export type Keymap = ReadonlyMap<string, KeyAction[]>;

/** Key name -> actions, with the config's overrides (action -> keys) replacing that action's defaults. */
export function buildKeymap(overrides: Record<string, string[]> = {}): {bindings: KeyBinding[]; byKey: Keymap; unknown: string[]} {
	const known = new Set(defaultKeymap.map(b => b.action));
	const unknown = Object.keys(overrides).filter(action => !known.has(action as KeyAction));
	const bindings = defaultKeymap.map(b => (overrides[b.action] ? {...b, keys: overrides[b.action]!} : b));
	const byKey = new Map<string, KeyAction[]>();
	for (const binding of bindings) {
		for (const key of binding.keys) byKey.set(key, [...(byKey.get(key) ?? []), binding.action]);
	}
	return {bindings, byKey, unknown};
}

export function keysFor(bindings: readonly KeyBinding[], action: KeyAction): string {
	return bindings.find(b => b.action === action)?.keys[0] ?? '';
}
