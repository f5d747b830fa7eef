/**
 * The daily checks as data: each check is one entry of `checkCatalog` (./catalog.ts) — its id, title, the routines
 * of the manual (§2.1) it belongs to, whether it applies to an environment, and how it judges what its context
 * answers. `botops check` and the Dashboard's Checks pane run the same entries over different contexts: the CLI's
 * asks the backends (./live-context.ts), the Dashboard's judges what the pollers already hold (./store-context.ts).
 */
import type {DatabaseView} from '../database/view.js';
import type {BackupListing} from '../store/slices/database.js';
import type {MergedAlert} from '../alerts/types.js';
import type {EnvironmentConfig} from '../config/schema.js';
import type {FiredEntry} from '../services/alert-journal.js';
import type {ClusterView} from '../services/kubernetes/view.js';
import type {Instance} from '../services/platform.js';
import type {PromAlert} from '../alerts/types.js';
import type {PromTarget, ServiceMetrics} from '../services/prometheus.js';
import type {HealthResult, StatsSample} from '../services/types.js';
import type {LogTally} from './log-tally.js';
import type {CheckSettings} from './settings.js';
import type {CheckStatus, CheckVerdict} from './verdict.js';

export const routines = ['morning', 'midday', 'evening'] as const;
export type Routine = (typeof routines)[number];

/** Whether a check can be answered on an environment; when not, why, in words the command prints after "left out:". */
export type Applicability = {applies: true} | {applies: false; reason: string};

/**
 * What the checks ask. Every answer is a promise that rejects when its backend cannot be read (the check is then
 * unknown, never pass). Contexts share answers between checks: Prometheus is asked once for the p95, the targets
 * and the alerts together.
 */
export type CheckContext = {
	readonly environment: EnvironmentConfig;
	readonly settings: CheckSettings;
	now(): number;
	/** Every instance of the environment (all states). */
	instances(signal: AbortSignal): Promise<Instance[]>;
	/** A recent stats sample of each running instance that gave one, by instance id. */
	stats(signal: AbortSignal): Promise<ReadonlyMap<string, StatsSample>>;
	/** The last probe of each service that has a health URL. */
	health(signal: AbortSignal): Promise<HealthResult[]>;
	/** Prometheus's instant view: alerts, targets, each service's figures. */
	prometheus(signal: AbortSignal): Promise<{alerts: PromAlert[]; targets: PromTarget[]; services: ServiceMetrics[]}>;
	/** Alertmanager's alerts (merged over an HA set). */
	alertmanager(signal: AbortSignal): Promise<MergedAlert[]>;
	/** What fired from `since` on, from the alert journal the dashboard keeps; undefined when there is no journal yet. */
	firedSince(since: number): Promise<FiredEntry[] | undefined>;
	/** Each service's log lines from `since` on, counted (errors, 401/403, failed logins). */
	logTally(since: number, signal: AbortSignal): Promise<LogTally>;
	/** The commits of the upstream the configured checkout has not deployed, one line each (`git log --oneline`). */
	pendingDeploys(signal: AbortSignal): Promise<string[]>;
	/** The cluster's deployments (Kubernetes). */
	cluster(signal: AbortSignal): Promise<ClusterView>;
	/** MongoDB as one refresh reads it (serverStatus, replication, current ops, the trading KPIs); each part may carry its own fault. */
	database(signal: AbortSignal): Promise<DatabaseView>;
	/** The configured backup listing (the `backups` key). */
	backups(signal: AbortSignal): Promise<BackupListing>;
};

export type CheckDefinition = {
	/** Stable, for JSON, JUnit and Prometheus labels: lowercase words with "-". */
	id: string;
	title: string;
	routines: readonly Routine[];
	/** What it reads, for `botops check --help` and the README. */
	needs: string;
	appliesTo(environment: EnvironmentConfig, settings: CheckSettings): Applicability;
	run(context: CheckContext, signal: AbortSignal): Promise<CheckVerdict>;
};

/** One check's outcome in a run: its verdict, or why it was left out. */
export type CheckResult =
	| {id: string; title: string; routines: readonly Routine[]; leftOut: false; verdict: CheckVerdict; durationMs: number}
	| {id: string; title: string; routines: readonly Routine[]; leftOut: true; reason: string};

export type CheckRun = {environment: string; routine: Routine | 'all'; at: number; durationMs: number; results: CheckResult[]; status: CheckStatus};
