/** Every key binding, as data: the help screen, the footer hints and the dispatcher all read this one table. */
export type KeyAction = StaticKeyAction | ScreenKeyAction;

/** Jumps to a screen: `screen<Title>`, one per screen in the registry (screens/registry.ts), so not listed here. */
export type ScreenKeyAction = `screen${string}`;

type StaticKeyAction =
	| 'quit'
	| 'help'
	| 'palette'
	| 'filter'
	| 'back'
	| 'pause'
	| 'refresh'
	| 'nextScreen'
	| 'prevScreen'
	| 'runbooks'
	| 'runbookAbort'
	| 'up'
	| 'down'
	| 'top'
	| 'bottom'
	| 'pageUp'
	| 'pageDown'
	| 'select'
	| 'sort'
	| 'reverseSort'
	| 'serviceLogs'
	| 'logFollow'
	| 'logNextMatch'
	| 'logPrevMatch'
	| 'logNextError'
	| 'logPrevError'
	| 'logLevel'
	| 'logInclude'
	| 'logExclude'
	| 'logServices'
	| 'logWindow'
	| 'logWrap'
	| 'logTimestamps'
	| 'logPretty'
	| 'logSave'
	| 'alertSilence'
	| 'alertSilenceTyped'
	| 'alertAck'
	| 'alertExpire'
	| 'alertSilences'
	| 'serviceStats'
	| 'incident'
	| 'incidentNote'
	| 'drill'
	| 'rolloutUndo'
	| 'rolloutUndoTo'
	| 'dbKillOp'
	| 'dbSection';

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
	{action: 'runbooks', keys: ['r'], label: "runbooks (of the selected service on Services), then the runbook's key", group: 'global'},
	{action: 'incident', keys: ['I'], label: 'incident: declare one (severity and title), or close the open one and write its post-mortem', group: 'global'},
	{action: 'incidentNote', keys: ['A'], label: "incident: add a note to the open incident's timeline", group: 'global'},
	{action: 'drill', keys: ['ctrl-d'], label: 'demo: start an incident drill (botops demo --scenario list describes them)', group: 'global'},
	{action: 'up', keys: ['k', 'up'], label: 'up', group: 'navigation'},
	{action: 'down', keys: ['j', 'down'], label: 'down', group: 'navigation'},
	{action: 'top', keys: ['g', 'home'], label: 'top', group: 'navigation'},
	{action: 'bottom', keys: ['G', 'end'], label: 'bottom', group: 'navigation'},
	{action: 'pageUp', keys: ['pageup', 'ctrl-b'], label: 'page up', group: 'navigation'},
	{action: 'pageDown', keys: ['pagedown', 'ctrl-f'], label: 'page down', group: 'navigation'},
	{action: 'select', keys: ['enter'], label: 'details', group: 'screen'},
	{action: 'sort', keys: ['s'], label: 'sort column', group: 'screen'},
	{action: 'reverseSort', keys: ['S'], label: 'reverse sort', group: 'screen'},
	{action: 'serviceLogs', keys: ['l'], label: 'logs of the selected service', group: 'screen'},
	{action: 'logFollow', keys: ['f'], label: 'logs: follow / pause', group: 'screen'},
	{action: 'logNextMatch', keys: ['n'], label: 'logs: next search match (newer)', group: 'screen'},
	{action: 'logPrevMatch', keys: ['N'], label: 'logs: previous search match (older)', group: 'screen'},
	{action: 'logNextError', keys: ['e'], label: 'logs: next error (newer)', group: 'screen'},
	{action: 'logPrevError', keys: ['E'], label: 'logs: previous error (older)', group: 'screen'},
	{action: 'logLevel', keys: ['L'], label: 'logs: cycle minimum level', group: 'screen'},
	{action: 'logInclude', keys: ['i'], label: 'logs: include regex filter', group: 'screen'},
	{action: 'logExclude', keys: ['x'], label: 'logs: exclude regex filter', group: 'screen'},
	{action: 'logServices', keys: ['c'], label: 'logs: choose services', group: 'screen'},
	{action: 'logWindow', keys: ['T'], label: 'logs: time window (1m 5m 15m 1h all)', group: 'screen'},
	{action: 'logWrap', keys: ['w'], label: 'logs: wrap long lines', group: 'screen'},
	{action: 'logTimestamps', keys: ['t'], label: 'logs: timestamps', group: 'screen'},
	{action: 'logPretty', keys: ['J'], label: 'logs: pretty-print JSON', group: 'screen'},
	{action: 'logSave', keys: ['s'], label: 'logs: save the filtered lines', group: 'screen'},
	{action: 'alertSilence', keys: ['s'], label: 'alerts: silence the selected alert or group (preview, then confirm)', group: 'screen'},
	{action: 'alertSilenceTyped', keys: ['m'], label: 'alerts: new silence from typed matchers', group: 'screen'},
	{action: 'alertAck', keys: ['a'], label: 'alerts: acknowledge (a 15 min ACK silence of the alert)', group: 'screen'},
	{action: 'alertExpire', keys: ['x'], label: "alerts: expire the selected alert's silence (shows what fires again)", group: 'screen'},
	{action: 'alertSilences', keys: ['v'], label: 'alerts: the silences (x expires the selected one); v again for the alerts', group: 'screen'},
	{action: 'serviceStats', keys: ['t'], label: "stats of the selected row's service", group: 'screen'},
	{action: 'rolloutUndo', keys: ['u'], label: 'kubernetes rollout: undo to the previous revision (plan with the diff, then confirm)', group: 'screen'},
	{action: 'rolloutUndoTo', keys: ['U'], label: 'kubernetes rollout: undo to the selected revision (plan with the diff, then confirm)', group: 'screen'},
	{action: 'dbKillOp', keys: ['K'], label: 'database: kill the selected operation (shows it, then confirm)', group: 'screen'},
	{action: 'dbSection', keys: ['v'], label: 'database: next part (operations, replication, hot collections, collections, indexes, backups)', group: 'screen'},
	{action: 'runbookAbort', keys: ['escape', 'ctrl-c'], label: 'runbook: abort a run (between steps; q asks before quitting)', group: 'screen'},
];

export type Keymap = ReadonlyMap<string, KeyAction[]>;

/**
 * Key name -> actions, with the config's overrides (action -> keys) replacing that action's defaults.
 * `screens` are the screen-jump bindings derived from the screen registry; they follow the global keys.
 */
export function buildKeymap(
	overrides: Record<string, string[]> = {},
	screens: readonly KeyBinding[] = [],
): {bindings: KeyBinding[]; byKey: Keymap; unknown: string[]} {
	const afterGlobal = defaultKeymap.findIndex(b => b.group !== 'global');
	const all = [...defaultKeymap.slice(0, afterGlobal), ...screens, ...defaultKeymap.slice(afterGlobal)];
	const known = new Set<string>(all.map(b => b.action));
	const unknown = Object.keys(overrides).filter(action => !known.has(action));
	const bindings = all.map(b => (overrides[b.action] ? {...b, keys: overrides[b.action]!} : b));
	const byKey = new Map<string, KeyAction[]>();
	for (const binding of bindings) {
		for (const key of binding.keys) byKey.set(key, [...(byKey.get(key) ?? []), binding.action]);
	}
	return {bindings, byKey, unknown};
}

export function keysFor(bindings: readonly KeyBinding[], action: KeyAction): string {
	return bindings.find(b => b.action === action)?.keys[0] ?? '';
}
