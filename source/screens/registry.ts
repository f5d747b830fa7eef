import {AlertsScreen} from './alerts/AlertsScreen.js';
import {DashboardScreen} from './DashboardScreen.js';
import {MetricsScreen} from './metrics/MetricsScreen.js';
import {HelpScreen} from './HelpScreen.js';
import {IncidentScreen} from './incident/IncidentScreen.js';
import {KubernetesScreen} from './kubernetes/KubernetesScreen.js';
import {LogsScreen} from './logs/LogsScreen.js';
import {RunbooksScreen} from './runbooks/RunbooksScreen.js';
import {defineScreen, nextScreen as nextIn, screenBindings, screenCommands, screenHelp, type ScreenEntry} from './screen.js';
import {ServicesScreen} from './services/ServicesScreen.js';
import {StatsScreen} from './stats/StatsScreen.js';
import {WarRoomScreen} from './warroom/WarRoomScreen.js';
import {DatabaseScreen} from './database/DatabaseScreen.js';
import {TradingScreen} from './trading/TradingScreen.js';

export type {ScreenProps} from './screen.js';

/**
 * Every screen, declared once, in tab order. Adding a screen is one entry here and its folder: its number key
 * (by position, 1–9), `tab`, its `:` command and its help section are derived from the entry.
 */
export const screenRegistry = [
	defineScreen({id: 'dashboard', title: 'Dashboard', description: 'services and busiest containers', aliases: ['dash', 'home'], keys: ['select', 'filter'], needs: ['stats', 'checks', 'databaseLine'], view: DashboardScreen}),
	defineScreen({
		id: 'services',
		title: 'Services',
		description: 'one row per service with health and latency',
		aliases: ['svc'],
		keys: ['select', 'filter', 'serviceLogs', 'runbooks'],
		needs: ['stats'],
		view: ServicesScreen,
	}),
	defineScreen({id: 'stats', title: 'Stats', description: 'container CPU, memory, network and block I/O', aliases: ['top'], keys: ['select', 'sort', 'reverseSort', 'filter'], needs: ['stats'], view: StatsScreen}),
	defineScreen({
		id: 'logs',
		title: 'Logs',
		description: 'merged logs of all services, or of the ones named',
		aliases: ['log'],
		keys: ['filter', 'logFollow', 'logNextMatch', 'logPrevMatch', 'logNextError', 'logPrevError', 'logLevel', 'logInclude', 'logExclude', 'logServices', 'logWindow', 'logWrap', 'logTimestamps', 'logPretty', 'logSave'],
		command: {
			usage: 'logs [service]...',
			run: (args, context) => {
				const unknown = args.filter(name => !context.services.includes(name));
				if (unknown.length > 0) throw new Error(`unknown service ${unknown.join(', ')}; known services: ${context.services.join(', ')}`);
				context.showLogs(args.length > 0 ? args : undefined);
			},
		},
		view: LogsScreen,
	}),
	defineScreen({
		id: 'runbooks',
		title: 'Runbooks',
		description: 'runbooks with their keys, and recent runs from the audit log',
		aliases: ['rb'],
		keys: ['select', 'filter', 'refresh'],
		view: RunbooksScreen,
	}),
	defineScreen({
		id: 'alerts',
		title: 'Alerts',
		description: "Alertmanager's alerts by group, with silences and acknowledgements",
		aliases: ['al'],
		keys: ['select', 'filter', 'alertSilence', 'alertSilenceTyped', 'alertAck', 'alertExpire', 'alertSilences', 'serviceLogs', 'serviceStats', 'runbooks'],
		view: AlertsScreen,
	}),
	defineScreen({
		id: 'metrics',
		title: 'Metrics',
		description: 'request rate, error rate and p95 per service from Prometheus; its targets',
		aliases: ['prom'],
		keys: ['up', 'down', 'filter'],
		needs: ['series'],
		view: MetricsScreen,
	}),
	defineScreen({id: 'kubernetes', title: 'Kubernetes', description: 'deployments, autoscalers, pods and events of the namespace', aliases: ['k8s', 'kube'], keys: ['filter', 'select', 'rolloutUndo', 'rolloutUndoTo'], view: KubernetesScreen}),
	defineScreen({
		id: 'database',
		title: 'Database',
		description: 'MongoDB: connections, op rates, replication lag, current operations (kill), hot collections, indexes, backups',
		aliases: ['db', 'mongo'],
		keys: ['dbKillOp', 'dbSection'],
		needs: ['database'],
		view: DatabaseScreen,
	}),
	defineScreen({id: 'trading', title: 'Trading', description: 'trades today and in the last hour, success rate, P&L by symbol', aliases: ['kpi', 'pnl'], view: TradingScreen}),
	defineScreen({id: 'warroom', title: 'War room', description: 'every pane at once for a wall screen: status tiles, alerts, metrics, errors (read-only)', aliases: ['war', 'wall'], inTabs: false, needs: ['stats', 'series'], view: WarRoomScreen}),
	defineScreen({id: 'help', title: 'Help', description: 'keys and commands', aliases: ['h'], keys: ['filter', 'back'], inTabs: false, view: HelpScreen}),
	defineScreen({
		id: 'incident',
		title: 'Incident',
		description: 'the open incident: its timeline, and what changed in the last 2 h',
		aliases: ['inc'],
		// Its keys are global (I, A) and the list's (j/k): no section of its own in help.
		view: IncidentScreen,
	}),
] as const satisfies readonly ScreenEntry[];

export type ScreenId = (typeof screenRegistry)[number]['id'];

export const screenById = new Map<ScreenId, (typeof screenRegistry)[number]>(screenRegistry.map(entry => [entry.id, entry]));

export const isScreenId = (id: string): id is ScreenId => screenById.has(id as ScreenId);

/** Derived once: the jump keys (for buildKeymap), the `:` commands and the help sections. */
export const registryBindings = screenBindings(screenRegistry);
export const registryCommands = screenCommands(screenRegistry);
export const registryHelp = screenHelp(screenRegistry);

export const nextScreen = (current: ScreenId, step: 1 | -1): ScreenId => nextIn<ScreenId>(screenRegistry, current, step);
